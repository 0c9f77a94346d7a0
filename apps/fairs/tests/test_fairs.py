"""Recruitment fairs end to end: holding a fair, booking stands, registering, the door's
check-in (scans sent twice, late, for others), intentions and hires, the summary, and the
year's count against 002's targets."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone

from apps.accounts.models import User
from apps.fairs.models import Attendee, CheckIn, Fair, Intention, Stand
from apps.fairs.selectors import stands_for, summary
from apps.fairs.services import (
    FairError,
    book_stand,
    cancel_fair,
    check_in,
    hold_fair,
    new_scan_key,
    record_hire,
    record_intention,
    register,
)
from apps.indicators.selectors import figures
from apps.people.tests.factories import EmployerFactory, JobFactory, PersonFactory, seeker
from apps.regions.models import Region

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk(staff):
    return staff("county_staff", "341282")


@pytest.fixture
def today():
    return timezone.localdate()


def _fair(clerk, today, **kw) -> Fair:
    args = {
        "user": clerk,
        "region": Region.objects.get(code="341282"),
        "title": "春风行动专场招聘会",
        "theme": "spring",
        "mode": "on_site",
        "venue": "界首市人力资源市场",
        "held_on": today,
        "ends_on": today,
        "opens": dt.time(9),
        "closes": dt.time(12),
        "stands": 2,
        "groups": ["migrant_worker"],
    }
    return hold_fair(**{**args, **kw})


@pytest.fixture
def fair(clerk, today):
    return _fair(clerk, today)


def _employer_user(employer) -> User:
    return User.objects.create_user(
        username=f"emp-{employer.pk}", password="x", role="employer", employer=employer
    )


def _worker_user(person) -> User:
    return User.objects.create_user(
        username=f"w-{person.pk}", password="x", role="worker", person=person
    )


def _scan(code="", id_number="", key=None, at=None):
    scan = {"key": key or new_scan_key(), "at": (at or timezone.now()).isoformat()}
    if code:
        scan["code"] = code
    if id_number:
        scan["id_number"] = id_number
    return scan


@pytest.mark.parametrize(
    "change, field",
    [
        ({"title": " "}, "名称"),
        ({"theme": "party"}, "类别"),
        ({"venue": ""}, "地点"),
        ({"stands": 0}, "展位数"),
        ({"stands": 5000}, "展位数"),
        ({"held_on": dt.date(2000, 1, 1), "ends_on": dt.date(2000, 1, 1)}, "举办日期"),
        ({"ends_on": dt.date(2020, 1, 1)}, "结束日期"),
        ({"closes": dt.time(8)}, "结束时间"),
        ({"groups": ["martians"]}, "服务对象"),
    ],
)
def test_a_fair_with_bad_fields_is_refused_naming_the_field(clerk, today, change, field):
    with pytest.raises(FairError, match=field):
        _fair(clerk, today, **change)
    assert not Fair.objects.exists()


def test_staff_hold_fairs_only_in_their_own_region(staff, today):
    other = staff("county_staff", "341226")
    with pytest.raises(FairError, match="不在您的管辖区域内"):
        _fair(other, today)
    worker = _worker_user(PersonFactory())
    with pytest.raises(FairError, match="经办人员"):
        _fair(worker, today)


def test_stands_are_numbered_booked_once_and_only_with_ones_own_open_jobs(fair):
    a, b, c = (EmployerFactory(region_id="341282001001") for _ in range(3))
    job_a, job_b, job_c = JobFactory(employer=a), JobFactory(employer=b), JobFactory(employer=c)
    closed = JobFactory(employer=a, status="closed")
    user_a, user_b, user_c = _employer_user(a), _employer_user(b), _employer_user(c)
    with pytest.raises(FairError, match="招聘岗位"):
        book_stand(user=user_a, fair=fair, job_ids=[job_b.pk])  # another's job
    with pytest.raises(FairError, match="招聘岗位"):
        book_stand(user=user_a, fair=fair, job_ids=[closed.pk])
    with pytest.raises(FairError, match="招聘岗位"):
        book_stand(user=user_a, fair=fair, job_ids=[])
    first = book_stand(user=user_a, fair=fair, job_ids=[job_a.pk])
    with pytest.raises(FairError, match="已预订"):
        book_stand(user=user_a, fair=fair, job_ids=[job_a.pk])
    second = book_stand(user=user_b, fair=fair, job_ids=[str(job_b.pk)])
    assert (first.number, second.number) == (1, 2)
    with pytest.raises(FairError, match="订满"):
        book_stand(user=user_c, fair=fair, job_ids=[job_c.pk])
    assert Stand.objects.filter(fair=fair).count() == 2


def test_registering_twice_for_another_or_for_a_fair_called_off_is_refused(clerk, fair, today):
    person, other = PersonFactory(), PersonFactory()
    user = _worker_user(person)
    register(user=user, fair=fair, person=person)
    with pytest.raises(FairError, match="已报名"):
        register(user=user, fair=fair, person=person)
    with pytest.raises(FairError, match="本人"):
        register(user=user, fair=fair, person=other)
    later = _fair(clerk, today + dt.timedelta(days=7), ends_on=today + dt.timedelta(days=7))
    cancel_fair(user=clerk, fair=later)
    with pytest.raises(FairError, match="已取消"):
        register(user=user, fair=later, person=person)
    assert Attendee.objects.filter(person=person).count() == 1


def test_a_scan_sent_twice_offline_is_counted_once_and_answered_the_same(clerk, fair):
    person = PersonFactory(name="王小明")
    attendee = register(user=_worker_user(person), fair=fair, person=person)
    scan = _scan(code=attendee.code)
    first = check_in(user=clerk, fair=fair, scans=[scan])
    # the answer was lost on the way back: the device sends the same scan again, twice
    again = check_in(user=clerk, fair=fair, scans=[scan, scan])
    assert [a["status"] for a in first + again] == ["ok", "ok", "ok"]
    assert first[0] == again[0] == again[1]
    assert first[0]["name"] == "王**"  # masked: the door shows who, not the whole name
    assert CheckIn.objects.filter(attendee=attendee).count() == 1
    # another device scanned the same person: admitted once, that device is told so
    other = check_in(user=clerk, fair=fair, scans=[_scan(id_number=person.id_number)])
    assert other[0]["status"] == "already"
    assert CheckIn.objects.count() == 1
    assert summary(fair)["admitted"] == 1


def test_the_door_refuses_strangers_other_fairs_keys_and_bad_times(clerk, fair, today, staff):
    stranger = PersonFactory()
    answers = check_in(
        user=clerk,
        fair=fair,
        scans=[
            _scan(id_number=stranger.id_number),
            _scan(code="A" * 16),  # a code's form, nobody's
            {"key": "not-a-uuid", "code": "x", "at": timezone.now().isoformat()},
            _scan(code="x", at=timezone.now() - dt.timedelta(days=30)),
            {"key": new_scan_key(), "code": "x", "at": "yesterday-ish"},
        ],
    )
    assert [a["status"] for a in answers] == [
        "not_registered",
        "not_registered",
        "invalid",
        "invalid",
        "invalid",
    ]
    assert "设备时间" in answers[3]["message"]
    # a typo is told apart from a person who did not register
    typo = stranger.id_number[:-1] + ("0" if stranger.id_number[-1] != "0" else "1")
    junk = check_in(user=clerk, fair=fair, scans=[_scan(id_number=typo), _scan(code="garbage!!")])
    assert [a["status"] for a in junk] == ["invalid", "invalid"]
    assert "校验位" in junk[0]["message"] and "不是本平台的入场码" in junk[1]["message"]
    # a key used at one fair is not taken again at another
    person = PersonFactory()
    attendee = register(user=_worker_user(person), fair=fair, person=person)
    scan = _scan(code=attendee.code)
    check_in(user=clerk, fair=fair, scans=[scan])
    other_fair = _fair(clerk, today, title="另一场")
    assert check_in(user=clerk, fair=other_fair, scans=[scan])[0]["status"] == "invalid"
    # staff of another county may not let people into this county's fair
    with pytest.raises(FairError, match="其他区域"):
        check_in(user=staff("county_staff", "341226"), fair=fair, scans=[scan])
    assert CheckIn.objects.count() == 1


def test_the_door_page_syncs_scans_as_json_and_counts_a_resent_batch_once(client, clerk, fair):
    people = [PersonFactory() for _ in range(3)]
    codes = [register(user=_worker_user(p), fair=fair, person=p).code for p in people]
    client.force_login(clerk)
    assert client.get(f"/fairs/{fair.pk}/door/").status_code == 200
    batch = {"scans": [_scan(code=c) for c in codes]}
    url = f"/fairs/{fair.pk}/door/sync/"
    for _ in range(2):  # sent, the answer lost, sent again
        answer = client.post(url, json.dumps(batch), content_type="application/json")
        assert answer.status_code == 200
        assert [a["status"] for a in answer.json()["answers"]] == ["ok"] * 3
        assert answer.json()["admitted"] == 3
    assert CheckIn.objects.filter(attendee__fair=fair).count() == 3
    bad = client.post(url, "{not json", content_type="application/json")
    assert bad.status_code == 400 and "格式" in bad.json()["error"]
    bad = client.post(url, json.dumps({"scans": "x"}), content_type="application/json")
    assert bad.status_code == 400


def test_intentions_and_hires_are_recorded_once_for_registered_people(clerk, fair, today):
    shop = EmployerFactory(region_id="341282001001")
    job = JobFactory(employer=shop)
    owner = _employer_user(shop)
    stand = book_stand(user=owner, fair=fair, job_ids=[job.pk])
    person, stranger = PersonFactory(), PersonFactory()
    attendee = register(user=_worker_user(person), fair=fair, person=person)
    with pytest.raises(FairError, match="报名人员"):
        record_intention(user=clerk, stand=stand, id_number=stranger.id_number)
    # an employer records by the code the worker shows, never by typing ID numbers
    with pytest.raises(FairError, match="入场码"):
        record_intention(user=owner, stand=stand, id_number=person.id_number)
    other_shop = _employer_user(EmployerFactory(region_id="341282001001"))
    with pytest.raises(FairError, match="本单位"):
        record_intention(user=other_shop, stand=stand, code=attendee.code)
    with pytest.raises(FairError, match="意向岗位"):
        record_intention(user=owner, stand=stand, code=attendee.code, job_id=JobFactory().pk)
    intention = record_intention(user=owner, stand=stand, code=attendee.code, job_id=job.pk)
    with pytest.raises(FairError, match="已登记过"):
        record_intention(user=clerk, stand=stand, id_number=person.id_number)
    with pytest.raises(FairError, match="录用日期"):
        record_hire(user=owner, intention=intention, hired_on=today + dt.timedelta(days=1))
    record_hire(user=owner, intention=intention, hired_on=today)
    with pytest.raises(FairError, match="此前已登记录用"):
        record_hire(user=clerk, intention=intention, hired_on=today)
    s = summary(fair)
    assert (s["booked"], s["registered"], s["intentions"], s["hired"]) == (1, 1, 1, 1)
    assert s["posts"] == job.headcount


def test_the_indicators_count_fairs_and_people_reaching_an_intention(clerk, today):
    """Two fairs; one person agrees with two employers at the first (one person) and one at
    the second (another); a fair called off counts nothing: 2 fairs, 3 people."""
    first = _fair(clerk, today, stands=5)
    second = _fair(clerk, today, title="第二场", stands=5)
    called_off = _fair(
        clerk, today + dt.timedelta(days=3), ends_on=today + dt.timedelta(days=3), title="取消"
    )
    stands = {}
    for fair in (first, second):
        for n in range(2):
            shop = EmployerFactory(region_id="341282001001")
            stands[(fair.pk, n)] = book_stand(
                user=_employer_user(shop), fair=fair, job_ids=[JobFactory(employer=shop).pk]
            )
    a, b = PersonFactory(), PersonFactory()
    for fair, person, ns in ((first, a, (0, 1)), (first, b, (0,)), (second, a, (1,))):
        attendee = register(user=clerk, fair=fair, person=person)
        for n in ns:
            record_intention(user=clerk, stand=stands[(fair.pk, n)], code=attendee.code)
    cancel_fair(user=clerk, fair=called_off)
    start = dt.date(today.year, 1, 1)
    for cached in (True, False):
        got = figures(["fairs_held", "fair_intentions"], start, today, ["341282"], cached=cached)
        assert got["fairs_held"]["341282"] == 2
        assert got["fair_intentions"]["341282"] == 3
    other = figures(["fairs_held"], start, today, ["341226"])
    assert other["fairs_held"]["341226"] == 0


def test_a_month_over_keeps_its_cells_exact_when_an_intention_is_added_or_removed(clerk):
    from apps.indicators.cells import KEYS, ensure

    today = timezone.localdate()
    held = (today.replace(day=1) - dt.timedelta(days=20)).replace(day=10)  # last month
    fair = Fair.objects.create(
        title="上月的招聘会",
        theme="general",
        region_id="341282",
        venue="x",
        held_on=held,
        ends_on=held,
        opens=dt.time(9),
        closes=dt.time(12),
        stands=3,
    )
    shop = EmployerFactory(region_id="341282001001")
    stand = Stand.objects.create(fair=fair, employer=shop, number=1)
    start, end = held.replace(day=1), held.replace(day=28)

    def both():
        ensure(KEYS, today)
        cached = figures(["fairs_held", "fair_intentions"], start, end, ["341282"])
        live = figures(["fairs_held", "fair_intentions"], start, end, ["341282"], cached=False)
        assert cached == live
        return cached["fairs_held"]["341282"], cached["fair_intentions"]["341282"]

    assert both() == (1, 0)
    person = PersonFactory()
    first = Intention.objects.create(fair=fair, stand=stand, person=person, reached_on=today)
    assert both() == (1, 1)
    other = Stand.objects.create(fair=fair, employer=EmployerFactory(), number=2)
    Intention.objects.create(fair=fair, stand=other, person=person, reached_on=today)
    assert both() == (1, 1)
    first.delete()
    assert both() == (1, 1)
    fair.cancelled = True
    fair.save()
    assert both() == (0, 0)


def test_a_worker_sees_first_the_stands_whose_jobs_suit_them(clerk, fair, today):
    welder = seeker("焊工求职者", dt.date(1990, 5, 1), wishes=["6-18-02-04"])
    cook = EmployerFactory(region_id="341282001001", name="小吃店")
    works = EmployerFactory(region_id="341282001001", name="机械厂")
    book_stand(
        user=_employer_user(cook),
        fair=fair,
        job_ids=[JobFactory(employer=cook, title="厨师", occupation_id="4-03-02-01").pk],
    )
    book_stand(
        user=_employer_user(works),
        fair=fair,
        job_ids=[JobFactory(employer=works, title="电焊工").pk],
    )
    ranked = stands_for(welder, fair, today)
    assert [r.stand.employer.name for r in ranked] == ["机械厂", "小吃店"]
    assert ranked[0].best_job.title == "电焊工" and ranked[0].reasons


def test_the_year_page_counts_fairs_against_the_plans_target(client, clerk, fair):
    from django.core.management import call_command

    call_command("load_targets", verbosity=0)
    client.force_login(clerk)
    page = client.get("/fairs/year/?region=341282").content.decode()
    assert "举办招聘会场次" in page and "72" in page
    assert "已举办 1 场" in page


@pytest.mark.parametrize(
    "body",
    [
        {"scans": [{"key": new_scan_key(), "code": 123, "at": "2026-12-04T10:00:00"}]},
        {"scans": [{"key": new_scan_key(), "id_number": {"a": 1}, "at": "2026-12-04T10:00"}]},
        {"scans": [{"key": new_scan_key(), "code": "x", "at": "0001-01-01T00:00:00+14:00"}]},
        {"scans": [{"key": new_scan_key(), "code": "x", "at": "9999-12-31T23:59:59-14:00"}]},
        {"scans": [{"key": new_scan_key(), "code": "x", "at": 5}]},
    ],
)
def test_odd_scans_are_answered_invalid_not_a_server_error(client, clerk, fair, body):
    client.force_login(clerk)
    answer = client.post(
        f"/fairs/{fair.pk}/door/sync/", json.dumps(body), content_type="application/json"
    )
    assert answer.status_code == 200
    assert [a["status"] for a in answer.json()["answers"]] == ["invalid"]
    assert not CheckIn.objects.exists()


def test_deeply_nested_json_and_a_fair_yet_to_come_are_refused(client, clerk, fair, today):
    client.force_login(clerk)
    url = f"/fairs/{fair.pk}/door/sync/"
    nested = "[" * 100_000 + "]" * 100_000
    assert client.post(url, nested, content_type="application/json").status_code == 400
    later = _fair(clerk, today + dt.timedelta(days=5), ends_on=today + dt.timedelta(days=5))
    person = PersonFactory()
    code = register(user=clerk, fair=later, person=person).code
    scan = _scan(code=code, at=timezone.now() + dt.timedelta(days=5))
    with pytest.raises(FairError, match="尚未开始"):
        check_in(user=clerk, fair=later, scans=[scan])
    soon = _scan(
        code=register(user=clerk, fair=fair, person=PersonFactory()).code,
        at=timezone.now() + dt.timedelta(hours=3),
    )
    assert check_in(user=clerk, fair=fair, scans=[soon])[0]["status"] == "invalid"


@pytest.mark.parametrize(
    "field, value", [("opens", "09:00+08:00"), ("title", "a\x00b"), ("stands", "1e3")]
)
def test_odd_input_to_the_fair_form_is_refused_naming_the_field(client, clerk, today, field, value):
    client.force_login(clerk)
    form = {
        "title": "招聘会",
        "theme": "spring",
        "mode": "on_site",
        "venue": "会场",
        "held_on": today.isoformat(),
        "opens": "09:00",
        "closes": "12:00",
        "stands": "10",
    }
    answer = client.post("/fairs/manage/", {**form, field: value})
    assert answer.status_code == 400
    assert not Fair.objects.exists()
