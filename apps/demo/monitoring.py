"""Three years of monthly reports from the demo county's monitored enterprises
(generated): a seasonal pattern (people leave before the Spring Festival and are hired
back after it), small everyday reductions, and one layoff wave in one industry over the
last months, so the warnings have something to find. Marked generated."""

from __future__ import annotations

import datetime as dt
import math
import random

from django.db import transaction
from django.utils import timezone

from apps.accounts.scoping import region_prefix_q
from apps.employers.models import Employer
from apps.imports.specs import insert_rows
from apps.monitoring.models import MonitoredEnterprise, MonthlyReport
from apps.monitoring.services import first_of, previous_month, scan

MONTHS = 36
WAVE_MONTHS = 3  # the layoff wave's length, ending with the last reported month


def _months(last: dt.date, n: int) -> list[dt.date]:
    out = [last]
    for _ in range(n - 1):
        out.append(previous_month(out[-1]))
    return out[::-1]


@transaction.atomic
def simulate_monitoring(county_code: str, *, seed: int, today=None, share: float = 0.5) -> dict:
    """Monitor ``share`` of the county's employers of 20 staff or more; returns counts and
    the wave's industry."""
    rng = random.Random(seed)
    today = today or timezone.localdate()
    last = previous_month(first_of(today))
    months = _months(last, MONTHS)
    employers = list(
        Employer.objects.filter(region_prefix_q("region_id", county_code), employees__gte=20)
        .select_related("industry__section")
        .order_by("pk")
    )
    chosen = sorted(rng.sample(employers, int(len(employers) * share)), key=lambda e: e.pk)
    if not chosen:
        return {"enterprises": 0, "reports": 0, "wave": ""}
    sections = {}
    for e in chosen:
        section = e.industry.section_id or e.industry_id
        sections.setdefault(section, []).append(e)
    wave = max(sections, key=lambda s: len(sections[s]))
    wave_months = set(months[-WAVE_MONTHS:])
    enterprises = [
        MonitoredEnterprise(employer=e, since=months[0], baseline=e.employees, generated=True)
        for e in chosen
    ]
    MonitoredEnterprise.objects.bulk_create(enterprises)
    rows = []
    for enterprise, employer in zip(enterprises, chosen, strict=True):
        headcount = employer.employees
        hit = (employer.industry.section_id or employer.industry_id) == wave and rng.random() < 0.8
        for month in months:
            season = -0.015 if month.month in (1, 2) else (0.03 if month.month == 3 else 0.0)
            growth = rng.gauss(0.002, 0.01) + season
            reduced = max(0, round(headcount * rng.uniform(0.0, 0.015)))
            reason = rng.choice(["contract_end", "resigned", "agreed"]) if reduced else ""
            if hit and month in wave_months:
                cut = math.ceil(headcount * rng.uniform(0.08, 0.16))
                reduced, reason, growth = (
                    reduced + cut,
                    "economic",
                    growth - cut / max(headcount, 1),
                )
            new = max(1, round(headcount * (1 + growth)))
            rows.append(
                {
                    "enterprise_id": enterprise.pk,
                    "month": month,
                    "headcount": new,
                    "reduced": min(reduced, headcount + new),
                    "reason": reason,
                    "channel": rng.choice(["employer", "employer", "staff"]),
                    "submitted_by_id": None,
                    "replaced_at": None,
                    "generated": True,
                }
            )
            headcount = new
    # a few enterprises have not reported the last month yet (staff chase them)
    late = {e.pk for e in enterprises if rng.random() < 0.1}
    rows = [r for r in rows if not (r["month"] == last and r["enterprise_id"] in late)]
    insert_rows(MonthlyReport, rows)
    warnings = 0
    for month in months[-12:]:
        warnings += len(scan(month, prefix=county_code))
    return {
        "enterprises": len(enterprises),
        "reports": len(rows),
        "wave": wave,
        "warnings": warnings,
    }
