"""The shell's pages: each role's home."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone

from apps.accounts.models import Role
from apps.employers.models import EmployerRegistration
from apps.employers.selectors import employers_in_scope
from apps.jobs.models import Job, JobStatus
from apps.jobs.selectors import jobs_in_scope
from apps.people.models import (
    LabourStatus,
)
from apps.people.selectors import (
    status_counts,
)
from apps.policies.selectors import unclaimed


def home(request):
    """Each role's home; a visitor who is not signed in lands on the public job board."""
    if not request.user.is_authenticated:
        return redirect("jobs:board")
    return _home(request)


@login_required
def _home(request):
    user = request.user
    if user.role == Role.WORKER:
        person = user.person
        return render(
            request,
            "portal/worker_home.html",
            {
                "person": person,
                "unclaimed": unclaimed(f"P{person.pk}", person.community_id or "")
                if person
                else [],
            },
        )
    if user.role == Role.EMPLOYER:
        employer = user.employer
        jobs = (
            Job.objects.filter(employer=employer).select_related("occupation") if employer else []
        )
        return render(
            request,
            "portal/employer_home.html",
            {
                "employer": employer,
                "jobs": jobs,
                "unclaimed": unclaimed(f"E{employer.pk}", employer.region_id) if employer else [],
                "registration": EmployerRegistration.objects.filter(user=user).first(),
            },
        )
    if not user.is_back_office:
        raise PermissionDenied
    if user.role == Role.LEADER:  # decision makers come for the indicators and targets
        return redirect("indicators:dashboard")
    counts = status_counts(user=user)
    return render(
        request,
        "portal/home.html",
        {
            "due": due_today(user) if user.is_clerk else [],
            "status_counts": [
                (label, counts.get(value, 0)) for value, label in LabourStatus.choices
            ],
            "people_total": sum(counts.values()),
            "employers_total": employers_in_scope(user).count(),
            "open_jobs": jobs_in_scope(user).filter(status=JobStatus.OPEN).count(),
        },
    )


def due_today(user) -> list[tuple[str, int, str]]:
    """What waits for this member of staff in their region: (label, how many, where)."""
    from django.urls import reverse

    from apps.employers.registration import waiting_for
    from apps.imports.models import ImportJob
    from apps.people.models import StatusProposal
    from apps.people.transfers import transfers_for
    from apps.policies.models import SubsidyApplication
    from apps.policies.selectors import applications_in_scope

    applications = applications_in_scope(user)
    incoming, _ = transfers_for(user)
    return [
        (
            "待初审的补贴申请",
            applications.filter(status=SubsidyApplication.Status.SUBMITTED).count(),
            reverse("policies:reviews") + "?status=submitted",
        ),
        (
            "待复审的补贴申请",
            applications.filter(status=SubsidyApplication.Status.FIRST_APPROVED).count(),
            reverse("policies:reviews") + "?status=first_approved",
        ),
        ("待核验的单位注册", waiting_for(user).count(), reverse("employers:registrations")),
        ("待处理的人员转移", incoming.count(), reverse("people:transfers")),
        (
            "待处理的社保比对建议",
            StatusProposal.objects.filter(
                check_run__created_by=user, decision=StatusProposal.Decision.PENDING
            ).count(),
            reverse("people:crosschecks"),
        ),
        (
            "需要处理的导入(已中断或失败)",
            ImportJob.objects.filter(
                created_by=user,
                status__in=[ImportJob.Status.INTERRUPTED, ImportJob.Status.FAILED],
                created_at__gte=timezone.now() - dt.timedelta(days=7),
            ).count(),
            reverse("imports:imports"),
        ),
    ]
