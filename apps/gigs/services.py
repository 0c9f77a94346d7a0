"""Writes of the gig market: a day job posted at a station (by an employer, or by staff
for a household), taken by a worker (never beyond its headcount, never twice, never two
at once), the arrival, the finish and the pay recorded by the poster or the station's
staff, and a worker reporting free at a station. Refusals name the field or the rule."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.accounts.models import Role, User
from apps.accounts.permissions import change_refusal
from apps.accounts.scoping import region_prefix_q
from apps.accounts.services import record_audit
from apps.portal.inputs import text_field
from apps.regions.models import ServiceStation
from jiuye.identifiers import validate_mobile

from .models import Availability, Gig, Take

AHEAD_DAYS = 60  # a gig is posted at most this far ahead
MAX_HEADCOUNT = 200
MAX_PAY = {"day": Decimal(5000), "hour": Decimal(500), "piece": Decimal(1000)}
MAX_CALLED_OFF = 3  # takes a worker may call off in a day
# what one take may be paid, in the gig's own rate: two days' pay for a day job (overtime,
# a bonus), a full day's hours for hourly work; piecework by its own cap
PAY_CAP = {"day": 2, "hour": 24}
MAX_PIECEWORK_PAY = Decimal(20000)


class GigError(ValueError):
    """What the rules refuse; the message names the field or the rule, in Chinese."""


def _refuse(user: User, stored: str | None) -> None:
    refusal = change_refusal(user, stored=stored)
    if refusal:
        raise GigError(refusal)


def money(value, field: str) -> Decimal:
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise GigError(f"{field}:请填写金额") from None
    if not amount.is_finite() or amount <= 0:
        raise GigError(f"{field}:须大于0")
    if amount >= Decimal(10**6):
        raise GigError(f"{field}:超过合理范围")
    if amount != amount.quantize(Decimal("0.01")):
        raise GigError(f"{field}:最多两位小数")
    return amount


def gig_stations():
    return ServiceStation.objects.filter(kind=ServiceStation.Kind.GIG)


def stations_for_employer(employer):
    """The gig stations of the employer's own city (its region code's first four digits)."""
    return gig_stations().filter(region_prefix_q("region_id", employer.region_id[:4]))


def post_gig(
    *,
    user: User,
    station: ServiceStation,
    task: str,
    place: str,
    day: dt.date,
    starts: dt.time,
    ends: dt.time,
    pay,
    pay_unit: str,
    headcount: int,
    detail: str = "",
    occupation=None,
    employer=None,
    poster_name: str = "",
    poster_phone: str = "",
) -> Gig:
    """An employer posts for itself; staff of the station's region post for a household
    (its name and phone) or for an employer of their region."""
    if station.kind != ServiceStation.Kind.GIG:
        raise GigError("零工驿站:请选择一家零工驿站")
    if user.role == Role.EMPLOYER:
        if user.employer_id is None:
            raise GigError("单位注册尚待核验,核验通过后即可发布零工需求")
        if station not in stations_for_employer(user.employer):
            raise GigError("零工驿站:请选择一家零工驿站")
        employer, poster_name, poster_phone = user.employer, "", ""
    else:
        _refuse(user, station.region_id)
        if employer is not None:
            _refuse(user, employer.region_id)
            poster_name, poster_phone = "", ""
        else:
            poster_name = text_field(poster_name, "发布人(雇主姓名)", GigError, limit=64)
            try:
                poster_phone = validate_mobile(poster_phone)
            except ValueError as e:
                raise GigError(f"联系电话:{e}") from None
    task = text_field(task, "活计", GigError, limit=64)
    place = text_field(place, "干活地点", GigError, limit=128)
    detail = text_field(detail, "说明", GigError, limit=300, required=False)
    today = timezone.localdate()
    if day < today:
        raise GigError("日期:不能早于今天")
    if day > today + dt.timedelta(days=AHEAD_DAYS):
        raise GigError(f"日期:最多提前{AHEAD_DAYS}天发布")
    if ends <= starts:
        raise GigError("结束:须晚于开始时间")
    if day == today and ends <= timezone.localtime().time():
        raise GigError("结束:今天的这个时段已过")
    if pay_unit not in Gig.PayUnit.values:
        raise GigError("计酬方式:请选择按天、按小时或按件")
    pay = money(pay, "报酬")
    if pay > MAX_PAY[pay_unit]:
        raise GigError(f"报酬:超过合理范围(不超过{MAX_PAY[pay_unit]}{Gig.PayUnit(pay_unit).label})")
    if not 1 <= headcount <= MAX_HEADCOUNT:
        raise GigError(f"人数:须在1至{MAX_HEADCOUNT}之间")
    gig = Gig.objects.create(
        station=station,
        employer=employer,
        poster_name=poster_name,
        poster_phone=poster_phone,
        task=task,
        detail=detail,
        occupation=occupation,
        place=place,
        lat=station.lat,
        lng=station.lng,
        day=day,
        starts=starts,
        ends=ends,
        pay=pay,
        pay_unit=pay_unit,
        headcount=headcount,
        posted_by=user,
    )
    record_audit(actor=user, action="gig.post", obj=gig, changes={"task": task})
    return gig


def _may_manage(user: User, gig: Gig) -> None:
    """The poster (an employer's own account) or staff of the station's region."""
    if user.role == Role.EMPLOYER:
        if gig.employer_id is None or user.employer_id != gig.employer_id:
            raise GigError("只能办理本单位发布的零工")
        return
    _refuse(user, gig.station.region_id)


def cancel_gig(*, user: User, gig: Gig) -> None:
    _may_manage(user, gig)
    if gig.status != Gig.Status.OPEN:
        raise GigError("该零工已结束或已取消")
    if gig.takes.filter(status__in=(Take.Status.ARRIVED, Take.Status.DONE)).exists():
        raise GigError("已有人到岗,不能取消")
    with transaction.atomic():
        gig.status = Gig.Status.CANCELLED
        gig.save(update_fields=["status"])
        gig.takes.filter(status=Take.Status.TAKEN).update(status=Take.Status.CANCELLED)
    record_audit(actor=user, action="gig.cancel", obj=gig)


def take(*, user: User, gig: Gig) -> Take:
    """A worker takes a gig: open, not begun, places left, not theirs already, and no other
    gig of theirs at the same time that day."""
    if user.role != Role.WORKER or user.person_id is None:
        raise GigError("仅限劳动者本人接单")
    person = user.person
    now = timezone.localtime()
    called_off = Take.objects.filter(
        person=person, status=Take.Status.CANCELLED, taken_at__date=now.date()
    ).count()
    if called_off >= MAX_CALLED_OFF:
        # taking and calling off would otherwise show every household's phone in turn
        raise GigError("今天取消接单次数过多,请明天再接单")
    with transaction.atomic():
        gig = Gig.objects.select_for_update().get(pk=gig.pk)
        if gig.status != Gig.Status.OPEN:
            raise GigError("该零工已结束或已取消")
        if gig.day < now.date() or (gig.day == now.date() and gig.starts <= now.time()):
            raise GigError("该零工已开工,不能再接")
        mine = Take.objects.filter(gig=gig, person=person).first()
        if mine is not None and mine.status in Take.LIVE:
            raise GigError("您已接了这一单")
        if gig.takes.filter(status__in=Take.LIVE).count() >= gig.headcount:
            raise GigError("该零工人数已满")
        clash = (
            Take.objects.filter(person=person, status__in=Take.LIVE, gig__day=gig.day)
            .filter(gig__starts__lt=gig.ends, gig__ends__gt=gig.starts)
            .select_related("gig")
            .first()
        )
        if clash is not None:
            raise GigError(f"与您已接的“{clash.gig.task}”时间冲突")
        if mine is not None:  # called off earlier, taken again
            mine.status, mine.taken_at = Take.Status.TAKEN, timezone.now()
            mine.save(update_fields=["status", "taken_at"])
            return mine
        try:
            with transaction.atomic():
                return Take.objects.create(gig=gig, person=person)
        except IntegrityError:
            raise GigError("您已接了这一单") from None


def withdraw(*, user: User, take_: Take) -> None:
    if user.role != Role.WORKER or user.person_id != take_.person_id:
        raise GigError("只能取消本人的接单")
    gig = take_.gig
    now = timezone.localtime()
    if take_.status != Take.Status.TAKEN:
        raise GigError("已到岗或已完工,不能取消")
    if gig.day < now.date() or (gig.day == now.date() and gig.starts <= now.time()):
        raise GigError("已开工,不能取消;请联系发布人")
    take_.status = Take.Status.CANCELLED
    take_.save(update_fields=["status"])


def arrive(*, user: User, take_: Take) -> None:
    _may_manage(user, take_.gig)
    if take_.status != Take.Status.TAKEN:
        raise GigError("只有已接单的人员可以登记到岗")
    if take_.gig.day > timezone.localdate():
        raise GigError("还没到干活的日子")
    take_.status, take_.arrived_at, take_.recorded_by = Take.Status.ARRIVED, timezone.now(), user
    take_.save(update_fields=["status", "arrived_at", "recorded_by"])


def complete(*, user: User, take_: Take, paid) -> None:
    """The work done and what was paid (at most a week's pay at the gig's rate for a day
    job paid by the day; the pay is what the worker was given)."""
    gig = take_.gig
    _may_manage(user, gig)
    if take_.status not in (Take.Status.TAKEN, Take.Status.ARRIVED):
        raise GigError("该接单已完工、取消或未到岗")
    now = timezone.localtime()
    if gig.day > now.date() or (gig.day == now.date() and gig.starts > now.time()):
        raise GigError("还没开工,不能登记完工")
    amount = money(paid, "实付报酬")
    cap = gig.pay * PAY_CAP[gig.pay_unit] if gig.pay_unit in PAY_CAP else MAX_PIECEWORK_PAY
    if amount > cap:
        raise GigError(f"实付报酬:超过按约定报酬的上限({cap}元)")
    take_.status = Take.Status.DONE
    take_.completed_on = timezone.localdate()
    take_.paid = amount
    take_.recorded_by = user
    take_.arrived_at = take_.arrived_at or timezone.now()
    take_.save(update_fields=["status", "completed_on", "paid", "recorded_by", "arrived_at"])
    record_audit(actor=user, action="gig.complete", obj=take_, changes={"paid": str(amount)})


def no_show(*, user: User, take_: Take) -> None:
    _may_manage(user, take_.gig)
    if take_.status != Take.Status.TAKEN:
        raise GigError("只有已接单未到岗的人员可以登记未到岗")
    if take_.gig.day > timezone.localdate():
        raise GigError("还没到干活的日子")
    take_.status, take_.recorded_by = Take.Status.NO_SHOW, user
    take_.save(update_fields=["status", "recorded_by"])


def report_free(*, user: User, station: ServiceStation) -> Availability:
    """A worker reports at a station as free today (驿站报到), once a day."""
    if user.role != Role.WORKER or user.person_id is None:
        raise GigError("仅限劳动者本人报到")
    if station.kind != ServiceStation.Kind.GIG:
        raise GigError("零工驿站:请选择一家零工驿站")
    today = timezone.localdate()
    found = Availability.objects.filter(person_id=user.person_id, day=today).first()
    if found is not None:
        raise GigError(f"今天已在{found.station}报到")
    return Availability.objects.create(station=station, person_id=user.person_id, day=today)
