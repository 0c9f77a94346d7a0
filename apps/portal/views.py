"""The shell's pages: each role's home."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

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


@login_required
def home(request):
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
    counts = status_counts(user=user)
    return render(
        request,
        "portal/home.html",
        {
            "status_counts": [
                (label, counts.get(value, 0)) for value, label in LabourStatus.choices
            ],
            "people_total": sum(counts.values()),
            "employers_total": employers_in_scope(user).count(),
            "open_jobs": jobs_in_scope(user).filter(status=JobStatus.OPEN).count(),
        },
    )
