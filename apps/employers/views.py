"""Pages of the employers app: the employer registry."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render

from apps.jobs.selectors import job_list
from apps.portal.access import back_office
from apps.portal.pages import paginate
from apps.taxonomy.models import Industry

from .models import Employer
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
