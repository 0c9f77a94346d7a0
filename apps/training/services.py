"""Writes of training: institutions put on record with their approved occupations,
courses, enrolment (self, by staff on a person's behalf, with a voucher), attendance,
completion, skill evaluations that issue certificates, training vouchers, and the
training subsidy application a completion produces (through the policies workflow).

Who may do what is decided in ``runs`` (an institution's own accounts, or staff of the
region it is registered in) and in accounts.permissions (staff of a person's region);
every refusal names the field or the rule, in Chinese, and nothing is half-written."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.accounts.models import Role, User
from apps.accounts.permissions import change_refusal, is_owner
from apps.accounts.services import record_audit
from apps.people.models import Certificate, KeyGroup, Person
from apps.people.selectors import groups_on, in_force_on
from apps.regions.models import RegionLevel
from apps.taxonomy.models import Occupation, SkillLevel

from .models import Approval, Attendance, Course, Enrolment, Evaluation, Institution, Voucher

VOUCHER_DAYS = 365  # a voucher is valid for a year from its issue
MAX_COURSE_DAYS = 366  # one class runs at most a year
MAX_CAPACITY = 1000
MAX_HOURS = 2000
VOUCHER_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud at a counter


class TrainingError(ValueError):
    """What the rules refuse; the message names the field or the rule, in Chinese."""


def runs(user: User, institution: Institution) -> bool:
    """May ``user`` run this institution's classes (courses, attendance, completion)?
    Its own accounts, and staff of the region it is registered in."""
    if is_owner(user, employer_id=institution.employer_id):
        return True
    return change_refusal(user, stored=institution.region_code) is None


def _runs_or_refuse(user: User, institution: Institution) -> None:
    if not runs(user, institution):
        raise TrainingError("只有该培训机构或其所在地经办人员可以办理")


def _level(value) -> int:
    try:
        level = int(value)
    except (TypeError, ValueError):
        raise TrainingError(f"等级:“{value}”不是职业技能等级") from None
    if level not in SkillLevel.values:
        raise TrainingError(f"等级:没有“{value}”这一等级(五级/初级工至一级/高级技师)")
    return level


def _approval(institution: Institution, occupation: Occupation | None, level: int) -> Approval:
    """The institution's approval covering ``occupation`` at ``level``, or a clear refusal."""
    if occupation is None:
        raise TrainingError("培训职业:请选择职业(工种)")
    approval = institution.approvals.filter(occupation=occupation).first()
    if approval is None:
        raise TrainingError(f"培训职业:{institution}未核准“{occupation.name}”的培训(认定)")
    if level < approval.top_level:  # 1 is the highest level
        raise TrainingError(
            f"等级:{institution}的“{occupation.name}”最高只能到"
            f"{SkillLevel(approval.top_level).label}"
        )
    return approval


# --- institutions ------------------------------------------------------------------------
def add_institution(
    *,
    user: User,
    employer,
    kind: str,
    may_evaluate: bool,
    approved_on: dt.date,
    approvals: list[tuple[str, int]],
    address: str = "",
) -> Institution:
    """Put an institution on record (备案) with the occupations it is approved for."""
    refusal = change_refusal(user, stored=employer.region_id)
    if refusal:
        raise TrainingError(refusal)
    if kind not in Institution.Kind.values:
        raise TrainingError(f"机构类型:未知的类型“{kind}”")
    if approved_on > timezone.localdate():
        raise TrainingError("备案日期:不能晚于今天")
    if Institution.objects.filter(employer=employer).exists():
        raise TrainingError(f"{employer.name}已是备案的培训机构")
    if not approvals:
        raise TrainingError("核准职业:至少一个")
    codes = [code for code, _ in approvals]
    twice = sorted({c for c in codes if codes.count(c) > 1})
    if twice:
        raise TrainingError(f"核准职业:{'、'.join(twice)}重复,每个职业只写一行")
    rows = []
    known = Occupation.objects.in_bulk(codes)
    for n, (code, level) in enumerate(approvals, start=1):
        if code not in known:
            raise TrainingError(f"核准职业第{n}项:职业代码“{code}”不在职业分类大典中")
        rows.append((known[code], _level(level)))
    with transaction.atomic():
        institution = Institution.objects.create(
            employer=employer,
            kind=kind,
            may_evaluate=may_evaluate,
            approved_on=approved_on,
            address=address.strip()[:255],
        )
        Approval.objects.bulk_create(
            Approval(institution=institution, occupation=occ, top_level=level)
            for occ, level in rows
        )
    record_audit(actor=user, action="培训机构备案", obj=institution, changes={"kind": kind})
    return institution


