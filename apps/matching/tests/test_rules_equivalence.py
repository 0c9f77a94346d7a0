"""The vectorized index must give exactly what the plain rules give, pair by pair: the
same people and jobs pass the hard filters, with the same scores, components and reasons.
Random cities from hypothesis; no database needed."""

import dataclasses
import datetime as dt

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.matching import features
from apps.matching.features import KIND_CODE, NO_CODE, age_on, occupation_levels, related_of
from apps.matching.index import CERT_SLOTS, WISH_SLOTS, JobIndex, SeekerIndex
from apps.matching.ranking import rank_jobs, rank_seekers
from apps.matching.rules import LEVEL_LABEL, JobProfile, PersonProfile, reference_match
from apps.matching.services import _match
from apps.matching.text import Vocabulary, shared_terms, tokens

TODAY = dt.date(2026, 11, 25)
WORDS = ["焊接", "氩弧焊", "电焊", "叉车", "烹饪", "护理", "驾驶", "缝纫", "砌墙", "电工"]
# One vocabulary for the profiles and the indexes, fitted on a fixed corpus of postings.
VOCAB = Vocabulary().fit(
    tokens(" ".join(WORDS[i : i + n])) for n in (1, 2, 3) for i in range(len(WORDS))
)
texts = st.lists(st.sampled_from(WORDS), max_size=5).map(lambda w: VOCAB.vector(" ".join(w)))
CODES = ["6-18-02-04", "6-18-01-01", "6-31-01-03", "4-03-02-01", "4-03-02-05", "6-05-01-03"]
WISHES = [*CODES, "6-18-02", "6-18", "6", "4-03"]
EPS = 1e-9
MARKET = 4_500.0  # the median wage the candidates' index side is given
# Neighbours (相近职业) among the codes, with the fit a wish of one gives the other, kept
# both ways as the stored table is: across 中类 and 大类, one above a 中类's fit (0.4).
NEIGHBOURS = [("6-18-02-04", "6-31-01-03", 0.45), ("4-03-02-01", "6-05-01-03", 0.25)]
NEIGHBOURS += [("6-18-01-01", "4-03-02-05", 0.6), ("6-18-02-04", "4-03-02-05", 0.3)]


@pytest.fixture(autouse=True, scope="module")
def neighbours():
    """The related table the index and the rules read, without a database."""
    table = {}
    for a, b, fit in NEIGHBOURS:
        a, b = occupation_levels(a)[3], occupation_levels(b)[3]
        table.setdefault(a, []).append((b, fit))
        table.setdefault(b, []).append((a, fit))
    features._related = (features._seen, {k: tuple(v) for k, v in table.items()})
    yield
    features.forget_related()


points = st.one_of(
    st.none(),
    st.tuples(st.floats(33.0, 33.5), st.floats(115.1, 115.6)),
)
levels = st.one_of(st.none(), st.integers(1, 5))


@st.composite
def jobs(draw, job_id):
    wage_min = draw(st.integers(1500, 9000))
    start = TODAY - dt.timedelta(days=draw(st.integers(0, 60)))
    point = draw(points)
    required = draw(st.one_of(st.none(), st.sampled_from(CODES)))
    return JobProfile(
        job_id=job_id,
        occupation=occupation_levels(draw(st.sampled_from(CODES))),
        kind=draw(st.sampled_from(list(KIND_CODE.values()))),
        wage_min=wage_min,
        wage_max=wage_min + draw(st.integers(0, 4000)),
        edu_rank=draw(st.integers(0, 7)),
        age_min=draw(st.one_of(st.none(), st.integers(16, 30))),
        age_max=draw(st.one_of(st.none(), st.integers(35, 65))),
        lat=point[0] if point else None,
        lng=point[1] if point else None,
        valid_from=start,
        valid_to=start + dt.timedelta(days=draw(st.integers(-5, 120))),
        required_certificate=occupation_levels(required)[3],
        required_level=draw(levels) if required else None,
        text=draw(texts),
    )


