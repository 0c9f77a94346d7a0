"""Reads of job postings, scoped to the viewer's region (by workplace)."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils import timezone

from apps.accounts.models import User
from apps.accounts.scoping import scope_queryset

from .models import Job, JobStatus


def jobs_in_scope(user: User) -> QuerySet[Job]:
    return scope_queryset(Job.objects.all(), user, "region_id")


def job_list(
    *, user: User, q: str = "", kind: str = "", status: str = "", employer: int | None = None
) -> QuerySet[Job]:
    qs = jobs_in_scope(user).select_related("employer", "occupation", "region")
    q = q.strip()
    if q:
        qs = qs.filter(Q(title__contains=q) | Q(employer__name__contains=q) | Q(occupation_id=q))
    if kind:
        qs = qs.filter(kind=kind)
    if status == "current":
        today = timezone.localdate()
        qs = qs.filter(status=JobStatus.OPEN, valid_from__lte=today, valid_to__gte=today)
    elif status:
        qs = qs.filter(status=status)
    if employer:
        qs = qs.filter(employer_id=employer)
    return qs.order_by("-valid_from", "id")


def job_detail(*, user: User, pk: int) -> Job:
    return jobs_in_scope(user).select_related("employer", "occupation", "region").get(pk=pk)
