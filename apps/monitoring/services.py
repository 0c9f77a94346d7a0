"""Writes of the monitoring: enterprises taken into monitoring, monthly reports (a
correction replaces the month's figure, the old one kept), and the warning scan.

The scan reads the current reports of a month and the month before. The job-loss rate
(岗位流失率) of an enterprise, an industry (门类, within a county) or a region (county,
street) is the net fall of its headcount over the month, over its headcount at the end of
the month before (an enterprise's first month is compared with its baseline, 建档期
从业人数); a group's rate nets the enterprises that grew against those that shrank. The
people reported leaving (减少人数) and why are shown beside it. A rate at or above a
rule's threshold raises that level; groups smaller than the rule's ``min_base`` are not
rated. An economic layoff of 20 people or 10 % of the staff (劳动合同法 第四十一条) is a
mass-layoff warning whatever the thresholds. On the monthly headcount of each county and
each industry of a county, with two years of reports or more, the seasonal pattern is
removed (statsmodels STL fitted on the history before the last six months, so a
recent fall is not taken for season) and a change point searched (ruptures, PELT): a
fall of the level in the last six months is a warning too. An enterprise that has not
reported a month counts at its last reported figure in these series. Every warning
carries the why: the series, the value against the threshold or the change, and the
enterprises that drove it."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.accounts.models import Role, User
from apps.accounts.permissions import change_refusal, is_owner
from apps.accounts.services import record_audit

from .models import (
    LEVEL_ORDER,
    MAX_HEADCOUNT,
    Level,
    MonitoredEnterprise,
    MonthlyReport,
    Warning,
    WarningRule,
)

MASS_LAYOFF_PEOPLE = 20  # 劳动合同法 第四十一条: 裁减人员二十人以上
MASS_LAYOFF_SHARE = Decimal(10)  # 或者裁减不足二十人但占企业职工总数百分之十以上
# A fall of the seasonally adjusted level, in per cent, for each level of a change point.
CHANGE_LEVELS = ((Decimal(10), Level.RED), (Decimal(5), Level.ORANGE), (Decimal(2), Level.YELLOW))
ABSURD_JUMP = 10  # a headcount over ten times the month before is refused as a typo


class MonitoringError(ValueError):
    """A report or action the rules refuse; the message names the field, in Chinese."""


def first_of(day: dt.date) -> dt.date:
    return day.replace(day=1)


def previous_month(month: dt.date) -> dt.date:
    return (month - dt.timedelta(days=1)).replace(day=1)


FIRST_MONTH = dt.date(2000, 1, 1)  # no monitoring before this


def parse_month(value: str) -> dt.date:
    """A month written 2026-03 (or 2026-3), from 2000 on."""
    match = re.fullmatch(r"(\d{4})-(\d{1,2})", (value or "").strip())
    if not match or not 1 <= int(match[2]) <= 12 or int(match[1]) < FIRST_MONTH.year:
        raise MonitoringError(f"月份“{value}”格式不对,应为 2026-03 这样的年月(2000年以后)")
    return dt.date(int(match[1]), int(match[2]), 1)


def last_closed_month(today: dt.date) -> dt.date:
    """The latest month that may be reported: the one before the current (a month is
    reported once it is over)."""
    return previous_month(first_of(today))


def figure_problems(
    *,
    month: dt.date,
    headcount: int | None,
    reduced: int | None,
    reason: str,
    since: dt.date,
    until: dt.date | None,
    before: int | None,
    today: dt.date,
) -> list[tuple[str, str]]:
    """Every (field, reason) a month's figures are refused for, for the form and the import
    alike; ``before`` is the headcount last reported before the month (or the baseline)."""
    problems = []
    if month > last_closed_month(today):
        problems.append(("月份", f"{month:%Y-%m}尚未结束,月报在月份结束后报送"))
    if until and month > until:
        problems.append(("月份", f"已于{until}退出监测"))
    if month < since:
        problems.append(("月份", f"该单位自{since:%Y-%m}起纳入监测"))
    if headcount is None or not 0 <= headcount <= MAX_HEADCOUNT:
        problems.append(("月末从业人数", f"须为0至{MAX_HEADCOUNT}之间的整数"))
    if reduced is None or reduced < 0 or reduced > MAX_HEADCOUNT:
        problems.append(("本月减少人数", "须为不小于0的整数"))
    if reason not in MonthlyReport.Reason.values:
        problems.append(("主要减员原因", f"“{reason}”不在可选范围内"))
    elif reduced and not reason:
        problems.append(("主要减员原因", "本月有减员,须注明主要原因"))
    if problems or before is None:
        return problems
    if reduced > before + headcount:
        problems.append(
            ("本月减少人数", f"{reduced}人多于上月末{before}人与本月末{headcount}人之和,请核实")
        )
    if before and headcount > ABSURD_JUMP * before:
        problems.append(
            ("月末从业人数", f"{headcount}人是上次报送{before}人的{headcount // before}倍,请核实")
        )
    return problems


def headcount_before(enterprise_id: int, month: dt.date, baseline: int) -> int:
    """The headcount last reported before ``month`` (a month missed is bridged by the one
    before it), or the baseline when nothing was."""
    last = (
        MonthlyReport.objects.filter(
            enterprise_id=enterprise_id, month__lt=month, replaced_at__isnull=True
        )
        .order_by("-month")
        .values_list("headcount", flat=True)
        .first()
    )
    return last if last is not None else baseline


def _may_report(user: User, enterprise: MonitoredEnterprise) -> None:
    if is_owner(user, employer_id=enterprise.employer_id):
        return
    if user.role == Role.EMPLOYER:
        raise MonitoringError("只能报送本单位的监测数据")
    refusal = change_refusal(user, stored=enterprise.employer.region_id)
    if refusal:
        raise MonitoringError(refusal)


def add_enterprise(*, user: User, employer, since: dt.date, baseline: int) -> MonitoredEnterprise:
    """Take an employer into monitoring (纳入监测)."""
    refusal = change_refusal(user, stored=employer.region_id)
    if refusal:
        raise MonitoringError(refusal)
    if not FIRST_MONTH <= first_of(since) <= first_of(timezone.localdate()):
        raise MonitoringError("纳入监测月份:须在2000年1月至本月之间")
    if not 0 < baseline <= MAX_HEADCOUNT:
        raise MonitoringError(f"建档期从业人数须为1至{MAX_HEADCOUNT}之间的整数")
    if MonitoredEnterprise.objects.filter(employer=employer, until__isnull=True).exists():
        raise MonitoringError(f"{employer.name}已在监测中")
    enterprise, _ = MonitoredEnterprise.objects.update_or_create(
        employer=employer,
        defaults=dict(since=first_of(since), until=None, baseline=baseline, added_by=user),
    )
    record_audit(actor=user, action="monitor", obj=enterprise, changes={"baseline": baseline})
    return enterprise


def submit_report(
    *,
    user: User,
    enterprise: MonitoredEnterprise,
    month: dt.date,
    headcount: int,
    reduced: int,
    reason: str = "",
    correct: bool = False,
    channel: str | None = None,
) -> MonthlyReport:
    """A month's report; with ``correct`` it replaces the month's current figure (kept as
    history), without it a second report of a month is refused."""
    _may_report(user, enterprise)
    month = first_of(month)
    problems = figure_problems(
        month=month,
        headcount=headcount if isinstance(headcount, int) else None,
        reduced=reduced if isinstance(reduced, int) else None,
        reason=reason,
        since=enterprise.since,
        until=enterprise.until,
        before=headcount_before(enterprise.pk, month, enterprise.baseline),
        today=timezone.localdate(),
    )
    if problems:
        raise MonitoringError(";".join(f"{field}:{why}" for field, why in problems))
    if channel is None:
        channel = (
            MonthlyReport.Channel.EMPLOYER
            if user.role == Role.EMPLOYER
            else MonthlyReport.Channel.STAFF
        )
    with transaction.atomic():
        current = (
            MonthlyReport.objects.select_for_update()
            .filter(enterprise=enterprise, month=month, replaced_at__isnull=True)
            .first()
        )
        if current and not correct:
            raise MonitoringError(
                f"月份:{month:%Y-%m}已报送(月末{current.headcount}人),如需更正请选择“更正”"
            )
        if current:
            current.replaced_at = timezone.now()
            current.save(update_fields=["replaced_at"])
        try:
            with transaction.atomic():
                report = MonthlyReport.objects.create(
                    enterprise=enterprise,
                    month=month,
                    headcount=headcount,
                    reduced=reduced,
                    reason=reason,
                    channel=channel,
                    submitted_by=user,
                )
        except IntegrityError:
            raise MonitoringError(f"月份:{month:%Y-%m}已由他人同时报送,请刷新后再试") from None
        record_audit(
            actor=user,
            action="correct_report" if current else "report",
            obj=report,
            changes={"headcount": [current.headcount if current else None, headcount]},
        )
    scan(month, prefix=enterprise.employer.region_id[:6])
    return report


# --- the scan ----------------------------------------------------------------------------
def rule_for(
    scope: str, region_code: str, rules: list[WarningRule] | None = None
) -> WarningRule | None:
    """The rule of the longest region prefix that ``region_code`` starts with."""
    rules = rules if rules is not None else list(WarningRule.objects.filter(scope=scope))
    matching = [r for r in rules if r.scope == scope and region_code.startswith(r.region_prefix)]
    return max(matching, key=lambda r: len(r.region_prefix), default=None)


def level_of(rate: Decimal, rule: WarningRule) -> tuple[str, Decimal] | None:
    """The highest level whose threshold the rate reaches (at the threshold counts)."""
    for level, threshold in (
        (Level.RED, rule.red),
        (Level.ORANGE, rule.orange),
        (Level.YELLOW, rule.yellow),
        (Level.BLUE, rule.blue),
    ):
        if rate >= threshold:
            return level, threshold
    return None


def _pct(part: int, whole: int) -> Decimal:
    return (Decimal(100) * part / whole).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass
class Row:
    enterprise_id: int
    employer_id: int
    name: str
    region: str
    industry: str  # 门类 letter
    industry_name: str
    headcount: int
    reduced: int
    reason: str
    base: int  # the headcount at the end of the month before (or the baseline)

    @property
    def lost(self) -> int:
        return max(0, self.base - self.headcount)


def month_rows(month: dt.date, prefix: str = "", *, bridge: bool = False) -> list[Row]:
    """Each monitored enterprise's current report of ``month`` with its base (the
    headcount last reported before the month, within a year, else the baseline). With
    ``bridge``, an enterprise monitored that month but not yet reported counts too, at its
    last figure and unchanged: a group's rate is then over all of its enterprises, not the
    few that reported first."""
    from apps.accounts.scoping import region_prefix_q

    reports = MonthlyReport.objects.filter(month=month, replaced_at__isnull=True).select_related(
        "enterprise__employer__industry__section"
    )
    if prefix:
        reports = reports.filter(region_prefix_q("enterprise__employer__region_id", prefix))
    before: dict[int, int] = {}
    for enterprise_id, headcount in (
        MonthlyReport.objects.filter(
            month__lt=month,
            month__gte=month.replace(year=month.year - 1),
            replaced_at__isnull=True,
        )
        .order_by("month")
        .values_list("enterprise_id", "headcount")
    ):
        before[enterprise_id] = headcount
    baselines = dict(MonitoredEnterprise.objects.values_list("pk", "baseline"))
    rows = []
    for r in reports:
        rows.append(
            _row(
                r.enterprise,
                r.headcount,
                r.reduced,
                r.reason,
                before.get(r.enterprise_id, baselines[r.enterprise_id]),
            )
        )
    if bridge:
        reported = {r.enterprise_id for r in reports}
        silent = (
            MonitoredEnterprise.objects.filter(
                pk__in=[e for e in before if e not in reported], since__lte=month
            )
            .exclude(until__lt=month)
            .select_related("employer__industry__section")
        )
        if prefix:
            silent = silent.filter(region_prefix_q("employer__region_id", prefix))
        for e in silent:
            rows.append(_row(e, before[e.pk], 0, "", before[e.pk]))
    return rows


def _row(enterprise, headcount: int, reduced: int, reason: str, base: int) -> Row:
    employer = enterprise.employer
    section = employer.industry.section or employer.industry
    return Row(
        enterprise.pk,
        employer.pk,
        employer.name,
        employer.region_id,
        section.code,
        section.name,
        headcount,
        reduced,
        reason,
        base,
    )


def _drivers(rows: list[Row]) -> list[dict]:
    """The enterprises that lost most, net, in the month (up to five)."""
    top = sorted((r for r in rows if r.lost), key=lambda r: (-r.lost, -r.reduced))[:5]
    return [
        {
            "employer": r.employer_id,
            "name": r.name,
            "lost": r.lost,
            "reduced": r.reduced,
            "base": r.base,
            "headcount": r.headcount,
            "rate": float(_pct(r.lost, r.base)) if r.base else None,
            "reason": MonthlyReport.Reason(r.reason).label if r.reason else "",
        }
        for r in top
    ]


def _groups(rows: list[Row]) -> dict[tuple[str, str], tuple[str, str, list[Row]]]:
    """(scope, key) → (label, region code, rows): industries within a county, counties and
    streets."""
    from apps.regions.models import Region

    out: dict[tuple[str, str], list[Row]] = defaultdict(list)
    for r in rows:
        out[("industry", f"{r.region[:6]}:{r.industry}")].append(r)
        out[("region", r.region[:6])].append(r)
        if len(r.region) >= 9:
            out[("region", r.region[:9])].append(r)
    names = dict(
        Region.objects.filter(
            code__in={k for s, k in out if s == "region"}
            | {k.split(":")[0] for s, k in out if s == "industry"}
        ).values_list("code", "name")
    )
    labelled = {}
    for (scope, key), members in out.items():
        if scope == "industry":
            county, _ = key.split(":")
            labelled[(scope, key)] = (
                f"{names.get(county, county)} {members[0].industry_name}",
                county,
                members,
            )
        else:
            labelled[(scope, key)] = (names.get(key, key), key, members)
    return labelled


def scan(month: dt.date, prefix: str = "") -> list[Warning]:
    """Raise (or update) the warnings of ``month`` for the enterprises under ``prefix``;
    a warning the month's figures no longer support, still open, is closed with a note.
    Returns the warnings the month's figures support."""
    month = first_of(month)
    rows = month_rows(month, prefix, bridge=True)
    rules = list(WarningRule.objects.all())
    wanted: dict[tuple[str, str, str], dict] = {}
    scope_of = WarningRule.Scope
    for r in rows:
        rule = rule_for(scope_of.ENTERPRISE, r.region, rules)
        rate = _pct(r.lost, r.base) if r.base else Decimal(0)
        if rule and r.base >= rule.min_base and (hit := level_of(rate, rule)):
            level, threshold = hit
            wanted[(Warning.Signal.THRESHOLD, scope_of.ENTERPRISE, str(r.employer_id))] = dict(
                level=level,
                label=r.name,
                region_code=r.region,
                value=rate,
                threshold=threshold,
                reason=(
                    f"{month:%Y年%m月}从业人数由{r.base}人降至{r.headcount}人,净减少{r.lost}人,"
                    f"岗位流失率{rate}%,达到{Level(level).label}预警阈值{threshold}%"
                    f"(本月报告减员{r.reduced}人)"
                ),
                drivers=_drivers([r]),
            )
        share = _pct(r.reduced, r.base) if r.base else Decimal(0)
        if r.reason == "economic" and (
            r.reduced >= MASS_LAYOFF_PEOPLE or (r.base and share >= MASS_LAYOFF_SHARE)
        ):
            wanted[(Warning.Signal.MASS_LAYOFF, scope_of.ENTERPRISE, str(r.employer_id))] = dict(
                level=Level.ORANGE,
                label=r.name,
                region_code=r.region,
                value=Decimal(r.reduced),
                threshold=Decimal(MASS_LAYOFF_PEOPLE),
                reason=(
                    f"{month:%Y年%m月}经济性裁员{r.reduced}人(上月末{r.base}人,{share}%),"
                    "达到劳动合同法第四十一条规模裁员标准(20人以上或占职工总数10%以上)"
                ),
                drivers=_drivers([r]),
            )
    for (scope, key), (label, region, members) in _groups(rows).items():
        rule = rule_for(scope, region, rules)
        base = sum(m.base for m in members)
        now = sum(m.headcount for m in members)
        reduced = sum(m.reduced for m in members)
        if not rule or base < rule.min_base:
            continue
        rate = _pct(max(0, base - now), base)
        if hit := level_of(rate, rule):
            level, threshold = hit
            wanted[(Warning.Signal.THRESHOLD, scope, key)] = dict(
                level=level,
                label=label,
                region_code=region,
                value=rate,
                threshold=threshold,
                reason=(
                    f"{label}{month:%Y年%m月}监测企业{len(members)}家从业人数由{base}人"
                    f"降至{now}人,岗位流失率{rate}%,达到{Level(level).label}预警阈值"
                    f"{threshold}%(本月报告减员{reduced}人)"
                ),
                drivers=_drivers(members),
            )
    wanted.update(change_points(month, prefix))
    return _write(month, prefix, wanted)