@st.composite
def people(draw, person_id):
    point = draw(points)
    certs = draw(
        st.lists(
            st.tuples(st.sampled_from(CODES), levels), max_size=CERT_SLOTS, unique_by=lambda c: c
        )
    )
    certs = sorted(certs, key=lambda c: c[1] or 9)  # the index keeps the best levels first
    birth = TODAY - dt.timedelta(days=draw(st.integers(16 * 366, 70 * 365)))
    wishes = [
        occupation_levels(c)
        for c in draw(st.lists(st.sampled_from(WISHES), max_size=WISH_SLOTS, unique=True))
    ]
    # a second wished place, only beside a first
    second = draw(points) if point else None
    return PersonProfile(
        person_id=person_id,
        lat=point[0] if point else None,
        lng=point[1] if point else None,
        lat2=second[0] if second else None,
        lng2=second[1] if second else None,
        age=age_on(birth, TODAY),
        edu_rank=draw(st.integers(0, 7)),
        wishes=wishes,
        related=related_of(wishes),
        # several kinds of work, or any (0)
        wish_kinds=draw(st.integers(0, 2 ** len(KIND_CODE) - 1)),
        wish_min_wage=draw(st.one_of(st.none(), st.integers(1500, 9000))),
        # the open jobs' median wage, for those who state no expected wage
        market_wage=draw(st.sampled_from([None, MARKET])),
        # the commute they accept sets their distance scale (bounds included)
        wish_max_km=draw(st.one_of(st.none(), st.sampled_from([0.5, 3.0, 12.5, 60.0]))),
        groups=draw(st.integers(0, 2**11 - 1)),
        certificates=[(occupation_levels(c), lv, c) for c, lv in certs],
        text=draw(texts),
    ), birth


def job_index(profiles):
    index = JobIndex()
    index.vocab = VOCAB.copy()
    for j in profiles:
        index.put(
            j.job_id,
            {
                "pk": j.job_id,
                "occupation": j.occupation[:4],
                "kind": j.kind,
                "wage_min": j.wage_min,
                "wage_max": j.wage_max,
                "edu": j.edu_rank,
                "age_min": j.age_min or 0,
                "age_max": 999 if j.age_max is None else j.age_max,
                "lat": np.nan if j.lat is None else j.lat,
                "lng": np.nan if j.lng is None else j.lng,
                "valid_from": j.valid_from.toordinal(),
                "valid_to": j.valid_to.toordinal(),
                "required_certificate": j.required_certificate,
                "required_level": j.required_level or 0,
                **index.encode_text(j.text),
            },
        )
    return index


def seeker_index(profiles):
    index = SeekerIndex()
    index.vocab = VOCAB.copy()
    for p, birth in profiles:
        pad = WISH_SLOTS - len(p.wishes)
        cpad = CERT_SLOTS - len(p.certificates)
        index.put(
            p.person_id,
            {
                "pk": p.person_id,
                "lat": np.nan if p.lat is None else p.lat,
                "lng": np.nan if p.lng is None else p.lng,
                "birth_year": birth.year,
                "birth_md": birth.month * 100 + birth.day,
                "edu": p.edu_rank,
                "wishes": [w[:4] for w in p.wishes] + [(NO_CODE,) * 4] * pad,
                "wish_depth": [w[4] for w in p.wishes] + [0] * pad,
                "wish_kinds": p.wish_kinds,
                "wish_min_wage": -1 if p.wish_min_wage is None else p.wish_min_wage,
                "wish_max_km": np.nan if p.wish_max_km is None else p.wish_max_km,
                **SeekerIndex.second_place(p.lat2, p.lng2),
                "groups": p.groups,
                "cert_full": [c[0][3] for c in p.certificates] + [NO_CODE] * cpad,
                "cert_minor": [c[0][2] for c in p.certificates] + [NO_CODE] * cpad,
                "cert_level": [c[1] or 0 for c in p.certificates] + [0] * cpad,
                **index.encode_text(p.text),
            },
        )
    return index


def near_limit(match, limit):
    return (
        limit is not None
        and match is not None
        and match.distance_km is not None
        and abs(match.distance_km - limit) < 1e-6
    )


def assert_same(expected, got):
    assert abs(expected.score - got.score) < EPS
    for name, value in expected.components.items():
        assert abs(value - got.components[name]) < EPS, name
    assert expected.reasons == got.reasons


def cert_label(profile, pick):
    if pick < 0:
        return ""
    _, level, name = profile.certificates[pick]
    return f"{name}{LEVEL_LABEL.get(level, '')}"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data(), st.one_of(st.none(), st.floats(0.5, 40)))
