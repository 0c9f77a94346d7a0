"""Gig market pages (零工市场): a worker joins at a station in a minute, sees the week's
gigs nearest first, takes one, reports free at a station; an employer (or staff for a
household) posts a day job and records who came, finished and was paid; staff see each
station's day of supply and demand and its year."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from apps.accounts import signup
from apps.accounts.forms import WorkerSignupForm
from apps.accounts.models import Role
from apps.accounts.permissions import may_read
from apps.accounts.scoping import in_scope, region_prefix_q
from apps.employers.selectors import employers_in_scope
from apps.portal.access import back_office, own_person, scope_or_refuse
from apps.portal.inputs import date_field, int_field, pk_of, time_field
from apps.taxonomy.models import Occupation
from jiuye.identifiers import mask_mobile, mask_name

from .models import Gig, Take
from .selectors import (
    Near,
    day_figures,
    gigs_near,
    nearest_station,
    station_year,
    stations_in_scope,
    takes_of,
    with_places,
)
from .services import (
    GigError,
    arrive,
    cancel_gig,
    complete,
    gig_stations,
    no_show,
    post_gig,
    report_free,
    stations_for_employer,
    take,
    withdraw,
)


def today(request):
    """The week's gigs, nearest first for a worker; their own gigs and what they earned."""
    person = own_person(request)
    now = timezone.localtime()
    if request.method == "POST":
        if person is None:
            raise PermissionDenied("仅限劳动者本人")
        station = gig_stations().filter(pk=pk_of(request.POST.get("station"))).first()
        try:
            if station is None:
                raise GigError("零工驿站:没有这家驿站")
            report_free(user=request.user, station=station)
            messages.success(request, f"已在{station}报到,有合适的活会优先联系您")
        except GigError as e:
            messages.error(request, str(e))
        return redirect("gigs:today")
    if person is not None:
        rows = gigs_near(person, now)
        mine = list(takes_of(person)[:20])
        earned = sum((t.paid or 0) for t in takes_of(person).filter(completed_on__year=now.year))
    else:
        qs = with_places(
            Gig.objects.filter(
                status=Gig.Status.OPEN, day__gte=now.date(), day__lte=now.date() + dt.timedelta(7)
            ).select_related("station", "employer")
        )
        rows = [Near(g, None, g.headcount - g.taken) for g in qs[:50] if g.headcount > g.taken]
        mine, earned = [], 0
    return render(
        request,
        "gigs/today.html",
        {
            "rows": rows,
            "person": person,
            "mine": mine,
            "earned": earned,
            "station": nearest_station(person) if person else None,
            "stations": gig_stations().order_by("name"),
        },
    )


def _gig_or_404(pk: int) -> Gig:
    gig = Gig.objects.select_related("station", "employer", "occupation").filter(pk=pk).first()
    if gig is None:
        raise Http404("没有这条零工需求")
    return gig


def _manages(user, gig: Gig) -> bool:
    if not user.is_authenticated:
        return False
    if user.role == Role.EMPLOYER:
        return gig.employer_id is not None and user.employer_id == gig.employer_id
    return user.is_back_office and may_read(user, gig.station.region_id)


