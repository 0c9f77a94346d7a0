"""Pages of the employers app: the employer registry, and verifying employers' own
sign-ups (资质审核)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render

from apps.jobs.selectors import job_list
from apps.portal.access import back_office, clerk_only
from apps.portal.pages import paginate
from apps.taxonomy.models import Industry

from .models import Employer
from .registration import VerificationError, decide, registry_match, waiting_for
from .selectors import employer_detail, employer_list


@back_office
def employers(request):
    g = request.GET
    qs = employer_list(
        user=request.user, q=g.get("q", ""), industry=g.get("industry", ""), flag=g.get("flag", "")
    )
    sections = Industry.objects.filter(section__isnull=True)
    return render(
        request, "employers/list.html", {"page": paginate(request, qs), "sections": sections}
    )


@back_office
def employer(request, pk: int):
    try:
        obj = employer_detail(user=request.user, pk=pk)
    except Employer.DoesNotExist:
        raise Http404("没有这个单位,或不在您的管辖区域内") from None
    jobs = job_list(user=request.user, employer=obj.pk)
    return render(request, "employers/detail.html", {"employer": obj, "jobs": jobs})


@back_office
def registrations(request):
    """Employers' own sign-ups of the region, to verify (资质审核)."""
    clerk_only(request)
    if request.method == "POST":
        found = waiting_for(request.user).filter(pk=request.POST.get("registration") or 0).first()
        if found is None:
            raise Http404("没有这条待核验的注册,或不在您的管辖区域内")
        try:
            done = decide(
                user=request.user,
                registration=found,
                approve=request.POST.get("approve") == "1",
                note=request.POST.get("note", ""),
                confirmed=request.POST.get("confirmed") == "1",
            )
            messages.success(request, f"{done.name}:{done.get_status_display()}")
        except VerificationError as exc:
            messages.error(request, str(exc))
        return redirect("employers:registrations")
    page = paginate(request, waiting_for(request.user))
    return render(
        request,
        "employers/registrations.html",
        {"page": page, "matches": {r.pk: registry_match(r) for r in page}},
    )
