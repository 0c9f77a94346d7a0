"""Employment and unemployment registration (就业登记/失业登记) with the rules a bureau
applies, each registration dated in the status history so statistics can trust it.

- Unemployment registration: working age (WORKING_AGE_MIN up to the retirement age), not
  in work (employed, or an active employment registration), not already registered
  unemployed, at the person's residence, household-register, work or insured place
  (002); staff only inside their region, a worker only for themselves (online).
- Employment registration (flexible employment included): working age; it ends an active
  unemployment registration ("就业") on the same day.
- Ending a registration (注销): the reason is recorded, and the person is out of the
  registered labour force until registered again; an unemployment registration ended
  because the person found work goes through employment registration instead."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.accounts.models import Role, User
from apps.accounts.permissions import may_change
from apps.accounts.services import record_audit

from .importers import age_on
from .models import LabourStatus, Person, Registration, StatusChange

Kind = Registration.Kind
STATUS_OF = {
    Kind.UNEMPLOYMENT: LabourStatus.UNEMPLOYED,
    Kind.EMPLOYMENT: LabourStatus.EMPLOYED,
    Kind.FLEXIBLE: LabourStatus.FLEXIBLE,
}
IN_WORK = (Kind.EMPLOYMENT, Kind.FLEXIBLE)


class RegistrationError(ValueError):
    """A registration the rules refuse; the message says which rule, in Chinese."""


def change_status(
    person: Person, status: str, since: dt.date, note: str, user: User | None
) -> None:
    """Set the person's labour status and add the dated entry to its history."""
    old = person.labour_status
    person.labour_status, person.status_since = status, since
    person.save(update_fields=["labour_status", "status_since", "updated_at"])
    StatusChange.objects.create(
        person=person, status=status, since=since, note=note, recorded_by=user
    )
    record_audit(actor=user, action="status", obj=person, changes={"labour_status": [old, status]})
    from .households import sync_household_of

    sync_household_of(person)  # a zero-employment family is found or cleared at once


def _check_actor(user: User, person: Person, channel: str, kind: str = "", employer=None) -> None:
    if user.role == Role.EMPLOYER:
        # an employer registers the people it hires (单位办理就业登记), nothing else
        if kind == Kind.EMPLOYMENT and employer is not None and employer.pk == user.employer_id:
            return
        raise RegistrationError("用人单位只能为本单位录用的人员办理就业登记")
    if user.role == Role.WORKER:
        if user.person_id != person.pk:
            raise RegistrationError("只能为本人办理网上登记")
        if channel != Registration.Channel.ONLINE:
            raise RegistrationError("本人办理须通过网上渠道")
        return
    if not user.is_clerk:
        raise RegistrationError("只有经办人员或本人可以办理登记")
    if not may_change(user, stored=person.community_id):
        raise RegistrationError("只能为本辖区的人员办理登记")


def _check_age(person: Person, day: dt.date) -> None:
    age = age_on(person.birth_date, day)
    if age < settings.WORKING_AGE_MIN:
        raise RegistrationError(f"未满{settings.WORKING_AGE_MIN}周岁(现{age}岁),不能登记")
    retire = settings.RETIREMENT_AGE.get(person.gender, 60)
    if age >= retire:
        raise RegistrationError(f"已达法定退休年龄({retire}岁),不能登记")


def register(
    *,
    user: User,
    person: Person,
    kind: str,
    day: dt.date | None = None,
    basis: str = "",
    employer=None,
    channel: str = Registration.Channel.COUNTER,
    contract_end: dt.date | None = None,
) -> Registration:
    day = day or timezone.localdate()
    if kind not in Kind.values:
        raise RegistrationError(f"未知的登记类型“{kind}”")
    if contract_end is not None and (kind != Kind.EMPLOYMENT or contract_end < day):
        raise RegistrationError("劳动合同终止日期:仅就业登记填写,且不能早于登记日期")
    if day > timezone.localdate():
        raise RegistrationError("登记日期不能晚于今天")
    _check_actor(user, person, channel, kind, employer)
    _check_age(person, day)
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person.pk)
        active = {r.kind: r for r in person.registrations.filter(ended_on__isnull=True)}
        if kind in active:
            raise RegistrationError(
                f"已有有效的{Kind(kind).label}({active[kind].registered_on}),不能重复登记"
            )
        if kind == Kind.UNEMPLOYMENT:
            if basis not in Registration.Basis.values:
                raise RegistrationError("失业登记须注明登记依据:常住地、户籍地、就业地或参保地")
            working = [active[k] for k in IN_WORK if k in active]
            if person.labour_status == LabourStatus.EMPLOYED or working:
                raise RegistrationError("该人员处于就业状态,须先办理就业登记注销,再办理失业登记")
        else:
            if kind == Kind.EMPLOYMENT and employer is None:
                raise RegistrationError("就业登记须注明就业单位")
            for k in IN_WORK:  # a new job or a switch to flexible work ends the old one
                if k in active:
                    _end(active[k], day, "变更就业", user)
            if Kind.UNEMPLOYMENT in active:
                _end(active[Kind.UNEMPLOYMENT], day, "就业", user)
        try:
            with transaction.atomic():
                registration = Registration.objects.create(
                    person=person,
                    kind=kind,
                    registered_on=day,
                    office=user.scope_region or person.community,
                    basis=basis,
                    employer=employer,
                    channel=channel,
                    contract_end=contract_end,
                    recorded_by=user,
                )
        except IntegrityError:  # a concurrent registration won the race
            raise RegistrationError(f"已有有效的{Kind(kind).label},不能重复登记") from None
        change_status(person, STATUS_OF[kind], day, Kind(kind).label, user)
        record_audit(actor=user, action="register", obj=registration, changes={"kind": kind})
    return registration


def _end(registration: Registration, day: dt.date, reason: str, user: User) -> None:
    registration.ended_on, registration.end_reason = max(day, registration.registered_on), reason
    registration.save(update_fields=["ended_on", "end_reason"])
    record_audit(
        actor=user, action="end_registration", obj=registration, changes={"reason": reason}
    )


def end_registration(
    *, user: User, registration: Registration, reason: str, day: dt.date | None = None
) -> Registration:
    """Deregistration (注销): e.g. 合同到期, 本人申请, 达到退休年龄, 迁出. Finding work is
    employment registration, not this."""
    day = day or timezone.localdate()
    _check_actor(user, registration.person, Registration.Channel.COUNTER)
    if registration.ended_on:
        raise RegistrationError("该登记已注销")
    if not reason.strip():
        raise RegistrationError("须注明注销原因")
    if day < registration.registered_on:
        raise RegistrationError("注销日期不能早于登记日期")
    with transaction.atomic():
        _end(registration, day, reason.strip(), user)
        still_working = registration.person.registrations.filter(
            ended_on__isnull=True, kind__in=IN_WORK
        ).exists()
        if not still_working:  # out of the registered labour force until registered again
            change_status(
                registration.person,
                LabourStatus.NOT_IN_LABOUR_FORCE,
                day,
                f"{registration.get_kind_display()}注销:{reason.strip()}",
                user,
            )
    return registration
