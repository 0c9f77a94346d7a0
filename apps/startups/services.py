"""Writes of the entrepreneurship services: a startup registered with its founder, a
guarantee loan within the caps in force, an incubator taking a startup in, the mentor
pool and the requests matched to mentors. Refusals name the field or the rule, in
Chinese; nothing is half-written."""

from __future__ import annotations

import calendar
import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone

from apps.accounts.models import User
from apps.accounts.permissions import change_refusal, is_owner
from apps.accounts.services import record_audit
from apps.people.models import Person, Registration
from apps.people.selectors import in_force_on

from .models import (
    GuaranteeLoan,
    Incubator,
    Mentor,
    MentorRequest,
    Project,
    ProjectInterest,
    Startup,
    Tenancy,
)


class StartupError(ValueError):
    """What the rules refuse; the message names the field or the rule, in Chinese."""


def _refuse(user: User, region: str | None) -> None:
    refusal = change_refusal(user, stored=region)
    if refusal:
        raise StartupError(refusal)


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


# --- startups ----------------------------------------------------------------------------
def register_startup(
    *, user: User, employer, founder: Person, origin: str, founded_on: dt.date
) -> Startup:
    """Record a business as a startup of ``founder`` (staff of the business's region,
    who may also see the founder)."""
    _refuse(user, employer.region_id)
    _refuse(user, founder.community_id)
    if origin not in Startup.Origin.values:
        raise StartupError(f"创业者类别:未知的类别“{origin}”")
    if founded_on > timezone.localdate():
        raise StartupError("成立日期:不能晚于今天")
    if founded_on < add_months(founder.birth_date, 16 * 12):
        raise StartupError(f"成立日期:早于创办人{founder.name}年满16周岁")
    if employer.founder_id and employer.founder_id != founder.pk:
        raise StartupError(f"{employer.name}登记的创办人不是{founder.name}")
    if employer.founded_on and employer.founded_on != founded_on:
        raise StartupError(f"成立日期:{employer.name}登记的成立日期为{employer.founded_on}")
    try:
        with transaction.atomic():
            startup = Startup.objects.create(
                employer=employer,
                founder=founder,
                origin=origin,
                founded_on=founded_on,
                registered_by=user,
            )
            # the one-off startup subsidy's rule reads the founder and date on the employer
            employer.founder, employer.founded_on = founder, founded_on
            employer.save(update_fields=["founder", "founded_on", "updated_at"])
    except IntegrityError:
        raise StartupError(f"{employer.name}已登记为创业主体") from None
    record_audit(actor=user, action="登记创业主体", obj=startup, changes={"origin": origin})
    return startup


def jobs_created(startup: Startup, day: dt.date | None = None) -> int:
    """People other than the founder with an employment registration at the startup in
    force on ``day`` (创业带动就业)."""
    day = day or timezone.localdate()
    return (
        Registration.objects.filter(
            in_force_on(day), employer_id=startup.employer_id, kind=Registration.Kind.EMPLOYMENT
        )
        .exclude(person_id=startup.founder_id)
        .values("person_id")
        .distinct()
        .count()
    )


# --- guarantee loans ---------------------------------------------------------------------
def loan_caps(region_code: str, day: dt.date) -> tuple[Decimal, int]:
    """(highest amount, longest term in months) for a person's loan on ``day`` in their
    county: dated parameters (national, overridable per region)."""
    from openfisca_core.errors import ParameterNotFoundError

    from apps.policies.rules.system import system_for

    try:
        p = system_for(region_code[:6]).parameters(day.isoformat()).startup_loan
        cap, longest = p.max_amount, p.max_term_months
    except ParameterNotFoundError:
        cap = longest = None
    if cap is None or longest is None:
        raise StartupError(f"放款日期:{day}时平台没有个人创业担保贷款额度的规定(自2018年起)")
    return Decimal(str(cap)), int(longest)


def _decimal(value, field: str) -> Decimal:
    try:
        out = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise StartupError(f"{field}:须为数字") from None
    if not out.is_finite():
        raise StartupError(f"{field}:须为数字")
    if out != out.quantize(Decimal("0.01")):
        raise StartupError(f"{field}:最多两位小数")
    return out


