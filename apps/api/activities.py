"""The plan's indicators, and the newer domains' public notices: training classes,
recruitment fairs, the gig stations' day jobs, and the layoff monitoring's warnings."""

# (no `from __future__ import annotations` here: ninja reads these annotations as types)
import datetime as dt
from decimal import Decimal

from django.utils import timezone
from ninja import Field, Query, Router

from apps.accounts.scoping import in_scope, user_scope_prefix
from apps.fairs.selectors import coming_fairs
from apps.gigs.models import Gig
from apps.gigs.selectors import with_places
from apps.indicators.definitions import INDICATORS
from apps.indicators.selectors import figures, shared_counts
from apps.monitoring.models import MonthlyReport, Warning
from apps.monitoring.selectors import enterprises_in_scope, warnings_in_scope
from apps.training.selectors import open_courses
from apps.training.selectors import with_places as with_seats

from .core import (
    ERRORS,
    ApiError,
    Key,
    Out,
    Params,
    choice_param,
    home_province,
    paged,
    region_param,
)
from .jobs import Coded

router = Router(tags=["指标与活动 Indicators and activities"])


# --- Indicators -------------------------------------------------------------------------
class Figure(Out):
    code: str
    name: str
    unit: str
    value: float | None = Field(description="null: 无法计算(如分母为零或平台不计算)")
    definition: str


class IndicatorsOut(Out):
    region: Coded
    start: dt.date
    end: dt.date
    figures: list[Figure]


class IndicatorsQuery(Params):
    region: str = Field("", max_length=64, description="区域代码或名称,默认本人管辖区域")
    year: int | None = Field(None, ge=2000, le=2100)


@router.get("/indicators", response={200: IndicatorsOut, **ERRORS}, auth=Key("indicators:read"))
def indicators(request, params: Query[IndicatorsQuery]):
    """就业指标 The year's indicators for a region of your scope (to today in the year
    under way), as the leaders' dashboard counts them."""
    prefix = user_scope_prefix(request.user)
    if prefix is None:
        raise ApiError(403, "forbidden", "账号未设置管辖区域,请联系管理员", "No region set")
    region = (
        region_param(params.region, "region", home_province(prefix))
        or request.user.scope_region
        or region_param(home_province() + "0000", "region")
    )
    if not in_scope(request.user, region.code):
        raise ApiError(
            403,
            "forbidden",
            f"{region.name}不在您的管辖区域内",
            f"{region.code} is outside your region",
            "region",
        )
    today = timezone.localdate()
    year = params.year or today.year
    if year > today.year:
        raise ApiError(400, "invalid", "年度不能晚于今年", "The year is in the future", "year")
    start, end = dt.date(year, 1, 1), min(dt.date(year, 12, 31), today)
    codes = [c for c, i in INDICATORS.items() if i.computed]
    with shared_counts():
        values = figures(codes, start, end, [region.scope_prefix])
    return {
        "region": {"code": region.code, "name": region.name},
        "start": start,
        "end": end,
        "figures": [
            {
                "code": c,
                "name": INDICATORS[c].name,
                "unit": INDICATORS[c].unit,
                "value": values[c][region.scope_prefix],
                "definition": INDICATORS[c].definition,
            }
            for c in codes
        ],
    }


# --- Training classes -----------------------------------------------------------------------
class CourseOut(Out):
    id: int
    title: str
    kind: str
    occupation: str | None
    level: int | None
    institution: str
    start: dt.date
    end: dt.date
    hours: int
    place: Coded | None
    capacity: int
    places_left: int
    subsidised: bool


class CoursePage(Out):
    items: list[CourseOut]
    next: str | None


class Paged(Params):
    cursor: str | None = Field(
        None, max_length=200, description="上一页返回的next the previous page's next"
    )
    limit: int = Field(20, ge=1, le=100, description="每页条数 items a page")


@router.get("/training/courses", response={200: CoursePage, **ERRORS}, auth=Key("training:read"))
def courses(request, params: Query[Paged]):
    """培训班 The open training classes anyone may join (as on the public page)."""
    qs = with_seats(open_courses(timezone.localdate())).order_by("pk")
    return paged(
        qs,
        params,
        lambda c: {
            "id": c.pk,
            "title": c.title,
            "kind": c.kind,
            "occupation": c.occupation_id,
            "level": c.level,
            "institution": c.institution.employer.name,
            "start": c.start,
            "end": c.end,
            "hours": c.hours,
            "place": {"code": c.community_id, "name": c.community.name} if c.community_id else None,
            "capacity": c.capacity,
            "places_left": max(0, c.capacity - c.taken),
            "subsidised": c.subsidised,
        },
    )


# --- Recruitment fairs --------------------------------------------------------------------
class FairOut(Out):
    id: int
    title: str
    theme: str
    mode: str
    region: Coded
    venue: str
    held_on: dt.date
    ends_on: dt.date
    opens: dt.time
    closes: dt.time
    stands: int
    stands_booked: int
    groups: list[str]


class FairPage(Out):
    items: list[FairOut]
    next: str | None


