"""Pages of the jobs app: job postings and public-welfare posts."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from apps.accounts.models import Role
from apps.accounts.scoping import region_prefix_q
from apps.people.models import (
    JobKind,
)
from apps.people.selectors import (
    people_in_scope,
)
from apps.portal.access import back_office, clerk_only, scope_or_refuse
from apps.portal.pages import paginate

from . import publishing
from .board import BoardError, job_posting, open_jobs, search
from .forms import BoardSearchForm, PostingForm
from .models import Job, JobStatus, WelfarePlacement
from .selectors import job_detail, job_list, jobs_in_scope
from .welfare import WelfareError, welfare_year
from .welfare import leave as welfare_leave
from .welfare import place as welfare_place
from .welfare import renew as welfare_renew


@back_office
def welfare(request):
    """Public-welfare posts (公益性岗位): the year against the plan, who holds a post, place,
    renew, exit."""
    user = request.user
    prefix = scope_or_refuse(request)
    staff = user.is_clerk
    if request.method == "POST":
        clerk_only(request)
        post = request.POST
        try:
            if post.get("action") == "place":
                person = people_in_scope(user).filter(id_number=post.get("id_number", "").upper())
                job = jobs_in_scope(user).filter(pk=post.get("job") or 0).first()
                if not person.exists() or job is None:
                    raise WelfareError("请填写本辖区人员的身份证号并选择岗位")
                welfare_place(user=user, job=job, person=person.get())
                messages.success(request, "已安置")
            else:
                placement = WelfarePlacement.objects.select_related("person", "job").filter(
                    pk=post.get("placement") or 0, person__in=people_in_scope(user)
                )
                placement = placement.first()
                if placement is None:  # none, or not the clerk's: one answer
                    raise WelfareError("没有这条安置记录,或不在您的管辖区域内")
                if post.get("action") == "renew":
                    welfare_renew(user=user, placement=placement)
                    messages.success(request, "已续签")
                else:
                    welfare_leave(user=user, placement=placement, reason=post.get("reason", ""))
                    messages.success(request, "已退出")
        except WelfareError as exc:
            messages.error(request, str(exc))
        return redirect("jobs:welfare")
    holding = WelfarePlacement.objects.filter(exited_on__isnull=True).select_related(
        "person__community", "job"
    )
    if prefix:
        holding = holding.filter(region_prefix_q("person__community_id", prefix))
    posts = jobs_in_scope(user).filter(kind=JobKind.PUBLIC_WELFARE, status=JobStatus.OPEN)
    return render(
        request,
        "jobs/welfare.html",
        {
            "year": welfare_year(prefix),
            "page": paginate(request, holding.order_by("end", "id")),
            "posts": posts.select_related("employer").order_by("title")[:200] if staff else [],
            "soon": timezone.localdate() + dt.timedelta(days=30),
            "staff": staff,
        },
    )


@back_office
def jobs(request):
    g = request.GET
    qs = job_list(
        user=request.user, q=g.get("q", ""), kind=g.get("kind", ""), status=g.get("status", "")
    )
    return render(
        request,
        "jobs/list.html",
        {
            "page": paginate(request, qs),
            "kinds": JobKind.choices,
            "statuses": JobStatus.choices,
        },
    )


@back_office
def job(request, pk: int):
    try:
        obj = job_detail(user=request.user, pk=pk)
    except Job.DoesNotExist:
        raise Http404("没有这个岗位,或不在您的管辖区域内") from None
    return render(request, "jobs/detail.html", {"job": obj})


# --- An employer's own postings (一点发布) ---------------------------------------------
def _employer_or_refuse(request):
    user = request.user
    if user.role != Role.EMPLOYER:
        raise PermissionDenied("仅限用人单位账号")
    if user.employer_id is None:
        raise PermissionDenied(
            "单位注册尚待所在地公共就业服务机构核验,核验通过后即可发布岗位;"
            "如需加快,请携营业执照到所在街道(乡镇)公共就业服务窗口办理"
        )
    return user.employer


@login_required
def postings(request):
    """The employer's postings, with what it can do to each."""
    employer = _employer_or_refuse(request)
    items = Job.objects.filter(employer=employer).select_related("occupation", "region")
    return render(
        request,
        "jobs/postings.html",
        {
            "employer": employer,
            "page": paginate(request, items.order_by("-created_at")),
            "today": timezone.localdate(),
        },
    )