def test_jobs_for_a_person_equal_the_rules(data, limit):
    person, _ = data.draw(people(1))
    profiles = [data.draw(jobs(i)) for i in range(1, data.draw(st.integers(1, 25)) + 1)]
    index = job_index(profiles)
    cols, alive = index.view()
    query = index.query(person.text)
    rows, parts = rank_jobs(person, cols, alive, TODAY, limit, k=len(profiles), query=query)
    got = {
        int(cols["pk"][r]): _match(
            parts,
            i,
            cert_label(person, int(parts["cert_pick"][i])),
            bool(cols["edu"][r] > 0),
            "person",
            shared_terms(person.text, index.text_of(r)),
            person.wish_min_wage is not None,
        )
        for i, r in enumerate(rows)
    }
    expected = {j.job_id: reference_match(person, j, TODAY, limit) for j in profiles}
    for job_id, match in expected.items():
        if near_limit(match, limit):
            continue
        assert (job_id in got) == (match is not None), job_id
        if match is not None:
            assert_same(match, got[job_id])
    if len(rows):  # best first
        assert list(parts["score"]) == sorted(parts["score"], reverse=True)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data(), st.one_of(st.none(), st.floats(0.5, 40)))
def test_candidates_for_a_job_equal_the_rules(data, limit):
    job = data.draw(jobs(1))
    profiles = [data.draw(people(i)) for i in range(1, data.draw(st.integers(1, 25)) + 1)]
    market = data.draw(st.sampled_from([None, MARKET]))
    profiles = [(dataclasses.replace(p, market_wage=market), b) for p, b in profiles]
    index = seeker_index(profiles)
    cols, alive = index.view()
    query = index.query(job.text)
    rows, parts = rank_seekers(
        job, cols, alive, TODAY, limit, k=len(profiles), query=query, market_wage=market
    )
    by_id = {p.person_id: p for p, _ in profiles}
    got = {}
    for i, r in enumerate(rows):
        pk = int(cols["pk"][r])
        label = cert_label(by_id[pk], int(parts["cert_pick"][i])) if parts["certificate"][i] else ""
        shared = shared_terms(index.text_of(r), job.text)
        said = by_id[pk].wish_min_wage is not None
        got[pk] = _match(parts, i, label, job.edu_rank > 0, "job", shared, said)
    for person, _ in profiles:
        match = reference_match(person, job, TODAY, limit, perspective="job")
        if near_limit(match, limit):
            continue
        assert (person.person_id in got) == (match is not None), person.person_id
        if match is not None:
            assert_same(match, got[person.person_id])


def same_ranking(a, b):
    (rows_a, parts_a), (rows_b, parts_b) = a, b
    assert list(rows_a) == list(rows_b)
    if len(rows_a):
        assert np.allclose(parts_a["score"], parts_b["score"], rtol=0, atol=EPS)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data(), st.integers(1, 5))
def test_pruned_job_ranking_is_exact(data, k):
    from apps.matching.ranking import rank_jobs_pruned

    person, _ = data.draw(people(1))
    profiles = [data.draw(jobs(i)) for i in range(1, data.draw(st.integers(1, 30)) + 1)]
    index = job_index(profiles)
    cols, alive = index.view()
    query, bound = index.query(person.text), index.text_bound(person.text)
    same_ranking(
        rank_jobs_pruned(person, cols, alive, TODAY, None, k, query, bound),
        rank_jobs(person, cols, alive, TODAY, None, k, query=query),
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data(), st.integers(1, 5))
def test_pruned_candidate_ranking_is_exact(data, k):
    from apps.matching.ranking import rank_seekers_pruned

    job = data.draw(jobs(1))
    profiles = [data.draw(people(i)) for i in range(1, data.draw(st.integers(1, 30)) + 1)]
    index = seeker_index(profiles)
    cols, alive = index.view()
    query, bound = index.query(job.text), index.text_bound(job.text)
    same_ranking(
        rank_seekers_pruned(job, cols, alive, TODAY, None, k, "", 0, query, bound, None, MARKET),
        rank_seekers(job, cols, alive, TODAY, None, k, query=query, market_wage=MARKET),
    )


