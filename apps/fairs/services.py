"""Writes of the recruitment fairs: staff hold a fair, employers book a stand with their
jobs, workers register, the door checks them in (scans sent late and more than once count
once), and stands record intentions and hires. Refusals name the field or the rule, in
Chinese; nothing is half-written."""

from __future__ import annotations

import datetime as dt
import re
import uuid

from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.accounts.models import Role, User
from apps.accounts.permissions import change_refusal
from apps.accounts.services import record_audit
from apps.jobs.board import open_jobs
from apps.people.models import KeyGroup, Person
from apps.portal.inputs import pk_of, text_field
from apps.regions.models import Region
from jiuye.identifiers import mask_name, validate_resident_id

from .models import Attendee, CheckIn, Fair, Intention, Stand

MAX_STANDS = 1000
MAX_DAYS = 31  # a fair (or an online fair's season) lasts at most a month
MAX_JOBS_AT_STAND = 50
LATE_RECORDING_DAYS = 60  # intentions and hires may be recorded this long after a fair


class FairError(ValueError):
    """What the rules refuse; the message names the field or the rule, in Chinese."""


def _refuse(user: User, stored: str | None, new: str | None = None) -> None:
    refusal = change_refusal(user, stored=stored, new=new)
    if refusal:
        raise FairError(refusal)


# --- fairs -------------------------------------------------------------------------------
def hold_fair(
    *,
    user: User,
    region: Region,
    title: str,
    theme: str,
    mode: str,
    venue: str,
    held_on: dt.date,
    ends_on: dt.date,
    opens: dt.time,
    closes: dt.time,
    stands: int,
    groups: list[str],
    note: str = "",
) -> Fair:
    """A fair held by ``region``'s public employment service (staff of that region)."""
    _refuse(user, None, region.code)
    today = timezone.localdate()
    title = text_field(title, "名称", FairError, limit=100)
    venue = text_field(venue, "地点", FairError, limit=128, required=False)
    note = text_field(note, "说明", FairError, limit=300, required=False)
    if theme not in Fair.Theme.values:
        raise FairError("类别:请选择招聘会类别")
    if mode not in Fair.Mode.values:
        raise FairError("形式:请选择现场、网络或现场+网络")
    if mode != Fair.Mode.ONLINE and not venue:
        raise FairError("地点:现场招聘会须填写举办地点")
    if held_on < dt.date(today.year - 1, 1, 1) or held_on > today + dt.timedelta(days=366):
        raise FairError("举办日期:须在去年1月1日至一年以内")
    if ends_on < held_on:
        raise FairError("结束日期:不能早于举办日期")
    if (ends_on - held_on).days >= MAX_DAYS:
        raise FairError(f"结束日期:一场招聘会最长{MAX_DAYS}天")
    if closes <= opens:
        raise FairError("结束时间:须晚于开始时间")
    if not 1 <= stands <= MAX_STANDS:
        raise FairError(f"展位数:须在1至{MAX_STANDS}之间")
    unknown = [g for g in groups if g not in KeyGroup.values]
    if unknown:
        raise FairError(f"服务对象:没有“{unknown[0]}”这一类人员")
    fair = Fair.objects.create(
        title=title,
        theme=theme,
        mode=mode,
        region=region,
        venue=venue,
        held_on=held_on,
        ends_on=ends_on,
        opens=opens,
        closes=closes,
        stands=stands,
        groups=list(dict.fromkeys(groups)),
        note=note,
        created_by=user,
    )
    record_audit(actor=user, action="fair.hold", obj=fair, changes={"title": title})
    return fair


def cancel_fair(*, user: User, fair: Fair) -> None:
    """Call a fair off before it begins (nobody has been let in yet)."""
    _refuse(user, fair.region_id)
    if fair.cancelled:
        raise FairError("该招聘会已取消")
    if fair.held_on <= timezone.localdate():
        raise FairError("招聘会已开始或已举办,不能取消")
    fair.cancelled = True
    fair.save(update_fields=["cancelled"])
    record_audit(actor=user, action="fair.cancel", obj=fair)


def _open_for_sign_up(fair: Fair, what: str) -> None:
    if fair.cancelled:
        raise FairError(f"该招聘会已取消,不能{what}")
    if fair.ends_on < timezone.localdate():
        raise FairError(f"该招聘会已结束,不能{what}")


# --- stands ------------------------------------------------------------------------------
def _stand_jobs(employer, job_ids) -> list:
    wanted = {pk_of(j) for j in job_ids}
    if 0 in wanted:
        raise FairError("招聘岗位:岗位编号有误")
    if not wanted:
        raise FairError("招聘岗位:请至少选择一个本单位正在招聘的岗位")
    if len(wanted) > MAX_JOBS_AT_STAND:
        raise FairError(f"招聘岗位:一个展位最多{MAX_JOBS_AT_STAND}个岗位")
    jobs = list(open_jobs().filter(employer=employer, pk__in=wanted))
    if len(jobs) != len(wanted):
        raise FairError("招聘岗位:只能选择本单位正在招聘的岗位")
    return jobs


