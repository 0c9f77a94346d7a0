"""Communities' circles and the full-employment assessment, held equal to a brute-force
count (every person against every station, every community against every job) on small
random cities, with residents and jobs placed right at the circles' edges."""

from __future__ import annotations

import datetime as dt
import io
import random
from collections import defaultdict

import pytest
from django.test import override_settings

from apps.jobs.models import Job, JobStatus
from apps.matching.circles import (
    CircleError,
    circle_report,
    minor_code,
    report_workbook,
    residents_outside_service,
)
from apps.matching.index import SEEKING_STATUSES
from apps.people.models import Household, KeyGroup, KeyGroupTag, LabourStatus, Person
from apps.people.tests.factories import EmployerFactory, JobFactory, PersonFactory
from apps.regions.geo import h3_cell, haversine_km, offset_km
from apps.regions.models import Region, RegionLevel, ServiceStation

pytestmark = pytest.mark.usefixtures("fresh_matching_index")

TODAY = dt.date.today()
PREFIX = "341282"
OCCUPATIONS = ["6-18-02-04", "6-18-01-01", "4-03-02-01", "4-03-02-05", "4-07-05-01", "6-29-01-04"]
STATUSES = [s for s, _ in LabourStatus.choices]


def random_city(seed: int) -> None:
    rng = random.Random(seed)
    communities = list(Region.objects.filter(level=RegionLevel.COMMUNITY, code__startswith=PREFIX))
    stations = []
    for i, c in enumerate(rng.sample(communities, 2)):
        lat, lng = offset_km(c.lat, c.lng, rng.uniform(-1, 1), rng.uniform(-1, 1))
        stations.append(
            ServiceStation.objects.create(
                code=f"T{seed}-{i}",
                name=f"站{i}",
                kind="community",
                region=c,
                lat=lat,
                lng=lng,
                h3=h3_cell(lat, lng),
            )
        )
    households = [
        Household.objects.create(number=f"H{seed}-{i}", community=rng.choice(communities))
        for i in range(90)
    ]
    for n in range(220):
        household = rng.choice(households + [None])
        community = household.community if household else rng.choice(communities)
        if n % 25 == 0:
            lat = lng = None
        elif n % 9 == 0:  # right at a station's circle edge, either side
            s = rng.choice(stations)
            lat, lng = offset_km(s.lat, s.lng, 1.2 + rng.choice([-1, 1]) * 0.002, 0)
        else:
            lat, lng = offset_km(
                community.lat, community.lng, rng.uniform(-3.5, 3.5), rng.uniform(-3.5, 3.5)
            )
        person = PersonFactory(
            community=community,
            household=household,
            lat=lat,
            lng=lng,
            # a few have coordinates but no cell (an older import): measured one by one
            h3="" if n % 13 == 0 else h3_cell(lat, lng),
            labour_status=rng.choice(STATUSES),
        )
        person.wish_occupations.set(rng.sample(OCCUPATIONS, rng.randint(0, 3)))
        if rng.random() < 0.2:
            KeyGroupTag.objects.create(
                person=person,
                group=KeyGroup.HARD_TO_EMPLOY,
                start=dt.date(2025, 1, 1),
                end=None if rng.random() < 0.8 else dt.date(2025, 6, 1),
            )
    employer = EmployerFactory()
    for n in range(90):
        c = rng.choice(communities)
        if n % 10 == 0:  # right at the 3-km edge of a community, either side
            lat, lng = offset_km(c.lat, c.lng, 0, 3.0 + rng.choice([-1, 1]) * 0.003)
        else:
            lat, lng = offset_km(c.lat, c.lng, rng.uniform(-6, 6), rng.uniform(-6, 6))
        JobFactory(
            employer=employer,
            occupation_id=rng.choice(OCCUPATIONS),
            headcount=rng.randint(1, 6),
            lat=None if n % 17 == 0 else lat,
            lng=None if n % 17 == 0 else lng,
            status=rng.choice([JobStatus.OPEN] * 4 + [JobStatus.FILLED]),
            valid_from=TODAY - dt.timedelta(days=rng.choice([1, 30])),
            valid_to=TODAY + dt.timedelta(days=rng.choice([-1, 30])),
        )


