"""Pages of the matching app: ranked jobs and candidates, applications, interviews and
hires, batch pushes, and the communities' circles."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from apps.accounts.downloads import send_export
from apps.accounts.models import Role
from apps.accounts.scoping import in_scope, region_prefix_q
from apps.jobs.models import Job
from apps.jobs.selectors import job_detail, jobs_in_scope
from apps.people.models import (
    KeyGroup,
    Person,
)
from apps.people.selectors import (
    people_in_scope,
)
from apps.portal.access import back_office, clerk_only, scope_or_refuse
from apps.portal.pages import PAGE_SIZE, own_or_404, paginate
from apps.regions.models import Region, RegionLevel
from apps.regions.selectors import city_prefix
from jiuye.background import run_after_commit
from jiuye.exports import XLSX, workbook

from .applications import ApplicationError, apply, barred_reason, decide, put_forward, withdraw
from .circles import (
    CircleError,
    circle_report,
    kept_circle_report,
    outside_workbook,
    report_workbook,
    residents_outside_service,
    street_summaries,
)
from .forms import PushForm
from .index import SEEKING_STATUSES
from .models import Application, Offer, Push
from .push import create_push, push_preview, run_push, why_no_offer
from .services import MatchingError, candidates_for_job, jobs_for_person
from .tasks import run_push_task


def _radius(request, person=None) -> tuple[str, float | None]:
    """The distance switch: 3-km circle (三公里就业圈), the worker's own limit, or none."""
    from django.conf import settings

    mode = request.GET.get("within", "")
    if mode == "circle":
        return mode, settings.MATCHING["circle_km"]
    if mode == "own" and person is not None and person.wish_max_distance_km:
        return mode, person.wish_max_distance_km
    if mode == "km":
        try:
            return mode, float(request.GET.get("km", ""))
        except ValueError:
            return mode, -1.0  # reported as a bad radius
    return "", None


@login_required
def my_jobs(request):
    """Jobs for me (为我推荐): the worker's ranked jobs with reasons."""
    person = request.user.person
    if request.user.role != Role.WORKER or person is None:
        raise PermissionDenied("请使用已关联人员信息的劳动者账号")
    mode, radius = _radius(request, person)
    error, ranked = "", []
    try:
        ranked = jobs_for_person(person=person, radius_km=radius)
    except MatchingError as exc:
        error = str(exc)
    return render(
        request,
        "matching/my_jobs.html",
        {
            "person": person,
            "ranked": ranked,
            "mode": mode,
            "error": error,
            "radius": radius,
            "stages": _job_stages(person.pk, (r.obj.pk for r in ranked)),
        },
    )


def _candidatespaginate(request, job, *, masked: bool):
    mode, radius = _radius(request)
    group = request.GET.get("group", "")
    error, ranked = "", []
    # a blacklisted employer gets no one: it sees no candidates; staff see them (to know
    # whom the listing keeps from work) without the means to put anyone forward
    barred = barred_reason(job)
    try:
        if not (barred and masked):
            ranked = candidates_for_job(job=job, user=request.user, group=group, radius_km=radius)
    except MatchingError as exc:
        error = str(exc)
    return render(
        request,
        "matching/candidates.html",
        {
            "job": job,
            "ranked": ranked,
            "mode": mode,
            "error": error,
            "masked": masked,
            "groups": KeyGroup.choices,
            "group": group,
            "stages": _person_stages(job, (r.obj.pk for r in ranked)),
            "may_put_forward": request.user.role != Role.LEADER and not barred,
            "barred": barred,
        },
    )


@back_office
def job_candidates(request, pk: int):
    try:
        obj = job_detail(user=request.user, pk=pk)
    except Job.DoesNotExist:
        raise Http404("没有这个岗位,或不在您的管辖区域内") from None
    return _candidatespaginate(request, obj, masked=False)


@login_required
def my_candidates(request, pk: int):
    """An employer's own posting: candidates from the city, names masked; the public
    employment service makes the introduction."""
    if request.user.role != Role.EMPLOYER or request.user.employer_id is None:
        raise PermissionDenied("仅限用人单位账号")
    obj = Job.objects.filter(pk=pk, employer_id=request.user.employer_id).first()
    if obj is None:
        raise Http404("没有这个岗位")
    return _candidatespaginate(request, obj, masked=True)


