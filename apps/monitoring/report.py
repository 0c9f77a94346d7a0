"""The quarterly unemployment-monitoring analysis report (按季失业动态监测分析报告) of a region:
the monitored enterprises and how many reported, the change of their posts over the
quarter by industry and by sub-region, the reasons people left, the warnings raised and
the mass layoffs reported, beside the registry's employment indicators of the quarter.
One assembly (``quarterly``) feeds the printable page, the PDF (WeasyPrint) and the
Excel tables, so the three hold the same numbers. Charts are drawn on the server
(matplotlib, SVG) so that the PDF has them too."""

from __future__ import annotations

import base64
import datetime as dt
import io
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Sum

from apps.accounts.scoping import region_prefix_q

from .models import LEVEL_ORDER, LayoffCase, Level, MonitoredEnterprise, MonthlyReport, Warning
from .services import _pct, previous_month


@dataclass
class Line:
    """A row of posts: at the end of the quarter before, and at this quarter's end."""

    label: str
    enterprises: int = 0
    start: int = 0
    end: int = 0
    reduced: int = 0

    @property
    def change(self) -> int:
        return self.end - self.start

    @property
    def loss_rate(self):
        return _pct(max(0, self.start - self.end), self.start) if self.start else None


@dataclass
class Quarterly:
    region: object
    year: int
    quarter: int
    first: dt.date
    last: dt.date
    months: list[dt.date]
    enterprises: int = 0
    reported: list[tuple[dt.date, int]] = field(default_factory=list)
    total: Line = field(default_factory=lambda: Line("合计"))
    industries: list[Line] = field(default_factory=list)
    areas: list[Line] = field(default_factory=list)
    reasons: list[tuple[str, int]] = field(default_factory=list)
    warnings: list[Warning] = field(default_factory=list)
    warning_counts: list[tuple[str, int]] = field(default_factory=list)
    layoffs: list[LayoffCase] = field(default_factory=list)
    indicators: list[tuple[str, str, float | None]] = field(default_factory=list)
    series: list[tuple[str, int]] = field(default_factory=list)
    chart: str = ""  # an SVG as a data: URL

    @property
    def title(self) -> str:
        return f"{self.region.name}{self.year}年第{self.quarter}季度失业动态监测分析报告"


def quarter_months(year: int, quarter: int) -> list[dt.date]:
    return [dt.date(year, 3 * (quarter - 1) + k, 1) for k in (1, 2, 3)]


