"""Reads for the policy pages: the policy list of a region, what was found for a subject,
the review queue, and the fund's budget against spending (就业补助资金使用)."""

from __future__ import annotations

import datetime
import functools
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import yaml
from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractMonth, Substr

from apps.accounts.scoping import region_prefix_q, scope_queryset
from apps.regions.models import Region, ServiceStation

from .models import Entitlement, FundBudget, Payment, SubsidyApplication, Sweep
from .rules import catalog
from .rules.system import system_for

UNIT_LABELS = {"currency-CNY": "元", "year": "年", "month": "个月", "day": "天", "person": "人"}


def county_of(region_code: str) -> str:
    return (region_code or "")[:6]


def format_standard(value, unit: str) -> str:
    if unit == "list":
        return value
    if isinstance(value, bool):
        return "是" if value else "否"
    if unit == "/1":
        return f"{value:.1%}"
    text = f"{value:,.0f}" if float(value).is_integer() else f"{value:g}"
    return f"{text}{UNIT_LABELS.get(unit, '')}"


def policy_card(spec: catalog.PolicySpec, region_code: str, day: datetime.date) -> dict:
    """What a region's policy list shows of one policy on a day."""
    system = system_for(county_of(region_code))
    validity = catalog.validity(spec, system)
    standards = [
        (label, format_standard(value, unit))
        for label, value, unit in catalog.standards(spec, system, day)
    ]
    return {
        "spec": spec,
        "in_force": validity.covers(day),
        "start": validity.start,
        "stop": validity.stop,
        "expired": validity.stop is not None and validity.stop < day,
        "applies": bool(validity.periods),
        "standards": standards,
        "local_default": _has_local_default(spec, system),
    }


def _has_local_default(spec, system) -> bool:
    """Whether a standard is still the base file's default (to be set by the region)."""
    from .rules.system import find_parameter

    node = find_parameter(system.parameters, spec.node_path())
    stack, found = [node], False
    while stack:
        item = stack.pop()
        if item is None:
            continue
        children = getattr(item, "children", None)
        if children is not None:
            stack.extend(children.values())
        elif (item.metadata or {}).get("local_default") and not item.metadata.get("set_by"):
            found = True
    return found


def policy_list(region_code: str, day: datetime.date, *, include_expired: bool = False):
    """The policies that apply in the region: in force on the day (and, if asked, those
    that have expired)."""
    cards = [policy_card(spec, region_code, day) for spec in catalog.policies().values()]
    return [
        c for c in cards if c["applies"] and (c["in_force"] or (include_expired and c["expired"]))
    ]


@functools.lru_cache(maxsize=1)
def service_list() -> list[dict]:
    path = Path(__file__).resolve().parent / "data" / "service_list.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def offices(region_code: str):
    """The offices (经办机构) serving a region: its county's service stations and centres."""
    return (
        ServiceStation.objects.filter(region_prefix_q("region_id", county_of(region_code)))
        .select_related("region")
        .order_by("kind", "code")
    )


def region_name(code: str) -> str:
    region = Region.objects.filter(code=code).first()
    return region.name if region else code


def latest_sweeps(region_code: str) -> list[Sweep]:
    """For each year, the latest official sweep that covered a region (its own or a wider
    one): what the platform currently believes, not what an older sweep once found."""
    prefixes = [region_code[:k] for k in (2, 4, 6, 9, 12) if k <= len(region_code)]
    latest = {}
    for sweep in Sweep.objects.filter(
        region_prefix__in=prefixes, trial=False, status=Sweep.Status.DONE
    ).order_by("-pk")[:50]:
        latest.setdefault(sweep.year, sweep)
    return list(latest.values())


def found_for(subject_key: str, region_code: str):
    """What the latest official sweep of each year found for a subject."""
    return list(
        Entitlement.objects.filter(subject_key=subject_key, sweep__in=latest_sweeps(region_code))
        .select_related("sweep")
        .order_by("-sweep__year", "policy")
    )


def unclaimed(subject_key: str, region_code: str) -> list[Entitlement]:
    """What the latest sweeps found for a subject that it has not applied for yet."""
    claims = live_claims(subject_key)
    specs = catalog.policies()
    return [
        e
        for e in found_for(subject_key, region_code)
        if e.policy in specs and (e.policy, specs[e.policy].claim_key(e.sweep.year)) not in claims
    ]


def live_claims(subject_key: str) -> dict[tuple[str, str], SubsidyApplication]:
    return {
        (a.policy, a.claim_key): a
        for a in SubsidyApplication.objects.filter(
            subject_key=subject_key, status__in=SubsidyApplication.LIVE
        )
    }


def applications_in_scope(user):
    return scope_queryset(
        SubsidyApplication.objects.select_related("person", "employer", "community"),
        user,
        "region_code",
    )


def sweep_summary(sweep: Sweep, user):
    """Per policy: how many subjects found and the total amount, within the user's scope."""
    rows = (
        scope_queryset(sweep.entitlements.all(), user, "region_code")
        .values("policy")
        .annotate(n=Count("id"), total=Sum("amount"))
        .order_by("policy")
    )
    names = {code: spec.name for code, spec in catalog.policies().items()}
    return [{**r, "name": names.get(r["policy"], r["policy"])} for r in rows]