def _write(month: dt.date, prefix: str, wanted: dict) -> list[Warning]:
    from apps.accounts.scoping import region_prefix_q

    out = []
    with transaction.atomic():
        for (signal, scope, key), fields in wanted.items():
            warning, created = Warning.objects.get_or_create(
                signal=signal, scope=scope, key=key, month=month, defaults=fields
            )
            if not created and any(getattr(warning, f) != v for f, v in fields.items()):
                for f, v in fields.items():
                    setattr(warning, f, v)
                warning.save()
            out.append(warning)
        stale = Warning.objects.filter(month=month).exclude(status=Warning.Status.CLOSED)
        if prefix:
            stale = stale.filter(region_prefix_q("region_code", prefix))
        for warning in stale:
            if (warning.signal, warning.scope, warning.key) not in wanted:
                warning.status = Warning.Status.CLOSED
                warning.notes = [
                    *warning.notes,
                    {
                        "at": timezone.now().isoformat(),
                        "by": "",
                        "note": "更正后的数据不再达到预警条件",
                    },
                ]
                warning.save(update_fields=["status", "notes"])
    return out


RECENT = 6  # months in which a change point is news
HISTORY = 24  # months of history before them that the seasonal pattern is fitted on


def group_series(month: dt.date, prefix: str = "", months: int = 36):
    """(scope, key) → monthly headcount of the group over the ``months`` ending with
    ``month`` (an enterprise that has not reported a month counts at its last figure),
    and the calendar of months."""
    from apps.accounts.scoping import region_prefix_q

    calendar = [month]
    for _ in range(months - 1):
        calendar.append(previous_month(calendar[-1]))
    calendar.reverse()
    reports = MonthlyReport.objects.filter(
        month__range=(calendar[0], month), replaced_at__isnull=True
    ).values_list(
        "enterprise_id",
        "month",
        "headcount",
        "enterprise__employer__region_id",
        "enterprise__employer__industry__section_id",
        "enterprise__employer__industry_id",
    )
    if prefix:
        reports = reports.filter(region_prefix_q("enterprise__employer__region_id", prefix))
    by_enterprise: dict[int, dict[dt.date, int]] = defaultdict(dict)
    groups: dict[int, list[tuple[str, str]]] = {}
    for enterprise, day, headcount, region, section, industry in reports:
        by_enterprise[enterprise][day] = headcount
        groups[enterprise] = [
            ("region", region[:6]),
            ("industry", f"{region[:6]}:{section or industry}"),
        ]
    index = {day: i for i, day in enumerate(calendar)}
    series: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0] * len(calendar))
    for enterprise, figures in by_enterprise.items():
        last = None
        for day in calendar:
            last = figures.get(day, last)
            if last is not None:
                for group in groups[enterprise]:
                    series[group][index[day]] += last
    return series, calendar