def gig(request, pk: int):
    """A gig: what, where, when, the pay and the places left. A worker takes it or calls
    it off; the poster and the station's staff see who took it and record the day."""
    gig = _gig_or_404(pk)
    person = own_person(request)
    manages = _manages(request.user, gig)
    if request.method == "POST":
        if not request.user.is_authenticated:
            raise PermissionDenied("请先登录")
        action = request.POST.get("action", "")
        try:
            if action == "take" and person is not None:
                take(user=request.user, gig=gig)
                messages.success(request, "接单成功,请按时到达干活地点")
            elif action == "withdraw" and person is not None:
                mine = Take.objects.filter(gig=gig, person=person).first()
                if mine is None:
                    raise GigError("您没有接这一单")
                withdraw(user=request.user, take_=mine)
                messages.success(request, "已取消接单")
            elif action in ("arrive", "complete", "no_show") and manages:
                row = gig.takes.filter(pk=pk_of(request.POST.get("take"))).first()
                if row is None:
                    raise GigError("没有这条接单记录")
                if action == "arrive":
                    arrive(user=request.user, take_=row)
                elif action == "complete":
                    complete(user=request.user, take_=row, paid=request.POST.get("paid", ""))
                else:
                    no_show(user=request.user, take_=row)
                messages.success(request, "已登记")
            elif action == "cancel" and manages:
                cancel_gig(user=request.user, gig=gig)
                messages.success(request, "已取消该零工需求")
            else:
                raise PermissionDenied("无权办理")
        except GigError as e:
            messages.error(request, str(e))
        return redirect("gigs:gig", pk=gig.pk)
    mine = Take.objects.filter(gig=gig, person=person).first() if person else None
    taken = gig.takes.filter(status__in=Take.LIVE).count()
    leader = request.user.is_authenticated and request.user.role == Role.LEADER
    takes = (
        [
            (t, mask_name(t.person.name) if leader else t.person.name)
            for t in gig.takes.select_related("person").order_by("taken_at")
        ]
        if manages
        else []
    )
    # a household's phone only to whom it concerns: its taker, the station's staff
    acts = manages and (request.user.role == Role.EMPLOYER or request.user.is_clerk)
    # a household's name and phone: in full to the poster and staff, and to its taker
    # from the day before the work (not to anyone who takes a gig to read its phone)
    near = gig.day - timezone.localdate() <= dt.timedelta(days=1)
    sees_phone = acts or (mine is not None and mine.status in Take.LIVE and near)
    return render(
        request,
        "gigs/gig.html",
        {
            "gig": gig,
            "left": gig.headcount - taken,
            "person": person,
            "mine": mine,
            "manages": manages,
            "acts": acts,
            "takes": takes,
            "phone": gig.poster_phone if sees_phone else mask_mobile(gig.poster_phone),
            "poster": gig.poster if sees_phone or gig.employer_id else mask_name(gig.poster),
            "today": timezone.localdate(),
        },
    )


@login_required
def post(request):
    """Post a day job: an employer for itself, staff for a household or an employer of
    their region; the poster's recent gigs below."""
    user = request.user
    if user.role != Role.EMPLOYER and not user.is_clerk:
        raise PermissionDenied("仅限用人单位和经办人员发布零工需求")
    if user.role == Role.EMPLOYER:
        if user.employer_id is None:
            raise PermissionDenied("单位注册尚待核验,核验通过后即可发布零工需求")
        stations = stations_for_employer(user.employer)
    else:
        stations = stations_in_scope(user)
    if request.method == "POST":
        p = request.POST
        try:
            station = stations.filter(pk=pk_of(p.get("station"))).first()
            if station is None:
                raise GigError("零工驿站:请选择一家零工驿站")
            employer = None
            if user.role != Role.EMPLOYER and p.get("credit_code", "").strip():
                employer = (
                    employers_in_scope(user)
                    .filter(credit_code=p.get("credit_code", "").strip().upper())
                    .first()
                )
                if employer is None:
                    raise GigError("统一社会信用代码:本辖区没有这家单位")
            occupation = None
            if p.get("occupation", "").strip():
                occupation = Occupation.objects.filter(code=p.get("occupation").strip()).first()
                if occupation is None:
                    raise GigError("职业:职业分类大典中没有这个代码")
            gig = post_gig(
                user=user,
                station=station,
                task=p.get("task", ""),
                detail=p.get("detail", ""),
                occupation=occupation,
                place=p.get("place", ""),
                day=date_field(p.get("day", ""), "日期", GigError),
                starts=time_field(p.get("starts", ""), "开始", GigError),
                ends=time_field(p.get("ends", ""), "结束", GigError),
                pay=p.get("pay", ""),
                pay_unit=p.get("pay_unit", ""),
                headcount=int_field(p.get("headcount", ""), "人数", GigError),
                employer=employer,
                poster_name=p.get("poster_name", ""),
                poster_phone=p.get("poster_phone", ""),
            )
        except GigError as e:
            messages.error(request, str(e))
            return _post_page(request, stations, status=400)
        messages.success(request, f"已发布“{gig.task}”")
        return redirect("gigs:gig", pk=gig.pk)
    return _post_page(request, stations)


