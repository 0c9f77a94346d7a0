"""Recruitment fair pages: anyone sees the coming fairs; a worker registers, sees the stands
that suit them and shows their admission code at the door; an employer books a stand and
records intentions and hires; staff hold fairs, let people in (the door page keeps scans on
the device when the network drops), and read each fair's summary and the year's count."""

from __future__ import annotations

import datetime as dt
import io
import json

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from apps.accounts.models import Role
from apps.accounts.permissions import may_read
from apps.accounts.scoping import in_scope, region_prefix_q
from apps.indicators.definitions import INDICATORS
from apps.indicators.targets import evaluate_all, targets_for
from apps.jobs.board import open_jobs
from apps.people.models import KeyGroup
from apps.people.selectors import people_in_scope
from apps.portal.access import (
    back_office,
    clerk_only,
    own_person,
    region_asked,
    region_named,
    scope_or_refuse,
)
from apps.portal.inputs import date_field, int_field, pk_of, time_field
from apps.portal.pages import paginate
from jiuye.identifiers import mask_name, mask_resident_id

from .models import Attendee, Fair, Intention, Stand
from .selectors import (
    StandFit,
    coming_fairs,
    fairs_for,
    fairs_in_scope,
    first_intentions,
    group_labels,
    stands_for,
    summary,
)
from .services import (
    LATE_RECORDING_DAYS,
    FairError,
    book_stand,
    cancel_fair,
    change_stand_jobs,
    check_in,
    hold_fair,
    record_hire,
    record_intention,
    register,
)

YEAR_INDICATORS = ("fairs_held", "fair_intentions")


def _employer(request):
    user = request.user
    if user.is_authenticated and user.role == Role.EMPLOYER:
        return user.employer
    return None


# --- everyone ----------------------------------------------------------------------------
@require_GET
def fairs(request):
    """The coming fairs (招聘会); a worker's groups' fairs first, with their registrations."""
    today = timezone.localdate()
    person = own_person(request)
    rows = fairs_for(person, today) if person else list(coming_fairs(today))
    mine = (
        set(Attendee.objects.filter(person=person).values_list("fair_id", flat=True))
        if person
        else set()
    )
    employer = _employer(request)
    stands = (
        Stand.objects.filter(
            employer=employer, fair__ends_on__gte=today - dt.timedelta(days=LATE_RECORDING_DAYS)
        )
        .select_related("fair")
        .order_by("fair__held_on")
        if employer
        else []
    )
    return render(
        request,
        "fairs/fairs.html",
        {
            "rows": [(f, group_labels(f.groups), f.pk in mine) for f in rows],
            "person": person,
            "own_stands": stands,
            "today": today,
        },
    )


def _fair_or_404(pk: int) -> Fair:
    fair = Fair.objects.select_related("region").filter(pk=pk).first()
    if fair is None:
        raise Http404("没有这场招聘会")
    return fair


def fair(request, pk: int):
    """A fair: where and when, who it is for, its stands and their jobs. A worker
    registers and sees the stands ranked for them; an employer books a stand."""
    fair = _fair_or_404(pk)
    today = timezone.localdate()
    person, employer = own_person(request), _employer(request)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{reverse('login')}?next={request.path}")
        action = request.POST.get("action", "")
        try:
            if action == "register" and person is not None:
                register(user=request.user, fair=fair, person=person)
                messages.success(request, "报名成功,入场时出示入场码")
                return redirect("fairs:pass", pk=fair.pk)
            if action == "book" and employer is not None:
                stand = book_stand(
                    user=request.user, fair=fair, job_ids=request.POST.getlist("jobs")
                )
                messages.success(request, f"已预订{stand}")
                return redirect("fairs:stand", pk=stand.pk)
            raise PermissionDenied("仅限劳动者报名、用人单位预订展位")
        except FairError as e:
            messages.error(request, str(e))
        return redirect("fairs:fair", pk=fair.pk)
    attendee = Attendee.objects.filter(fair=fair, person=person).first() if person else None
    own_stand = Stand.objects.filter(fair=fair, employer=employer).first() if employer else None
    if person:
        stands = stands_for(person, fair, today)
    else:
        booked = fair.stand_set.select_related("employer").prefetch_related("jobs")
        stands = [StandFit(s, 0.0, None) for s in booked]
    open_for_sign_up = not fair.cancelled and fair.ends_on >= today
    return render(
        request,
        "fairs/fair.html",
        {
            "fair": fair,
            "groups": group_labels(fair.groups),
            "stands": stands,
            "booked": fair.stand_set.count(),
            "person": person,
            "attendee": attendee,
            "employer": employer,
            "own_stand": own_stand,
            "jobs": open_jobs().filter(employer=employer).order_by("title")
            if employer and not own_stand
            else [],
            "open": open_for_sign_up,
            "suits": any(row.best_job for row in stands),
            "staff": request.user.is_authenticated
            and request.user.is_back_office
            and in_scope(request.user, fair.region_id),
        },
    )