def change_points(month: dt.date, prefix: str = "", *, months: int = 36) -> dict:
    """Change-point warnings of the month: the seasonally adjusted headcount of each county
    and each industry of a county, with at least HISTORY months before the last RECENT,
    whose level fell in those last RECENT months."""
    import numpy as np
    import ruptures
    from statsmodels.tsa.seasonal import STL

    series, calendar = group_series(month, prefix, months)
    rules = list(WarningRule.objects.all())
    out = {}
    for (scope, key), raw in series.items():
        values = np.array(raw)
        start = int(np.argmax(values > 0))
        values, days = values[start:], calendar[start:]
        rule = rule_for(scope, key.split(":")[0], rules)
        if len(values) < HISTORY + RECENT or (values == 0).any():
            continue
        if rule and values[-1] < rule.min_base:
            continue
        fitted = STL(values[:-RECENT], period=12, robust=True).fit().seasonal
        season = {days[i].month: fitted[i] for i in range(len(fitted) - 12, len(fitted))}
        adjusted = values - np.array([season[d.month] for d in days])
        # PELT on the month-on-month growth (%) of the adjusted level: a layoff wave is a
        # shift of the growth's mean; the penalty is BIC-like on the history's variance.
        growth = 100 * np.diff(adjusted) / adjusted[:-1]
        sigma = max(float(growth[:-RECENT].std()), 0.1)
        breaks = (
            ruptures.Pelt(model="l2", min_size=1, jump=1)
            .fit(growth)
            .predict(pen=2 * np.log(len(growth)) * sigma**2)
        )
        falling = [
            b
            for b, end in zip(breaks[:-1], breaks[1:], strict=True)
            if b >= len(growth) - RECENT and growth[b:end].mean() <= -max(2 * sigma, 1.0)
        ]
        if not falling:
            continue
        b = falling[0]
        at, before, after = days[b + 1], adjusted[b], adjusted[-1]
        fall = Decimal(str(round(100 * (before - after) / before, 2))) if before > 0 else Decimal(0)
        level = next((lv for limit, lv in CHANGE_LEVELS if fall >= limit), None)
        if level is None:
            continue
        out[(Warning.Signal.CHANGE_POINT, scope, key)] = dict(
            level=level,
            label=key,
            region_code=key.split(":")[0],
            value=fall,
            threshold=CHANGE_LEVELS[-1][0],
            reason=(
                f"去除季节因素后,监测企业从业人数自{at:%Y年%m月}起转为持续下降"
                f"(此前月均变化{growth[:b].mean():+.1f}%,此后{growth[b:].mean():+.1f}%),"
                f"由{before:,.0f}人降至{after:,.0f}人,下降{fall}%"
            ),
            drivers=[],
        )
    if out:
        _label_change_points(out, month)
    return out


