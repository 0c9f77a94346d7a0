"""Each indicator equals a hand count on a small registry built through the registration
services, for the county, each street and each community; people of another county are
never counted; the list behind a figure holds exactly the events the figure counts."""

import datetime as dt

import pytest

from apps.indicators.definitions import INDICATORS
from apps.indicators.selectors import events_in, figures, month_ends, rollup, series
from apps.people.models import KeyGroupTag, StatusChange
from apps.people.registration import end_registration, register
from apps.people.tests.factories import EmployerFactory, PersonFactory
from apps.policies.models import CommunityCertification

pytestmark = pytest.mark.django_db

A1, A2, B1 = "341282001001", "341282001002", "341282002001"
OTHER = "341226"  # 颍上县: another county of the same city
Y = 2026
START, END = dt.date(Y, 1, 1), dt.date(Y, 6, 30)


def d(month: int, day: int = 1, year: int = Y) -> dt.date:
    return dt.date(year, month, day)


@pytest.fixture
def registry(staff):
    """Who did what, dated (every figure below is counted by hand from this list):

    - ann (A1): unemployed from 2025-11-01, found work 2026-03-10 → new job, re-employed
    - bob (A1): employed since 2025-05-01, flexible work from 2026-02-01 → not a new job
    - cai (A2, hard to employ from 2026-01-01): unemployed 2026-01-05, work 2026-04-01
    - dai (B1): unemployed 2026-02-01, still unemployed on 06-30
    - eve (B1, graduate of 2026): flexible work 2026-05-20
    - fan (A1): work 2026-02-01, job ended 2026-03-31, unemployed 2026-04-01 (still)
    - gus (A1): retired 2026-05-05 → natural attrition
    - hal (A2): work 2026-07-02 → after the period
    - out (other county): unemployed 2026-01-10, work 2026-02-10 → never counted
    """
    county = staff("county_staff", "341282")
    other = staff("county_staff", OTHER)
    firm = EmployerFactory(region_id=A1)

    def person(community, born=1990):
        return PersonFactory(
            community_id=community,
            labour_status="inactive",
            birth_date=dt.date(born, 3, 3),
            gender="M",
        )

    p = {}
    p["ann"] = person(A1)
    register(
        user=county, person=p["ann"], kind="unemployment", basis="residence", day=d(11, 1, 2025)
    )
    register(user=county, person=p["ann"], kind="employment", employer=firm, day=d(3, 10))
    p["bob"] = person(A1)
    register(user=county, person=p["bob"], kind="employment", employer=firm, day=d(5, 1, 2025))
    register(user=county, person=p["bob"], kind="flexible", day=d(2, 1))
    p["cai"] = person(A2)
    KeyGroupTag.objects.create(person=p["cai"], group="hard_to_employ", start=d(1, 1))
    register(user=county, person=p["cai"], kind="unemployment", basis="residence", day=d(1, 5))
    register(user=county, person=p["cai"], kind="employment", employer=firm, day=d(4, 1))
    p["dai"] = person(B1)
    register(user=county, person=p["dai"], kind="unemployment", basis="residence", day=d(2, 1))
    p["eve"] = person(B1, born=2003)
    p["eve"].graduation_year = Y
    p["eve"].save()
    KeyGroupTag.objects.create(person=p["eve"], group="graduate", start=d(1, 1))
    register(user=county, person=p["eve"], kind="flexible", day=d(5, 20))
    p["fan"] = person(A1)
    job = register(user=county, person=p["fan"], kind="employment", employer=firm, day=d(2, 1))
    end_registration(user=county, registration=job, reason="合同到期", day=d(3, 31))
    register(user=county, person=p["fan"], kind="unemployment", basis="residence", day=d(4, 1))
    p["gus"] = person(A1, born=1960)
    StatusChange.objects.create(person=p["gus"], status="retired", since=d(5, 5))
    p["hal"] = person(A2)
    from apps.regions.models import Region

    street = Region.objects.filter(parent_id=OTHER).order_by("code").first()
    p["out"] = person(street.code)  # a street: the test city has no community there
    register(user=other, person=p["out"], kind="unemployment", basis="residence", day=d(1, 10))
    register(user=other, person=p["out"], kind="employment", employer=firm, day=d(2, 10))
    return p


