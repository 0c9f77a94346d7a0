"""One plan per person: opened by staff of the region, steps with due dates, the next due
step shown, a finished step recorded as the service it is (and counted by promises)."""

import datetime as dt

import pytest
from django.utils import timezone

from apps.people.models import KeyGroupTag
from apps.people.tests.factories import PersonFactory
from apps.services.models import ServiceRecord
from apps.services.selectors import promise_dashboard
from apps.services.services import ServiceError, add_step, complete_step, open_plan

TODAY = timezone.localdate()
pytestmark = pytest.mark.django_db


def test_a_plan_its_next_step_and_a_step_done_as_a_service(staff):
    clerk = staff("community_staff", "341282001001")
    person = PersonFactory(community_id="341282001001")
    KeyGroupTag.objects.create(person=person, group="relocated", start=dt.date(2026, 1, 1))
    plan = open_plan(
        user=clerk,
        person=person,
        goal="三个月内实现就业",
        steps=[
            {"kind": "offer", "description": "推送保洁岗位", "due": TODAY + dt.timedelta(days=7)},
            {"kind": "guidance", "description": "职业指导", "due": TODAY - dt.timedelta(days=1)},
        ],
    )
    assert plan.next_step.description == "职业指导"  # the earliest due, overdue
    complete_step(user=clerk, step=plan.next_step, outcome="已指导")
    record = ServiceRecord.objects.get()
    assert (record.kind, record.outcome, record.by) == ("guidance", "已指导", clerk)
    assert plan.next_step.description == "推送保洁岗位"
    complete_step(user=clerk, step=plan.next_step)
    board = promise_dashboard("341282001", everyone=True)
    owed = [o for o in board.owed if o.person_id == person.pk]
    assert owed[0].missing == [("定向岗位", 1)]  # the step's offer counts toward the promise
    with pytest.raises(ServiceError, match="已完成"):
        complete_step(user=clerk, step=plan.steps.first())


def test_one_open_plan_per_person_and_only_in_the_region(staff):
    clerk = staff("community_staff", "341282001001")
    person = PersonFactory(community_id="341282001001")
    plan = open_plan(user=clerk, person=person, goal="就业")
    with pytest.raises(ServiceError, match="进行中"):
        open_plan(user=clerk, person=person, goal="再来一个")
    with pytest.raises(ServiceError, match="本辖区"):
        open_plan(user=staff("community_staff", "341282002001"), person=person, goal="x")
    with pytest.raises(ServiceError, match="帮扶目标"):
        open_plan(user=clerk, person=PersonFactory(community_id="341282001001"), goal=" ")
    with pytest.raises(ServiceError, match="未知的服务类型"):
        add_step(user=clerk, plan=plan, kind="x", description="y", due=TODAY)


def test_the_file_shows_the_plan_and_its_next_step(client, staff):
    clerk = staff("community_staff", "341282001001")
    person = PersonFactory(community_id="341282001001")
    client.force_login(clerk)
    client.post(
        f"/people/{person.pk}/plan/",
        {"goal": "尽快就业", "kind": "referral", "description": "推荐面试", "due": "2026-12-01"},
    )
    page = client.get(f"/people/{person.pk}/").content.decode()
    assert "尽快就业" in page and "推荐面试" in page and clerk.username in page
