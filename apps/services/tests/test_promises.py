"""Service promises counted from the records: owed → fulfilled for each seeded rule, the
windows (since joining the group; this month; this quarter), region scope, and the rules'
own validation."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from apps.people.models import KeyGroupTag
from apps.people.tests.factories import PersonFactory
from apps.services.models import PromiseRule, ServiceRecord
from apps.services.selectors import promise_dashboard
from apps.services.services import ServiceError, record_service

TODAY = timezone.localdate()
pytestmark = pytest.mark.django_db


def tagged(group, start=dt.date(2026, 6, 1), **kw):
    person = PersonFactory(**kw)
    KeyGroupTag.objects.create(person=person, group=group, start=start)
    return person


def at(day: dt.date, hour=10):
    return dt.datetime.combine(day, dt.time(hour), timezone.get_current_timezone())


def owed_of(dashboard, person, code):
    return next(
        (o.missing for o in dashboard.owed if o.person_id == person.pk and o.rule.code == code),
        None,
    )


def test_a_migrant_worker_is_owed_1_3_1_until_served(staff):
    clerk = staff("community_staff", "341282001001")
    worker = tagged("migrant_worker", community_id="341282001001")
    code = "migrant-worker-1-3-1"
    # a service before they became a migrant worker on our books does not count
    ServiceRecord.objects.create(person=worker, kind="guidance", at=at(dt.date(2026, 5, 1)))
    board = promise_dashboard("341282", everyone=True)
    assert owed_of(board, worker, code) == [("职业指导", 1), ("适合的岗位信息", 3), ("培训项目", 1)]
    record_service(user=clerk, person=worker, kind="guidance")
    record_service(user=clerk, person=worker, kind="offer")
    record_service(user=clerk, person=worker, kind="referral")
    assert owed_of(promise_dashboard("341282", everyone=True), worker, code) == [
        ("适合的岗位信息", 1),
        ("培训项目", 1),
    ]
    record_service(user=clerk, person=worker, kind="offer")
    record_service(user=clerk, person=worker, kind="training")
    board = promise_dashboard("341282", everyone=True)
    assert owed_of(board, worker, code) is None
    summary = next(s for s in board.rules if s.rule.code == code)
    assert (summary.covered, summary.fulfilled, summary.owed) == (1, 1, 0)


def test_once_employed_the_promise_no_longer_covers_them():
    worker = tagged("migrant_worker")
    assert owed_of(promise_dashboard("", everyone=True), worker, "migrant-worker-1-3-1")
    worker.labour_status = "employed"
    worker.save()
    assert owed_of(promise_dashboard("", everyone=True), worker, "migrant-worker-1-3-1") is None


def test_a_graduate_is_owed_a_contact_every_month():
    graduate = tagged("graduate", start=dt.date(2025, 7, 1))
    last_month = TODAY.replace(day=1) - dt.timedelta(days=3)
    ServiceRecord.objects.create(person=graduate, kind="call", at=at(last_month))
    owed = next(o for o in promise_dashboard("", everyone=True).owed if o.person_id == graduate.pk)
    assert owed.missing == [("服务联系", 1)] and owed.since == TODAY.replace(day=1)
    ServiceRecord.objects.create(person=graduate, kind="guidance", at=at(TODAY.replace(day=1)))
    assert owed_of(promise_dashboard("", everyone=True), graduate, "graduate-monthly") is None


def test_people_without_intention_are_revisited_each_quarter_up_to_59():
    young = PersonFactory(labour_status="inactive", birth_date=dt.date(1990, 1, 1))
    old = PersonFactory(labour_status="inactive", birth_date=dt.date(1950, 1, 1))
    board = promise_dashboard("", everyone=True)
    assert owed_of(board, young, "no-intention-quarterly") == [("回访", 1)]
    assert owed_of(board, old, "no-intention-quarterly") is None
    quarter = dt.date(TODAY.year, 3 * ((TODAY.month - 1) // 3) + 1, 1)
    ServiceRecord.objects.create(person=young, kind="visit", at=at(quarter))
    assert owed_of(promise_dashboard("", everyone=True), young, "no-intention-quarterly") is None


def test_the_dashboard_stays_in_the_region_and_names_the_community_staff(staff):
    mine = tagged("relocated", community_id="341282001002")
    theirs = tagged("relocated", community_id="341282002001")
    staff("community_staff", "341282001002", username="小王")
    board = promise_dashboard("341282001", everyone=True)
    people = {o.person_id for o in board.owed}
    assert mine.pk in people and theirs.pk not in people
    row = next(c for c in board.communities if c.code == "341282001002")
    assert (
        row.owed == 1
        and row.staff == ["小王"]
        and row.longest_days == (TODAY - dt.date(2026, 6, 1)).days
    )


def test_a_rule_region_limits_where_it_applies(db):
    PromiseRule.objects.filter(code="relocated-2-offers").update(region_prefix="341282002")
    a = tagged("relocated", community_id="341282001001")
    b = tagged("relocated", community_id="341282002001")
    board = promise_dashboard("341282", everyone=True)
    assert owed_of(board, a, "relocated-2-offers") is None
    assert owed_of(board, b, "relocated-2-offers") == [("定向岗位", 2)]


def test_a_rule_naming_an_unknown_group_or_kind_is_refused(db):
    rule = PromiseRule(
        code="bad",
        name="坏规则",
        group="astronaut",
        statuses=["sleeping"],
        requirements=[{"label": "x", "kinds": ["teleport"], "count": 0}],
        period="once",
    )
    with pytest.raises(ValidationError) as caught:
        rule.full_clean()
    errors = caught.value.message_dict
    assert "group" in errors and "statuses" in errors
    assert "teleport" in errors["requirements"][0] and "次数须为正整数" in errors["requirements"][0]


def test_only_staff_of_the_region_record_services_and_never_in_the_future(staff):
    person = PersonFactory(community_id="341282002001")
    with pytest.raises(ServiceError, match="本辖区"):
        record_service(user=staff("township_staff", "341282001"), person=person, kind="call")
    with pytest.raises(ServiceError, match="经办人员"):
        record_service(user=staff("leader", "341282"), person=person, kind="call")
    clerk = staff("township_staff", "341282002")
    with pytest.raises(ServiceError, match="晚于现在"):
        record_service(
            user=clerk, person=person, kind="call", at=timezone.now() + dt.timedelta(days=1)
        )
    with pytest.raises(ServiceError, match="未知的服务类型"):
        record_service(user=clerk, person=person, kind="magic")
    assert record_service(user=clerk, person=person, kind="call", outcome="已接通").by == clerk


def test_a_region_edits_its_promises_in_the_admin(client, staff):
    from apps.accounts.models import AuditEntry, User

    admin = User.objects.create_superuser("root", password="x", role="admin")
    client.force_login(admin)
    rule = PromiseRule.objects.get(code="relocated-2-offers")
    url = f"/admin/services/promiserule/{rule.pk}/change/"
    form = {
        "code": rule.code,
        "name": rule.name,
        "source": rule.source,
        "region_prefix": "341282",
        "group": "relocated",
        "statuses": '["unemployed"]',
        "requirements": '[{"label": "定向岗位", "kinds": ["offer"], "count": 3}]',
        "period": "once",
        "active": "on",
    }
    assert client.post(url, form).status_code == 302
    rule.refresh_from_db()
    assert rule.requirements[0]["count"] == 3 and rule.region_prefix == "341282"
    assert AuditEntry.objects.filter(object_id=str(rule.pk)).exists()
    bad = {**form, "group": "astronaut"}
    page = client.post(url, bad)
    assert page.status_code == 200 and "astronaut" in page.content.decode()
