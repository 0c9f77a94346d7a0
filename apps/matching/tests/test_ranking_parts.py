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
