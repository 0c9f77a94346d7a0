"""The vectorised helpers of the ranking against their plain definitions."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from apps.matching.features import NO_CODE
from apps.matching.ranking import leading_depth


def plain_depth(code, target) -> int:
    """Levels in common from the top, stopping at the first difference or missing level."""
    depth = 0
    for c, t in zip(code, target, strict=True):
        if c != t or c == NO_CODE:
            break
        depth += 1
    return depth


levels = st.sampled_from([NO_CODE, 1, 2])


@settings(max_examples=60, deadline=None)
@given(
    codes=st.lists(
        st.lists(st.tuples(levels, levels, levels, levels), min_size=3, max_size=3),
        min_size=1,
        max_size=30,
    ),
    target=st.tuples(levels, levels, levels, levels),
)
def test_leading_depth_counts_the_levels_in_common_from_the_top(codes, target):
    array = np.array(codes, dtype=np.int64)  # (people, wish slots, 4), as the seeker index
    got = leading_depth(array, np.array(target))
    want = [[plain_depth(c, target) for c in person] for person in codes]
    assert got.tolist() == want
    flat = array[:, 0, :]  # (jobs, 4), as the job index
    assert leading_depth(flat, np.array(target)).tolist() == [w[0] for w in want]


@settings(max_examples=80, deadline=None)
@given(
    n=st.integers(min_value=0, max_value=60),
    k=st.integers(min_value=1, max_value=20),
    seed=st.integers(min_value=0, max_value=10_000),
    coarse=st.booleans(),
)
def test_text_computed_only_where_it_counts_gives_the_same_best(n, k, seed, coarse):
    """_best with the text deferred (computed only for rows that can reach the k best)
    returns exactly what it returns with the text of every row, ties included."""
    from apps.matching.ranking import _best

    rng = np.random.default_rng(seed)
    draw = (lambda size: rng.integers(0, 3, size) / 2) if coarse else rng.random  # ties
    rows = np.arange(n) * 3
    ids = rng.permutation(n) + 100
    text = draw(n)
    parts = (
        draw(n),  # occupation
        rng.integers(0, 5, n),  # depth
        draw(n),  # certificate
        np.full(n, -1),  # cert_pick
        draw(n),  # wage
        np.where(rng.random(n) < 0.1, np.nan, rng.random(n) * 20),  # distance
        rng.integers(0, 60, n),  # days
    )
    scale = rng.choice([1.0, 5.0, 30.0], n)  # each row's distance scale
    full_rows, full = _best(rows, ids, (*parts, text), k, scale)
    lazy_rows, lazy = _best(rows, ids, (*parts, lambda positions: text[positions]), k, scale)
    assert full_rows.tolist() == lazy_rows.tolist()
    for name in full:
        assert np.array_equal(full[name], lazy[name], equal_nan=True), name