@login_required
def my_offers(request):
    """The worker's inbox of pushed jobs (岗位推送); opening it marks them read."""
    person = request.user.person
    if request.user.role != Role.WORKER or person is None:
        raise PermissionDenied("请使用已关联人员信息的劳动者账号")
    offers = list(Offer.objects.filter(person=person).select_related("job__employer"))
    Offer.objects.filter(person=person, status=Offer.Status.SENT).update(status=Offer.Status.READ)
    return render(
        request,
        "matching/my_offers.html",
        {"offers": offers, "why_none": why_no_offer(person) if not offers else ""},
    )


@back_office
def pushes(request):
    """A batch push: what it will reach is shown first; it is sent once confirmed."""
    clerk_only(request)
    form = PushForm(request.POST or None, user=request.user)
    preview = None
    if request.method == "POST" and form.is_valid():
        if request.POST.get("confirm") != "1":
            try:
                preview = push_preview(user=request.user, **form.cleaned_data)
            except MatchingError as exc:
                form.add_error(None, str(exc))
        else:
            try:
                push = create_push(user=request.user, **form.cleaned_data)
            except MatchingError as exc:
                form.add_error(None, str(exc))
            else:
                run_after_commit(run_push_task, run_push, push.pk)
                return redirect("matching:push", pk=push.pk)
    items = Push.objects.all()
    if request.user.role != Role.ADMIN:
        items = items.filter(created_by=request.user)
    return render(
        request,
        "matching/pushes.html",
        {"form": form, "preview": preview, "page": paginate(request, items)},
    )


def _own_push(request, pk: int) -> Push:
    clerk_only(request)
    return own_or_404(request, Push, pk, "没有这个送岗任务")


@back_office
def push_detail(request, pk: int):
    """A push's result: counts, and who got no offer and why, paged and exportable."""
    push = _own_push(request, pk)
    none_people = push.report.get("none_people", [])
    if request.GET.get("format") == "xlsx":
        names = dict(
            Person.objects.filter(pk__in=[p for p, _ in none_people]).values_list("pk", "name")
        )
        rows = [[names.get(p, ""), reason] for p, reason in none_people]
        return send_export(
            request,
            content=workbook([(f"送岗{push.pk}未获推送", ["姓名", "原因"], rows)]),
            filename=f"push-{push.pk}-none.xlsx",
            content_type=XLSX,
            resource=f"精准送岗#{push.pk}未获推送名单",
            rows=len(rows),
            person_ids=[p for p, _ in none_people],
        )
    page = paginate(request, none_people)
    names = dict(Person.objects.filter(pk__in=[p for p, _ in page]).values_list("pk", "name"))
    return render(request, "matching/push.html", {"push": push, "names": names, "page": page})


@back_office
def push_progress(request, pk: int):
    push = _own_push(request, pk)
    response = render(request, "matching/_push_progress.html", {"push": push})
    if push.finished:  # the page shows its results once finished: load it whole, once
        response["HX-Refresh"] = "true"
    return response


# --- communities' circles (三公里就业圈, 15分钟服务圈, 充分就业社区) ----------------------------
def _circle_args(request) -> tuple[str | None, str | None]:
    return request.GET.get("radius") or None, request.GET.get("walk") or None


