"""Reads of the monitoring, always inside the viewer's region."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, QuerySet

from apps.accounts.scoping import scope_queryset

from .models import LEVEL_ORDER, MonitoredEnterprise, MonthlyReport, Warning


def enterprises_in_scope(user) -> QuerySet:
    return scope_queryset(
        MonitoredEnterprise.objects.select_related("employer", "employer__industry"),
        user,
        "employer__region_id",
    )


def with_report_of(qs: QuerySet, month: dt.date) -> QuerySet:
    """Annotate ``reported``: whether the month's report is in."""
    return qs.annotate(
        reported=Exists(
            MonthlyReport.objects.filter(
                enterprise=OuterRef("pk"), month=month, replaced_at__isnull=True
            )
        )
    )


def due_month(today: dt.date) -> dt.date:
    """The month whose report is due now: the one before the current month."""
    return (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def warnings_in_scope(user) -> QuerySet:
    return scope_queryset(Warning.objects.all(), user, "region_code")


def open_warnings(user, prefix: str) -> list[Warning]:
    """Unclosed warnings in a region, the most severe and the latest first."""
    from apps.accounts.scoping import region_prefix_q

    qs = warnings_in_scope(user).exclude(status=Warning.Status.CLOSED)
    if prefix:
        qs = qs.filter(region_prefix_q("region_code", prefix))
    return sorted(qs, key=lambda w: (-LEVEL_ORDER[w.level], -w.month.toordinal(), -w.pk))
