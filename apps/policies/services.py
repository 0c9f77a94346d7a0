"""Applications for subsidies: assess one subject with the rules, submit (the person, the
employer, or staff on their behalf), two-level review, payment batches. Every state change
is a compare-and-set on the status, so two reviewers racing cannot both approve, and the
database refuses a second live application for the same subject, policy and period."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import IntegrityError, transaction

from apps.accounts.models import ROLE_SCOPE_LEVEL, Role
from apps.accounts.permissions import may_change
from apps.accounts.scoping import in_scope
from apps.accounts.services import record_audit
from apps.employers.models import Employer
from apps.people.models import Person
from apps.regions.models import Region

from .loader import load
from .models import Entitlement, Payment, PaymentBatch, Review, SubsidyApplication
from .rules import catalog
from .rules.engine import evaluate
from .rules.system import RulesError, system_for
from .sweeps import SUBJECT_PREFIX, reasons_for, subject_fields

Status = SubsidyApplication.Status


class PolicyError(ValueError):
    """A request the rules or the workflow refuse, with the reason for the user."""

    def __init__(self, message: str, errors: list[str] | None = None) -> None:
        self.message = message
        self.errors = errors or []
        super().__init__(" ".join([message, *self.errors]))


@dataclass
class Assessment:
    spec: catalog.PolicySpec
    year: int
    amount: Decimal
    held: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)

    @property
    def entitled(self) -> bool:
        return self.amount > 0


def subject_info(subject) -> tuple[str, object, str]:
    """(kind, id, region code) of a person, an employer or a community."""
    if isinstance(subject, Person):
        return "person", subject.pk, subject.community_id or ""
    if isinstance(subject, Employer):
        return "enterprise", subject.pk, subject.region_id
    if isinstance(subject, Region):
        return "community", subject.code, subject.code
    raise PolicyError("申请对象须为个人、用人单位或社区")


def in_force_or_error(spec: catalog.PolicySpec, system, year: int, region_code: str) -> None:
    if catalog.in_force(spec, system, datetime.date(year, 1, 1)):
        return
    spans = catalog.validity(spec, system).periods
    if not spans:
        raise PolicyError(f"{spec.name}:本地区({region_code[:6]})未实施该政策")
    start, stop = spans[0][0], spans[-1][1]
    if stop is not None and datetime.date(year, 1, 1) > stop:
        raise PolicyError(f"{spec.name}:该政策已于{stop:%Y-%m-%d}到期,{year}年不能申请")
    raise PolicyError(f"{spec.name}:{year}年不在该政策有效期内(自{start:%Y-%m-%d}起实施)")


def assess(code: str, subject, year: int) -> Assessment:
    """Evaluate one policy for one subject with the rules of the subject's county."""
    try:
        spec = catalog.get(code)
    except RulesError as exc:
        raise PolicyError(str(exc)) from None
    kind, key, region = subject_info(subject)
    if kind != spec.entity:
        raise PolicyError(f"{spec.name}:该政策面向{spec.entity_label}")
    if len(region) < 6:
        raise PolicyError(f"{spec.name}:申请对象没有所在区域,无法确定适用的政策")
    system = system_for(region[:6])
    in_force_or_error(spec, system, year, region)
    filters = {"person": "person_ids", "enterprise": "employer_ids", "community": "community_codes"}
    population = load(region[:6], year, **{filters[kind]: [key]}).get(region[:6])
    ids = [] if population is None else list(population.ids[kind])
    if key not in ids:
        raise PolicyError(f"{spec.name}:在{region[:6]}的登记信息中找不到该申请对象")
    i = ids.index(key)
    out = evaluate(system, population, year, [spec])[spec.code]
    held = [system.variables[n].label for n in spec.conditions if out.conditions[n][i]]
    failed = [system.variables[n].label for n in spec.conditions if not out.conditions[n][i]]
    amount = Decimal(str(round(float(out.amount[i]), 2)))
    return Assessment(
        spec, year, amount, held, failed, reasons_for(system, spec)(out, i) if amount > 0 else []
    )


# A training institution files the training subsidy of a certificate it issued
# (catalog: 职业培训补贴 “由培训机构统一申报”).
FILED_BY_INSTITUTION = {"training_subsidy", "enterprise_training_subsidy"}


def may_act_for(user, kind: str, subject, region: str, *, code: str = "", via=None) -> bool:
    """The person themselves, the employer's own account, or staff of the region; and
    the institution that issued ``via`` (a certificate) for its training subsidy."""
    if user.is_clerk:
        return may_change(user, stored=region)
    if via is not None and code in FILED_BY_INSTITUTION:
        evaluation = getattr(via, "evaluation", None)
        if (
            evaluation is not None
            and user.employer_id is not None
            and user.employer_id == evaluation.institution.employer_id
            and subject in (via.person, evaluation.institution.employer)
        ):
            return True
    if kind == "person":
        return user.person_id is not None and user.person_id == subject.pk
    if kind == "enterprise":
        return user.employer_id is not None and user.employer_id == subject.pk
    return False