def test_pruning_falls_back_when_someone_outside_the_trade_scores_higher():
    """A welder: the only welding job is 40 km away and pays too little; a cook's job next
    door pays well. Ranked in full, the cook's job comes first, and pruning must agree."""
    from apps.matching.ranking import rank_jobs_pruned, rank_seekers_pruned

    welder = PersonProfile(
        person_id=1,
        lat=33.26,
        lng=115.37,
        age=40,
        edu_rank=3,
        wishes=[occupation_levels("6-18-02-04")],
        wish_kinds=0,
        wish_min_wage=5000,
        wish_max_km=None,
        groups=0,
    )
    far_welding = JobProfile(
        job_id=1,
        occupation=occupation_levels("6-18-02-04"),
        kind=0,
        wage_min=3000,
        wage_max=3500,
        edu_rank=0,
        age_min=None,
        age_max=None,
        lat=33.62,
        lng=115.37,
        valid_from=TODAY,
        valid_to=TODAY + dt.timedelta(days=9),
        required_certificate=NO_CODE,
        required_level=None,
    )
    near_cook = JobProfile(
        job_id=2,
        occupation=occupation_levels("4-03-02-01"),
        kind=0,
        wage_min=6000,
        wage_max=7000,
        edu_rank=0,
        age_min=None,
        age_max=None,
        lat=33.261,
        lng=115.37,
        valid_from=TODAY,
        valid_to=TODAY + dt.timedelta(days=9),
        required_certificate=NO_CODE,
        required_level=None,
    )
    cols, alive = job_index([far_welding, near_cook]).view()
    full = rank_jobs(welder, cols, alive, TODAY, None, 1)
    assert int(cols["pk"][full[0][0]]) == 2
    same_ranking(rank_jobs_pruned(welder, cols, alive, TODAY, None, 1), full)

    # And the other way: for the cook's job, a nearby cook-wisher is close; a welder next
    # door who expects little can still outscore a distant cook.
    birth = TODAY - dt.timedelta(days=40 * 366)
    cook_far = PersonProfile(
        person_id=3,
        lat=33.62,
        lng=115.37,
        age=40,
        edu_rank=3,
        wishes=[occupation_levels("4-03-02-01")],
        wish_kinds=0,
        wish_min_wage=9000,
        wish_max_km=None,
        groups=0,
    )
    welder_near = PersonProfile(
        person_id=4,
        lat=33.2605,
        lng=115.37,
        age=40,
        edu_rank=3,
        wishes=[occupation_levels("6-18-02-04")],
        wish_kinds=0,
        wish_min_wage=2000,
        wish_max_km=None,
        groups=0,
    )
    cols, alive = seeker_index([(cook_far, birth), (welder_near, birth)]).view()
    full = rank_seekers(near_cook, cols, alive, TODAY, None, 1)
    assert int(cols["pk"][full[0][0]]) == 4
    same_ranking(rank_seekers_pruned(near_cook, cols, alive, TODAY, None, 1), full)


def test_pruning_counts_the_text_of_jobs_outside_the_trade():
    """A welder who can cook: the welding job next door pays too little; a cook's job next
    door pays well, asks for the cook's certificate the welder holds and reads like their
    skills. Only the text lifts it above the welding job, so the bound must include it."""
    from apps.matching.ranking import rank_jobs_pruned

    welder = PersonProfile(
        person_id=1,
        lat=33.26,
        lng=115.37,
        age=40,
        edu_rank=3,
        wishes=[occupation_levels("6-18-02-04")],
        wish_kinds=0,
        wish_min_wage=5000,
        wish_max_km=None,
        groups=0,
        certificates=[(occupation_levels("4-03-02-01"), 4, "中式烹调师")],
        text=VOCAB.vector("烹饪"),
    )
    common = dict(
        kind=0,
        edu_rank=0,
        age_min=None,
        age_max=None,
        lat=33.26,
        lng=115.37,
        valid_from=TODAY,
        valid_to=TODAY + dt.timedelta(days=30),
        required_certificate=NO_CODE,
        required_level=None,
    )
    welding = JobProfile(
        job_id=1,
        occupation=occupation_levels("6-18-02-04"),
        wage_min=3000,
        wage_max=4000,
        **common,
    )
    cooking = JobProfile(
        job_id=2,
        occupation=occupation_levels("4-03-02-01"),
        wage_min=6000,
        wage_max=7000,
        text=VOCAB.vector("烹饪"),
        **common,
    )
    expected = [reference_match(welder, j, TODAY) for j in (welding, cooking)]
    assert expected[1].score > expected[0].score  # the cook's job wins, by its text alone
    assert expected[1].score - 0.1 * expected[1].components["text"] < expected[0].score
    index = job_index([welding, cooking])
    cols, alive = index.view()
    rows, _ = rank_jobs_pruned(
        welder,
        cols,
        alive,
        TODAY,
        None,
        1,
        index.query(welder.text),
        index.text_bound(welder.text),
    )
    assert cols["pk"][rows].tolist() == [2]