def issue_loan(
    *,
    user: User,
    borrower: Person,
    startup: Startup | None,
    bank: str,
    amount,
    term_months: int,
    rate,
    subsidised_share,
    issued_on: dt.date,
) -> GuaranteeLoan:
    """Record a loan the bank granted. Refused above the cap or term in force, to a
    person who already holds an active loan, for someone else's startup."""
    _refuse(user, borrower.community_id)
    amount, rate = _decimal(amount, "贷款金额"), _decimal(rate, "年利率")
    share = _decimal(subsidised_share, "贴息比例")
    if not bank.strip():
        raise StartupError("经办银行:请填写")
    if amount <= 0:
        raise StartupError("贷款金额:须大于0")
    if not Decimal(0) <= rate <= Decimal(30):
        raise StartupError("年利率:须在0–30(%)之间")
    if not Decimal(0) <= share <= Decimal(100):
        raise StartupError("贴息比例:须在0–100(%)之间")
    if issued_on > timezone.localdate():
        raise StartupError("放款日期:不能晚于今天")
    cap, longest = loan_caps(borrower.community_id or "", issued_on)
    if amount > cap:
        raise StartupError(f"贷款金额:{issued_on}时个人创业担保贷款最高{cap:,.0f}元")
    if not 1 <= term_months <= longest:
        raise StartupError(f"贷款期限:须在1–{longest}个月之间")
    if startup is not None and startup.founder_id != borrower.pk:
        raise StartupError(f"{startup}的创办人不是{borrower.name}")
    if GuaranteeLoan.objects.filter(
        borrower=borrower, status__in=(GuaranteeLoan.Status.ACTIVE, GuaranteeLoan.Status.OVERDUE)
    ).exists():
        raise StartupError(f"{borrower.name}已有一笔未结清的创业担保贷款")
    try:
        with transaction.atomic():
            loan = GuaranteeLoan.objects.create(
                borrower=borrower,
                startup=startup,
                bank=bank.strip()[:64],
                amount=amount,
                term_months=term_months,
                rate=rate,
                subsidised_share=share,
                issued_on=issued_on,
                due_on=add_months(issued_on, term_months),
                recorded_by=user,
            )
    except IntegrityError:
        raise StartupError(f"{borrower.name}已有一笔未结清的创业担保贷款") from None
    record_audit(actor=user, action="登记创业担保贷款", obj=loan, changes={"amount": str(amount)})
    return loan


def settle_loan(*, user: User, loan: GuaranteeLoan, status: str, day: dt.date) -> GuaranteeLoan:
    """Repaid (结清) or overdue (逾期); a repaid loan is closed."""
    _refuse(user, loan.borrower.community_id)
    if loan.status == GuaranteeLoan.Status.REPAID:
        raise StartupError("该贷款已结清")
    if status not in (GuaranteeLoan.Status.REPAID, GuaranteeLoan.Status.OVERDUE):
        raise StartupError("状态:只能登记结清或逾期")
    if day < loan.issued_on or day > timezone.localdate():
        raise StartupError(f"日期:须在放款日{loan.issued_on}与今天之间")
    loan.status = status
    loan.repaid_on = day if status == GuaranteeLoan.Status.REPAID else None
    loan.save(update_fields=["status", "repaid_on"])
    record_audit(actor=user, action="贷款还款状态", obj=loan, changes={"status": status})
    return loan


def interest_subsidy(loan: GuaranteeLoan) -> Decimal:
    """The interest the state pays over the whole term (simple interest, as banks bill
    these loans): amount × rate × years × share."""
    years = Decimal(loan.term_months) / 12
    return (loan.amount * loan.rate / 100 * years * loan.subsidised_share / 100).quantize(
        Decimal("0.01")
    )


# --- incubators --------------------------------------------------------------------------
def admit(*, user: User, incubator: Incubator, startup: Startup, start: dt.date) -> Tenancy:
    """Take a startup into an incubator: not over its capacity, not while it is in one."""
    _refuse(user, incubator.community_id)
    with transaction.atomic():
        incubator = Incubator.objects.select_for_update().get(pk=incubator.pk)
        if Tenancy.objects.filter(startup=startup, end__isnull=True).exists():
            raise StartupError(f"{startup}已在孵,须先出孵")
        housed = incubator.tenancies.filter(end__isnull=True).count()
        if housed >= incubator.capacity:
            raise StartupError(f"{incubator}已满({incubator.capacity}个主体)")
        if start > timezone.localdate():
            raise StartupError("入驻日期:不能晚于今天")
        if start < startup.founded_on:
            raise StartupError(f"入驻日期:早于{startup}的成立日期{startup.founded_on}")
        last = startup.tenancies.order_by("-end").values_list("end", flat=True).first()
        if last and start < last:
            raise StartupError(f"入驻日期:早于上次出孵日期{last}")
        tenancy = Tenancy.objects.create(incubator=incubator, startup=startup, start=start)
    record_audit(actor=user, action="入驻孵化基地", obj=tenancy)
    return tenancy


def leave(*, user: User, tenancy: Tenancy, end: dt.date) -> Tenancy:
    _refuse(user, tenancy.incubator.community_id)
    if tenancy.end is not None:
        raise StartupError("已出孵")
    if end < tenancy.start:
        raise StartupError(f"出孵日期:不能早于入驻日期{tenancy.start}")
    if end > timezone.localdate():
        raise StartupError("出孵日期:不能晚于今天")
    tenancy.end = end
    tenancy.save(update_fields=["end"])
    return tenancy


