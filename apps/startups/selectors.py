"""Reads of the entrepreneurship services, inside the viewer's region."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet, Sum

from apps.accounts.models import User
from apps.accounts.scoping import scope_queryset

from .models import GuaranteeLoan, Incubator, Startup


def startups_in_scope(user: User) -> QuerySet[Startup]:
    return scope_queryset(
        Startup.objects.select_related("employer", "founder"), user, "employer__region_id"
    )


def loans_in_scope(user: User) -> QuerySet[GuaranteeLoan]:
    return scope_queryset(
        GuaranteeLoan.objects.select_related("borrower", "startup__employer"),
        user,
        "borrower__community_id",
    )


def loan_totals(qs: QuerySet[GuaranteeLoan]) -> dict:
    return qs.aggregate(
        count=Count("pk"),
        amount=Sum("amount"),
        active=Count("pk", filter=Q(status__in=["active", "overdue"])),
        overdue=Count("pk", filter=Q(status="overdue")),
    )


def incubators_in_scope(user: User) -> QuerySet[Incubator]:
    return scope_queryset(
        Incubator.objects.annotate(
            housed=Count("tenancies", filter=Q(tenancies__end__isnull=True))
        ),
        user,
        "community_id",
    )