def _label_change_points(out: dict, month: dt.date) -> None:
    """Name the series and attach the enterprises that lost most since the change."""
    from apps.regions.models import Region
    from apps.taxonomy.models import Industry

    codes = {f["region_code"] for f in out.values()}
    names = dict(Region.objects.filter(code__in=codes).values_list("code", "name"))
    sections = dict(Industry.objects.values_list("code", "name"))
    for (_, scope, key), fields in out.items():
        county = key.split(":")[0]
        label = names.get(county, county)
        if scope == "industry":
            label += " " + sections.get(key.split(":")[1], key.split(":")[1])
        fields["label"] = label
        fields["reason"] = f"{label}:{fields['reason']}"
        rows = [
            r
            for r in month_rows(month, county)
            if scope == "region" or r.industry == key.split(":")[1]
        ]
        fields["drivers"] = _drivers(rows)


def handle(*, user: User, warning: Warning, action: str, note: str = "") -> Warning:
    """Acknowledge (确认), act (处置: what was done) or close (关闭) a warning."""
    refusal = change_refusal(user, stored=warning.region_code)
    if refusal:
        raise MonitoringError(refusal)
    steps = {
        "acknowledge": Warning.Status.ACKNOWLEDGED,
        "act": Warning.Status.ACTING,
        "close": Warning.Status.CLOSED,
    }
    if action not in steps:
        raise MonitoringError("未知的处理动作")
    if warning.status == Warning.Status.CLOSED:
        raise MonitoringError("该预警已关闭")
    note = note.strip()
    if action in ("act", "close") and not note:
        raise MonitoringError("处理说明:须写明采取的措施或关闭理由")
    warning.status = steps[action]
    warning.handled_by, warning.handled_at = user, timezone.now()
    warning.notes = [
        *warning.notes,
        {
            "at": warning.handled_at.isoformat(),
            "by": user.username,
            "action": action,
            "note": note[:500],
        },
    ]
    warning.save(update_fields=["status", "handled_by", "handled_at", "notes"])
    record_audit(actor=user, action=f"warning_{action}", obj=warning, changes={"note": note[:200]})
    return warning