@login_required
def admission(request, pk: int):
    """The worker's admission (入场码): the QR code the door scans, and the code in words."""
    person = own_person(request)
    attendee = (
        Attendee.objects.filter(fair_id=pk, person=person).select_related("fair").first()
        if person
        else None
    )
    if attendee is None:
        raise Http404("您没有报名这场招聘会")
    return render(request, "fairs/pass.html", {"attendee": attendee, "fair": attendee.fair})


@login_required
def admission_qr(request, pk: int):
    person = own_person(request)
    attendee = Attendee.objects.filter(fair_id=pk, person=person).first() if person else None
    if attendee is None:
        raise Http404("您没有报名这场招聘会")
    out = io.BytesIO()
    segno.make(attendee.code, error="m").save(out, kind="svg", scale=6, title="入场码")
    response = HttpResponse(out.getvalue(), content_type="image/svg+xml")
    response["Cache-Control"] = "private, max-age=86400"
    return response


# --- employers at their stand -------------------------------------------------------------
def _stand_or_404(request, pk: int) -> Stand:
    stand = Stand.objects.select_related("fair__region", "employer").filter(pk=pk).first()
    user = request.user
    if stand is not None and (
        (user.role == Role.EMPLOYER and user.employer_id == stand.employer_id)
        or (user.is_back_office and may_read(user, stand.fair.region_id))
    ):
        return stand
    raise Http404("没有这个展位,或不是您的展位")


@login_required
def stand(request, pk: int):
    """A stand: its jobs (the employer changes them), the intentions reached there and the
    hires that followed (recorded at the stand or afterwards)."""
    stand = _stand_or_404(request, pk)
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "jobs":
                chosen = request.POST.getlist("jobs")
                change_stand_jobs(user=request.user, stand=stand, job_ids=chosen)
                messages.success(request, "已更新招聘岗位")
            elif action == "intention":
                intention = record_intention(
                    user=request.user,
                    stand=stand,
                    code=request.POST.get("code", ""),
                    id_number=request.POST.get("id_number", ""),
                    job_id=request.POST.get("job") or None,
                )
                messages.success(request, f"已登记与{mask_name(intention.person.name)}的就业意向")
            elif action == "hire":
                intention = stand.intentions.filter(pk=pk_of(request.POST.get("intention"))).first()
                if intention is None:
                    raise FairError("没有这条就业意向")
                record_hire(
                    user=request.user,
                    intention=intention,
                    hired_on=date_field(request.POST.get("hired_on", ""), "录用日期", FairError),
                )
                messages.success(request, "已登记录用")
            else:
                raise FairError("请选择要办理的事项")
        except FairError as e:
            messages.error(request, str(e))
        return redirect("fairs:stand", pk=stand.pk)
    own = request.user.role == Role.EMPLOYER
    intentions = stand.intentions.select_related("person", "job").order_by("-pk")
    return render(
        request,
        "fairs/stand.html",
        {
            "stand": stand,
            "fair": stand.fair,
            "own": own,
            "can_record": own or request.user.is_clerk,
            "jobs": stand.jobs.order_by("title"),
            "choices": open_jobs().filter(employer=stand.employer).order_by("title") if own else [],
            "chosen": set(stand.jobs.values_list("pk", flat=True)),
            "intentions": [(i, mask_name(i.person.name)) for i in intentions],
            "today": timezone.localdate(),
        },
    )