# --- courses -----------------------------------------------------------------------------
def create_course(*, user: User, institution: Institution, **fields) -> Course:
    """Open a class. A skill class needs an occupation the institution is approved for, at
    a level it may train; an order class (订单式) names the employer it trains for."""
    _runs_or_refuse(user, institution)
    if not institution.active:
        raise TrainingError(f"{institution}的备案已失效")
    kind = fields.get("kind")
    if kind not in Course.Kind.values:
        raise TrainingError(f"培训类型:未知的类型“{kind}”")
    occupation, level = fields.get("occupation"), fields.get("level")
    if kind == Course.Kind.STARTUP:
        level = int(level) if level not in (None, "") else None
        if level is not None:
            raise TrainingError("等级:创业培训不分职业技能等级")
    else:
        level = _level(level)
        _approval(institution, occupation, level)
    start, end = fields["start"], fields["end"]
    if end < start:
        raise TrainingError("结业日期:不能早于开班日期")
    if end < timezone.localdate():
        raise TrainingError("结业日期:不能开设已经结束的班级")
    if (end - start).days > MAX_COURSE_DAYS:
        raise TrainingError(f"结业日期:一期培训不超过{MAX_COURSE_DAYS}天")
    capacity = fields.get("capacity") or 0
    if not 0 < capacity <= MAX_CAPACITY:
        raise TrainingError(f"招生人数:须在1–{MAX_CAPACITY}之间")
    hours = fields.get("hours") or 0
    if not 0 < hours <= MAX_HOURS:
        raise TrainingError(f"课时:须在1–{MAX_HOURS}之间")
    groups = [g for g in fields.get("groups") or [] if g]
    unknown = [g for g in groups if g not in KeyGroup.values]
    if unknown:
        raise TrainingError(f"面向重点群体:未知的群体“{'、'.join(unknown)}”")
    mode = fields.get("mode") or Course.Mode.OPEN
    if mode not in Course.Mode.values:
        raise TrainingError(f"组织方式:未知的方式“{mode}”")
    if mode == Course.Mode.ORDER and not fields.get("employer"):
        raise TrainingError("订单单位:订单式培训须写明为哪家用人单位培训")
    community = fields["community"]
    if community.level != RegionLevel.COMMUNITY:
        raise TrainingError("培训地点:请选择到社区(村)")
    if not community.code.startswith(institution.region_code[:6]):
        raise TrainingError("培训地点:须在本机构所在的县(市、区)内")
    course = Course.objects.create(
        institution=institution,
        title=fields["title"].strip()[:128] or "培训班",
        kind=kind,
        mode=mode,
        occupation=occupation if kind != Course.Kind.STARTUP else None,
        level=level,
        employer=fields.get("employer"),
        start=start,
        end=end,
        hours=hours,
        community=community,
        address=(fields.get("address") or "").strip()[:255],
        capacity=capacity,
        subsidised=bool(fields.get("subsidised", True)),
        groups=groups,
        created_by=user,
    )
    record_audit(actor=user, action="开设培训班", obj=course, changes={"title": course.title})
    return course


# --- enrolment ---------------------------------------------------------------------------
def enrol(*, user: User, course: Course, person: Person, voucher_code: str = "") -> Enrolment:
    """Enrol ``person`` (the worker themselves, or staff of the person's region on their
    behalf). Refused over capacity, twice, after the class ended, outside the groups the
    class is for, or with a voucher that is not the person's, already used or expired."""
    today = timezone.localdate()
    if is_owner(user, person_id=person.pk):
        channel = Enrolment.Channel.SELF
    else:
        refusal = change_refusal(user, stored=person.community_id)
        if refusal:
            raise TrainingError(refusal)
        channel = Enrolment.Channel.STAFF
    with transaction.atomic():
        course = Course.objects.select_for_update().get(pk=course.pk)  # capacity: one at a time
        if course.status != Course.Status.OPEN:
            raise TrainingError(f"{course}:{course.get_status_display()},不能报名")
        if course.end < today:
            raise TrainingError(f"{course}:已于{course.end}结业,不能报名")
        if course.enrolments.filter(person=person, status__in=Enrolment.LIVE).exists():
            raise TrainingError(f"{person.name}已报名{course},不能重复报名")
        live = course.enrolments.filter(status__in=Enrolment.LIVE).count()
        if live >= course.capacity:
            raise TrainingError(f"{course}:已报满({course.capacity}人)")
        if course.groups and not groups_on(person, today) & set(course.groups):
            labels = dict(KeyGroup.choices)
            whom = "、".join(labels.get(g, g) for g in course.groups)
            raise TrainingError(f"{course}仅面向{whom}")
        voucher = None
        if voucher_code:
            voucher = _redeem(voucher_code, person, course, today)
        try:
            with transaction.atomic():
                enrolment = Enrolment.objects.create(
                    course=course,
                    person=person,
                    channel=channel,
                    voucher=voucher,
                    enrolled_on=today,
                    enrolled_by=user,
                )
        except IntegrityError:
            raise TrainingError(f"{person.name}已报名{course},不能重复报名") from None
    if channel == Enrolment.Channel.STAFF:
        from apps.services.services import record_service

        # staff putting a person on a course is the service 培训推荐 (a promise counts it)
        record_service(user=user, person=person, kind="training", outcome=str(course)[:255])
    record_audit(
        actor=user,
        action="培训报名",
        obj=enrolment,
        changes={"course": course.pk, "person": person.pk, "voucher": voucher_code or ""},
    )
    return enrolment