@pytest.mark.parametrize("second", [False, True])
def test_pruning_looks_around_the_point_when_the_trade_alone_does_not_settle_it(second):
    """A welder who also holds a bricklayer's certificate: the only welding job is 30 km
    away and pays little; a bricklaying job (same 大类, another 中类) lies at 90% of the
    distance D beyond which nobody outside the trade could beat the welding job. Stage one
    cannot settle it; the box around home that holds the D-km circle must hold the
    bricklaying job, which wins."""
    import math

    from apps.matching.ranking import outside_bound, rank_jobs_pruned
    from apps.regions.geo import offset_km

    home = (33.26, 115.37)
    welder = PersonProfile(
        person_id=1,
        lat=home[0],
        lng=home[1],
        age=40,
        edu_rank=3,
        wishes=[occupation_levels("6-18-02-04")],
        wish_kinds=0,
        wish_min_wage=5000,
        wish_max_km=None,
        groups=0,
        certificates=[(occupation_levels("6-29-01-01"), 4, "砌筑工")],
    )
    common = dict(
        kind=0,
        edu_rank=0,
        age_min=None,
        age_max=None,
        valid_from=TODAY,
        valid_to=TODAY + dt.timedelta(days=30),
        required_certificate=NO_CODE,
        required_level=None,
    )
    far = offset_km(*home, 30, 0)
    welding = JobProfile(
        job_id=1,
        occupation=occupation_levels("6-18-02-04"),
        wage_min=3800,
        wage_max=4200,
        lat=far[0],
        lng=far[1],
        **common,
    )
    if second:  # home is their second place; the first lies 100 km west
        west = offset_km(*home, 0, -100)
        welder = dataclasses.replace(welder, lat=west[0], lng=west[1], lat2=home[0], lng2=home[1])
    w = outside_bound(text_max=0.0)
    kth = reference_match(welder, welding, TODAY).score
    assert w - 0.2 < kth < w  # stage one cannot settle it; the box can
    reach = -5.0 * math.log((kth - (w - 0.2)) / 0.2)  # km; the default distance weight, scale
    near = offset_km(*home, 0.9 * reach, 0)
    bricklaying = JobProfile(
        job_id=2,
        occupation=occupation_levels("6-29-01-01"),
        wage_min=6000,
        wage_max=7000,
        lat=near[0],
        lng=near[1],
        **common,
    )
    others = [  # outside the trade and far: never in the box
        JobProfile(
            job_id=10 + i,
            occupation=occupation_levels("4-03-02-01"),
            wage_min=6000,
            wage_max=7000,
            lat=offset_km(*home, 5 + i, 3)[0],
            lng=offset_km(*home, 5 + i, 3)[1],
            **common,
        )
        for i in range(5)
    ]
    winner = reference_match(welder, bricklaying, TODAY).score
    assert winner > kth
    index = job_index([welding, bricklaying, *others])
    cols, alive = index.view()
    rows, parts = rank_jobs_pruned(welder, cols, alive, TODAY, None, 1, None, 0.0)
    assert cols["pk"][rows].tolist() == [2]