def highest(warnings) -> str | None:
    return max((w.level for w in warnings), key=lambda lv: LEVEL_ORDER[lv], default=None)


# --- mass-layoff reports ---------------------------------------------------------------------
def open_layoff(
    *, user: User, employer, reported_on: dt.date, staff_before: int, planned: int, plan: str
):
    """File a mass-layoff report (the employer itself, or staff of its region)."""
    from .models import LayoffCase

    if not is_owner(user, employer_id=employer.pk):
        if user.role == Role.EMPLOYER:
            raise MonitoringError("只能报告本单位的裁员")
        refusal = change_refusal(user, stored=employer.region_id)
        if refusal:
            raise MonitoringError(refusal)
    if not dt.date(2000, 1, 1) <= reported_on <= timezone.localdate():
        raise MonitoringError("报告日期:须在2000年至今天之间")
    if LayoffCase.objects.filter(
        employer=employer, reported_on=reported_on, status=LayoffCase.Status.OPEN
    ).exists():
        raise MonitoringError(f"报告日期:{employer.name}同日已有一份安置中的裁员报告")
    if not 0 < staff_before <= MAX_HEADCOUNT:
        raise MonitoringError(f"裁员前职工总数:须为1至{MAX_HEADCOUNT}之间的整数")
    if not 0 < planned <= staff_before:
        raise MonitoringError("拟裁减人数:须大于0且不超过裁员前职工总数")
    share = _pct(planned, staff_before)
    if planned < MASS_LAYOFF_PEOPLE and share < MASS_LAYOFF_SHARE:
        raise MonitoringError(
            f"拟裁减人数:{planned}人、占{share}%,未达到劳动合同法第四十一条规模裁员标准"
            "(20人以上或占职工总数10%以上),请在监测月报中按一般减员报送"
        )
    if len(plan.strip()) < 10:
        raise MonitoringError("人员安置方案:须写明安置方案(经济补偿、转岗、再就业服务等)")
    case = LayoffCase.objects.create(
        employer=employer,
        reported_on=reported_on,
        staff_before=staff_before,
        planned=planned,
        plan=plan.strip(),
        created_by=user,
    )
    record_audit(actor=user, action="layoff_report", obj=case, changes={"planned": planned})
    return case