def brute_force(radius: float, walk: float) -> dict[str, dict]:
    stations = list(ServiceStation.objects.all())
    jobs = [
        j
        for j in Job.objects.filter(status=JobStatus.OPEN)
        if j.valid_from <= TODAY <= j.valid_to and j.lat is not None and j.lng is not None
    ]
    out = {}
    for c in Region.objects.filter(level=RegionLevel.COMMUNITY, code__startswith=PREFIX):
        people = list(Person.objects.filter(community=c).prefetch_related("wish_occupations"))
        located = [p for p in people if p.lat is not None and p.lng is not None]
        outside = [
            p
            for p in located
            if all(haversine_km(p.lat, p.lng, s.lat, s.lng) > walk for s in stations)
        ]
        seekers = [
            p for p in people if p.labour_status in SEEKING_STATUSES or p.wish_occupations.all()
        ]
        near = [j for j in jobs if haversine_km(c.lat, c.lng, j.lat, j.lng) <= radius]
        demand, supply = defaultdict(int), defaultdict(int)
        for j in near:
            demand[j.occupation_id[:4]] += j.headcount
        for p in seekers:
            for minor in {o.code[:4] for o in p.wish_occupations.all()}:
                supply[minor] += 1
        gaps = [(m, demand[m] - supply[m]) for m in sorted(set(demand) | set(supply))]
        labour = [p for p in people if p.labour_status in ("employed", "flexible", "unemployed")]
        hard = [
            p
            for p in labour
            if p.tags.filter(group=KeyGroup.HARD_TO_EMPLOY, end__isnull=True).exists()
        ]
        zero = 0
        for h in Household.objects.filter(community=c):
            statuses = [m.labour_status for m in h.members.all()]
            if "unemployed" in statuses and not {"employed", "flexible"} & set(statuses):
                zero += 1
        out[c.code] = dict(
            residents=len(people),
            no_coordinates=len(people) - len(located),
            outside_service=len(outside),
            outside_ids=sorted(p.pk for p in outside),
            seekers=len(seekers),
            jobs=len(near),
            openings=sum(j.headcount for j in near),
            shortage=[m for m, g in sorted(gaps, key=lambda x: (-x[1], x[0])) if g > 0][:5],
            surplus=[m for m, g in sorted(gaps, key=lambda x: (x[1], x[0])) if g < 0][:5],
            labour_force=len(labour),
            unemployed=sum(p.labour_status == "unemployed" for p in labour),
            hard_to_employ=len(hard),
            hard_to_employ_placed=sum(p.labour_status in ("employed", "flexible") for p in hard),
            zero_families=zero,
        )
    return out


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_circles_equal_a_brute_force_count(db, seed):
    random_city(seed)
    report = circle_report(PREFIX)
    expected = brute_force(report.radius_km, report.walk_km)
    assert {c.code for c in report.communities} == set(expected)
    for c in report.communities:
        e = expected[c.code]
        got = {k: getattr(c, k) for k in e if k not in ("shortage", "surplus", "outside_ids")}
        got["shortage"] = [g.code for g in c.shortage]
        got["surplus"] = [g.code for g in c.surplus]
        assert got == {k: v for k, v in e.items() if k != "outside_ids"}, c.code
        listed = residents_outside_service(PREFIX, c.code)
        assert sorted(p.pk for p, km in listed if km is not None) == e["outside_ids"]
        assert sum(1 for _, km in listed if km is None) == e["no_coordinates"]
    # the random city must exercise what it claims to
    assert sum(c.outside_service for c in report.communities) > 0
    assert sum(c.zero_families for c in report.communities) > 0
    assert any(c.shortage for c in report.communities) and any(
        c.surplus for c in report.communities
    )


def test_other_radii_equal_the_brute_force_too(db):
    random_city(7)
    report = circle_report(PREFIX, radius_km=1.5, walk_km=2.5)
    expected = brute_force(1.5, 2.5)
    for c in report.communities:
        assert (c.jobs, c.openings, c.outside_service) == (
            expected[c.code]["jobs"],
            expected[c.code]["openings"],
            expected[c.code]["outside_service"],
        )