def test_the_kept_mask_of_who_wishes_a_trade_follows_every_change():
    from apps.matching.ranking import wishing_mask

    birth = TODAY.replace(year=TODAY.year - 30)
    welder = PersonProfile(
        person_id=1,
        lat=None,
        lng=None,
        age=30,
        edu_rank=3,
        wishes=[occupation_levels("6-18-02-04")],
        wish_kinds=0,
        wish_min_wage=None,
        wish_max_km=None,
        groups=0,
    )
    cook = PersonProfile(
        person_id=2,
        lat=None,
        lng=None,
        age=30,
        edu_rank=3,
        wishes=[occupation_levels("4-03-02-01")],
        wish_kinds=0,
        wish_min_wage=None,
        wish_max_km=None,
        groups=0,
    )
    index = seeker_index([(welder, birth), (cook, birth)])
    welding = occupation_levels("6-18-02-04")
    assert index.wishing(welding).tolist() == [True, False]
    cook.wishes = [occupation_levels("6-18")]  # now wishes the whole 中类 of welding
    again = seeker_index([(cook, birth)])
    index.put(2, {**{k: again.cols[k][0] for k in again.cols}, "pk": 2})
    assert index.wishing(welding).tolist() == [True, True]
    index.drop(1)
    cols, alive = index.view()
    assert np.array_equal(index.wishing(welding), wishing_mask(cols, welding))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data(), st.integers(1, 8), st.one_of(st.none(), st.floats(0.5, 5)), st.booleans())
def test_the_k_best_are_those_of_ranking_every_job(data, k, limit, close):
    """The compiled ranking leaves a job as soon as a bound shows it cannot reach the k
    best so far; what it keeps must be exactly the first k of ranking every job (ties
    by id: some jobs are copies of others), in the rules' order of scores, also over
    some rows only (the push). ``close``: the jobs crowd around the
    person in the trades they wish, so that the bounds are tight and the text decides."""
    person, _ = data.draw(people(1))
    profiles = [data.draw(jobs(i)) for i in range(1, data.draw(st.integers(1, 60)) + 1)]
    if close:
        person = dataclasses.replace(person, lat=33.2, lng=115.3)
        offsets = st.tuples(st.floats(-0.02, 0.02), st.floats(-0.02, 0.02))
        trades = st.sampled_from([*person.wishes, *(occupation_levels(c) for c in CODES[:2])])
        profiles = [
            dataclasses.replace(
                j,
                lat=33.2 + (o := data.draw(offsets))[0],
                lng=115.3 + o[1],
                occupation=(*data.draw(trades)[:4], 4),
            )
            for j in profiles
        ]
    copies = data.draw(st.lists(st.sampled_from(profiles), max_size=8))
    profiles += [dataclasses.replace(j, job_id=len(profiles) + 1 + i) for i, j in enumerate(copies)]
    index = job_index(profiles)
    cols, alive = index.view()
    query = index.query(person.text)
    every_row, every = rank_jobs(person, cols, alive, TODAY, limit, len(profiles), query=query)
    rows, parts = rank_jobs(person, cols, alive, TODAY, limit, k, query=query)
    assert rows.tolist() == every_row[:k].tolist()
    if not len(rows):
        return
    for name, values in parts.items():
        assert np.array_equal(values, every[name][:k], equal_nan=True), name
    matches = [reference_match(person, j, TODAY, limit) for j in profiles]
    if not any(near_limit(m, limit) for m in matches):
        expected = sorted((m.score for m in matches if m), reverse=True)
        assert np.allclose(parts["score"], expected[:k], rtol=0, atol=EPS)
    # some rows only (the push's slices)
    some = np.arange(0, len(profiles), 2)
    slice_rows, slice_parts = rank_jobs(
        person, cols, alive, TODAY, limit, k, query=query, rows=some
    )
    within = [r for r in every_row.tolist() if r in set(some.tolist())][:k]
    assert slice_rows.tolist() == within
    assert slice_parts["score"].tolist() == [
        every["score"][every_row.tolist().index(r)] for r in within
    ]