# --- staff -------------------------------------------------------------------------------
@back_office
def manage(request):
    """The fairs of the viewer's region, newest first; staff hold a new one."""
    scope_or_refuse(request)
    if request.method == "POST":
        clerk_only(request)
        post = request.POST
        try:
            region = region_named(request.user, post.get("region", ""), FairError, "举办单位")
            fair = hold_fair(
                user=request.user,
                region=region,
                title=post.get("title", ""),
                theme=post.get("theme", ""),
                mode=post.get("mode", ""),
                venue=post.get("venue", ""),
                held_on=date_field(post.get("held_on", ""), "举办日期", FairError),
                ends_on=date_field(
                    post.get("ends_on") or post.get("held_on", ""), "结束日期", FairError
                ),
                opens=time_field(post.get("opens", ""), "开始时间", FairError),
                closes=time_field(post.get("closes", ""), "结束时间", FairError),
                stands=int_field(post.get("stands", ""), "展位数", FairError),
                groups=post.getlist("groups"),
                note=post.get("note", ""),
            )
        except FairError as e:
            messages.error(request, str(e))
            return _manage_page(request, status=400)
        messages.success(request, f"已发布招聘会“{fair.title}”")
        return redirect("fairs:desk", pk=fair.pk)
    return _manage_page(request)


def _manage_page(request, status: int = 200):
    qs = fairs_in_scope(request.user).annotate(
        booked=Count("stand_set", distinct=True),
        registered=Count("attendees", distinct=True),
        admitted=Count("attendees", filter=Q(attendees__check_in__isnull=False), distinct=True),
    )
    return render(
        request,
        "fairs/manage.html",
        {
            "page": paginate(request, qs.order_by("-held_on", "-pk")),
            "themes": Fair.Theme.choices,
            "modes": Fair.Mode.choices,
            "groups": KeyGroup.choices,
            "clerk": request.user.is_clerk,
            "organisers": _organisers(request.user),
            "form": request.POST if request.method == "POST" else {},
            "form_groups": request.POST.getlist("groups") if request.method == "POST" else [],
        },
        status=status,
    )


def _organisers(user) -> list:
    """The regions a clerk may hold a fair for: their own and the streets below it."""
    from apps.regions.models import Region, RegionLevel

    own = user.scope_region
    if own is None:
        return []
    below = Region.objects.filter(parent=own, level__lte=RegionLevel.TOWNSHIP).order_by("code")
    return [own, *below]


def _held_fair_or_404(request, pk: int) -> Fair:
    fair = fairs_in_scope(request.user).filter(pk=pk).first()
    if fair is None:
        raise Http404("没有这场招聘会,或不在您的管辖区域内")
    return fair