def _redeem(code: str, person: Person, course: Course, today: dt.date) -> Voucher:
    code = code.strip().upper()[:16]
    voucher = Voucher.objects.select_for_update().filter(code=code).first()
    if voucher is None or voucher.person_id != person.pk:
        raise TrainingError(f"培训券:“{code}”不是{person.name}的培训券")
    if voucher.status == Voucher.Status.REDEEMED:
        raise TrainingError(f"培训券:{code}已使用,不能重复使用")
    if voucher.status == Voucher.Status.CANCELLED:
        raise TrainingError(f"培训券:{code}已作废")
    if voucher.expires_on < today:
        raise TrainingError(f"培训券:{code}已于{voucher.expires_on}过期")
    if not course.subsidised:
        raise TrainingError(f"培训券:{course}不是补贴性培训,不能使用培训券")
    voucher.status = Voucher.Status.REDEEMED
    voucher.redeemed_at = timezone.now()
    voucher.save(update_fields=["status", "redeemed_at"])
    return voucher


def withdraw(*, user: User, enrolment: Enrolment) -> Enrolment:
    """Leave a class before completing it; a voucher used for it can be used again."""
    if not (
        is_owner(user, person_id=enrolment.person_id)
        or change_refusal(user, stored=enrolment.person.community_id) is None
        or runs(user, enrolment.course.institution)
    ):
        raise TrainingError("无权办理该报名的退出")
    if enrolment.status != Enrolment.Status.ENROLLED:
        raise TrainingError(f"该报名{enrolment.get_status_display()},不能退出")
    with transaction.atomic():
        enrolment.status = Enrolment.Status.WITHDRAWN
        enrolment.withdrawn_on = timezone.localdate()
        voucher = enrolment.voucher
        enrolment.voucher = None
        enrolment.save(update_fields=["status", "withdrawn_on", "voucher"])
        if voucher:
            voucher.status, voucher.redeemed_at = Voucher.Status.ISSUED, None
            voucher.save(update_fields=["status", "redeemed_at"])
    record_audit(actor=user, action="退出培训", obj=enrolment)
    return enrolment


# --- attendance and completion -----------------------------------------------------------
def record_attendance(
    *, user: User, course: Course, day: dt.date, present: set[int], absent: set[int] = frozenset()
) -> int:
    """A day's register: ``present`` and ``absent`` are person ids, each of whom must be
    enrolled in the class. Recording a day again replaces it. Returns the rows written."""
    _runs_or_refuse(user, course.institution)
    if not course.start <= day <= course.end:
        raise TrainingError(f"日期:{day}不在开班日期{course.start}至{course.end}之内")
    if day > timezone.localdate():
        raise TrainingError("日期:不能登记未来的考勤")
    if present & absent:
        raise TrainingError("考勤:同一人不能既出勤又缺勤")
    enrolled = dict(
        course.enrolments.filter(status=Enrolment.Status.ENROLLED).values_list("person_id", "pk")
    )
    strangers = (present | absent) - set(enrolled)
    if strangers:  # named by nothing the class does not already show
        raise TrainingError(f"考勤:所选的{len(strangers)}人未报名本班(或已退出、已结业)")
    with transaction.atomic():
        for pid, is_present in [(p, True) for p in present] + [(p, False) for p in absent]:
            Attendance.objects.update_or_create(
                enrolment_id=enrolled[pid],
                day=day,
                defaults={"present": is_present, "recorded_by": user},
            )
    return len(present) + len(absent)


