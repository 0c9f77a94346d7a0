"""The services app owns service records and promises. Writes: ``record_service`` (staff
at the counter or on a visit) and ``record_pushed_offers`` (every offer of a batch push
becomes the service it is)."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.utils import timezone

from apps.accounts.models import STAFF_ROLES, Role, User
from apps.accounts.scoping import in_scope
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
    if user.role not in STAFF_ROLES and user.role != Role.ADMIN:
        raise ServiceError("只有经办人员可以登记服务")
    if not in_scope(user, person.community_id):
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
        cursor.execute(
            f"INSERT INTO {service} (person_id, kind, at, by_id, outcome, job_id, offer_id, "
            f"generated) SELECT person_id, %s, created_at, created_by_id, %s, job_id, id, %s "
            f"FROM {offer} WHERE push_id = %s",
            [ServiceKind.OFFER, "批量送岗", False, push_id],
        )
        return cursor.rowcount
