"""Writes of shared employment: an offer or a request posted (by the enterprise, or by
staff of its region), an agreement proposed by the borrowing side and accepted by the
lending side (or recorded by staff holding both), and the workers lent under it, each
only within the employment the lending enterprise holds for them. Refusals name the field
or the rule; nothing is recorded twice."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.utils import timezone

from apps.accounts.models import Role, User
from apps.accounts.permissions import change_refusal
from apps.accounts.services import record_audit
from apps.people.models import Person, Registration
from apps.portal.inputs import text_field
from jiuye.identifiers import validate_resident_id

from .models import Agreement, Posting, Secondment

MAX_HEADCOUNT = 500
MAX_DAYS = 366  # shared employment is temporary (余缺调剂): a year at most
LIVE = (Agreement.Status.PROPOSED, Agreement.Status.ACTIVE)
NOT_EMPLOYED = "公民身份号码:该人员在借出日没有在出借单位的有效就业登记"


class SharingError(ValueError):
    """What the rules refuse; the message names the field or the rule, in Chinese."""


def _acts_for(user: User, employer) -> None:
    """The enterprise's own account, or staff of its region."""
    if user.role == Role.EMPLOYER:
        if user.employer_id != employer.pk:
            raise SharingError("只能办理本单位的共享用工")
        return
    refusal = change_refusal(user, stored=employer.region_id)
    if refusal:
        raise SharingError(refusal)


def _period(start: dt.date, end: dt.date) -> None:
    if end < start:
        raise SharingError("结束日期:不能早于开始日期")
    if (end - start).days >= MAX_DAYS:
        raise SharingError(f"结束日期:共享用工最长{MAX_DAYS}天")


def depth(a: str, b: str) -> int:
    """How deep two 职业分类大典 codes (1-23-45-67) agree: 4 the same 细类 … 0 none."""
    n = 0
    for x, y in zip(a.split("-"), b.split("-"), strict=False):
        if x != y:
            break
        n += 1
    return n


SAME_TRADE = 2  # a pairing needs the same 中类 at least


def post(
    *,
    user: User,
    side: str,
    employer,
    occupation,
    headcount: int,
    start: dt.date,
    end: dt.date,
    note: str = "",
) -> Posting:
    _acts_for(user, employer)
    if side not in Posting.Side.values:
        raise SharingError("类型:请选择富余员工或缺工")
    if occupation is None or occupation.code.count("-") != 3:
        raise SharingError("职业:请按职业分类大典选择工种(细类,如6-18-02-04)")
    today = timezone.localdate()
    if start < today:
        raise SharingError("开始日期:不能早于今天")
    if start > today + dt.timedelta(days=MAX_DAYS):
        raise SharingError("开始日期:最多提前一年发布")
    _period(start, end)
    if not 1 <= headcount <= MAX_HEADCOUNT:
        raise SharingError(f"人数:须在1至{MAX_HEADCOUNT}之间")
    note = text_field(note, "说明", SharingError, limit=300, required=False)
    posting = Posting.objects.create(
        side=side,
        employer=employer,
        occupation=occupation,
        headcount=headcount,
        start=start,
        end=end,
        note=note,
        posted_by=user,
    )
    record_audit(actor=user, action=f"sharing.{side}", obj=posting)
    return posting


def close(*, user: User, posting: Posting) -> None:
    _acts_for(user, posting.employer)
    if posting.status != Posting.Status.OPEN:
        raise SharingError("已关闭")
    posting.status = Posting.Status.CLOSED
    posting.save(update_fields=["status"])


def committed(posting: Posting, exclude: Agreement | None = None) -> int:
    """The headcount of a posting already in live agreements."""
    field = "offer" if posting.side == Posting.Side.OFFER else "request"
    qs = Agreement.objects.filter(**{field: posting}, status__in=LIVE)
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    return qs.aggregate(n=Sum("headcount"))["n"] or 0


NO_OFFER = "富余员工信息:没有这条信息,或已关闭"


def propose(
    *,
    user: User,
    request: Posting,
    offer_id: int,
    headcount: int,
    start: dt.date,
    end: dt.date,
) -> Agreement:
    """The borrowing side proposes to take workers from an open offer of the same trade
    (staff holding both enterprises record it as agreed at once). Who may act is decided
    before the offer is looked up: a refusal tells nothing about other offers."""
    _acts_for(user, request.employer)
    if request.side != Posting.Side.REQUEST or request.status != Posting.Status.OPEN:
        raise SharingError("只有有效的缺工信息可以对接")
    offer = (
        Posting.objects.select_related("employer")
        .filter(pk=offer_id, side=Posting.Side.OFFER, status=Posting.Status.OPEN)
        .first()
    )
    if offer is None:
        raise SharingError(NO_OFFER)
    if offer.employer_id == request.employer_id:
        raise SharingError("不能与本单位共享用工")
    if depth(offer.occupation_id, request.occupation_id) < SAME_TRADE:
        raise SharingError("工种:对方的富余员工与所缺工种不属同一中类")
    _period(start, end)
    lo, hi = max(offer.start, request.start), min(offer.end, request.end)
    if start < lo or end > hi:
        raise SharingError(f"共享期间:须在双方信息共同的期间之内({lo:%Y-%m-%d}至{hi:%Y-%m-%d})")
    if headcount < 1:
        raise SharingError("人数:至少1人")
    staff_for_both = (
        user.role != Role.EMPLOYER and change_refusal(user, stored=offer.employer.region_id) is None
    )
    with transaction.atomic():
        # both postings locked: two proposals at once cannot take the same people
        Posting.objects.select_for_update().filter(pk__in=[offer.pk, request.pk]).count()
        if headcount > offer.headcount - committed(offer):
            raise SharingError(f"人数:对方可共享的只剩{offer.headcount - committed(offer)}人")
        if headcount > request.headcount - committed(request):
            raise SharingError(f"人数:本单位缺工只剩{request.headcount - committed(request)}人")
        agreement = Agreement.objects.create(
            offer=offer,
            request=request,
            headcount=headcount,
            start=start,
            end=end,
            proposed_by=user,
            status=Agreement.Status.ACTIVE if staff_for_both else Agreement.Status.PROPOSED,
            decided_by=user if staff_for_both else None,
            decided_at=timezone.now() if staff_for_both else None,
        )
    record_audit(actor=user, action="sharing.propose", obj=agreement)
    return agreement


