"""Reads of employers, scoped to the viewer's region."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from apps.accounts.models import User
from apps.accounts.scoping import scope_queryset

from .models import Employer


def employers_in_scope(user: User) -> QuerySet[Employer]:
    return scope_queryset(Employer.objects.all(), user, "region_id")


def employer_list(
    *, user: User, q: str = "", industry: str = "", flag: str = ""
) -> QuerySet[Employer]:
    qs = employers_in_scope(user).select_related("industry", "region")
    q = q.strip()
    if q:
        qs = qs.filter(Q(name__contains=q) | Q(credit_code=q.upper()))
    if industry:
        qs = qs.filter(Q(industry_id=industry) | Q(industry__section_id=industry))
    if flag == "key":
        qs = qs.filter(is_key_enterprise=True)
    elif flag == "blacklisted":
        qs = qs.filter(blacklisted=True)
    return qs.annotate(open_jobs=Count("jobs", filter=Q(jobs__status="open"))).order_by(
        "region_id", "id"
    )


def employer_detail(*, user: User, pk: int) -> Employer:
    return (
        employers_in_scope(user)
        .select_related("industry", "region", "service_specialist")
        .get(pk=pk)
    )
