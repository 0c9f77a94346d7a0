"""The leaders' side: the dashboard (indicators against the plans' targets, trends, the
map of sub-regions), the indicator table of any region and period with its Excel export,
and the list behind every figure."""

from __future__ import annotations

import datetime as dt

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from apps.accounts.downloads import send_export
from apps.portal.access import back_office, region_asked, scope_or_refuse
from apps.regions.models import Region, RegionLevel, scope_prefix
from jiuye.exports import XLSX
from jiuye.identifiers import mask_name

from .definitions import HEADLINE, INDICATORS
from .exports import indicator_workbook
from .selectors import events_in, figures, series, shared_counts
from .targets import evaluate_all, targets_for

TREND = ("new_urban_jobs", "reemployed", "registered_unemployed")
MAP_CHOICES = (
    "registered_unemployment_rate",
    "registered_unemployed",
    "new_urban_jobs",
    "reemployed",
    "full_employment_community_share",
)
PAGE = 50


EARLIEST = dt.date(2000, 1, 1)


def _date(value: str | None, default: dt.date, name: str) -> dt.date:
    if not value:
        return default
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise Http404(f"{name}“{value}”不是有效日期(如 2026-01-01)") from None
    if not EARLIEST <= day <= timezone.localdate() + dt.timedelta(days=366):
        raise Http404(f"{name}须在2000年至明年之间")
    return day


def _period(request, today: dt.date) -> tuple[dt.date, dt.date]:
    start = _date(request.GET.get("start"), dt.date(today.year, 1, 1), "起始日期")
    end = _date(request.GET.get("end"), today, "截止日期")
    if end < start:
        raise Http404("截止日期不能早于起始日期")
    return start, end


def _year(request, today: dt.date) -> int:
    try:
        year = int(request.GET.get("year") or today.year)
    except ValueError:
        raise Http404("年度须为数字") from None
    if not 2000 <= year <= today.year:
        raise Http404(f"年度须在2000年至{today.year}年之间")
    return year


def _children(region: Region) -> list[Region]:
    if region.level >= RegionLevel.COMMUNITY:
        return []
    return list(region.children.order_by("code").only("code", "name", "level", "lat", "lng"))


@back_office
def dashboard(request):
    """The leaders' dashboard (领导驾驶舱): the year's indicators for a region, the plans'
    targets against them, the monthly trend and the sub-regions on a map."""
    with shared_counts():
        return _dashboard(request)


def _dashboard(request):
    prefix = scope_or_refuse(request)
    today = timezone.localdate()
    region = region_asked(request, prefix)
    year = _year(request, today)
    start, end = dt.date(year, 1, 1), min(dt.date(year, 12, 31), today)
    own = region.scope_prefix
    children = _children(region)
    child_prefixes = [c.scope_prefix for c in children]
    map_code = request.GET.get("map") or MAP_CHOICES[0]
    if map_code not in MAP_CHOICES:
        raise Http404(f"地图指标“{map_code}”不存在")
    values = figures(list(dict.fromkeys([*HEADLINE, map_code])), start, end, [own, *child_prefixes])
    headline = [(INDICATORS[c], values[c][own]) for c in HEADLINE]
    progress = evaluate_all(targets_for(own), today, year)
    trend = {
        "months": [],
        "series": [],
    }
    # the trend ends with the last month that is over (a month begun reads as a fall)
    trend_end = end if end.year < today.year else today.replace(day=1) - dt.timedelta(days=1)
    for code in TREND:
        points = series(code, own, trend_end, months=24)
        trend["months"] = [m for m, _ in points]
        trend["series"].append({"name": INDICATORS[code].name, "data": [v for _, v in points]})
    regions_map = [
        {
            "code": c.code,
            "name": c.name,
            "url": f"?region={c.code}&year={year}&map={map_code}",
            "lat": c.lat,
            "lng": c.lng,
            "value": values[map_code][c.scope_prefix],
        }
        for c in children
    ]
    from apps.monitoring.selectors import open_warnings

    warnings = open_warnings(request.user, own)
    return render(
        request,
        "indicators/dashboard.html",
        {
            "warnings": warnings[:8],
            "warnings_total": len(warnings),
            "region": region,
            "parents": _parents(region, prefix),
            "year": year,
            "years": list(range(today.year, today.year - 6, -1)),
            "start": start,
            "end": end,
            "headline": headline,
            "progress": progress,
            "trend": trend,
            "map_code": map_code,
            "map_indicator": INDICATORS[map_code],
            "map_choices": [INDICATORS[c] for c in MAP_CHOICES],
            "map_data": {"unit": INDICATORS[map_code].unit, "regions": regions_map},
            "children": [(c, values[map_code][c.scope_prefix]) for c in children],
            "behind": sum(1 for p in progress if p.status in ("behind", "not_met")),
        },
    )


def _parents(region: Region, prefix: str) -> list[Region]:
    """The region's ancestors the viewer may open (for the breadcrumb)."""
    out = []
    parent = region.parent
    while parent is not None and (not prefix or parent.code.startswith(prefix)):
        if scope_prefix(parent.code, parent.level).startswith(prefix):
            out.append(parent)
        parent = parent.parent
    return out[::-1]


