"""The services app owns service records and promises. Writes: ``record_service`` (staff
at the counter or on a visit) and ``record_pushed_offers`` (every offer of a batch push
becomes the service it is)."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.utils import timezone

from apps.accounts.models import User
from apps.accounts.permissions import may_change
from apps.accounts.services import record_audit
from apps.people.models import Person

from .models import ServiceKind, ServiceRecord


class ServiceError(ValueError):
    """A service that cannot be recorded as asked; the message says why, in Chinese."""


def record_service(
    *,
    user: User,
    person: Person,
    kind: str,
    outcome: str = "",
    at: dt.datetime | None = None,
    job=None,
) -> ServiceRecord:
    if not user.is_clerk:
        raise ServiceError("只有经办人员可以登记服务")
    if not may_change(user, stored=person.community_id):
        raise ServiceError("只能为本辖区的人员登记服务")
    if kind not in ServiceKind.values:
        raise ServiceError(f"未知的服务类型“{kind}”")
    at = at or timezone.now()
    if at > timezone.now() + dt.timedelta(minutes=5):
        raise ServiceError("服务时间不能晚于现在")
    record = ServiceRecord.objects.create(
        person=person, kind=kind, at=at, by=user, outcome=outcome.strip()[:255], job=job
    )
    record_audit(actor=user, action="record_service", obj=record, changes={"kind": kind})
    return record


def record_pushed_offers(push_id: int) -> int:
    """One service record (岗位推送) per offer of a push, in one statement."""
    from apps.matching.models import Offer

    service, offer = ServiceRecord._meta.db_table, Offer._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(  # table names from the models; values as parameters
            f"INSERT INTO {service} (person_id, kind, at, by_id, outcome, job_id, offer_id, "  # noqa: S608
            f"generated) SELECT person_id, %s, created_at, created_by_id, %s, job_id, id, %s "
            f"FROM {offer} WHERE push_id = %s",
            [ServiceKind.OFFER, "批量送岗", False, push_id],
        )
        return cursor.rowcount


def open_plan(*, user: User, person: Person, goal: str, steps: list[dict] = ()):
    """Open the person's assistance plan (一人一策), owned by the clerk; steps are
    {"kind", "description", "due"}. One open plan per person."""
    from django.db import IntegrityError, transaction

    from .models import AssistancePlan

    if not user.is_clerk:
        raise ServiceError("只有经办人员可以制定帮扶计划")
    if not may_change(user, stored=person.community_id):
        raise ServiceError("只能为本辖区的人员制定帮扶计划")
    if not goal.strip():
        raise ServiceError("须填写帮扶目标")
    try:
        with transaction.atomic():
            plan = AssistancePlan.objects.create(person=person, owner=user, goal=goal.strip())
            for step in steps:
                add_step(user=user, plan=plan, **step)
    except IntegrityError:
        raise ServiceError("该人员已有进行中的帮扶计划") from None
    record_audit(actor=user, action="open_plan", obj=plan, changes={"goal": plan.goal})
    return plan


def add_step(*, user: User, plan, kind: str, description: str, due: dt.date):
    from .models import PlanStep

    if kind not in ServiceKind.values:
        raise ServiceError(f"未知的服务类型“{kind}”")
    if not description.strip():
        raise ServiceError("须填写步骤内容")
    if plan.closed_on:
        raise ServiceError("帮扶计划已结案")
    return PlanStep.objects.create(plan=plan, kind=kind, description=description.strip(), due=due)


def complete_step(*, user: User, step, outcome: str = ""):
    """Done: the step becomes the service it is, counted by the promises too."""
    if step.done_at:
        raise ServiceError("该步骤已完成")
    record = record_service(
        user=user, person=step.plan.person, kind=step.kind, outcome=outcome or step.description
    )
    step.done_at, step.service = record.at, record
    step.save(update_fields=["done_at", "service"])
    return step