def funds(prefix: str, year: int) -> dict:
    """Budget and spending by policy and county, spending by month; the approved but not
    yet paid (committed) beside it."""
    paid = (
        Payment.objects.filter(region_prefix_q("region_code", prefix), paid_on__year=year)
        .annotate(county=Substr("region_code", 1, 6), month=ExtractMonth("paid_on"))
        .values("policy", "county", "month")
        .annotate(total=Sum("amount"), n=Count("id"))
    )
    committed = (
        SubsidyApplication.objects.filter(
            region_prefix_q("region_code", prefix),
            status=SubsidyApplication.Status.APPROVED,
            year=year,
        )
        .annotate(county=Substr("region_code", 1, 6))
        .values("policy", "county")
        .annotate(total=Sum("amount"))
    )
    # Budgets are a county's (or a wider region's): staff of a street see spending only.
    budgets = FundBudget.objects.filter(region_prefix_q("region_id", prefix), year=year)
    if len(prefix) > 6:
        budgets = budgets.none()
    zero = Decimal(0)

    def blank():
        return {"months": [zero] * 12, "paid": zero, "people": 0, "committed": zero, "budget": None}

    table: dict = defaultdict(blank)
    for r in paid:
        row = table[(r["county"], r["policy"])]
        row["months"][r["month"] - 1] += r["total"]
        row["paid"] += r["total"]
        row["people"] += r["n"]
    for r in committed:
        table[(r["county"], r["policy"])]["committed"] += r["total"]
    county_budget = {}
    for b in budgets:
        if b.policy:
            table[(b.region_id[:6], b.policy)]["budget"] = b.amount
        else:
            county_budget[b.region_id[:6]] = b.amount
    names = {code: spec.name for code, spec in catalog.policies().items()}
    counties = dict(
        Region.objects.filter(code__in={c for c, _ in table} | set(county_budget)).values_list(
            "code", "name"
        )
    )
    rows = []
    for (county, policy), row in sorted(table.items()):
        budget = row["budget"]
        rows.append(
            {
                "county": county,
                "county_name": counties.get(county, county),
                "policy": policy,
                "policy_name": names.get(policy, policy),
                **row,
                "balance": None if budget is None else budget - row["paid"] - row["committed"],
            }
        )
    totals = []
    for county in sorted({r["county"] for r in rows} | set(county_budget)):
        mine = [r for r in rows if r["county"] == county]
        budget = county_budget.get(county)
        if budget is None and any(r["budget"] is not None for r in mine):
            budget = sum((r["budget"] or zero for r in mine), zero)
        spent = sum((r["paid"] for r in mine), zero)
        held = sum((r["committed"] for r in mine), zero)
        totals.append(
            {
                "county": county,
                "county_name": counties.get(county, county),
                "budget": budget,
                "paid": spent,
                "committed": held,
                "balance": None if budget is None else budget - spent - held,
                "share": None if not budget else float(spent / budget),
            }
        )
    return {
        "year": year,
        "rows": rows,
        "totals": totals,
        "months": [sum((r["months"][m] for r in rows), zero) for m in range(12)],
        "paid": sum((r["paid"] for r in rows), zero),
        "committed": sum((r["committed"] for r in rows), zero),
    }


def _money(value):
    return "" if value is None else float(value)


def funds_workbook(report: dict) -> bytes:
    from jiuye.exports import workbook

    header = ["县(市、区)", "代码", "政策", "预算(元)", *[f"{m}月" for m in range(1, 13)]]
    header += ["已支付(元)", "支付笔数", "已审核待支付(元)", "结余(元)"]
    rows = [
        [
            r["county_name"],
            r["county"],
            r["policy_name"],
            _money(r["budget"]),
            *[float(v) for v in r["months"]],
            float(r["paid"]),
            r["people"],
            float(r["committed"]),
            _money(r["balance"]),
        ]
        for r in report["rows"]
    ]
    totals_header = ["县(市、区)", "代码", "预算(元)", "已支付(元)", "已审核待支付(元)", "结余(元)"]
    totals = [
        [
            t["county_name"],
            t["county"],
            _money(t["budget"]),
            float(t["paid"]),
            float(t["committed"]),
            _money(t["balance"]),
        ]
        for t in report["totals"]
    ]
    year = report["year"]
    return workbook([(f"{year}年按政策", header, rows), (f"{year}年按区域", totals_header, totals)])


def region_choices(region: str) -> list[tuple[str, str]]:
    """The counties a visitor picks a policy list from, by name: those of the region's own
    city, and those whose own policies the platform carries (the overlays')."""
    from apps.regions.models import Region, RegionLevel

    from .rules import REGIONS_DIR
    from .rules.system import read_overlay

    carried = {
        str(code)
        for path in sorted(REGIONS_DIR.glob("*.yaml"))
        for code in read_overlay(path).get("regions") or []
    }
    counties = Region.objects.filter(level=RegionLevel.COUNTY).filter(
        region_prefix_q("code", region[:4]) | Q(code__in=carried)
    )
    names = {c.code: c for c in counties.select_related("parent")}
    return [
        (code, f"{c.parent.name if c.parent_id else ''}{c.name}")
        for code, c in sorted(names.items())
    ]
