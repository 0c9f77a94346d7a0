"""Plan targets: loading the files of ``targets/`` and judging each target against the
registry's actuals at a date.

A target is one of three scopes: a total over its years (城镇新增就业 [>20]万 over
2021–2025), a figure every year (每年 5.0万), or a level to hold or reach (登记失业率 <4.5%).
The progress expected at a date is the share of the period gone by (for totals and yearly
figures) or the target itself (for levels)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml
from django.db import transaction

from apps.regions.models import Region

from .definitions import INDICATORS, Indicator
from .models import PlanTarget
from .selectors import combined

TARGET_DIR = Path(__file__).resolve().parent / "targets"
FIELDS = {
    "indicator",
    "label",
    "clause",
    "quote",
    "comparison",
    "value",
    "unit",
    "scope",
    "kind",
    "years",
}
REQUIRED = FIELDS - {"years"}


class TargetFileError(ValueError):
    """A target file the loader refuses; every message names the file and the entry."""


def _years(raw, where: str) -> tuple[int, int]:
    if (
        not isinstance(raw, list)
        or len(raw) != 2
        or not all(isinstance(y, int) and 2000 <= y <= 2100 for y in raw)
        or raw[0] > raw[1]
    ):
        raise TargetFileError(f"{where}:years 须为 [起始年度, 截止年度],如 [2021, 2025]")
    return raw[0], raw[1]


def parse(path: Path) -> list[PlanTarget]:
    """The targets of one file, validated; raises TargetFileError naming every bad entry."""
    name = path.name
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as e:
        raise TargetFileError(f"{name}:不是有效的 YAML({e})") from None
    if not isinstance(data, dict):
        raise TargetFileError(f"{name}:须包含 plan、region、years、targets")
    errors: list[str] = []
    for key in ("plan", "region", "years", "targets"):
        if key not in data:
            errors.append(f"{name}:缺少 {key}")
    if errors:
        raise TargetFileError(";".join(errors))
    region = data["region"]
    codes = region.get("codes") if isinstance(region, dict) else None
    if not isinstance(codes, list) or not codes or not isinstance(region.get("name"), str):
        raise TargetFileError(f"{name}:region 须有 name 和 codes(区划代码列表)")
    known = set(
        Region.objects.filter(code__in=[str(c) for c in codes]).values_list("code", flat=True)
    )
    for code in codes:
        if str(code) not in known:
            errors.append(f"{name}:region 的区划代码“{code}”不在区划库中")
    plan_years = _years(data["years"], f"{name}:years")
    out: list[PlanTarget] = []
    if not isinstance(data["targets"], list) or not data["targets"]:
        errors.append(f"{name}:targets 须为目标列表")
        raise TargetFileError(";".join(errors))
    for i, entry in enumerate(data["targets"], start=1):
        where = f"{name} 第{i}个目标"
        if not isinstance(entry, dict):
            errors.append(f"{where}:格式不对")
            continue
        missing = sorted(REQUIRED - set(entry))
        unknown = sorted(set(entry) - FIELDS)
        if missing:
            errors.append(f"{where}:缺少 {'、'.join(missing)}")
        if unknown:
            errors.append(f"{where}:未知字段 {'、'.join(unknown)}")
        if missing or unknown:
            continue
        problems = []
        if entry["indicator"] not in INDICATORS:
            problems.append(f"指标“{entry['indicator']}”不存在(见 docs/indicators.md)")
        if entry["comparison"] not in PlanTarget.Comparison.values:
            problems.append(f"comparison“{entry['comparison']}”须为 >=、>、<=、<、~ 之一")
        if entry["scope"] not in PlanTarget.Scope.values:
            problems.append(f"scope“{entry['scope']}”须为 total、yearly、level 之一")
        if entry["kind"] not in PlanTarget.Kind.values:
            problems.append(f"kind“{entry['kind']}”须为 expected 或 binding")
        try:
            value = Decimal(str(entry["value"]))
            if not value.is_finite() or value < 0:
                raise InvalidOperation
        except InvalidOperation:
            problems.append(f"value“{entry['value']}”须为不小于0的数")
            value = Decimal(0)
        try:
            start, end = _years(entry.get("years", list(plan_years)), where)
        except TargetFileError as e:
            problems.append(str(e).split(":", 1)[1])
            start, end = plan_years
        indicator = INDICATORS.get(entry["indicator"])
        if indicator and indicator.unit != entry["unit"]:
            problems.append(f"unit“{entry['unit']}”与指标单位“{indicator.unit}”不符")
        if problems:
            errors.append(f"{where}({entry.get('label', '')}):" + ";".join(problems))
            continue
        out.append(
            PlanTarget(
                plan=data["plan"],
                source_file=name,
                clause=str(entry["clause"])[:200],
                quote=str(entry["quote"])[:500],
                region_name=region["name"],
                region_codes=[str(c) for c in codes],
                indicator=entry["indicator"],
                label=str(entry["label"])[:200],
                comparison=entry["comparison"],
                value=value,
                unit=entry["unit"],
                scope=entry["scope"],
                start_year=start,
                end_year=end,
                kind=entry["kind"],
                order=i,
            )
        )
    if errors:
        raise TargetFileError(";".join(errors))
    return out


def load(directory: Path = TARGET_DIR) -> int:
    """Replace every stored target by those of the files (all or nothing)."""
    targets: list[PlanTarget] = []
    errors: list[str] = []
    for path in sorted(directory.glob("*.yaml")):
        try:
            targets += parse(path)
        except TargetFileError as e:
            errors.append(str(e))
    if errors:
        raise TargetFileError("\n".join(errors))
    with transaction.atomic():
        PlanTarget.objects.all().delete()
        PlanTarget.objects.bulk_create(targets)
    return len(targets)


def prefixes_of(target: PlanTarget) -> list[str]:
    levels = dict(Region.objects.filter(code__in=target.region_codes).values_list("code", "level"))
    from apps.regions.models import scope_prefix

    return [scope_prefix(code, levels[code]) for code in target.region_codes if code in levels]


def targets_for(prefix: str):
    """The targets of regions inside a viewer's scope ('' for all)."""
    out = []
    for target in PlanTarget.objects.all():
        prefixes = prefixes_of(target)
        if prefixes and all(p.startswith(prefix) for p in prefixes):
            out.append((target, prefixes))
    return out


