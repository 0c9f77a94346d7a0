"""Labour cooperation and brands: partners and the people sent out, checked and back;
brands with their businesses and jobs (the indicators equal a hand count, cached and
live) and members trained and employed; scope and bad input."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from apps.cooperation.models import Dispatch
from apps.cooperation.selectors import brand_progress, dispatch_figures
from apps.cooperation.services import (
    CooperationError,
    add_brand,
    add_business,
    add_member,
    add_partner,
    check,
    dispatch,
    end_business,
)
from apps.indicators.selectors import figures
from apps.people.models import Certificate
from apps.people.registration import register
from apps.people.tests.factories import EmployerFactory, PersonFactory
from apps.regions.models import Region
from apps.taxonomy.models import Occupation

pytestmark = pytest.mark.django_db
COOK = "4-03-02-01"


@pytest.fixture
def clerk(staff):
    return staff("county_staff", "341282")


@pytest.fixture
def county():
    return Region.objects.get(code="341282")


def _person(**kw):
    kw.setdefault("community_id", "341282001001")
    return PersonFactory(labour_status="inactive", birth_date=dt.date(1990, 5, 5), **kw)


def test_people_sent_out_are_checked_and_come_back_once_out_at_a_time(clerk, county, staff):
    today = timezone.localdate()
    partner = add_partner(
        user=clerk,
        region=county,
        name="宁波市人社局",
        kind="east_west",
        agreed_on=dt.date(2024, 3, 1),
    )
    with pytest.raises(CooperationError, match="不在您的管辖"):
        add_partner(
            user=staff("county_staff", "341226"),
            region=county,
            name="x",
            kind="paired",
            agreed_on=dt.date(2024, 1, 1),
        )
    with pytest.raises(CooperationError, match="签约日期"):
        add_partner(
            user=clerk,
            region=county,
            name="x",
            kind="paired",
            agreed_on=today + dt.timedelta(days=3),
        )
    a = _person()
    row = dispatch(
        user=clerk, partner=partner, person=a, workplace="宁波某电子厂", left_on=dt.date(2026, 3, 1)
    )
    with pytest.raises(CooperationError, match="尚未登记返乡"):
        dispatch(
            user=clerk, partner=partner, person=a, workplace="另一厂", left_on=dt.date(2026, 4, 1)
        )
    with pytest.raises(CooperationError, match="签约日期"):
        dispatch(
            user=clerk,
            partner=partner,
            person=_person(),
            workplace="厂",
            left_on=dt.date(2023, 1, 1),
        )
    with pytest.raises(CooperationError, match="务工单位"):
        dispatch(
            user=clerk, partner=partner, person=_person(), workplace="", left_on=dt.date(2026, 3, 1)
        )
    other = _person(community_id=Region.objects.filter(parent_id="341226").first().code)
    with pytest.raises(CooperationError, match="其他区域"):
        dispatch(
            user=clerk, partner=partner, person=other, workplace="厂", left_on=dt.date(2026, 3, 1)
        )
    check(user=clerk, row=row, status="changed", day=dt.date(2026, 6, 1))
    check(user=clerk, row=row, status="returned", day=dt.date(2026, 9, 1))
    with pytest.raises(CooperationError, match="已登记返乡"):
        check(user=clerk, row=row, status="working", day=dt.date(2026, 9, 2))
    dispatch(
        user=clerk,
        partner=partner,
        person=a,
        workplace="宁波某电子厂",
        left_on=dt.date(2026, 10, 1),
    )
    got = dispatch_figures(Dispatch.objects.all(), 2026)
    assert (got["sent"], got["out"], got["returned"]) == (2, 1, 1)
    start = dt.date(2026, 1, 1)
    for cached in (True, False):
        n = figures(["organised_outbound"], start, today, ["341282001"], cached=cached)
        assert n["organised_outbound"]["341282001"] == 2


def test_a_brands_businesses_jobs_and_members_against_its_targets(clerk, county):
    today = timezone.localdate()
    cook = Occupation.objects.get(code=COOK)
    brand = add_brand(
        user=clerk,
        region=county,
        name="阜阳名小吃",
        occupation=cook,
        target_year=2025,
        target_businesses=500,
        target_jobs=3000,
    )
    with pytest.raises(CooperationError, match="已有这个品牌"):
        add_brand(user=clerk, region=county, name="阜阳名小吃", occupation=cook)
    a1, a2, b1 = (
        Region.objects.get(code=c) for c in ("341282001001", "341282001002", "341282002001")
    )
    add_business(
        user=clerk,
        brand=brand,
        name="格拉条小店",
        region=a1,
        jobs=4,
        registered_on=dt.date(2025, 5, 1),
    )
    add_business(
        user=clerk,
        brand=brand,
        name="枕头馍作坊",
        region=a2,
        jobs=6,
        registered_on=dt.date(2026, 2, 1),
    )
    gone = add_business(
        user=clerk, brand=brand, name="撒汤铺", region=b1, jobs=3, registered_on=dt.date(2025, 1, 1)
    )
    end_business(user=clerk, row=gone, day=dt.date(2026, 3, 1))
    with pytest.raises(CooperationError, match="带动就业人数"):
        add_business(user=clerk, brand=brand, name="x", region=a1, jobs=-1, registered_on=today)
    other = Region.objects.filter(parent_id="341226").first()
    with pytest.raises(CooperationError, match="管辖|品牌所属区域"):
        add_business(user=clerk, brand=brand, name="x", region=other, jobs=1, registered_on=today)
    # by hand: on 2025-12-31 撒汤铺 and 格拉条, 7 jobs; today 格拉条 and 枕头馍, 10 jobs
    for day, n, jobs in ((dt.date(2025, 12, 31), 2, 7), (today, 2, 10)):
        for cached in (True, False):
            got = figures(
                ["brand_businesses", "brand_jobs"],
                dt.date(day.year, 1, 1),
                day,
                ["341282"],
                cached=cached,
            )
            assert (got["brand_businesses"]["341282"], got["brand_jobs"]["341282"]) == (n, jobs)
    trained, working, idle = _person(), _person(), _person()
    Certificate.objects.create(person=trained, occupation_id=COOK, name="中式烹调师", level=4)
    register(
        user=clerk,
        person=working,
        kind="employment",
        employer=EmployerFactory(region_id="341282001001"),
        day=today,
    )
    for p in (trained, working, idle):
        add_member(user=clerk, brand=brand, person=p)
    with pytest.raises(CooperationError, match="已是"):
        add_member(user=clerk, brand=brand, person=idle)
    p = brand_progress(brand, today)
    assert (p["businesses"], p["jobs"], p["members"], p["trained"], p["employed"]) == (
        2,
        10,
        3,
        1,
        1,
    )


def test_a_street_works_with_its_countys_partners_and_an_unchecked_trip_stays_open(
    clerk, county, staff
):
    street = staff("township_staff", "341282001")
    partner = add_partner(
        user=clerk, region=county, name="苏州劳务站", kind="province", agreed_on=dt.date(2024, 1, 1)
    )
    from apps.cooperation.selectors import partners_in_scope

    assert list(partners_in_scope(street)) == [partner]
    a = _person()
    row = dispatch(
        user=street, partner=partner, person=a, workplace="某厂", left_on=dt.date(2026, 5, 1)
    )
    check(user=street, row=row, status="unknown", day=dt.date(2026, 8, 1))
    with pytest.raises(CooperationError, match="尚未登记返乡"):  # lost touch: still out
        dispatch(
            user=street, partner=partner, person=a, workplace="另一厂", left_on=dt.date(2026, 9, 1)
        )
    with pytest.raises(CooperationError, match="上次核实"):
        check(user=street, row=row, status="working", day=dt.date(2026, 7, 1))
    other_street = staff("township_staff", "341282002")
    with pytest.raises(CooperationError, match="其他区域"):
        check(user=other_street, row=row, status="working", day=dt.date(2026, 9, 1))