def submit(
    *,
    code: str,
    subject,
    year: int,
    user,
    entitlement: Entitlement | None = None,
    via=None,
) -> SubsidyApplication:
    """Apply for ``code`` for ``subject``; ``via`` is what the application follows from
    when someone other than the subject files it (a certificate its institution issued)."""
    kind, key, region = subject_info(subject)
    if not may_act_for(user, kind, subject, region, code=code, via=via):
        raise PolicyError("无权为该对象申请")
    assessment = assess(code, subject, year)
    spec = assessment.spec
    if not assessment.entitled:
        raise PolicyError(
            f"{spec.name}:不符合享受条件",
            [f"未满足:{label}" for label in assessment.failed]
            or ["按规定计算的金额为0元(如参保职工人数、安置人数为0)"],
        )
    channel = (
        SubsidyApplication.Channel.SWEEP
        if entitlement
        else SubsidyApplication.Channel.STAFF
        if user.is_clerk
        else SubsidyApplication.Channel.SELF
    )
    try:
        with transaction.atomic():
            application = SubsidyApplication.objects.create(
                **subject_fields(kind, key, region),
                policy=code,
                year=year,
                claim_key=spec.claim_key(year),
                amount=assessment.amount,
                reasons=assessment.reasons,
                channel=channel,
                entitlement=entitlement,
                submitted_by=user,
            )
    except IntegrityError:
        period = "" if spec.frequency == "once" else f"{year}年"
        raise PolicyError(f"{spec.name}:该对象{period}已有申请(同一对象不能重复享受)") from None
    record_audit(
        actor=user,
        action="提交补贴申请",
        obj=application,
        changes={
            "policy": code,
            "subject": application.subject_key,
            "amount": str(assessment.amount),
        },
    )
    return application


def apply_from_entitlement(entitlement: Entitlement, user) -> SubsidyApplication:
    """Staff (or the subject) turn a sweep's finding into an application in one action."""
    if entitlement.sweep.trial:
        raise PolicyError("试算结果不能转为申请")
    return submit(
        code=entitlement.policy,
        subject=entitlement.subject,
        year=entitlement.sweep.year,
        user=user,
        entitlement=entitlement,
    )


def _move(application: SubsidyApplication, frm, to) -> None:
    """Compare-and-set of the status: refuses when someone else moved it first."""
    moved = SubsidyApplication.objects.filter(pk=application.pk, status=frm).update(status=to)
    if moved != 1:
        raise PolicyError(f"申请#{application.pk}已被他人处理,请刷新后查看")
    application.status = to


def review_refusal(user, application: SubsidyApplication, reviewers: set[int]) -> str | None:
    """Why ``user`` may not review ``application`` at its current stage (None: they may).
    ``reviewers``: who has reviewed it so far (users' pks)."""
    if not may_change(user, stored=application.region_code):
        return "只有本区域的经办人员可以审核"
    if application.status == Status.FIRST_APPROVED:
        if user.pk in reviewers:
            return "复审须由初审以外的人员进行"
        if ROLE_SCOPE_LEVEL.get(user.role, 0) > 3 and user.role != Role.ADMIN:
            return "复审须由县级及以上经办人员进行"
    elif application.status != Status.SUBMITTED:
        return f"申请#{application.pk}当前状态为“{application.get_status_display()}”,不能审核"
    return None


def review(
    application_id: int, *, user, approve: bool, seen: str, note: str = ""
) -> SubsidyApplication:
    """First review (初审, any clerk of the region: the street usually) moves a submitted
    application on; second review (复审), by someone else of county level or above,
    approves it for payment. Rejection needs a reason. ``seen`` is the stage the reviewer
    saw when deciding: a decision on a stage that has moved since is refused, so that a
    stale click never becomes the next stage's review."""
    with transaction.atomic():
        application = SubsidyApplication.objects.select_for_update().get(pk=application_id)
        if application.status != seen:
            if not may_change(user, stored=application.region_code):
                raise PolicyError("只有本区域的经办人员可以审核")
            raise PolicyError(f"申请#{application.pk}已被他人处理,请刷新后查看")
        reviewers = set(application.reviews.values_list("reviewer_id", flat=True))
        refusal = review_refusal(user, application, reviewers)
        if refusal:
            raise PolicyError(refusal)
        level = 1 if application.status == Status.SUBMITTED else 2
        to = Status.FIRST_APPROVED if level == 1 else Status.APPROVED
        if not approve and not note.strip():
            raise PolicyError("审核意见:不通过时须说明理由")
        frm = application.status
        _move(application, frm, to if approve else Status.REJECTED)
        try:
            with transaction.atomic():
                Review.objects.create(
                    application=application, level=level, approve=approve, note=note, reviewer=user
                )
        except IntegrityError:
            raise PolicyError(f"申请#{application.pk}已被他人审核") from None
        record_audit(
            actor=user,
            action=f"{'初审' if level == 1 else '复审'}{'通过' if approve else '不通过'}",
            obj=application,
            changes={"status": [frm, application.status], "note": note},
        )
    return application