@back_office
def desk(request, pk: int):
    """A fair's desk and summary (招聘会总结): its figures, the people registered and let
    in; staff register a person of their region or call the fair off."""
    fair = _held_fair_or_404(request, pk)
    if request.method == "POST":
        clerk_only(request)
        action = request.POST.get("action", "")
        try:
            if action == "register":
                person = (
                    people_in_scope(request.user)
                    .filter(id_number=request.POST.get("id_number", "").strip().upper())
                    .first()
                )
                if person is None:
                    raise FairError("公民身份号码:本辖区没有这个人员")
                register(user=request.user, fair=fair, person=person)
                messages.success(request, f"已为{mask_name(person.name)}报名")
            elif action == "cancel":
                cancel_fair(user=request.user, fair=fair)
                messages.success(request, "已取消该招聘会")
            else:
                raise FairError("请选择要办理的事项")
        except FairError as e:
            messages.error(request, str(e))
        return redirect("fairs:desk", pk=fair.pk)
    leader = request.user.role == Role.LEADER
    attendees = (
        Attendee.objects.filter(fair=fair).select_related("person", "check_in").order_by("-pk")
    )
    page = paginate(request, attendees)
    rows = [
        (
            a,
            mask_name(a.person.name) if leader else a.person.name,
            mask_resident_id(a.person.id_number),
            getattr(a, "check_in", None),
        )
        for a in page
    ]
    return render(
        request,
        "fairs/desk.html",
        {
            "fair": fair,
            "groups": group_labels(fair.groups),
            "s": summary(fair),
            "page": page,
            "rows": rows,
            "clerk": request.user.is_clerk,
            "today": timezone.localdate(),
        },
    )


@back_office
def door(request, pk: int):
    """The door (入场签到) on a phone: scan admission codes or type an ID number; scans are
    kept on the device and sent when the network allows (static/fairs/door.js)."""
    fair = _held_fair_or_404(request, pk)
    clerk_only(request)
    if fair.cancelled or not fair.on_site:
        raise Http404("该招聘会已取消,或是网络招聘会,没有现场签到")
    admitted = Attendee.objects.filter(fair=fair, check_in__isnull=False).count()
    return render(request, "fairs/door.html", {"fair": fair, "admitted": admitted})


@back_office
@require_POST
def door_sync(request, pk: int):
    """What the door sends: {"scans": [{key, code | id_number, at}]} → {"answers": [...]}."""
    fair = _held_fair_or_404(request, pk)
    clerk_only(request)
    try:
        body = json.loads(request.body or b"{}")  # RecursionError: nested past the limit
        scans = body.get("scans") if isinstance(body, dict) else None
        if not isinstance(scans, list) or not all(isinstance(s, dict) for s in scans):
            raise FairError('请求格式有误:须为 {"scans": [...]}')
        answers = check_in(user=request.user, fair=fair, scans=scans)
    except (ValueError, RecursionError, FairError) as e:
        message = str(e) if isinstance(e, FairError) else "请求格式有误"
        return JsonResponse({"error": message}, status=400)
    admitted = Attendee.objects.filter(fair=fair, check_in__isnull=False).count()
    return JsonResponse({"answers": answers, "admitted": admitted})


@back_office
def year(request):
    """The year's fairs and the intentions reached, against the plans' targets (002: at
    least 72 fairs and 810 people reaching an intention a year)."""
    prefix = scope_or_refuse(request)
    today = timezone.localdate()
    region = region_asked(request, prefix)
    try:
        year = int(request.GET.get("year") or today.year)
    except ValueError:
        raise Http404("年度须为数字") from None
    if not 2000 <= year <= today.year:
        raise Http404(f"年度须在2000年至{today.year}年之间")
    held = (
        fairs_in_scope(request.user)
        .filter(region_prefix_q("region_id", region.scope_prefix))
        .filter(held_on__year=year, cancelled=False)
        .order_by("held_on", "pk")
    )
    intentions = first_intentions(Intention.objects.filter(fair__in=held))
    by_fair = {}
    for fair_id in intentions.values_list("fair_id", flat=True):
        by_fair[fair_id] = by_fair.get(fair_id, 0) + 1
    progress = [
        p
        for p in evaluate_all(targets_for(region.scope_prefix), today, year)
        if p.target.indicator in YEAR_INDICATORS
    ]
    return render(
        request,
        "fairs/year.html",
        {
            "region": region,
            "year": year,
            "years": list(range(today.year, today.year - 4, -1)),
            "rows": [(f, by_fair.get(f.pk, 0)) for f in held],
            "held": sum(1 for f in held if f.held_on <= today),
            "intentions": sum(by_fair.values()),
            "progress": progress,
            "names": {c: INDICATORS[c].name for c in YEAR_INDICATORS},
        },
    )