def quarterly(region, year: int, quarter: int, *, today: dt.date) -> Quarterly:
    from apps.indicators.selectors import figures
    from apps.regions.models import Region
    from apps.taxonomy.models import Industry

    months = quarter_months(year, quarter)
    last_day = (months[-1] + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    q = Quarterly(region, year, quarter, months[0], min(last_day, today), months)
    prefix = region.scope_prefix
    enterprises = MonitoredEnterprise.objects.filter(
        region_prefix_q("employer__region_id", prefix), since__lte=months[-1]
    ).exclude(until__lt=months[0])
    q.enterprises = enterprises.count()
    reports = MonthlyReport.objects.filter(
        region_prefix_q("enterprise__employer__region_id", prefix), replaced_at__isnull=True
    )
    q.reported = [(m, reports.filter(month=m).count()) for m in months]
    before = previous_month(months[0])
    rows = reports.filter(month__in=[before, *months]).values_list(
        "enterprise_id",
        "month",
        "headcount",
        "reduced",
        "reason",
        "enterprise__employer__region_id",
        "enterprise__employer__industry__section_id",
        "enterprise__employer__industry_id",
        "enterprise__baseline",
    )
    at: dict[int, dict[dt.date, int]] = defaultdict(dict)
    meta: dict[int, tuple[str, str, int]] = {}
    reasons: dict[str, int] = defaultdict(int)
    for e, month, headcount, reduced, reason, code, section, industry, baseline in rows:
        at[e][month] = headcount
        meta[e] = (code, section or industry, baseline)
        if month != before:
            at[e].setdefault("reduced", 0)
            at[e]["reduced"] += reduced
            if reduced:
                reasons[reason or "other"] += reduced
    child_len = {1: 4, 2: 6, 3: 9, 4: 12}.get(region.level, 12)
    industries: dict[str, Line] = {}
    areas: dict[str, Line] = {}
    for e, figures_of in at.items():
        code, section, baseline = meta[e]
        start = figures_of.get(before, baseline)
        ends = [figures_of[m] for m in months if m in figures_of]
        if not ends:
            continue
        end = ends[-1]  # the last month reported in the quarter
        reduced = figures_of.get("reduced", 0)
        for line in (
            q.total,
            industries.setdefault(section, Line(section)),
            areas.setdefault(code[:child_len], Line(code[:child_len])),
        ):
            line.enterprises += 1
            line.start += start
            line.end += end
            line.reduced += reduced
    names = dict(Industry.objects.filter(code__in=industries).values_list("code", "name"))
    for line in industries.values():
        line.label = names.get(line.label, line.label)
    q.industries = sorted(industries.values(), key=lambda line: line.change)
    area_names = dict(Region.objects.filter(code__in=areas).values_list("code", "name"))
    for line in areas.values():
        line.label = area_names.get(line.label, line.label)
    q.areas = sorted(areas.values(), key=lambda line: line.change)
    labels = dict(MonthlyReport.Reason.choices)
    q.reasons = sorted(((labels.get(r, r), n) for r, n in reasons.items()), key=lambda x: -x[1])
    warnings = Warning.objects.filter(
        region_prefix_q("region_code", prefix), month__in=months
    ).order_by("month", "id")
    q.warnings = sorted(warnings, key=lambda w: (-LEVEL_ORDER[w.level], w.month, w.pk))
    q.warning_counts = [
        (label, sum(1 for w in q.warnings if w.level == level)) for level, label in Level.choices
    ]
    q.layoffs = list(
        LayoffCase.objects.filter(
            region_prefix_q("employer__region_id", prefix),
            reported_on__range=(months[0], last_day),
        ).select_related("employer")
    )
    codes = (
        "new_urban_jobs",
        "reemployed",
        "registered_unemployed",
        "registered_unemployment_rate",
    )
    values = figures(codes, months[0], q.last, [prefix])
    from apps.indicators.definitions import INDICATORS

    q.indicators = [(INDICATORS[c].name, INDICATORS[c].unit, values[c][prefix]) for c in codes]
    q.series = _series(reports, months[-1])
    q.chart = _chart(q.series, q.title)
    return q


def _series(reports, last: dt.date) -> list[tuple[str, int]]:
    """The monitored posts at each month's end over the twelve months to the quarter's
    end."""
    months = [last]
    for _ in range(11):
        months.append(previous_month(months[-1]))
    months.reverse()
    totals = dict(
        reports.filter(month__in=months).values_list("month").annotate(n=Sum("headcount"))
    )
    return [(m.strftime("%Y-%m"), int(totals.get(m, 0))) for m in months]


def _chart(series: list[tuple[str, int]], title: str) -> str:
    """The posts' line as an SVG data URL (CJK text drawn with Noto Sans CJK)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    plt.rcParams["font.sans-serif"] = ["Noto Sans CJK SC", "Noto Sans CJK JP", "DejaVu Sans"]
    plt.rcParams["axes.unicode_minus"] = False
    fig, ax = plt.subplots(figsize=(7.5, 2.8), dpi=100)
    ax.plot([m for m, _ in series], [n for _, n in series], marker="o", color="#1f5fa8")
    ax.set_title("监测企业月末岗位数(近12个月)", fontsize=11)
    ax.tick_params(axis="x", labelrotation=45, labelsize=8)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg")
    plt.close(fig)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue().encode()).decode()


def pdf(html: str) -> bytes:
    """The page as a PDF: its stylesheet read from the static files on disk, and nothing
    fetched but the charts' data: URLs (no file, no network)."""
    from django.contrib.staticfiles import finders
    from weasyprint import CSS, HTML
    from weasyprint.urls import URLFetcher

    css = CSS(filename=finders.find("monitoring/report.css"))
    fetcher = URLFetcher(allowed_protocols={"data"})
    return HTML(string=html, url_fetcher=fetcher).write_pdf(stylesheets=[css])


def workbook(q: Quarterly) -> bytes:
    from jiuye.exports import workbook as write

    def lines(rows):
        return [
            [
                r.label,
                r.enterprises,
                r.start,
                r.end,
                r.change,
                r.reduced,
                float(r.loss_rate) if r.loss_rate is not None else "",
            ]
            for r in rows
        ]

    header = ["", "企业数", "上季末岗位数", "本季末岗位数", "增减", "本季减少人数", "岗位流失率%"]
    return write(
        [
            ("表1 按行业", ["行业", *header[1:]], lines([*q.industries, q.total])),
            ("表2 按区域", ["区域", *header[1:]], lines([*q.areas, q.total])),
            ("表3 减员原因", ["原因", "人数"], [list(r) for r in q.reasons]),
            (
                "表4 预警",
                ["月份", "等级", "对象", "信号", "原因", "状态"],
                [
                    [
                        w.month.strftime("%Y-%m"),
                        w.get_level_display(),
                        w.label,
                        w.get_signal_display(),
                        w.reason,
                        w.get_status_display(),
                    ]
                    for w in q.warnings
                ],
            ),
            (
                "表5 就业失业指标",
                ["指标", "单位", "数值"],
                [[n, u, round(v, 2) if v is not None else ""] for n, u, v in q.indicators],
            ),
        ]
    )
