"""Subsidies (补贴): what the sweeps found people and employers are owed, the
applications and their reviews — read through the pages' scoped selectors."""

# (no `from __future__ import annotations` here: ninja reads these annotations as types)
import datetime as dt
from decimal import Decimal

from django.utils import timezone
from ninja import Field, Query, Router

from apps.accounts.scoping import scope_queryset
from apps.policies.models import Entitlement, SubsidyApplication
from apps.policies.rules import catalog
from apps.policies.selectors import applications_in_scope
from apps.policies.services import PolicyError, review

from .core import (
    ERRORS,
    IDEMPOTENCY_KEY,
    WRITE_ERRORS,
    ApiError,
    Key,
    Out,
    Params,
    choice_param,
    idempotent,
    log_read,
    paged,
)

router = Router(tags=["补贴 Subsidies"])


class SubjectOut(Out):
    kind: str = Field(description="person, enterprise or community")
    key: str
    name: str
    region: str


def _subject(row) -> dict:
    who = row.person or row.employer or row.community
    return {
        "kind": row.subject_kind,
        "key": row.subject_key,
        "name": getattr(who, "name", ""),
        "region": row.region_code,
    }


class ReviewOut(Out):
    level: int = Field(description="1 初审 first, 2 复审 second")
    approve: bool
    note: str
    at: dt.datetime


class ApplicationOut(Out):
    id: int
    policy: str
    policy_name: str
    year: int
    amount: Decimal
    status: str
    status_name: str
    channel: str
    subject: SubjectOut
    reasons: list
    submitted_at: dt.datetime
    reviews: list[ReviewOut]


def application_out(a: SubsidyApplication) -> dict:
    return {
        "id": a.pk,
        "policy": a.policy,
        "policy_name": _name(a.policy),
        "year": a.year,
        "amount": a.amount,
        "status": a.status,
        "status_name": a.get_status_display(),
        "channel": a.channel,
        "subject": _subject(a),
        "reasons": a.reasons,
        "submitted_at": timezone.localtime(a.submitted_at),
        "reviews": [
            {
                "level": r.level,
                "approve": r.approve,
                "note": r.note,
                "at": timezone.localtime(r.at),
            }
            for r in a.reviews.all()
        ],
    }


class ApplicationPage(Out):
    items: list[ApplicationOut]
    next: str | None


def _policy(code: str) -> str:
    if not code:
        return ""
    if code not in catalog.policies():
        listed = ", ".join(catalog.policies())
        raise ApiError(
            400,
            "unknown_code",
            f"没有政策“{code}”(可选:{listed})",
            f"Unknown policy '{code}' (one of: {listed})",
            "policy",
        )
    return code


class ApplicationsQuery(Params):
    policy: str = Field("", max_length=40, description="政策代码 policy code")
    status: str = Field("", max_length=16)
    year: int | None = Field(None, ge=2000, le=2100)
    cursor: str | None = Field(
        None, max_length=200, description="上一页返回的next the previous page's next"
    )
    limit: int = Field(20, ge=1, le=100, description="每页条数 items a page")


def _name(code: str) -> str:
    spec = catalog.policies().get(code)
    return spec.name if spec else code


@router.get(
    "/subsidies/applications",
    response={200: ApplicationPage, **ERRORS},
    auth=Key("subsidies:read"),
)
def list_applications(request, params: Query[ApplicationsQuery]):
    """补贴申请 The subsidy applications of your region, with their reviews."""
    qs = applications_in_scope(request.user).prefetch_related("reviews").order_by("pk")
    if params.policy:
        qs = qs.filter(policy=_policy(params.policy))
    if params.status:
        qs = qs.filter(
            status=choice_param(params.status, SubsidyApplication.Status.choices, "status")
        )
    if params.year:
        qs = qs.filter(year=params.year)
    return paged(qs, params, application_out, _logged(request, "补贴申请"))


class EntitlementOut(Out):
    id: int
    policy: str
    policy_name: str
    year: int
    amount: Decimal
    subject: SubjectOut
    reasons: list
    notified_at: dt.datetime | None


def entitlement_out(e: Entitlement) -> dict:
    return {
        "id": e.pk,
        "policy": e.policy,
        "policy_name": _name(e.policy),
        "year": e.sweep.year,
        "amount": e.amount,
        "subject": _subject(e),
        "reasons": e.reasons,
        "notified_at": timezone.localtime(e.notified_at) if e.notified_at else None,
    }


def _logged(request, what: str):
    """The access log of a page of subsidy records: the people they name."""
    return lambda rows: log_read(request, [r.person for r in rows if r.person_id], what)


class EntitlementPage(Out):
    items: list[EntitlementOut]
    next: str | None


class EntitlementsQuery(Params):
    policy: str = Field("", max_length=40)
    year: int | None = Field(None, ge=2000, le=2100)
    cursor: str | None = Field(
        None, max_length=200, description="上一页返回的next the previous page's next"
    )
    limit: int = Field(20, ge=1, le=100, description="每页条数 items a page")


@router.get(
    "/subsidies/entitlements",
    response={200: EntitlementPage, **ERRORS},
    auth=Key("subsidies:read"),
)
def list_entitlements(request, params: Query[EntitlementsQuery]):
    """应享未享 What the sweeps found owed in your region (政策找人)."""
    qs = scope_queryset(
        Entitlement.objects.select_related("sweep", "person", "employer", "community"),
        request.user,
        "region_code",
    ).order_by("pk")
    if params.policy:
        qs = qs.filter(policy=_policy(params.policy))
    if params.year:
        qs = qs.filter(sweep__year=params.year)
    return paged(qs, params, entitlement_out, _logged(request, "补贴应享"))


class ReviewIn(Params):
    approve: bool
    note: str = Field("", max_length=255, description="审核意见:不通过时必填 required to reject")
    seen: str = Field(
        max_length=16,
        description="审核时看到的状态(submitted 或 first_approved):申请已被他人处理时拒绝 "
        "the status you saw; refused if the application has moved since",
    )


@router.post(
    "/subsidies/applications/{int:application_id}/reviews",
    response={200: ApplicationOut, **WRITE_ERRORS},
    auth=Key("subsidies:review"),
)
@idempotent
def review_application(
    request,
    application_id: int,
    decision: ReviewIn,
    idempotency_key: str | None = IDEMPOTENCY_KEY,
):
    """审核补贴申请 First review (初审) by a clerk of the region, second review (复审) by
    another of county level or above, as on the reviews page (the same rules)."""
    found = applications_in_scope(request.user).filter(pk=application_id).first()
    if found is None:
        raise ApiError(404, "not_found", "没有这份申请,或不在您的范围内", "Not found")
    seen = choice_param(decision.seen, SubsidyApplication.Status.choices, "seen")
    try:
        review(found.pk, user=request.user, approve=decision.approve, seen=seen, note=decision.note)
    except PolicyError as exc:
        raise ApiError(409, "refused", str(exc), "Refused: see message") from None
    application = applications_in_scope(request.user).prefetch_related("reviews").get(pk=found.pk)
    if application.person_id:
        log_read(request, [application.person], "补贴审核")
    return application_out(application)