def decide(*, user: User, agreement: Agreement, accept: bool) -> None:
    """The lending side (or staff of its region) accepts or declines."""
    _acts_for(user, agreement.offer.employer)
    if agreement.status != Agreement.Status.PROPOSED:
        raise SharingError("该协议已确认或已拒绝")
    agreement.status = Agreement.Status.ACTIVE if accept else Agreement.Status.DECLINED
    agreement.decided_by, agreement.decided_at = user, timezone.now()
    agreement.save(update_fields=["status", "decided_by", "decided_at"])
    record_audit(actor=user, action="sharing.decide", obj=agreement, changes={"accept": accept})


def employment_with(person: Person, employer, day: dt.date) -> Registration | None:
    """The person's employment registration with the employer in force on ``day``."""
    return (
        Registration.objects.filter(
            person=person, kind=Registration.Kind.EMPLOYMENT, employer=employer
        )
        .filter(registered_on__lte=day)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=day))
        .order_by("-registered_on")
        .first()
    )


def lend(
    *, user: User, agreement: Agreement, id_number: str, start: dt.date, end: dt.date
) -> Secondment:
    """A worker of the lending enterprise (by ID) goes for part of the agreed period:
    employed by it (an employment registration in force), for no longer than that
    employment runs (its contract's end, or the day it ended), never two places at once.
    The ID is looked up only among the lender's own employees, after who may act and
    the agreement are checked: nobody learns whether an ID is in the registry."""
    _acts_for(user, agreement.offer.employer)
    if agreement.status != Agreement.Status.ACTIVE:
        raise SharingError("协议尚未达成")
    if end < start:
        raise SharingError("约定返回日期:不能早于借出日期")
    if start < agreement.start or end > agreement.end:
        raise SharingError(
            f"借出期间:须在协议期间之内({agreement.start:%Y-%m-%d}至{agreement.end:%Y-%m-%d})"
        )
    try:  # the number's own check digit: says nothing about the registry
        validate_resident_id(id_number)
    except ValueError:
        raise SharingError("公民身份号码:号码有误(校验位不符)") from None
    person = Person.objects.filter(
        id_number=(id_number or "").strip().upper(),
        registrations__employer=agreement.offer.employer,
        registrations__kind=Registration.Kind.EMPLOYMENT,
    ).first()
    job = employment_with(person, agreement.offer.employer, start) if person else None
    if job is None:
        raise SharingError(NOT_EMPLOYED)
    if job.contract_end and end > job.contract_end:
        raise SharingError(f"约定返回日期:超过了劳动合同期限(合同至{job.contract_end:%Y-%m-%d})")
    if job.ended_on and end >= job.ended_on:
        raise SharingError(f"约定返回日期:该人员的就业登记已于{job.ended_on:%Y-%m-%d}注销")
    with transaction.atomic():
        Agreement.objects.select_for_update().filter(pk=agreement.pk).count()
        if agreement.workers.count() >= agreement.headcount:
            raise SharingError(f"协议约定{agreement.headcount}人,已满")
        elsewhere = Secondment.objects.filter(
            person=person, returned_on__isnull=True, start__lte=end, end__gte=start
        ).exists()
        if elsewhere:
            raise SharingError("该人员在这段期间已被借出")
        try:
            with transaction.atomic():
                row = Secondment.objects.create(
                    agreement=agreement, person=person, start=start, end=end, recorded_by=user
                )
        except IntegrityError:
            raise SharingError("该人员已在本协议中") from None
    record_audit(actor=user, action="sharing.lend", obj=row)
    return row


def came_back(*, user: User, secondment: Secondment, day: dt.date) -> None:
    _acts_for(user, secondment.agreement.offer.employer)
    if secondment.returned_on:
        raise SharingError("已登记返回")
    if day < secondment.start or day > timezone.localdate():
        raise SharingError("实际返回日期:须在借出之后、不晚于今天")
    secondment.returned_on = day
    secondment.save(update_fields=["returned_on"])