@back_office
def table(request):
    """Every indicator for a region and period, beside its sub-regions; Excel on demand."""
    prefix = scope_or_refuse(request)
    today = timezone.localdate()
    region = region_asked(request, prefix)
    start, end = _period(request, today)
    children = _children(region)
    prefixes = [region.scope_prefix, *(c.scope_prefix for c in children)]
    codes = [c for c, i in INDICATORS.items() if i.computed]
    values = figures(codes, start, end, prefixes)
    codes_of = [region.code, *(c.code for c in children)]
    rows = [(INDICATORS[c], [values[c][p] for p in prefixes]) for c in codes]
    linked = [
        (indicator, list(zip(codes_of, figures_of, strict=True))) for indicator, figures_of in rows
    ]
    if request.GET.get("format") == "xlsx":
        return send_export(
            request,
            content=indicator_workbook(region, children, start, end, rows),
            filename=f"indicators-{region.code}-{start}-{end}.xlsx",
            content_type=XLSX,
            resource="就业统计指标表",
            filters={"region": region.code, "start": str(start), "end": str(end)},
            rows=len(rows),
        )
    return render(
        request,
        "indicators/table.html",
        {
            "region": region,
            "parents": _parents(region, prefix),
            "children": children,
            "start": start,
            "end": end,
            "rows": linked,
            "not_computed": [i for i in INDICATORS.values() if not i.computed],
        },
    )


@back_office
def behind(request, code: str):
    """The records behind a counted figure (a leader sees names and numbers masked)."""
    indicator = INDICATORS.get(code)
    if indicator is None:
        raise Http404(f"指标“{code}”不存在")
    if not indicator.counted:
        raise Http404(f"“{indicator.name}”由其他指标计算而来,请查看其组成指标")
    prefix = scope_or_refuse(request)
    today = timezone.localdate()
    region = region_asked(request, prefix)
    start, end = _period(request, today)
    derived = INDICATORS.get(request.GET.get("of", ""))
    explained = None
    if derived and derived.parts and derived.parts[0] == code:
        # opened from a derived figure: say how it is made of this list and the others
        own = region.scope_prefix
        got = figures([derived.code, *derived.parts], start, end, [own])
        explained = {
            "indicator": derived,
            "value": got[derived.code][own],
            "parts": [(INDICATORS[p], got[p][own]) for p in derived.parts],
        }
    qs = events_in(indicator, start, end, region.scope_prefix)
    person = indicator.person_field
    if person:
        qs = qs.select_related(person, f"{person}__community")
    order = [f"-{indicator.day_field}"] if indicator.day_field else []
    qs = qs.order_by(*order, "-pk")
    try:
        number = max(1, int(request.GET.get("page", 1)))
    except ValueError:
        number = 1
    page = Paginator(qs, PAGE).get_page(number)
    masked = request.user.role == "leader"
    person_rows = qs.model._meta.label == "people.Person"
    rows = []
    for row in page.object_list:
        who = row if person_rows else (_person_of(row, person) if person else None)
        rows.append(
            {
                "day": getattr(row, indicator.day_field) if indicator.day_field else None,
                "person": who,
                "name": mask_name(who.name) if who and masked else (who.name if who else ""),
                "community": who.community.name if who else _place(row, indicator),
                "detail": indicator.detail(row),
                "amount": getattr(row, indicator.amount_field) if indicator.amount_field else None,
            }
        )
    return render(
        request,
        "indicators/behind.html",
        {
            "indicator": indicator,
            "explained": explained,
            "region": region,
            "start": start,
            "end": end,
            "page": page,
            "rows": rows,
            "masked": masked,
        },
    )


def _person_of(row, path: str):
    for part in path.split("__"):
        row = getattr(row, part, None)
        if row is None:
            return None
    return row


def _place(row, indicator) -> str:
    """Where an event without a person happened: its region's name, or its code."""
    field = indicator.region_field
    if field.endswith("_id") and "__" not in field:
        return getattr(getattr(row, field.removesuffix("_id"), None), "name", "")
    return str(getattr(row, field, ""))


@back_office
def market(request):
    """Labour-market information: wage levels by occupation for a year, the occupations
    in shortage and in surplus today; Excel on demand."""
    from .exports import market_workbook
    from .market import MIN_SAMPLE, market_gaps, wage_levels

    prefix = scope_or_refuse(request)
    today = timezone.localdate()
    region = region_asked(request, prefix)
    year = _year(request, today)
    wages = wage_levels(region.scope_prefix, year)
    shortage, surplus = market_gaps(region.scope_prefix, today)
    if request.GET.get("format") == "xlsx":
        return send_export(
            request,
            content=market_workbook(region, year, today, wages, shortage, surplus),
            filename=f"market-{region.code}-{year}.xlsx",
            content_type=XLSX,
            resource="人力资源市场工资价位与供求",
            filters={"region": region.code, "year": year},
            rows=len(wages) + len(shortage) + len(surplus),
        )
    return render(
        request,
        "indicators/market.html",
        {
            "region": region,
            "parents": _parents(region, prefix),
            "year": year,
            "years": list(range(today.year, today.year - 6, -1)),
            "today": today,
            "wages": wages,
            "shortage": shortage[:30],
            "surplus": surplus[:30],
            "min_sample": MIN_SAMPLE,
        },
    )
