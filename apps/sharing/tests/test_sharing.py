"""Shared employment end to end: postings with their bounds, the offers suggested for a
request (occupation, headcount, dates, distance, with why), proposing within both periods
and the headcounts left, the lending side's answer, lending only employed workers within
their contracts, never twice at once, and who may do what."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from apps.accounts.models import User
from apps.people.registration import end_registration, register
from apps.people.tests.factories import EmployerFactory, PersonFactory
from apps.sharing.models import Agreement, Secondment
from apps.sharing.selectors import offers_for
from apps.sharing.services import SharingError, came_back, decide, lend, post, propose
from apps.taxonomy.models import Occupation

pytestmark = pytest.mark.django_db
WELDER = "6-18-02-04"


@pytest.fixture
def day():
    return timezone.localdate() + dt.timedelta(days=1)


@pytest.fixture
def firms():
    lender = EmployerFactory(name="闲置机械厂", region_id="341282001001", lat=33.26, lng=115.37)
    borrower = EmployerFactory(name="赶工机械厂", region_id="341282001002", lat=33.27, lng=115.38)
    users = {
        name: User.objects.create_user(name, password="x", role="employer", employer=e)
        for name, e in (("lender", lender), ("borrower", borrower))
    }
    return lender, borrower, users


def _post(user, employer, side, day, n=5, days=60, code=WELDER):
    return post(
        user=user,
        side=side,
        employer=employer,
        occupation=Occupation.objects.get(code=code),
        headcount=n,
        start=day,
        end=day + dt.timedelta(days=days),
    )


@pytest.mark.parametrize(
    "change, field",
    [({"headcount": 0}, "人数"), ({"days": 400}, "结束日期"), ({"days": -3}, "结束日期")],
)
def test_a_posting_with_bad_fields_is_refused(firms, day, change, field):
    lender, _, users = firms
    n, days = change.get("headcount", 5), change.get("days", 60)
    with pytest.raises(SharingError, match=field):
        _post(users["lender"], lender, "offer", day, n=n, days=days)
    with pytest.raises(SharingError, match="开始日期"):
        _post(users["lender"], lender, "offer", day - dt.timedelta(days=5))
    with pytest.raises(SharingError, match="本单位"):
        _post(users["lender"], EmployerFactory(), "offer", day)


def test_offers_suggested_for_a_request_by_trade_dates_and_distance(firms, day):
    lender, borrower, users = firms
    request = _post(users["borrower"], borrower, "request", day, n=4)
    near = _post(users["lender"], lender, "offer", day, n=3)
    far_firm = EmployerFactory(name="远处工厂", region_id="341282002001", lat=33.0, lng=115.0)
    far_user = User.objects.create_user("far", password="x", role="employer", employer=far_firm)
    far = _post(far_user, far_firm, "offer", day, n=3, days=10)
    cook_firm = EmployerFactory(region_id="341282001001")
    cook_user = User.objects.create_user("cook", password="x", role="employer", employer=cook_firm)
    _post(cook_user, cook_firm, "offer", day, code="4-03-02-01")  # another trade
    fits = offers_for(request)
    assert [f.offer.pk for f in fits] == [near.pk, far.pk]
    assert fits[0].reasons[0] == "同一职业(细类)" and "可共享3人" in fits[0].reasons


def test_an_agreement_within_both_periods_and_the_headcount_left(firms, day):
    lender, borrower, users = firms
    request = _post(users["borrower"], borrower, "request", day, n=4)
    offer = _post(users["lender"], lender, "offer", day, n=3)
    end = day + dt.timedelta(days=30)
    with pytest.raises(SharingError, match="期间"):
        propose(
            user=users["borrower"],
            request=request,
            offer_id=offer.pk,
            headcount=2,
            start=day,
            end=day + dt.timedelta(days=90),
        )
    with pytest.raises(SharingError, match="只剩3人"):
        propose(
            user=users["borrower"],
            request=request,
            offer_id=offer.pk,
            headcount=4,
            start=day,
            end=end,
        )
    with pytest.raises(SharingError, match="本单位"):
        propose(
            user=users["lender"],
            request=request,
            offer_id=offer.pk,
            headcount=1,
            start=day,
            end=end,
        )
    a = propose(
        user=users["borrower"], request=request, offer_id=offer.pk, headcount=2, start=day, end=end
    )
    assert a.status == "proposed"
    with pytest.raises(SharingError, match="只剩1人"):
        propose(
            user=users["borrower"],
            request=request,
            offer_id=offer.pk,
            headcount=2,
            start=day,
            end=end,
        )
    with pytest.raises(SharingError, match="本单位"):
        decide(user=users["borrower"], agreement=a, accept=True)  # only the lending side
    decide(user=users["lender"], agreement=a, accept=True)
    a.refresh_from_db()
    assert a.status == "active"


def test_staff_holding_both_record_an_agreement_at_once(firms, day, staff):
    lender, borrower, users = firms
    clerk = staff("township_staff", "341282001")
    request = _post(clerk, borrower, "request", day)
    offer = _post(clerk, lender, "offer", day)
    a = propose(
        user=clerk,
        request=request,
        offer_id=offer.pk,
        headcount=1,
        start=day,
        end=day + dt.timedelta(days=5),
    )
    assert a.status == "active"
    with pytest.raises(SharingError, match="其他区域"):
        _post(staff("township_staff", "341282002"), lender, "offer", day)


def test_only_employed_workers_are_lent_within_their_contracts_once_at_a_time(firms, day, staff):
    lender, borrower, users = firms
    clerk = staff("county_staff", "341282")
    request = _post(users["borrower"], borrower, "request", day, n=3)
    offer = _post(users["lender"], lender, "offer", day, n=3)
    end = day + dt.timedelta(days=40)
    a = propose(
        user=users["borrower"], request=request, offer_id=offer.pk, headcount=2, start=day, end=end
    )
    with pytest.raises(SharingError, match="尚未达成"):
        lend(
            user=users["lender"],
            agreement=a,
            id_number=PersonFactory().id_number,
            start=day,
            end=end,
        )
    decide(user=users["lender"], agreement=a, accept=True)
    today = timezone.localdate()
    short = PersonFactory(
        community_id="341282001001", labour_status="inactive", birth_date=dt.date(1990, 5, 5)
    )
    register(
        user=clerk,
        person=short,
        kind="employment",
        employer=lender,
        day=today,
        contract_end=day + dt.timedelta(days=20),
    )
    stranger = PersonFactory(
        community_id="341282001001", labour_status="inactive", birth_date=dt.date(1990, 5, 5)
    )
    with pytest.raises(SharingError, match="有效就业登记"):
        lend(user=users["lender"], agreement=a, id_number=stranger.id_number, start=day, end=end)
    with pytest.raises(SharingError, match="劳动合同期限"):
        lend(user=users["lender"], agreement=a, id_number=short.id_number, start=day, end=end)
    lend(
        user=users["lender"],
        agreement=a,
        id_number=short.id_number,
        start=day,
        end=day + dt.timedelta(days=20),
    )
    leaving = PersonFactory(
        community_id="341282001001", labour_status="inactive", birth_date=dt.date(1990, 5, 5)
    )
    job = register(user=clerk, person=leaving, kind="employment", employer=lender, day=today)
    end_registration(
        user=clerk, registration=job, reason="合同到期", day=day + dt.timedelta(days=10)
    )
    with pytest.raises(SharingError, match="注销"):
        lend(
            user=users["lender"],
            agreement=a,
            id_number=leaving.id_number,
            start=day,
            end=day + dt.timedelta(days=15),
        )
    with pytest.raises(SharingError, match="已被借出|已在本协议"):
        lend(
            user=users["lender"],
            agreement=a,
            id_number=short.id_number,
            start=day,
            end=day + dt.timedelta(days=5),
        )
    third = PersonFactory(
        community_id="341282001001", labour_status="inactive", birth_date=dt.date(1990, 5, 5)
    )
    register(user=clerk, person=third, kind="employment", employer=lender, day=today)
    lend(user=users["lender"], agreement=a, id_number=third.id_number, start=day, end=end)
    fourth = PersonFactory(
        community_id="341282001001", labour_status="inactive", birth_date=dt.date(1990, 5, 5)
    )
    register(user=clerk, person=fourth, kind="employment", employer=lender, day=today)
    with pytest.raises(SharingError, match="已满"):
        lend(user=users["lender"], agreement=a, id_number=fourth.id_number, start=day, end=end)
    assert Secondment.objects.filter(agreement=a).count() == 2
    row = Secondment.objects.get(person=third)
    with pytest.raises(SharingError, match="实际返回日期"):
        came_back(user=users["lender"], secondment=row, day=today + dt.timedelta(days=3))
    assert Agreement.objects.get(pk=a.pk).workers.count() == 2


def test_the_pages_show_each_enterprise_its_own_and_the_suggestions(client, firms, day):
    lender, borrower, users = firms
    request = _post(users["borrower"], borrower, "request", day, n=2)
    _post(users["lender"], lender, "offer", day, n=2)
    client.force_login(users["borrower"])
    page = client.get(f"/sharing/{request.pk}/").content.decode()
    assert "闲置机械厂" in page and "提出共享" in page
    client.force_login(users["lender"])
    assert client.get(f"/sharing/{request.pk}/").status_code == 404  # not theirs
    assert "赶工机械厂" not in client.get("/sharing/").content.decode()


def test_proposals_keep_to_the_trade_and_tell_nothing_of_others_offers(firms, day, staff):
    lender, borrower, users = firms
    request = _post(users["borrower"], borrower, "request", day)
    cook = _post(users["lender"], lender, "offer", day, code="4-03-02-01")
    end = day + dt.timedelta(days=5)
    with pytest.raises(SharingError, match="中类"):
        propose(
            user=users["borrower"],
            request=request,
            offer_id=cook.pk,
            headcount=1,
            start=day,
            end=end,
        )
    welder = _post(users["lender"], lender, "offer", day)
    from apps.sharing.services import close

    close(user=users["lender"], posting=welder)
    closed = pytest.raises(SharingError, match="没有这条信息,或已关闭")
    with closed:
        propose(
            user=users["borrower"],
            request=request,
            offer_id=welder.pk,
            headcount=1,
            start=day,
            end=end,
        )
    with pytest.raises(SharingError, match="没有这条信息,或已关闭"):
        propose(
            user=users["borrower"],
            request=request,
            offer_id=987654,
            headcount=1,
            start=day,
            end=end,
        )
    leader = staff("leader", "341282")
    for offer_id in (cook.pk, 987654):  # who may act is decided first: the same answer
        with pytest.raises(SharingError, match="只有经办人员"):
            propose(
                user=leader, request=request, offer_id=offer_id, headcount=1, start=day, end=end
            )


def test_lending_by_id_reads_the_same_for_a_stranger_and_nobody(firms, day, staff):
    lender, borrower, users = firms
    request = _post(users["borrower"], borrower, "request", day)
    offer = _post(users["lender"], lender, "offer", day)
    end = day + dt.timedelta(days=5)
    a = propose(
        user=users["borrower"], request=request, offer_id=offer.pk, headcount=1, start=day, end=end
    )
    decide(user=users["lender"], agreement=a, accept=True)
    from jiuye.identifiers import make_resident_id

    registered = PersonFactory().id_number
    nobody = make_resident_id("110101", dt.date(1990, 3, 7), 425)
    answers = []
    for id_number in (registered, nobody):
        with pytest.raises(SharingError) as e:
            lend(user=users["lender"], agreement=a, id_number=id_number, start=day, end=end)
        answers.append(str(e.value))
        with pytest.raises(SharingError, match="本单位"):  # the borrower may not lend
            lend(user=users["borrower"], agreement=a, id_number=id_number, start=day, end=end)
    assert answers[0] == answers[1]
    typo = registered[:-1] + ("0" if registered[-1] != "0" else "1")
    with pytest.raises(SharingError, match="校验位"):
        lend(user=users["lender"], agreement=a, id_number=typo, start=day, end=end)