def test_pruning_keeps_the_neighbours_of_a_wish():
    """A 6-18-01-01 wisher whose neighbour (相近职业) is 4-03-02-05 (fit 0.6, another 大类):
    the neighbour's job next door pays well and asks for a certificate they hold, so it
    beats the job of their very wish, which pays only half what they want. The pruned
    ranking scores the wished 中类 first; it must count the neighbours as close too, in
    both directions."""
    from apps.matching.ranking import rank_jobs_pruned, rank_seekers_pruned

    here = dict(lat=33.26, lng=115.37, age=40, edu_rank=3, wish_max_km=None, groups=0)
    person = PersonProfile(
        person_id=1,
        wishes=[occupation_levels("6-18-01-01")],
        related=related_of([occupation_levels("6-18-01-01")]),
        wish_kinds=0,
        wish_min_wage=5000,
        certificates=[(occupation_levels("4-03-02-05"), 4, "面点师")],
        **here,
    )
    common = dict(
        kind=0,
        edu_rank=0,
        age_min=None,
        age_max=None,
        lat=33.26,
        lng=115.37,
        valid_from=TODAY,
        valid_to=TODAY + dt.timedelta(days=30),
        required_certificate=NO_CODE,
        required_level=None,
    )
    wished = JobProfile(
        job_id=1, occupation=occupation_levels("6-18-01-01"), wage_min=4000, wage_max=6000, **common
    )
    neighbour = JobProfile(
        job_id=2, occupation=occupation_levels("4-03-02-05"), wage_min=6000, wage_max=7000, **common
    )
    cols, alive = job_index([wished, neighbour]).view()
    full = rank_jobs(person, cols, alive, TODAY, None, 1)
    assert int(cols["pk"][full[0][0]]) == 2 and full[1]["occupation"][0] == 0.6
    same_ranking(rank_jobs_pruned(person, cols, alive, TODAY, None, 1), full)

    birth = TODAY - dt.timedelta(days=40 * 366)
    exact = PersonProfile(
        person_id=2,
        wishes=[occupation_levels("4-03-02-05")],
        related=related_of([occupation_levels("4-03-02-05")]),
        wish_kinds=0,
        wish_min_wage=6500,
        **here,
    )
    cols, alive = seeker_index([(person, birth), (exact, birth)]).view()
    full = rank_seekers(neighbour, cols, alive, TODAY, None, 1)
    assert int(cols["pk"][full[0][0]]) == 1
    same_ranking(rank_seekers_pruned(neighbour, cols, alive, TODAY, None, 1), full)
    match = reference_match(person, neighbour, TODAY)
    assert match.reasons[0] == "职业相近(工作任务相近)"


def test_more_pay_is_better_not_only_enough():
    """Against an expected minimum of 4,000: a range whose midpoint meets it fits 0.5 and
    says so; 25% above, fully; 25% below, not at all; the compiled loop agrees."""
    from apps.matching import kernels, rules

    assert (kernels.WAGE_BAND, kernels.WAGE_TOP_CAP) == (rules.WAGE_BAND, rules.WAGE_TOP_CAP)
    cases = [((3500, 4500), 0.5), ((4500, 5500), 1.0), ((2500, 3500), 0.0), ((4000, 5000), 0.75)]
    # a ceiling it will not pay does not lift a posting: 1,000–1,000,000 counts as 1,250
    cases += [((1000, 1_000_000), 0.0), ((3200, 9000), 0.5)]
    for (low, high), fit in cases:
        assert rules.wage_fit(low, high, 4000) == fit
        assert kernels._wage_fit(low, high, 4000.0) == fit
    assert rules.wage_fit(3000, 3500, None) == 0.0 and rules.wage_fit(3000, 3500, 0) == 1.0
    base = {"occupation": 0, "certificate": 0, "distance": 0, "recency": 0, "text": 0}
    said = {w: rules.reasons({**base, "wage": w}, 0, "", None, 30, False) for w in (1, 0.6, 0.4)}
    assert said == {1: ["薪资高于期望"], 0.6: ["薪资符合期望"], 0.4: []}
    # an employer looking at candidates learns only that the pay suits them
    for_job = rules.reasons({**base, "wage": 1}, 0, "", None, 30, False, "job")
    assert for_job == ["薪资符合期望"]
    unsaid = rules.reasons({**base, "wage": 1}, 0, "", None, 30, False, "job", (), False)
    assert unsaid == []