@back_office
def circles(request):
    radius, walk = _circle_args(request)
    shown = {
        "radius": radius or settings.MATCHING["circle_km"],
        "walk": walk or settings.SERVICE_CIRCLE_KM,
    }
    scope = scope_or_refuse(request)
    # A province's or the country's communities are too many for one page (544,000 in
    # all): above a city, the viewer picks one (?area=, inside their scope).
    area = request.GET.get("area", "")
    prefix = area if area.startswith(scope) and area.isdigit() and len(area) >= 4 else scope
    if len(prefix) < 4:
        cities = Region.objects.filter(
            region_prefix_q("code", prefix), level=RegionLevel.PREFECTURE
        )
        return render(
            request,
            "matching/circles/index.html",
            {"cities": cities.order_by("code"), "error": "范围过大,请选择一个地市查看", **shown},
        )
    try:
        report = kept_circle_report(prefix, radius, walk)
    except CircleError as exc:
        return render(
            request, "matching/circles/index.html", {"error": str(exc), **shown}, status=400
        )
    if request.GET.get("format") == "xlsx":
        return send_export(
            request,
            content=report_workbook(report),
            filename="community-circles.xlsx",
            content_type=XLSX,
            resource="社区就业圈与服务圈汇总",
            filters={"radius": radius, "walk": walk},
            rows=len(report.communities),
        )
    located = [c for c in report.communities if c.lat is not None and c.lng is not None]
    streets = street_summaries(report.communities)
    street, unmet = request.GET.get("street", ""), request.GET.get("unmet") == "1"
    listed = [
        c for c in report.communities if c.code.startswith(street) and not (unmet and c.meets)
    ]
    return render(
        request,
        "matching/circles/index.html",
        {
            **shown,
            "report": report,
            "streets": streets,
            "street": street,
            "unmet": unmet,
            # Summaries first (the streets), then the communities, paged.
            "page": paginate(request, listed),
            "map": {
                "tiles": settings.MAP_TILE_URL,
                "radius_m": report.radius_km * 1000,
                "walk_m": report.walk_km * 1000,
                "communities": [
                    {
                        "code": c.code,
                        "name": c.name,
                        "lat": c.lat,
                        "lng": c.lng,
                        "meets": c.meets,
                        "seekers": c.seekers,
                        "openings": c.openings,
                        "outside": c.outside_service,
                    }
                    for c in located
                ],
                "stations": report.stations,
            },
        },
    )


def _community_or_404(request, code: str):
    if not in_scope(request.user, code):
        raise Http404("没有这个社区,或不在您的管辖区域内")
    radius, walk = _circle_args(request)
    try:
        report = circle_report(code, radius, walk)
    except CircleError as exc:
        raise Http404(str(exc)) from None
    if len(code) != 12 or len(report.communities) != 1:
        raise Http404("没有这个社区,或不在您的管辖区域内")
    return report


@back_office
def circle(request, code: str):
    report = _community_or_404(request, code)
    staff = request.user.is_clerk
    outside = None
    if staff:  # names are for the staff who serve them, not for leaders' overviews
        outside = Paginator(
            residents_outside_service(code, code, report.walk_km), PAGE_SIZE
        ).get_page(request.GET.get("page"))
    return render(
        request,
        "matching/circles/community.html",
        {"report": report, "c": report.communities[0], "outside": outside},
    )


@back_office
def circle_outside_export(request, code: str):
    clerk_only(request)
    report = _community_or_404(request, code)
    residents = residents_outside_service(code, code, report.walk_km)
    return send_export(
        request,
        content=outside_workbook(residents, report.walk_km),
        filename=f"outside-service-{code}.xlsx",
        content_type=XLSX,
        resource="服务圈外居民名单",
        filters={"community": code, "walk": report.walk_km},
        rows=len(residents),
        person_ids=[p.pk for p, _ in residents],
    )


# --- applications, interviews, hires -----------------------------------------------------
def _back(request, fallback: str):
    target = request.POST.get("next", "")
    return redirect(target if target.startswith("/") and not target.startswith("//") else fallback)


def _job_stages(person_id: int, job_pks) -> dict[int, str]:
    """job pk → the stage of this person's application to it."""
    rows = Application.objects.filter(person_id=person_id, job_id__in=list(job_pks))
    return {a.job_id: a.get_stage_display() for a in rows}


def _person_stages(job: Job, person_pks) -> dict[int, str]:
    """person pk → the stage of their application to this job."""
    rows = Application.objects.filter(job=job, person_id__in=list(person_pks))
    return {a.person_id: a.get_stage_display() for a in rows}


@login_required
@require_POST
def job_apply(request, pk: int):
    if request.user.role != Role.WORKER or request.user.person_id is None:
        raise PermissionDenied("只有关联了人员档案的劳动者可以申请岗位")
    job = Job.objects.filter(pk=pk).first()
    if job is None:
        raise Http404("没有这个岗位")
    try:
        apply(user=request.user, job=job)
        messages.success(request, f"已申请“{job.title}”,请留意单位的面试邀约")
    except ApplicationError as exc:
        messages.error(request, str(exc))
    return _back(request, "/my/applications/")