def _post_page(request, stations, status: int = 200):
    user = request.user
    posted = (
        Gig.objects.filter(employer=user.employer)
        if user.role == Role.EMPLOYER
        else Gig.objects.filter(posted_by=user)
    )
    return render(
        request,
        "gigs/post.html",
        {
            "stations": stations.order_by("name"),
            "units": Gig.PayUnit.choices,
            "clerk": user.is_clerk,
            "posted": with_places(posted.select_related("station")).order_by("-day", "-pk")[:30],
            "form": request.POST if request.method == "POST" else {},
            "today": timezone.localdate(),
        },
        status=status,
    )


def join(request, pk: int):
    """Signing up at a station (驿站注册), in a minute: name, ID, phone, a password, what
    one can do; then the code sent to the phone (the platform's own sign-up, so an ID in
    the registry is linked only through the phone on file), and straight to the gigs."""
    from apps.accounts.views import SIGNUP_THEN, signup_page

    station = gig_stations().select_related("region").filter(pk=pk).first()
    if station is None:
        raise Http404("没有这家零工驿站")
    if request.user.is_authenticated and request.user.role == Role.WORKER:
        return redirect("gigs:today")
    # the person's place: the station's community, or one of the communities around a
    # station that serves a street or a county
    from apps.regions.models import Region, RegionLevel

    places = [(station.region_id, station.region.name)]
    if station.region.level != RegionLevel.COMMUNITY:
        places = list(
            Region.objects.filter(
                region_prefix_q("code", station.region.scope_prefix), level=RegionLevel.COMMUNITY
            )
            .order_by("code")
            .values_list("code", "name")
        )
    data = None
    if request.method == "POST":
        data = request.POST.copy()
        if len(places) == 1:
            data["community"] = places[0][0]
    form = WorkerSignupForm(data)
    form.fields["community"].choices = [("", "请选择"), *places] if len(places) > 1 else places
    answer = signup_page(
        request,
        form,
        "worker",
        lambda d: signup.start_worker(
            name=d["name"],
            id_number=d["id_number"],
            phone=d["phone"],
            password=d["password1"],
            community=d["community"],
            labour_status=d["labour_status"],
        ),
        template="gigs/join.html",
        extra={"station": station},
    )
    if answer.status_code == 302:  # the code is sent: after it, straight to the gigs
        skills = request.POST.get("skills", "")[:200]
        request.session[SIGNUP_THEN] = {"next": "/gig/", "skills": skills}
    return answer


@back_office
def stations(request):
    """The region's gig stations with a day's supply and demand."""
    scope_or_refuse(request)
    day = _day(request)
    rows = list(stations_in_scope(request.user).order_by("name"))
    figures = day_figures(rows, day)
    return render(
        request,
        "gigs/stations.html",
        {"rows": [(s, figures[s.pk]) for s in rows], "day": day},
    )


def _day(request) -> dt.date:
    today = timezone.localdate()
    try:
        day = dt.date.fromisoformat(request.GET["day"]) if request.GET.get("day") else today
    except ValueError:
        raise Http404("日期格式有误") from None
    if abs((day - today).days) > 3660:
        raise Http404("日期超出范围")
    return day


@back_office
def station(request, pk: int):
    """A station's day: its gigs with who took them, the workers who reported free, and
    the year's figures beside its operator's subsidy claim."""
    scope_or_refuse(request)
    found = stations_in_scope(request.user).filter(pk=pk).first()
    if found is None or not in_scope(request.user, found.region_id):
        raise Http404("没有这家零工驿站,或不在您的管辖区域内")
    day = _day(request)
    leader = request.user.role == Role.LEADER
    gigs = list(
        with_places(Gig.objects.filter(station=found, day=day))
        .select_related("employer")
        .order_by("starts", "pk")
    )
    from .models import Availability

    free = [
        mask_name(a.person.name) if leader else a.person.name
        for a in Availability.objects.filter(station=found, day=day).select_related("person")
    ]
    return render(
        request,
        "gigs/station.html",
        {
            "station": found,
            "leader": leader,
            "day": day,
            "gigs": gigs,
            "free": free,
            "f": day_figures([found], day)[found.pk],
            "year": station_year(found, day.year),
        },
    )