@router.get("/fairs", response={200: FairPage, **ERRORS}, auth=Key("fairs:read"))
def fairs(request, params: Query[Paged]):
    """招聘会 The coming recruitment fairs (public notices)."""
    qs = coming_fairs(timezone.localdate()).order_by("pk")
    return paged(
        qs,
        params,
        lambda f: {
            "id": f.pk,
            "title": f.title,
            "theme": f.theme,
            "mode": f.mode,
            "region": {"code": f.region_id, "name": f.region.name},
            "venue": f.venue,
            "held_on": f.held_on,
            "ends_on": f.ends_on,
            "opens": f.opens,
            "closes": f.closes,
            "stands": f.stands,
            "stands_booked": f.booked,
            "groups": f.groups,
        },
    )


# --- Day jobs at the gig stations ---------------------------------------------------------
class GigOut(Out):
    id: int
    station: str
    task: str
    detail: str
    occupation: str | None
    place: str
    lat: float
    lng: float
    day: dt.date
    starts: dt.time
    ends: dt.time
    pay: Decimal
    pay_unit: str
    headcount: int
    places_left: int


class GigPage(Out):
    items: list[GigOut]
    next: str | None


@router.get("/gigs", response={200: GigPage, **ERRORS}, auth=Key("gigs:read"))
def gigs(request, params: Query[Paged]):
    """零工 The open day jobs of the coming week (no poster's name or phone: a worker
    takes a gig on the platform, which shows the poster to the taker)."""
    today = timezone.localdate()
    qs = with_places(
        Gig.objects.filter(
            status=Gig.Status.OPEN, day__gte=today, day__lte=today + dt.timedelta(days=7)
        ).select_related("station")
    ).order_by("pk")
    return paged(
        qs,
        params,
        lambda g: {
            "id": g.pk,
            "station": g.station.name,
            "task": g.task,
            "detail": g.detail,
            "occupation": g.occupation_id,
            "place": g.place,
            "lat": g.lat,
            "lng": g.lng,
            "day": g.day,
            "starts": g.starts,
            "ends": g.ends,
            "pay": g.pay,
            "pay_unit": g.pay_unit,
            "headcount": g.headcount,
            "places_left": max(0, g.headcount - g.taken),
        },
    )


# --- Layoff monitoring --------------------------------------------------------------------
class WarningOut(Out):
    id: int
    level: str
    signal: str
    scope: str
    label: str
    region: str
    month: dt.date
    value: Decimal
    threshold: Decimal | None
    reason: str
    status: str
    raised_at: dt.datetime


class WarningPage(Out):
    items: list[WarningOut]
    next: str | None


class WarningsQuery(Paged):
    status: str = Field("", max_length=12)


@router.get(
    "/monitoring/warnings", response={200: WarningPage, **ERRORS}, auth=Key("monitoring:read")
)
def warnings(request, params: Query[WarningsQuery]):
    """失业动态监测预警 The layoff warnings of your region."""
    qs = warnings_in_scope(request.user).order_by("pk")
    if params.status:
        qs = qs.filter(status=choice_param(params.status, Warning.Status.choices, "status"))
    return paged(
        qs,
        params,
        lambda w: {
            "id": w.pk,
            "level": w.level,
            "signal": w.signal,
            "scope": w.scope,
            "label": w.label,
            "region": w.region_code,
            "month": w.month,
            "value": w.value,
            "threshold": w.threshold,
            "reason": w.reason,
            "status": w.status,
            "raised_at": timezone.localtime(w.raised_at),
        },
    )


class MonthlyReportOut(Out):
    id: int
    employer: str
    credit_code: str
    region: str
    month: dt.date
    headcount: int = Field(description="月末从业人数 headcount at the month's end")
    reduced: int = Field(description="本月减少人数 fewer this month")
    reason: str
    channel: str
    submitted_at: dt.datetime


class MonthlyReportPage(Out):
    items: list[MonthlyReportOut]
    next: str | None


class ReportsQuery(Paged):
    month: dt.date | None = Field(None, description="月份(该月任一天) the month (any day of it)")


@router.get(
    "/monitoring/reports",
    response={200: MonthlyReportPage, **ERRORS},
    auth=Key("monitoring:read"),
)
def monthly_reports(request, params: Query[ReportsQuery]):
    """失业动态监测月报 The monitored enterprises' monthly reports of your region (the
    reports in force: a corrected one is replaced by its correction)."""
    qs = (
        MonthlyReport.objects.filter(
            enterprise__in=enterprises_in_scope(request.user), replaced_at__isnull=True
        )
        .select_related("enterprise__employer")
        .order_by("pk")
    )
    if params.month:
        qs = qs.filter(month=params.month.replace(day=1))
    return paged(
        qs,
        params,
        lambda r: {
            "id": r.pk,
            "employer": r.enterprise.employer.name,
            "credit_code": r.enterprise.employer.credit_code,
            "region": r.enterprise.employer.region_id,
            "month": r.month,
            "headcount": r.headcount,
            "reduced": r.reduced,
            "reason": r.reason,
            "channel": r.channel,
            "submitted_at": timezone.localtime(r.submitted_at),
        },
    )