def test_a_second_place_counts_from_the_nearer_and_pruning_looks_around_both():
    """A person wishing to work in town (A) or in a township 25 km off (B): a job next to
    B is 0.3 km away for them, not 25; it beats the job of the same trade 6 km from A,
    and the pruned rankings (both ways) find it around B."""
    from apps.matching.ranking import rank_jobs_pruned, rank_seekers_pruned
    from apps.regions.geo import offset_km

    town, township = (33.26, 115.37), offset_km(33.26, 115.37, 25, 0)
    person = PersonProfile(
        person_id=1,
        lat=town[0],
        lng=town[1],
        lat2=township[0],
        lng2=township[1],
        age=40,
        edu_rank=3,
        wishes=[occupation_levels("6-18-02-04")],
        wish_kinds=0,
        wish_min_wage=None,
        wish_max_km=None,
        groups=0,
    )
    common = dict(
        occupation=occupation_levels("6-18-02-04"),
        kind=0,
        wage_min=4000,
        wage_max=5000,
        edu_rank=0,
        age_min=None,
        age_max=None,
        valid_from=TODAY,
        valid_to=TODAY + dt.timedelta(days=30),
        required_certificate=NO_CODE,
        required_level=None,
    )
    by_b = offset_km(*township, 0.3, 0)
    near_b = JobProfile(job_id=1, lat=by_b[0], lng=by_b[1], **common)
    off_a = offset_km(*town, 6, 0)
    from_a = JobProfile(job_id=2, lat=off_a[0], lng=off_a[1], **common)
    match = reference_match(person, near_b, TODAY)
    assert abs(match.distance_km - 0.3) < 0.01
    cols, alive = job_index([near_b, from_a]).view()
    full = rank_jobs(person, cols, alive, TODAY, None, 1)
    assert int(cols["pk"][full[0][0]]) == 1 and abs(full[1]["distance_km"][0] - 0.3) < 0.01
    same_ranking(rank_jobs_pruned(person, cols, alive, TODAY, None, 1), full)
    within = rank_jobs(person, cols, alive, TODAY, 1.0, 2)  # a 1-km limit keeps B's job
    assert cols["pk"][within[0]].tolist() == [1]

    # the job by B, from the job's side: this person (0.3 km by their second place) comes
    # before a cook-wisher living 4 km off, and the pruned search finds them around B
    birth = TODAY - dt.timedelta(days=40 * 366)
    by = offset_km(*township, 4, 0)
    other = dataclasses.replace(
        person,
        person_id=2,
        lat=by[0],
        lng=by[1],
        lat2=None,
        lng2=None,
        wishes=[occupation_levels("4-03-02-01")],
    )
    cols, alive = seeker_index([(person, birth), (other, birth)]).view()
    full = rank_seekers(near_b, cols, alive, TODAY, None, 1)
    assert int(cols["pk"][full[0][0]]) == 1 and abs(full[1]["distance_km"][0] - 0.3) < 0.01
    same_ranking(rank_seekers_pruned(near_b, cols, alive, TODAY, None, 1), full)


def test_pruned_candidates_count_a_seekers_second_place():
    """Found by the property above: a seeker whose second wished place is the job's own
    (the first 23 km off) scored from the first place alone when the close seekers were
    ranked on their own (a sliced column set did not say it had second places)."""
    from apps.matching.ranking import rank_seekers_pruned

    job = JobProfile(
        job_id=1,
        occupation=occupation_levels("6-18-02-04"),
        kind=0,
        wage_min=4000,
        wage_max=5000,
        edu_rank=0,
        age_min=None,
        age_max=None,
        lat=33.0,
        lng=115.5,
        valid_from=TODAY,
        valid_to=TODAY + dt.timedelta(days=9),
        required_certificate=NO_CODE,
        required_level=None,
    )
    seeker = PersonProfile(
        person_id=1,
        lat=33.0,
        lng=115.25,
        age=30,
        edu_rank=0,
        wishes=[occupation_levels("6-18-02-04")],
        wish_kinds=0,
        wish_min_wage=None,
        wish_max_km=None,
        groups=0,
        lat2=33.0,
        lng2=115.5,
    )
    cols, alive = seeker_index([(seeker, TODAY - dt.timedelta(days=30 * 366))]).view()
    full = rank_seekers(job, cols, alive, TODAY, None, 1, market_wage=MARKET)
    assert full[1]["distance_km"][0] == pytest.approx(0, abs=1e-6)
    same_ranking(
        rank_seekers_pruned(job, cols, alive, TODAY, None, 1, "", 0, None, 1.0, None, MARKET),
        full,
    )