def test_a_job_filled_or_a_station_opened_shows_at_once(db, community_a1):
    report = circle_report(community_a1.code)
    assert report.communities[0].jobs == 0
    job = JobFactory(
        lat=community_a1.lat,
        lng=community_a1.lng,
        headcount=4,
        valid_from=TODAY,
        valid_to=TODAY + dt.timedelta(days=10),
    )
    resident = PersonFactory(
        community=community_a1,
        lat=community_a1.lat,
        lng=community_a1.lng,
        h3=h3_cell(community_a1.lat, community_a1.lng),
    )
    c = circle_report(community_a1.code).communities[0]
    assert (c.jobs, c.openings, c.outside_service) == (1, 4, 1)
    job.status = JobStatus.FILLED
    job.save()
    ServiceStation.objects.create(
        code="S-new",
        name="新站",
        kind="community",
        region=community_a1,
        lat=resident.lat,
        lng=resident.lng,
        h3=resident.h3,
    )
    c = circle_report(community_a1.code).communities[0]
    assert (c.jobs, c.openings, c.outside_service) == (0, 0, 0)


def test_a_zero_employment_family_fails_the_assessment_until_a_member_works(db, community_a1):
    home = Household.objects.create(number="Z1", community=community_a1)
    a = PersonFactory(community=community_a1, household=home, labour_status="unemployed")
    PersonFactory(community=community_a1, household=home, labour_status="retired")
    for _ in range(40):  # enough employed neighbours for a low unemployment rate
        PersonFactory(community=community_a1, labour_status="employed")
    c = circle_report(community_a1.code).communities[0]
    assert c.zero_families == 1 and not c.meets and c.unmet == ["零就业家庭"]
    a.labour_status = "employed"
    a.save()
    c = circle_report(community_a1.code).communities[0]
    assert c.zero_families == 0 and c.meets


def test_criteria_are_settings_and_the_share_is_held_against_the_targets(db, community_a1):
    for _ in range(3):
        PersonFactory(community=community_a1, labour_status="unemployed")
    PersonFactory(community=community_a1, labour_status="employed")
    report = circle_report(PREFIX)
    a1 = next(c for c in report.communities if c.code == community_a1.code)
    assert a1.unemployment_rate == 0.75 and "登记失业率" in a1.unmet
    # the other three communities have nobody: nothing fails there
    assert report.meeting == 3 and report.share_meeting == 0.75
    assert [(t.year, t.share, t.met) for t in report.targets] == [
        (2022, 0.40, True),
        (2025, 0.70, True),
    ]
    rules = {
        "max_unemployment_rate": 0.8,
        "max_zero_employment_families": None,
        "min_hard_to_employ_placed": None,
        "min_openings_per_seeker": 1.0,
    }
    with override_settings(FULL_EMPLOYMENT=rules, FULL_EMPLOYMENT_TARGETS={2030: 0.9}):
        report = circle_report(PREFIX)
        a1 = next(c for c in report.communities if c.code == community_a1.code)
        assert [c.key for c in a1.criteria] == ["unemployment_rate", "openings_per_seeker"]
        assert a1.unmet == ["三公里内岗位/求职人数"]  # 4 seekers, no jobs
        assert [(t.year, t.met) for t in report.targets] == [(2030, False)]


def test_bad_radii_are_refused_with_a_reason(db):
    for bad in (0, -1, 10_000, "abc"):
        with pytest.raises(CircleError, match="半径"):
            circle_report(PREFIX, radius_km=bad)
    with pytest.raises(CircleError, match="服务圈半径"):
        circle_report(PREFIX, walk_km=0)


def test_the_workbook_holds_the_table(db):
    random_city(4)
    report = circle_report(PREFIX)
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(report_workbook(report)))
    rows = list(book["社区就业圈"].iter_rows(values_only=True))
    assert rows[0][:3] == ("社区代码", "社区(村)", "街道(乡镇)")
    assert [r[0] for r in rows[1:]] == [c.code for c in report.communities]
    for row, c in zip(rows[1:], report.communities, strict=True):
        assert row[3:9] == (
            c.residents,
            c.no_coordinates,
            c.outside_service,
            c.seekers,
            c.jobs,
            c.openings,
        )
        assert row[17] == ("达标" if c.meets else "未达标")
    targets = list(book["充分就业社区达标"].iter_rows(values_only=True))
    assert [r[0] for r in targets[1:]] == [2022, 2025]


def test_minor_codes_round_trip():
    assert minor_code(618) == "6-18" and minor_code(403) == "4-03"