def test_every_indicator_equals_the_hand_count(registry):
    # register() refuses a day after today; hal's July job is written as stored data.
    from apps.people.models import Registration

    Registration.objects.create(
        person=registry["hal"],
        kind="employment",
        registered_on=d(7, 2),
        office_id=A2,
        channel="counter",
    )
    regions = ["341282", "341282001", "341282002", A1, A2, B1]
    got = figures(list(INDICATORS), START, END, regions)
    # new jobs: ann (03-10), cai (04-01), eve (05-20), fan (02-01); not bob's change of
    # job, not hal's July job, not the other county's.
    assert got["new_employment"] == {
        "341282": 4,
        "341282001": 3,
        "341282002": 1,
        A1: 2,
        A2: 1,
        B1: 1,
    }
    assert got["natural_attrition"]["341282"] == 1 and got["natural_attrition"][A1] == 1
    assert got["new_urban_jobs"]["341282"] == 3 and got["new_urban_jobs"][A1] == 1
    # re-employed: ann and cai closed their unemployment registration by finding work
    assert got["reemployed"]["341282"] == 2 and got["reemployed"][A2] == 1
    assert got["hard_to_employ_employed"]["341282"] == 1
    assert got["graduates_employed"]["341282"] == 1 and got["graduates_employed"][B1] == 1
    # on 06-30: dai and fan registered unemployed; in work: ann, bob, cai, eve
    assert got["registered_unemployed"] == {
        "341282": 2,
        "341282001": 1,
        "341282002": 1,
        A1: 1,
        A2: 0,
        B1: 1,
    }
    assert got["registered_labour_force"]["341282"] == 6
    assert got["registered_unemployment_rate"]["341282"] == pytest.approx(100 * 2 / 6)
    assert got["registered_unemployment_rate"][A2] == 0
    # eve graduated this year and works: 1 of 1
    assert got["graduate_employment_rate"][B1] == 100
    assert got["graduate_employment_rate"][A1] is None  # no graduate: no rate, not 0
    # not computed: None everywhere, never a number
    assert set(got["surveyed_unemployment_rate"].values()) == {None}


def test_the_list_behind_a_figure_is_what_it_counts(registry):
    indicator = INDICATORS["new_employment"]
    people = set(events_in(indicator, START, END, "341282").values_list("person_id", flat=True))
    assert people == {registry[k].pk for k in ("ann", "cai", "eve", "fan")}
    assert not events_in(indicator, START, END, OTHER).filter(person=registry["ann"]).exists()


def test_stock_at_a_day_not_now(registry):
    # On 03-31: ann had found work (03-10), fan's job ended that day and her unemployment
    # registration began the next: cai and dai only.
    indicator = INDICATORS["registered_unemployed"]
    people = set(
        events_in(indicator, START, d(3, 31), "341282").values_list("person_id", flat=True)
    )
    assert people == {registry["cai"].pk, registry["dai"].pk}
    assert figures(["registered_unemployed"], START, d(3, 31), ["341282"]) == {
        "registered_unemployed": {"341282": 2}
    }


def test_monthly_trend_adds_up_to_the_period(registry):
    points = dict(series("new_employment", "341282", END, months=6))
    assert list(points) == ["2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06"]
    assert points == {
        "2026-01": 0,
        "2026-02": 1,
        "2026-03": 1,
        "2026-04": 1,
        "2026-05": 1,
        "2026-06": 0,
    }
    stock = dict(series("registered_unemployed", "341282", END, months=6))
    assert stock["2026-01"] == 2 and stock["2026-06"] == 2  # ann, cai | dai, fan


def test_full_employment_community_share(registry):
    CommunityCertification.objects.create(community_id=A1, year=Y, certified_on=d(3, 1))
    got = figures(["full_employment_community_share"], START, END, ["341282001", "341282002"])
    share = got["full_employment_community_share"]
    assert share["341282001"] == 50  # A1 of A1, A2
    assert share["341282002"] == 0


def test_rollup_and_month_windows():
    assert rollup({A1: 2, A2: 1, B1: 5, "341226100001": 9}, ["341282", "341282001"]) == {
        "341282": 8,
        "341282001": 3,
    }
    windows = month_ends(dt.date(2026, 3, 15), 3)
    assert windows == [
        (d(1, 1), d(1, 31)),
        (d(2, 1), d(2, 28)),
        (d(3, 1), d(3, 15)),
    ]


@pytest.mark.parametrize("last", [END, dt.date(2026, 4, 15)])  # a month over, and one not
def test_the_trends_fast_stocks_equal_the_stock_at_each_month_end(registry, last):
    for code in (
        "registered_unemployed",
        "registered_labour_force",
        "registered_unemployment_rate",
    ):
        fast = series(code, "341282", last, months=8)
        slow = [
            figures([code], first, end, ["341282"], cached=False)[code]["341282"]
            for first, end in month_ends(last, 8)
        ]
        assert [v for _, v in fast] == slow, code


def test_counts_shared_within_a_page_equal_counting_each_region_alone(registry):
    """A page counting the county and then one street (the dashboard's figures, then its
    targets) reads the street from the county's count: the same numbers as alone, and
    the other street's people stay out of it."""
    from apps.indicators.selectors import shared_counts

    computed = [c for c, i in INDICATORS.items() if i.computed]
    alone = figures(computed, START, END, ["341282001"])
    with shared_counts():
        figures(computed, START, END, ["341282", "341282002"])
        shared = figures(computed, START, END, ["341282001"])
    assert shared == alone
    assert alone["registered_unemployed"]["341282001"] == 1  # fan; dai is of the other street