@login_required
def my_applications(request):
    if request.user.role != Role.WORKER or request.user.person_id is None:
        raise PermissionDenied("请使用已关联人员信息的劳动者账号")
    items = Application.objects.filter(person_id=request.user.person_id).select_related(
        "job__employer"
    )
    return render(request, "matching/my_applications.html", {"items": items})


def _application_or_404(request, pk: int) -> Application:
    """An application the user may act on: their own (worker), one to their own job
    (employer), one to a job of their region (staff); else 404, as for none at all."""
    user = request.user
    found = Application.objects.select_related("job", "person").filter(pk=pk)
    if user.role == Role.WORKER:
        found = found.filter(person_id=user.person_id or 0)
    elif user.role == Role.EMPLOYER:
        found = found.filter(job__employer_id=user.employer_id or 0)
    else:
        found = found.filter(job__in=jobs_in_scope(user))
    application = found.first()
    if application is None:
        raise Http404("没有这份申请,或不在您的管辖范围内")
    return application


@login_required
@require_POST
def application_withdraw(request, pk: int):
    try:
        withdraw(user=request.user, application=_application_or_404(request, pk))
        messages.success(request, "已撤回申请")
    except ApplicationError as exc:
        messages.error(request, str(exc))
    return _back(request, "/my/applications/")


@login_required
@require_POST
def put_forward_view(request, pk: int, person_pk: int):
    """Only jobs and people the user could have found on their pages: an employer's own
    job and the city's job seekers (its candidates); staff, their region's people and
    their city's jobs. Anything else is 404, as for none at all."""
    user = request.user
    jobs, people = Job.objects.all(), people_in_scope(user)
    if user.role == Role.EMPLOYER:
        jobs = jobs.filter(employer_id=user.employer_id or 0)
        job = jobs.filter(pk=pk).first()
        people = Person.objects.filter(
            region_prefix_q("community_id", city_prefix(job.region_id) if job else "-"),
            Q(labour_status__in=SEEKING_STATUSES) | Q(wish_occupations__isnull=False),
        ).distinct()
    elif user.is_clerk:
        scope = scope_or_refuse(request)
        if scope:
            jobs = jobs.filter(region_prefix_q("region_id", city_prefix(scope)))
    else:
        raise PermissionDenied("无权推荐或邀约")
    job = jobs.filter(pk=pk).first()
    person = people.filter(pk=person_pk).first()
    if job is None or person is None:
        raise Http404("没有这个岗位或人员,或不在您的范围内")
    try:
        put_forward(user=request.user, job=job, person=person)
        messages.success(request, "已邀约面试" if request.user.role == Role.EMPLOYER else "已推荐")
    except ApplicationError as exc:
        messages.error(request, str(exc))
    return _back(request, f"/jobs/{pk}/applications/")


@login_required
def job_applications(request, pk: int):
    """A job's applications: the employer of its own posting, or staff of its region."""
    user = request.user
    if user.role == Role.EMPLOYER:
        job = Job.objects.filter(pk=pk, employer_id=user.employer_id).first()
    elif user.is_back_office and user.role != Role.LEADER:
        job = jobs_in_scope(user).filter(pk=pk).first()
    else:
        raise PermissionDenied("无权查看岗位申请")
    if job is None:
        raise Http404("没有这个岗位,或不在您的管辖区域内")
    items = job.applications.select_related("person__community")
    return render(
        request,
        "matching/job_applications.html",
        {
            "job": job,
            "items": items,
            "masked": user.role == Role.EMPLOYER,
            "hired": items.filter(stage=Application.Stage.HIRED).count(),
        },
    )


@login_required
@require_POST
def application_decide(request, pk: int):
    application = _application_or_404(request, pk)
    hired = request.POST.get("hired") == "1"
    try:
        decide(user=request.user, application=application, hired=hired)
        messages.success(request, "已录用" if hired else "已记录未录用")
    except ApplicationError as exc:
        messages.error(request, str(exc))
    return _back(request, f"/jobs/{application.job_id}/applications/")