def withdraw(application: SubsidyApplication, user) -> None:
    kind, _, region = subject_info(application.subject)
    if not may_act_for(user, kind, application.subject, region):
        raise PolicyError("无权撤回该申请")
    if application.status not in (Status.SUBMITTED, Status.FIRST_APPROVED):
        raise PolicyError("已审核通过或已结束的申请不能撤回")
    _move(application, application.status, Status.WITHDRAWN)
    record_audit(actor=user, action="撤回补贴申请", obj=application)


def create_batch(*, user, application_ids: list[int], region_prefix: str) -> PaymentBatch:
    """A payment batch of approved applications. Every offending application is named and
    nothing is created unless all are payable."""
    if not user.is_clerk:
        raise PolicyError("只有经办人员可以编制支付批次")
    if not in_scope(user, region_prefix):
        raise PolicyError("支付批次:区域须在本人管辖范围内")
    ids = sorted({int(i) for i in application_ids})
    if not ids:
        raise PolicyError("支付批次:请选择至少一条已审核通过的申请")
    with transaction.atomic():
        found = {a.pk: a for a in SubsidyApplication.objects.select_for_update().filter(pk__in=ids)}
        paid = set(
            Payment.objects.filter(application_id__in=ids).values_list("application_id", flat=True)
        )
        errors = []
        for pk in ids:
            a = found.get(pk)
            if a is None or not in_scope(user, a.region_code):  # one answer for both
                errors.append(f"申请#{pk}:不存在,或不在您的管辖区域内")
            elif not a.region_code.startswith(region_prefix):
                errors.append(f"申请#{pk}:不在本批次的区域内")
            elif pk in paid:
                errors.append(f"申请#{pk}:已列入其他支付批次")
            elif a.status != Status.APPROVED:
                errors.append(f"申请#{pk}:状态为“{a.get_status_display()}”,未审核通过")
        if errors:
            raise PolicyError("支付批次未生成:", errors)
        batch = PaymentBatch.objects.create(region_prefix=region_prefix, created_by=user)
        try:
            Payment.objects.bulk_create(
                Payment(
                    batch=batch,
                    application=found[pk],
                    policy=found[pk].policy,
                    region_code=found[pk].region_code,
                    amount=found[pk].amount,
                )
                for pk in ids
            )
        except IntegrityError:
            raise PolicyError("支付批次未生成:其中有申请已列入其他支付批次") from None
        batch.total = sum((found[pk].amount for pk in ids), Decimal(0))
        batch.save(update_fields=["total"])
        record_audit(actor=user, action="编制支付批次", obj=batch, changes={"applications": ids})
    return batch


def pay_batch(batch: PaymentBatch, *, user, paid_on: datetime.date, reference: str) -> PaymentBatch:
    """Record that the bank paid the batch: each application becomes paid, once."""
    if not may_change(user, stored=batch.region_prefix):
        raise PolicyError("只有本区域的经办人员可以确认支付")
    if not reference.strip():
        raise PolicyError("支付凭证号:请填写银行或国库支付凭证号")
    with transaction.atomic():
        moved = PaymentBatch.objects.filter(pk=batch.pk, status=PaymentBatch.Status.DRAFT).update(
            status=PaymentBatch.Status.PAID, paid_on=paid_on, reference=reference.strip()
        )
        if moved != 1:
            raise PolicyError(f"支付批次#{batch.pk}已确认支付,不能重复支付")
        ids = list(batch.payments.values_list("application_id", flat=True))
        updated = SubsidyApplication.objects.filter(pk__in=ids, status=Status.APPROVED).update(
            status=Status.PAID
        )
        if updated != len(ids):
            raise PolicyError(f"支付批次#{batch.pk}中有申请状态已改变,未确认支付")
        batch.payments.update(paid_on=paid_on)
        from apps.indicators.cells import touch_days

        touch_days(Payment, [paid_on])  # the indicators' cells of that month (bulk update)
        record_audit(
            actor=user,
            action="确认支付",
            obj=batch,
            changes={"paid_on": str(paid_on), "reference": reference},
        )
    batch.refresh_from_db()
    return batch


__all__ = [
    "Assessment",
    "PolicyError",
    "SUBJECT_PREFIX",
    "apply_from_entitlement",
    "assess",
    "create_batch",
    "pay_batch",
    "review",
    "submit",
    "withdraw",
]