@dataclass
class Completion:
    enrolment: Enrolment
    certificate: Certificate | None = None
    application: object | None = None  # policies.SubsidyApplication
    subsidy_note: str = ""


def complete(
    *, user: User, enrolment: Enrolment, passed: bool, day: dt.date, note: str = ""
) -> Completion:
    """Record a person's completion (结业). A pass in a skill class of an institution that
    evaluates issues the certificate at the class's level; the certificate (or a pass of
    a subsidised class) then produces the training subsidy application."""
    course = enrolment.course
    _runs_or_refuse(user, course.institution)
    if enrolment.status != Enrolment.Status.ENROLLED:
        raise TrainingError(
            f"{enrolment.person.name}:{enrolment.get_status_display()},不能再登记结业"
        )
    if day < course.start:
        raise TrainingError(f"结业日期:不能早于开班日期{course.start}")
    if day > timezone.localdate():
        raise TrainingError("结业日期:不能晚于今天")
    result = Completion(enrolment)
    with transaction.atomic():
        enrolment.status = Enrolment.Status.COMPLETED if passed else Enrolment.Status.FAILED
        enrolment.completed_on = day
        enrolment.result_note = note.strip()[:255]
        enrolment.save(update_fields=["status", "completed_on", "result_note"])
        if passed and course.kind != Course.Kind.STARTUP and course.institution.may_evaluate:
            result.certificate = issue_certificate(
                user=user,
                institution=course.institution,
                person=enrolment.person,
                occupation=course.occupation,
                level=course.level,
                issued_on=day,
                enrolment=enrolment,
            )
    record_audit(
        actor=user,
        action="培训结业",
        obj=enrolment,
        changes={"passed": passed, "day": day.isoformat()},
    )
    if result.certificate and course.subsidised:
        result.application, result.subsidy_note = _apply_for_subsidy(user, result.certificate)
    return result


# --- certificates ------------------------------------------------------------------------
def _employed_by(person: Person, employer_id: int, day: dt.date) -> bool:
    from apps.people.models import Registration

    return Registration.objects.filter(
        in_force_on(day), person=person, employer_id=employer_id, kind="employment"
    ).exists()


def issue_certificate(
    *,
    user: User,
    institution: Institution,
    person: Person,
    occupation: Occupation | None,
    level,
    issued_on: dt.date,
    enrolment: Enrolment | None = None,
) -> Certificate:
    """A skill-level certificate (职业技能等级证书) from an evaluation by ``institution``:
    only for an occupation and level it is approved for, once per person, occupation and
    level. On the person's file at once (and so in their matching)."""
    _runs_or_refuse(user, institution)
    if not institution.may_evaluate:
        raise TrainingError(f"{institution}不是职业技能等级认定机构,不能发证")
    level = _level(level)
    _approval(institution, occupation, level)
    if issued_on > timezone.localdate():
        raise TrainingError("发证日期:不能晚于今天")
    own_staff = (
        institution.kind == Institution.Kind.ENTERPRISE
        and _employed_by(person, institution.employer_id, issued_on)
        and pays_enterprise_directly(institution.region_code, issued_on.year)
    )
    try:
        with transaction.atomic():
            certificate = Certificate.objects.create(
                person=person,
                kind=Certificate.Kind.SKILL_LEVEL,
                occupation=occupation,
                name=occupation.name,
                level=level,
                issued_on=issued_on,
                issuer=institution.employer.name,
            )
            certificate.number = certificate_number(certificate, institution)
            certificate.save(update_fields=["number"])
            Evaluation.objects.create(
                certificate=certificate,
                institution=institution,
                enrolment=enrolment,
                subsidy_to_enterprise=own_staff,
                issued_by=user,
            )
            # the matching index re-reads people whose updated_at moved
            Person.objects.filter(pk=person.pk).update(updated_at=timezone.now())
    except IntegrityError:
        raise TrainingError(
            f"{person.name}已有“{occupation.name}”{SkillLevel(level).label}证书"
        ) from None
    record_audit(
        actor=user,
        action="颁发职业技能等级证书",
        obj=certificate,
        changes={"person": person.pk, "occupation": occupation.pk, "level": level},
    )
    return certificate