def book_stand(*, user: User, fair: Fair, job_ids) -> Stand:
    """An employer books a stand at a fair with some of its open jobs; the stand numbers
    are given in order, one stand an employer."""
    if user.role != Role.EMPLOYER or user.employer_id is None:
        raise FairError("仅限已核验的用人单位账号预订展位")
    employer = user.employer
    with transaction.atomic():
        fair = Fair.objects.select_for_update().get(pk=fair.pk)
        _open_for_sign_up(fair, "预订展位")
        if Stand.objects.filter(fair=fair, employer=employer).exists():
            raise FairError("本单位已预订该招聘会的展位,可在展位页修改招聘岗位")
        taken = set(Stand.objects.filter(fair=fair).values_list("number", flat=True))
        free = next((n for n in range(1, fair.stands + 1) if n not in taken), None)
        if free is None:
            raise FairError("展位已订满")
        jobs = _stand_jobs(employer, job_ids)
        try:
            with transaction.atomic():
                stand = Stand.objects.create(
                    fair=fair, employer=employer, number=free, booked_by=user
                )
        except IntegrityError:
            raise FairError("本单位已预订该招聘会的展位") from None
        stand.jobs.set(jobs)
    record_audit(actor=user, action="fair.book", obj=stand, changes={"fair": fair.pk})
    return stand


def change_stand_jobs(*, user: User, stand: Stand, job_ids) -> None:
    if user.role != Role.EMPLOYER or user.employer_id != stand.employer_id:
        raise FairError("只有预订该展位的单位可以修改招聘岗位")
    _open_for_sign_up(stand.fair, "修改招聘岗位")
    stand.jobs.set(_stand_jobs(stand.employer, job_ids))
    record_audit(actor=user, action="fair.stand_jobs", obj=stand)


# --- attendees ---------------------------------------------------------------------------
def register(*, user: User, fair: Fair, person: Person) -> Attendee:
    """A worker registers for a fair themself, or a clerk of the person's region does."""
    if user.role == Role.WORKER:
        if user.person_id != person.pk:
            raise FairError("只能为本人报名")
    else:
        _refuse(user, person.community_id)
    _open_for_sign_up(fair, "报名")
    try:
        with transaction.atomic():
            attendee = Attendee.objects.create(
                fair=fair, person=person, registered_by=None if user.role == Role.WORKER else user
            )
    except IntegrityError:
        raise FairError("已报名该招聘会") from None
    return attendee


def _attendee(fair: Fair, code: str = "", id_number: str = "") -> Attendee | None:
    found = Attendee.objects.select_related("person", "check_in").filter(fair=fair)
    code, id_number = (code or "").strip(), (id_number or "").strip().upper()
    if code:
        return found.filter(code=code).first()
    if id_number:
        return found.filter(person__id_number=id_number).first()
    return None


def _scan_time(value, fair: Fair) -> dt.datetime:
    """When the device scanned: an ISO time on the fair's days (the device's own clock);
    the answer is a FairError naming what is wrong."""
    if not isinstance(value, str):
        raise FairError("扫描时间格式有误")
    try:
        at = dt.datetime.fromisoformat(value)
        if timezone.is_naive(at):
            at = timezone.make_aware(at)
        day = timezone.localtime(at).date()
    except (ValueError, OverflowError):
        raise FairError("扫描时间格式有误") from None
    if not fair.held_on - dt.timedelta(days=1) <= day <= fair.ends_on + dt.timedelta(days=1):
        raise FairError("扫描时间不在招聘会举办期间(请检查设备时间)")
    if at > timezone.now() + dt.timedelta(minutes=10):
        raise FairError("扫描时间晚于当前时间(请检查设备时间)")
    return at


def check_in(*, user: User, fair: Fair, scans: list[dict]) -> list[dict]:
    """Admit the scans a door device sends (now or when its network returns). Each scan
    carries its own ``key``: a key already received is answered as it was the first time,
    a person already admitted by another scan is answered "already", nothing is counted
    twice. Each answer: {key, status, message, name (masked), at}."""
    _refuse(user, fair.region_id)
    if fair.cancelled:
        raise FairError("该招聘会已取消")
    if not fair.on_site:
        raise FairError("网络招聘会没有现场签到")
    if fair.held_on > timezone.localdate():
        raise FairError("招聘会尚未开始,不能签到")
    if len(scans) > 500:
        raise FairError("一次最多同步500条扫描记录")
    return [_admit(user, fair, scan) for scan in scans]


def _answer(key: str, status: str, message: str, attendee: Attendee | None = None, at=None):
    return {
        "key": key,
        "status": status,
        "message": message,
        "name": mask_name(attendee.person.name) if attendee else "",
        "at": timezone.localtime(at).strftime("%H:%M") if at else "",
    }


CODE_FORM = re.compile(r"[A-Za-z0-9_-]{16}")  # what new_code() makes