@dataclass
class Progress:
    target: PlanTarget
    indicator: Indicator
    start: dt.date | None  # the period the actual is counted over
    end: dt.date | None
    actual: float | None
    expected: float | None  # what should stand by the date (totals, yearly figures)
    status: str  # "met", "on_track", "behind", "not_met", "not_started", "not_computed", "no_data"
    note: str = ""

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def share(self) -> float | None:
        """Actual as a percentage of the target (totals and yearly figures)."""
        if self.actual is None or not self.target.value:
            return None
        return 100.0 * self.actual / float(self.target.value)


STATUS_LABELS = {
    "met": "已达成",
    "on_track": "进度正常",
    "behind": "落后于进度",
    "not_met": "未达成",
    "not_started": "尚未开始",
    "not_computed": "平台不能计算",
    "no_data": "无数据",
}


def _meets(comparison: str, actual: float, goal: float) -> bool:
    if comparison == ">=":
        return actual >= goal
    if comparison == ">":
        return actual > goal
    if comparison == "<=":
        return actual <= goal
    if comparison == "<":
        return actual < goal
    return abs(actual - goal) <= 0.1 * goal if goal else actual == 0  # "~": within 10 %


def _period(target: PlanTarget, today: dt.date, year: int) -> tuple[dt.date, dt.date]:
    """The period a target's actual is counted over: its years for a total, else the year
    asked (moved inside its years, never past today's)."""
    if target.scope == PlanTarget.Scope.TOTAL:
        return dt.date(target.start_year, 1, 1), dt.date(target.end_year, 12, 31)
    year = min(max(year, target.start_year), target.end_year, today.year)
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def evaluate_all(pairs, today: dt.date, year: int) -> list[Progress]:
    """Every (target, prefixes) judged, the targets sharing a period and region counted
    together (one ``figures`` call for all their indicators)."""
    from collections import defaultdict

    from .selectors import figures

    wanted: dict[tuple, set[str]] = defaultdict(set)
    for target, prefixes in pairs:
        indicator = INDICATORS[target.indicator]
        if indicator.computed and today.year >= target.start_year:
            start, end = _period(target, today, year)
            wanted[(start, min(end, today), tuple(prefixes))].add(target.indicator)
    values: dict[tuple, float | None] = {}
    for (start, until, prefixes), codes in wanted.items():
        if len(prefixes) == 1:
            got = figures(codes, start, until, list(prefixes))
            for code in codes:
                values[(code, start, until, prefixes)] = got[code][prefixes[0]]
        else:
            for code in codes:
                values[(code, start, until, prefixes)] = combined(
                    code, start, until, list(prefixes)
                )
    first = first_record_day()
    return [
        evaluate(
            target,
            prefixes,
            today,
            year,
            lambda code, s, u, p: values[(code, s, u, tuple(p))],
            first_day=first,
        )
        for target, prefixes in pairs
    ]