def pays_enterprise_directly(region_code: str, year: int) -> bool:
    """Does the region pay the training subsidy of an enterprise's self-evaluated staff to
    the enterprise (the policy enterprise_training_subsidy in force that year)?"""
    from apps.policies.rules import catalog
    from apps.policies.rules.system import system_for

    spec = catalog.policies()["enterprise_training_subsidy"]
    return catalog.in_force(spec, system_for(region_code[:6]), dt.date(year, 1, 1))


def certificate_number(certificate: Certificate, institution: Institution) -> str:
    """The platform's certificate number: year, the institution's county, a serial."""
    return f"JY{certificate.issued_on:%Y}{institution.region_code[:6]}{certificate.pk:08d}"


def _apply_for_subsidy(user: User, certificate: Certificate):
    """The training subsidy for a certificate: to the enterprise that trained and
    evaluated its own staff (003 二.(二)7), else to the person, filed by the institution
    (“由培训机构统一申报”) or the staff member who recorded the completion. A person or
    enterprise not entitled gets no application; the note says why."""
    from apps.policies.services import PolicyError, submit

    evaluation = certificate.evaluation
    if evaluation.subsidy_to_enterprise:
        code, subject = "enterprise_training_subsidy", evaluation.institution.employer
    else:
        code, subject = "training_subsidy", certificate.person
    try:
        application = submit(
            code=code, subject=subject, year=certificate.issued_on.year, user=user, via=certificate
        )
    except PolicyError as e:
        details = "；".join(e.args[1]) if len(e.args) > 1 and e.args[1] else ""
        return None, f"{e.args[0]}{('(' + details + ')') if details else ''}"
    return application, f"已提交{application.amount}元的培训补贴申请,待初审"


# --- vouchers ----------------------------------------------------------------------------
def _voucher_code() -> str:
    return "".join(secrets.choice(VOUCHER_ALPHABET) for _ in range(10))


def training_group(region_prefix: str, year: int, person_ids=None) -> dict[int, list[str]]:
    """Person id → the reasons they belong to the training subsidy's target group this
    year (the rule ``in_training_group`` of the policies, evaluated over the region)."""
    from apps.policies.loader import load
    from apps.policies.rules.engine import simulation
    from apps.policies.sweeps import system_with

    labels = {
        "is_poverty_alleviated": "脱贫劳动力",
        "is_monitored": "防返贫监测对象",
        "is_migrant_worker": "农民工",
        "is_registered_unemployed": "登记失业人员",
        "graduating_this_year": "毕业年度高校毕业生",
    }
    out: dict[int, list[str]] = {}
    for county, population in load(region_prefix, year, person_ids=person_ids).items():
        system = system_with(county, None)
        sim = simulation(system, population, year)
        n = population.count("person")
        member = sim.calculate("in_training_group", str(year))[:n]
        parts = {name: sim.calculate(name, str(year))[:n] for name in labels}
        ids = population.ids["person"]
        mine = member.copy()
        if population.residents is not None:
            mine &= population.residents
        for i in mine.nonzero()[0]:
            out[int(ids[i])] = [label for name, label in labels.items() if parts[name][i]]
    return out


def issue_vouchers(
    *, user: User, region_prefix: str, year: int, person_ids=None, days: int = VOUCHER_DAYS
) -> int:
    """A voucher for everyone of the region in the training group this year who has none
    for the year yet (the rule decides, not the clerk). Returns how many were issued."""
    if not user.is_clerk:
        raise TrainingError("只有经办人员可以发放培训券")
    refusal = change_refusal(user, stored=region_prefix) if region_prefix else None
    if refusal or (not region_prefix and not user.is_superuser and user.role != Role.ADMIN):
        raise TrainingError(refusal or "区域:请选择要发放的区域")
    today = timezone.localdate()
    if year != today.year:  # the rule reads this year's groups; a voucher runs from today
        raise TrainingError(f"年度:只能发放本年度({today.year}年)的培训券")
    found = training_group(region_prefix, year, person_ids)
    have = set(
        Voucher.objects.filter(year=year, person_id__in=list(found)).values_list(
            "person_id", flat=True
        )
    )
    rows = [
        Voucher(
            code=_voucher_code(),
            person_id=pid,
            year=year,
            issued_on=today,
            expires_on=today + dt.timedelta(days=days),
            basis=reasons,
            issued_by=user,
        )
        for pid, reasons in found.items()
        if pid not in have
    ]
    with transaction.atomic():
        Voucher.objects.bulk_create(rows, batch_size=2000)
    record_audit(
        actor=user,
        action="发放培训券",
        model="training.Voucher",
        changes={"region": region_prefix, "year": year, "issued": len(rows)},
    )
    return len(rows)