def _unreadable(code: str, id_number: str) -> str:
    """Why a scan names no one (a typo, not an unregistered person); '' when readable."""
    if code:
        if not CODE_FORM.fullmatch(code):
            return "不是本平台的入场码,请重新扫描或输入身份证号"
        return ""
    try:
        validate_resident_id(id_number.upper())
    except ValueError:
        return "身份证号有误(校验位不符),请核对后重新输入"
    return ""


def _admit(user: User, fair: Fair, scan: dict) -> dict:
    raw_key = str(scan.get("key", ""))
    try:
        key = uuid.UUID(raw_key)
    except ValueError:
        return _answer(raw_key, "invalid", "扫描标识有误")
    done = CheckIn.objects.select_related("attendee__person").filter(key=key).first()
    if done is not None:
        if done.attendee.fair_id != fair.pk:
            return _answer(raw_key, "invalid", "扫描标识已用于其他招聘会")
        return _answer(raw_key, "ok", "已签到", done.attendee, done.scanned_at)
    try:
        at = _scan_time(scan.get("at"), fair)
    except FairError as e:
        return _answer(raw_key, "invalid", str(e))
    code, id_number = scan.get("code") or "", scan.get("id_number") or ""
    if not isinstance(code, str) or not isinstance(id_number, str):
        return _answer(raw_key, "invalid", "入场码和身份证号须为文字")
    code, id_number = code.strip(), id_number.strip()
    method = CheckIn.Method.QR if code else CheckIn.Method.ID
    problem = _unreadable(code, id_number)
    if problem:
        return _answer(raw_key, "invalid", problem)
    attendee = _attendee(fair, code, id_number)
    if attendee is None:
        return _answer(raw_key, "not_registered", "未报名本场招聘会,请先现场报名")
    earlier = getattr(attendee, "check_in", None)
    if earlier is not None:
        return _answer(raw_key, "already", "此前已签到", attendee, earlier.scanned_at)
    try:
        with transaction.atomic():
            CheckIn.objects.create(
                attendee=attendee, key=key, method=method, scanned_at=at, by=user
            )
    except IntegrityError:  # the same key or the same person, sent at the same moment
        return _admit(user, fair, scan)
    return _answer(raw_key, "ok", "已签到", attendee, at)


# --- intentions --------------------------------------------------------------------------
def _may_record(user: User, stand: Stand) -> None:
    if user.role == Role.EMPLOYER:
        if user.employer_id != stand.employer_id:
            raise FairError("只能为本单位的展位登记")
        return
    _refuse(user, stand.fair.region_id)


def _recording_window(fair: Fair, day: dt.date) -> None:
    if day < fair.held_on:
        raise FairError("招聘会尚未开始,不能登记就业意向")
    if day > fair.ends_on + dt.timedelta(days=LATE_RECORDING_DAYS):
        raise FairError(f"招聘会结束已超过{LATE_RECORDING_DAYS}天,不能再登记")


def record_intention(
    *, user: User, stand: Stand, code: str = "", id_number: str = "", job_id=None
) -> Intention:
    """An intention reached at a stand with a registered attendee (by the code on their
    admission or their ID number), for one of the stand's jobs or none."""
    _may_record(user, stand)
    fair = stand.fair
    if fair.cancelled:
        raise FairError("该招聘会已取消")
    today = timezone.localdate()
    _recording_window(fair, today)
    if user.role == Role.EMPLOYER:
        # at the stand the worker shows their admission code: an employer typing ID
        # numbers could learn who registered without them being there
        id_number = ""
        if not (code or "").strip():
            raise FairError("入场码:请扫描或输入求职者的入场码")
    if not (code or "").strip() and not (id_number or "").strip():
        raise FairError("入场码或身份证号:请填写其一")
    attendee = _attendee(fair, code, id_number)
    if attendee is None:
        raise FairError("入场码或身份证号:未找到本场招聘会的报名人员")
    job = None
    if job_id:
        job = stand.jobs.filter(pk=pk_of(job_id)).first()
        if job is None:
            raise FairError("意向岗位:须是本展位的招聘岗位")
    try:
        with transaction.atomic():
            intention = Intention.objects.create(
                fair=fair,
                stand=stand,
                person=attendee.person,
                job=job,
                reached_on=today,
                recorded_by=user,
            )
    except IntegrityError:
        raise FairError("已登记过与该人员的就业意向") from None
    record_audit(actor=user, action="fair.intention", obj=intention)
    return intention


def record_hire(*, user: User, intention: Intention, hired_on: dt.date) -> None:
    _may_record(user, intention.stand)
    if intention.hired_on:
        raise FairError("该意向此前已登记录用,无需重复登记")
    if hired_on < intention.reached_on or hired_on > timezone.localdate():
        raise FairError("录用日期:须在达成意向之后、不晚于今天")
    intention.hired_on = hired_on
    intention.save(update_fields=["hired_on"])
    record_audit(
        actor=user, action="fair.hire", obj=intention, changes={"hired_on": hired_on.isoformat()}
    )


def new_scan_key() -> str:
    """A scan key as a device makes one (tests and staff entering a scan by hand)."""
    return str(uuid.uuid4())