_UNSET = object()


def evaluate(
    target: PlanTarget,
    prefixes: list[str],
    today: dt.date,
    year: int,
    value_of=None,
    first_day=_UNSET,
) -> Progress:
    """The target against the registry at ``today``; yearly and level targets are read for
    ``year`` (moved inside the target's years, and never past ``today``)."""
    indicator = INDICATORS[target.indicator]
    goal = float(target.value)
    if not indicator.computed:
        return Progress(
            target, indicator, None, None, None, None, "not_computed", indicator.why_not
        )
    if today.year < target.start_year:
        return Progress(target, indicator, None, None, None, None, "not_started")
    start, end = _period(target, today, year)
    until = min(end, today)
    actual = (value_of or combined)(target.indicator, start, until, prefixes)
    first = first_record_day() if first_day is _UNSET else first_day
    note = _coverage_note(start, first)
    if not actual and (first is None or until < first):
        # nothing counted, and nothing was registered on the platform by then: no data,
        # not a target missed
        return Progress(
            target, indicator, start, until, None, None, "no_data", "该期间平台尚无登记记录"
        )
    if actual is None:
        return Progress(target, indicator, start, until, None, None, "no_data", note)
    finished = until == end
    if target.scope == PlanTarget.Scope.LEVEL:
        met = _meets(target.comparison, actual, goal)
        status = ("met" if met else "not_met") if finished else ("on_track" if met else "behind")
        return Progress(target, indicator, start, until, actual, goal, status, note)
    # totals and yearly figures: the share of the period gone by
    elapsed = ((until - start).days + 1) / ((end - start).days + 1)
    expected = goal * elapsed
    lower = target.comparison in ("<", "<=")
    if finished:
        status = "met" if _meets(target.comparison, actual, goal) else "not_met"
    else:
        ok = (
            actual <= expected
            if lower
            else actual >= expected * (0.9 if target.comparison == "~" else 1)
        )
        status = "on_track" if ok else "behind"
    return Progress(target, indicator, start, until, actual, expected, status, note)


def _coverage_note(start: dt.date, first: dt.date | None) -> str:
    if first and first > start:
        return f"平台登记记录始于{first.year}年{first.month}月{first.day}日,此前的数据未计入"
    return ""


def first_record_day() -> dt.date | None:
    """The first day anything was registered: the earliest of each kind's first day, each
    read off the (kind, registered_on) index instead of sorting every registration."""
    from apps.people.models import Registration

    firsts = [
        Registration.objects.filter(kind=kind)
        .order_by("registered_on")
        .values_list("registered_on", flat=True)
        .first()
        for kind in Registration.Kind.values
    ]
    found = [d for d in firsts if d is not None]
    return min(found) if found else None