def add_affected(*, user: User, case, id_numbers: list[str]) -> tuple[int, list[str]]:
    """Enter the affected workers (by resident ID, one per line) into the registry's
    services: each gets an assistance plan owned by this clerk (or keeps the open one).
    Returns how many were added and an error per refused line (line number, why)."""
    from apps.people.models import Person
    from apps.services.models import AssistancePlan
    from apps.services.services import ServiceError, open_plan
    from jiuye.identifiers import IdentifierError, validate_resident_id

    from .models import AffectedWorker

    if not user.is_clerk:
        raise MonitoringError("只有经办人员可以登记受影响职工")
    refusal = change_refusal(user, stored=case.employer.region_id)
    if refusal:
        raise MonitoringError(refusal)
    if case.status == case.Status.CLOSED:
        raise MonitoringError("该裁员报告已结案")
    added, errors = 0, []
    already = case.workers.count()
    for line, raw in enumerate(id_numbers, start=1):
        raw = raw.strip()
        if not raw:
            continue
        try:
            number = validate_resident_id(raw.upper())
        except IdentifierError as e:
            errors.append(f"第{line}行:{e}")
            continue
        person = Person.objects.filter(id_number=number).first()
        if person is None or change_refusal(user, stored=person.community_id):
            errors.append(f"第{line}行:本辖区人员库中没有该人员,请先建档")
            continue
        if case.workers.filter(person=person).exists():
            errors.append(f"第{line}行:{person.name}已在名单中")
            continue
        if already + added >= case.planned:
            errors.append(f"第{line}行:名单已达拟裁减人数{case.planned}人")
            continue
        with transaction.atomic():
            plan = AssistancePlan.objects.filter(person=person, closed_on__isnull=True).first()
            if plan is None:
                try:
                    plan = open_plan(
                        user=user,
                        person=person,
                        goal=f"规模裁员安置:{case.employer.name}",
                        steps=[
                            {
                                "kind": "guidance",
                                "description": "职业指导,了解再就业意向",
                                "due": timezone.localdate() + dt.timedelta(days=7),
                            },
                            {
                                "kind": "offer",
                                "description": "推送合适岗位",
                                "due": timezone.localdate() + dt.timedelta(days=15),
                            },
                        ],
                    )
                except ServiceError as e:
                    errors.append(f"第{line}行:{e}")
                    continue
            AffectedWorker.objects.create(case=case, person=person, assistance=plan)
        added += 1
    return added, errors


def close_layoff(*, user: User, case, note: str):
    refusal = change_refusal(user, stored=case.employer.region_id)
    if refusal:
        raise MonitoringError(refusal)
    if case.status == case.Status.CLOSED:
        raise MonitoringError("该裁员报告已结案")
    if not note.strip():
        raise MonitoringError("结案说明:须写明安置结果")
    case.status, case.closed_on, case.close_note = (
        case.Status.CLOSED,
        timezone.localdate(),
        note.strip()[:255],
    )
    case.save(update_fields=["status", "closed_on", "close_note"])
    record_audit(actor=user, action="layoff_close", obj=case, changes={"note": case.close_note})
    return case