def _posting_form(request, employer, job=None):
    form = PostingForm(
        request.POST or None,
        employer=employer,
        initial=PostingForm.initial_from(job) if job else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            if job is None:
                job = publishing.publish(user=request.user, values=form.values())
                messages.success(request, f"岗位“{job.title}”已发布,全市可见")
            else:
                publishing.edit(user=request.user, job=job, values=form.values())
                messages.success(request, f"岗位“{job.title}”已更新")
            return redirect("jobs:postings")
        except publishing.PublishingError as exc:
            form.add_error(_FORM_FIELD.get(exc.field, exc.field), str(exc))
    return render(request, "jobs/posting_form.html", {"form": form, "job": job})


# service field names → the form's
_FORM_FIELD = {
    "region_id": "region",
    "required_certificate_id": "required_certificate",
    "days": None,
}


@login_required
def posting_new(request):
    return _posting_form(request, _employer_or_refuse(request))


@login_required
def posting_edit(request, pk: int):
    employer = _employer_or_refuse(request)
    job = publishing.own_job(request.user, pk)
    if job is None:
        raise Http404("没有这个岗位")
    return _posting_form(request, employer, job)


@login_required
@require_POST
def posting_change(request, pk: int):
    _employer_or_refuse(request)
    job = publishing.own_job(request.user, pk)
    if job is None:
        raise Http404("没有这个岗位")
    try:
        days = int(request.POST.get("days") or 30)
        job = publishing.change(
            user=request.user, job=job, action=request.POST.get("action", ""), days=days
        )
        messages.success(
            request, f"岗位“{job.title}”:{job.get_status_display()},有效期至{job.valid_to}"
        )
    except ValueError as exc:  # PublishingError, or days not a number
        messages.error(
            request, str(exc) if isinstance(exc, publishing.PublishingError) else "续期天数应为数字"
        )
    return redirect("jobs:postings")


# --- The public job board (no login) -------------------------------------------------
BOARD_PAGE_SIZE = 20  # cards a phone scrolls through before the pager


def board(request):
    county = settings.PUBLIC_REGION[:6]
    form = BoardSearchForm(request.GET or None, county=county)
    hits, error = [], ""
    if form.is_valid() or not request.GET:
        d = form.cleaned_data if request.GET else {}
        try:
            hits = search(
                q=d.get("q", ""),
                occupation=d.get("occupation", ""),
                area=d.get("area", ""),
                wage=d.get("wage"),
                kind=d.get("kind", ""),
                near=d.get("near", ""),
                km=d.get("km") if d.get("near") else None,
            )
        except BoardError as exc:
            error = str(exc)
    page = paginate(request, hits, BOARD_PAGE_SIZE)
    return render(
        request,
        "jobs/board.html",
        {
            "form": form,
            # The folded conditions stay open when one of them is set or wrong.
            "more_open": any(request.GET.get(f.name) or f.errors for f in form if f.name != "q"),
            "page": page,
            "error": error,
            "count": len(hits),
            "map": {
                "tiles": settings.MAP_TILE_URL,
                "jobs": [
                    {
                        "title": h.job.title,
                        "employer": h.job.employer.name,
                        "wage": f"{h.job.wage_min}–{h.job.wage_max}",
                        "lat": h.job.lat,
                        "lng": h.job.lng,
                        "url": reverse("jobs:board_job", args=[h.job.pk]),
                    }
                    for h in page
                    if h.job.lat is not None
                ],
            },
        },
    )


def board_job(request, pk: int):
    job = (
        open_jobs()
        .select_related("employer", "occupation", "region__parent", "required_certificate")
        .filter(pk=pk)
        .first()
    )
    if job is None:
        raise Http404("没有这个岗位,或已停止招聘")
    url = request.build_absolute_uri()
    applied = None
    if request.user.is_authenticated and request.user.person_id:
        applied = job.applications.filter(person_id=request.user.person_id).first()
    return render(
        request,
        "jobs/board_job.html",
        {"job": job, "posting": job_posting(job, url), "applied": applied},
    )
