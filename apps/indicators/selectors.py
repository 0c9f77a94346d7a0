"""Reading the indicators: one grouped query per counted indicator gives every region of
the viewer's scope at once (the events are grouped by the code of their community, street
or county, then summed up the code prefixes), derived indicators are made from those.

A region is given as its scope prefix (``Region.scope_prefix``: "341282" for 界首市,
"341282001" for one of its streets); a plan's region may be several prefixes (雄安新区)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal

from django.db.models import Count, QuerySet, Sum
from django.utils import timezone

from apps.accounts.scoping import region_prefix_q
from apps.regions.models import Region, RegionLevel

from .definitions import (
    DIFFERENCE,
    FLOW,
    INDICATORS,
    RATE,
    SHARE_OF_COMMUNITIES,
    STOCK,
    Indicator,
)


def events_in(indicator: Indicator, start: dt.date, end: dt.date, prefix: str) -> QuerySet:
    """The events an indicator counts for a region and period: the list behind a figure."""
    qs = indicator.events(start, end)
    if prefix:
        qs = qs.filter(region_prefix_q(indicator.region_field, prefix))
    return qs


_SHARED: ContextVar[dict | None] = ContextVar("indicator_counts", default=None)


@contextmanager
def shared_counts():
    """Inside the block, an indicator counted for a period over a region is counted once:
    a later ask for the same period over a region inside it is read from the first count
    (a page showing a city's figures and then its plans' targets for one of its counties
    counts the month under way once)."""
    token = _SHARED.set({})
    try:
        yield
    finally:
        _SHARED.reset(token)


def _by_code(
    indicator: Indicator, start: dt.date, end: dt.date, prefix: str, cached: bool = True
) -> dict[str, float]:
    """The indicator's value per stored region code (community, street or county): from
    the pre-aggregated cells where they are clean (apps/indicators/cells.py), else live."""
    shared = _SHARED.get()
    if shared is None:
        return _count_by_code(indicator, start, end, prefix, cached)
    for counted_prefix, values in shared.get((indicator.code, start, end, cached), []):
        if prefix.startswith(counted_prefix):
            return {c: v for c, v in values.items() if c.startswith(prefix)}
    values = _count_by_code(indicator, start, end, prefix, cached)
    shared.setdefault((indicator.code, start, end, cached), []).append((prefix, values))
    return values


def _count_by_code(
    indicator: Indicator, start: dt.date, end: dt.date, prefix: str, cached: bool
) -> dict[str, float]:
    from . import cells

    if cached:
        today = timezone.localdate()
        if indicator.code in cells.KEYS:
            return cells.by_code(indicator.code, start, end, prefix, today)
        if indicator.spells is not None:
            return cells.stock_by_code(indicator.code, end, prefix, today)
    measure = Sum(indicator.amount_field) if indicator.amount_field else Count("pk", distinct=True)
    rows = (
        events_in(indicator, start, end, prefix)
        .order_by()
        .values_list(indicator.region_field)
        .annotate(v=measure)
    )
    return {code: _number(v) for code, v in rows}


def _number(v) -> float:
    if v is None:
        return 0.0
    return float(v) if isinstance(v, Decimal) else v


def rollup(values: dict[str, float], prefixes: Iterable[str]) -> dict[str, float]:
    """Sum per-code values into each region prefix (a code belongs to every prefix it
    starts with)."""
    out = dict.fromkeys(prefixes, 0.0)
    lengths = sorted({len(p) for p in out})
    for code, v in values.items():
        for n in lengths:
            key = code[:n]
            if key in out:
                out[key] += v
    return out


def _common_prefix(prefixes: list[str]) -> str:
    first, last = min(prefixes), max(prefixes)
    n = 0
    while n < min(len(first), len(last)) and first[n] == last[n]:
        n += 1
    return first[:n]


def _communities(prefixes: list[str]) -> dict[str, float]:
    codes = Region.objects.filter(level=RegionLevel.COMMUNITY)
    common = _common_prefix(prefixes)
    if common:
        codes = codes.filter(region_prefix_q("code", common))
    return rollup(dict.fromkeys(codes.values_list("code", flat=True), 1.0), prefixes)


def counted_parts(codes: Iterable[str]) -> list[str]:
    """The counted indicators ``codes`` are made of (themselves when counted)."""
    out: list[str] = []
    for code in codes:
        indicator = INDICATORS[code]
        for part in indicator.parts if indicator.parts else (code,):
            if INDICATORS[part].counted and part not in out:
                out.append(part)
    return out


def figures(
    codes: Iterable[str],
    start: dt.date,
    end: dt.date,
    prefixes: list[str],
    *,
    cached: bool = True,
) -> dict[str, dict[str, float | None]]:
    """indicator code → region prefix → value, for a period; None where a value cannot be
    given (a rate over nobody, an indicator the platform does not compute). ``cached``
    False counts every event live (the tests and the benchmark compare the two)."""
    codes = list(codes)
    prefixes = list(dict.fromkeys(prefixes))
    common = _common_prefix(prefixes)
    counted = {
        code: rollup(_by_code(INDICATORS[code], start, end, common, cached), prefixes)
        for code in counted_parts(c for c in codes if INDICATORS[c].computed)
    }
    communities = None
    out: dict[str, dict[str, float | None]] = {}
    for code in codes:
        indicator = INDICATORS[code]
        if indicator.counted:
            out[code] = dict(counted[code])
        elif indicator.measure == DIFFERENCE:
            a, b = (counted[p] for p in indicator.parts)
            out[code] = {p: a[p] - b[p] for p in prefixes}
        elif indicator.measure == RATE:
            a, b = (counted[p] for p in indicator.parts)
            out[code] = {p: (100.0 * a[p] / b[p] if b[p] else None) for p in prefixes}
        elif indicator.measure == SHARE_OF_COMMUNITIES:
            communities = communities or _communities(prefixes)
            a = counted[indicator.parts[0]]
            out[code] = {
                p: (100.0 * a[p] / communities[p] if communities[p] else None) for p in prefixes
            }
        else:
            out[code] = dict.fromkeys(prefixes)
    return out


def combined(code: str, start: dt.date, end: dt.date, prefixes: list[str]) -> float | None:
    """One value for a plan's region made of several prefixes (雄安新区: three counties):
    counts add up, rates are taken over the summed parts."""
    indicator = INDICATORS[code]
    if not indicator.computed:
        return None
    if len(prefixes) == 1:
        return figures([code], start, end, prefixes)[code][prefixes[0]]
    if indicator.counted:
        return sum(figures([code], start, end, prefixes)[code].values())
    parts = figures(indicator.parts, start, end, prefixes)
    sums = [sum(parts[p].values()) for p in indicator.parts]
    if indicator.measure == DIFFERENCE:
        return sums[0] - sums[1]
    if indicator.measure == RATE:
        return 100.0 * sums[0] / sums[1] if sums[1] else None
    communities = sum(_communities(prefixes).values())
    return 100.0 * sums[0] / communities if communities else None


def month_ends(last: dt.date, months: int) -> list[tuple[dt.date, dt.date]]:
    """(first day, last day) of the ``months`` months ending with ``last``'s month; the
    current month ends at ``last``."""
    out = []
    year, month = last.year, last.month
    for _ in range(months):
        first = dt.date(year, month, 1)
        following = dt.date(year + month // 12, month % 12 + 1, 1)
        out.append((first, min(last, following - dt.timedelta(days=1))))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return out[::-1]


def series(
    code: str, prefix: str, last: dt.date, months: int = 24
) -> list[tuple[str, float | None]]:
    """The indicator month by month ("2026-03", value) for a region: flows in one grouped
    query by month, stocks and rates at each month's last day."""
    windows = month_ends(last, months)
    indicator = INDICATORS[code]
    flows = [
        INDICATORS[p]
        for p in (indicator.parts or (code,))
        if INDICATORS[p].counted and INDICATORS[p].measure == FLOW
    ]
    parts = [INDICATORS[p] for p in (indicator.parts or (code,))]
    if indicator.measure in (FLOW, DIFFERENCE) and len(flows) == len(parts):
        monthly = [_monthly(i, windows[0][0], last, prefix) for i in flows]
        values = []
        for first, _ in windows:
            got = [m.get(first, 0.0) for m in monthly]
            values.append(got[0] - got[1] if indicator.measure == DIFFERENCE else got[0])
    elif indicator.measure in (STOCK, RATE) and all(p.spells for p in parts):
        stocks = [_stock_at_month_ends(p, windows, prefix) for p in parts]
        if indicator.measure == STOCK:
            values = stocks[0]
        else:
            values = [100.0 * a / b if b else None for a, b in zip(*stocks, strict=True)]
    else:
        values = [figures([code], first, end, [prefix])[code][prefix] for first, end in windows]
    return [(first.strftime("%Y-%m"), v) for (first, _), v in zip(windows, values, strict=True)]


def _stock_at_month_ends(indicator: Indicator, windows, prefix: str) -> list[float]:
    """A spell stock at each window's last day, from the spells' starts and ends by month
    (cells where clean): active on a day means begun on or before it and not ended on or
    before it."""
    from . import cells

    today = timezone.localdate()
    first, last = windows[0][0], windows[-1][1]
    before = first - dt.timedelta(days=1)
    level = sum(cells.stock_by_code(indicator.code, before, prefix, today).values())
    starts = cells.by_month(f"{indicator.code}>", first, last, prefix, today)
    ends = cells.by_month(f"{indicator.code}<", first, last, prefix, today)
    out = []
    for month_first, _ in windows:
        level += starts.get(month_first, 0.0) - ends.get(month_first, 0.0)
        out.append(float(level))
    return out


def _monthly(indicator: Indicator, start: dt.date, end: dt.date, prefix: str) -> dict:
    """A flow month by month (every counted flow has cells: apps/indicators/cells.py)."""
    from . import cells

    return cells.by_month(indicator.code, start, end, prefix, timezone.localdate())