# --- mentors -----------------------------------------------------------------------------
def ask_mentor(*, user: User, startup: Startup, topic: str) -> MentorRequest:
    """The founder, or staff of the startup's region, asks the pool for help."""
    if not is_owner(user, person_id=startup.founder_id):
        _refuse(user, startup.employer.region_id)
    topic = topic.strip()
    if len(topic) < 4:
        raise StartupError("需求:请写明需要导师帮助的问题(至少4个字)")
    if startup.requests.filter(status=MentorRequest.Status.OPEN).count() >= 3:
        raise StartupError("已有3条待匹配的需求,请等待导师指派")
    request = MentorRequest.objects.create(startup=startup, topic=topic[:255])
    record_audit(actor=user, action="提出导师帮扶需求", obj=request)
    return request


def suggest_mentors(request: MentorRequest, limit: int = 5) -> list[tuple[Mentor, list[str]]]:
    """Mentors for a request, with why: one who knows the startup's industry (its 门类 or
    大类, GB/T 4754) first, then one of its county, then the least busy."""
    employer = request.startup.employer
    known = {employer.industry_id, getattr(employer.industry, "section_id", None)} - {None}
    county = (employer.region_id or "")[:6]
    mentors = (
        Mentor.objects.filter(active=True)
        .prefetch_related("industries")
        .annotate(busy=Count("requests", filter=Q(requests__status="assigned")))
    )
    ranked = []
    for m in mentors:
        reasons, score = [], 0
        if known & {i.code for i in m.industries.all()}:
            score += 2
            reasons.append("熟悉该行业")
        if m.region_id.startswith(county):
            score += 1
            reasons.append("同一县(市、区)")
        reasons.append(f"在帮扶{m.busy}个主体")
        ranked.append((-score, m.busy, m.pk, m, reasons))
    ranked.sort(key=lambda r: r[:3])
    return [(m, reasons) for *_, m, reasons in ranked[:limit]]


def assign(*, user: User, request: MentorRequest, mentor: Mentor) -> MentorRequest:
    _refuse(user, request.startup.employer.region_id)
    if request.status != MentorRequest.Status.OPEN:
        raise StartupError("该需求已指派或办结")
    if not mentor.active:
        raise StartupError(f"{mentor}已不在导师库")
    request.mentor, request.status = mentor, MentorRequest.Status.ASSIGNED
    request.save(update_fields=["mentor", "status"])
    record_audit(actor=user, action="指派创业导师", obj=request, changes={"mentor": mentor.pk})
    return request


def close_request(*, user: User, request: MentorRequest, outcome: str) -> MentorRequest:
    _refuse(user, request.startup.employer.region_id)
    if request.status != MentorRequest.Status.ASSIGNED:
        raise StartupError("只能办结已指派导师的需求")
    if not outcome.strip():
        raise StartupError("帮扶结果:请填写")
    request.status, request.outcome = MentorRequest.Status.CLOSED, outcome.strip()[:255]
    request.save(update_fields=["status", "outcome"])
    return request


# --- the project pool --------------------------------------------------------------------
MAX_INVESTMENT = 100_000_000


def add_project(
    *, user: User, title: str, industry, region, summary: str, investment, jobs, source=""
):
    """Put a project in the pool (staff of the region it suits)."""
    _refuse(user, region.code)
    title, summary = title.strip(), summary.strip()
    if not title:
        raise StartupError("项目名称:请填写")
    if len(summary) < 10:
        raise StartupError("项目简介:请写明做什么、需要什么条件(至少10个字)")
    if not 0 < investment <= MAX_INVESTMENT:
        raise StartupError("参考投资额:须在1元至1亿元之间")
    if not 0 < jobs <= 10000:
        raise StartupError("可带动就业:须在1–10000人之间")
    if Project.objects.filter(title=title[:128], region=region, active=True).exists():
        raise StartupError(f"项目名称:{region.name}已有在库项目“{title}”")
    project = Project.objects.create(
        title=title[:128],
        industry=industry,
        region=region,
        summary=summary[:4000],
        investment=investment,
        jobs=jobs,
        source=source.strip()[:128],
        created_by=user,
    )
    record_audit(actor=user, action="创业项目入库", obj=project)
    return project


def projects_for(person: Person | None, region_prefix: str = ""):
    """Projects in the pool, those of the person's county (or the region asked) first."""
    qs = Project.objects.filter(active=True).select_related("industry", "region")
    county = ((person.community_id or "")[:6] if person else "") or region_prefix[:6]
    ordered = sorted(
        qs, key=lambda p: (not (county and p.region_id.startswith(county)), p.investment, p.pk)
    )
    return ordered


def show_interest(*, user: User, project: Project) -> ProjectInterest:
    """The worker themselves registers interest in a project, once."""
    person = user.person if user.is_authenticated else None
    if person is None or not is_owner(user, person_id=person.pk):
        raise StartupError("请以劳动者账号登录后登记意向")
    if not project.active:
        raise StartupError("该项目已下架")
    interest, made = ProjectInterest.objects.get_or_create(project=project, person=person)
    if not made:
        raise StartupError("您已登记过对该项目的意向")
    return interest
