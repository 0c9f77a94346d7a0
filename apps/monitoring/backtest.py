"""Backtest of the early warning: a generated history of monitored enterprises with
injected layoff waves is replayed month by month through the same scan staff use, inside
a transaction that is rolled back; the warnings raised are scored against the waves.

- A wave: in one industry of the county, most of its enterprises shed 6–12 % of their
  staff a month for three months from a random month.
- Detected: an industry warning (threshold or change point) for that industry in the
  wave's first four months. Recall = detected waves ÷ waves.
- Precision: industry warnings are grouped into episodes (consecutive months of one
  industry); an episode is true when it starts within a wave of that industry or up to
  three months after it began. Precision = true episodes ÷ episodes.
- Lead time: months from the first warning to the month the wave's cumulative loss
  passes 10 % of the industry's staff (when layoffs become an unemployment problem); a
  positive figure warns before it.

Scored twice: on warnings of every level, and on yellow and above (blue is a notice: the
Spring Festival dip of a raw monthly rate reaches it in many industries)."""

from __future__ import annotations

import datetime as dt
import random
import statistics
from dataclasses import dataclass

from django.db import transaction

from apps.employers.models import Employer
from apps.regions.models import Region, RegionLevel
from apps.taxonomy.models import Industry
from jiuye.identifiers import make_credit_code

from .models import MonitoredEnterprise, MonthlyReport, Warning
from .services import scan

WAVE_LENGTH = 3
PROBLEM_SHARE = 0.10  # cumulative loss of the industry's staff at which the wave "lands"


@dataclass
class Result:
    waves: int
    detected: int
    episodes: int
    true_episodes: int
    lead_months: list[int]
    by_signal: dict[str, int]
    all_levels: Result | None = None  # the same, counting blue warnings too

    @property
    def recall(self) -> float:
        return self.detected / self.waves if self.waves else 0.0

    @property
    def precision(self) -> float:
        return self.true_episodes / self.episodes if self.episodes else 0.0

    @property
    def median_lead(self) -> float | None:
        return statistics.median(self.lead_months) if self.lead_months else None

    def as_dict(self) -> dict:
        out = {
            "waves": self.waves,
            "detected": self.detected,
            "recall": round(self.recall, 3),
            "episodes": self.episodes,
            "precision": round(self.precision, 3),
            "median_lead_months": self.median_lead,
            "warnings_by_signal": self.by_signal,
        }
        if self.all_levels:
            out["all_levels"] = self.all_levels.as_dict()
        return out


class _Rollback(Exception):
    pass


def _month(start: dt.date, k: int) -> dt.date:
    y, m = divmod(start.month - 1 + k, 12)
    return dt.date(start.year + y, m + 1, 1)


def run(
    *,
    county: str = "341282",
    seed: int = 1,
    industries: int = 8,
    per_industry: int = 12,
    months: int = 48,
    waves: int = 6,
    scan_from: int = 30,
    start: dt.date = dt.date(2021, 1, 1),
) -> Result:
    """Generate, replay and score; nothing stays in the database."""
    rng = random.Random(seed)  # noqa: S311  (generated data, not secrets)
    region = Region.objects.get(code=county)
    streets = list(
        Region.objects.filter(parent=region, level=RegionLevel.TOWNSHIP).values_list(
            "code", flat=True
        )
    ) or [county]
    sections = list(
        Industry.objects.filter(section__isnull=True)
        .order_by("code")
        .values_list("code", flat=True)
    )[:industries]
    divisions = {
        s: Industry.objects.filter(section_id=s).values_list("code", flat=True).first() or s
        for s in sections
    }
    episodes_of_waves = []
    for _ in range(waves):  # (industry, first month index) with waves apart in each industry
        for _try in range(50):
            section = rng.choice(sections)
            k = rng.randrange(scan_from + 2, months - WAVE_LENGTH)
            if all(s != section or abs(k - w) > 8 for s, w in episodes_of_waves):
                episodes_of_waves.append((section, k))
                break
    result = None
    try:
        with transaction.atomic():
            result = _replay(
                rng,
                county,
                streets,
                sections,
                divisions,
                per_industry,
                months,
                scan_from,
                start,
                episodes_of_waves,
            )
            raise _Rollback
    except _Rollback:
        pass
    return result


def _replay(
    rng, county, streets, sections, divisions, per_industry, months, scan_from, start, planted
) -> Result:
    from apps.accounts.scoping import region_prefix_q

    # The county's real monitoring is set aside (the transaction is rolled back after).
    MonthlyReport.objects.filter(
        region_prefix_q("enterprise__employer__region_id", county)
    ).delete()
    Warning.objects.filter(region_prefix_q("region_code", county)).delete()
    wave_at = {(s, k + j) for s, k in planted for j in range(WAVE_LENGTH)}
    enterprises: dict[str, list[MonitoredEnterprise]] = {}
    serial = rng.randrange(10**6)
    for section in sections:
        enterprises[section] = []
        for i in range(per_industry):
            serial += 1
            body = f"{serial % 10**8:08d}"
            employer = Employer.objects.create(
                credit_code=make_credit_code("9", "1", county, body),
                name=f"回测企业{section}{i}",
                industry_id=divisions[section],
                size="small",
                employees=rng.randint(60, 400),
                region_id=rng.choice(streets),
            )
            enterprises[section].append(
                MonitoredEnterprise.objects.create(
                    employer=employer, since=start, baseline=employer.employees, generated=True
                )
            )
    rows, staff_of = [], {}
    totals: dict[tuple[str, int], int] = {}
    for section, members in enterprises.items():
        hit = {e.pk for e in members if rng.random() < 0.75}
        for e in members:
            headcount = e.baseline
            for k in range(months):
                month = _month(start, k)
                season = {1: -0.03, 2: -0.02, 3: 0.05}.get(month.month, 0.0)
                growth = season + rng.gauss(0.001, 0.012)
                reduced = max(0, round(headcount * rng.uniform(0, 0.02)))
                reason = "resigned" if reduced else ""
                if (section, k) in wave_at and e.pk in hit:
                    cut = round(headcount * rng.uniform(0.06, 0.12))
                    growth -= cut / headcount
                    reduced, reason = reduced + cut, "economic"
                new = max(5, round(headcount * (1 + growth)))
                rows.append(
                    MonthlyReport(
                        enterprise=e,
                        month=month,
                        headcount=new,
                        reduced=min(reduced, headcount + new),
                        reason=reason,
                        channel="import",
                        generated=True,
                    )
                )
                totals[(section, k)] = totals.get((section, k), 0) + new
                headcount = new
        staff_of[section] = totals
    MonthlyReport.objects.bulk_create(rows, batch_size=2000)
    for k in range(scan_from, months):
        scan(_month(start, k), prefix=county)
    index = {_month(start, k): k for k in range(months)}
    warnings = Warning.objects.filter(
        scope="industry", region_code=county, month__gte=_month(start, scan_from)
    )
    raised = [(w.key.split(":")[1], index[w.month], w.signal, w.level) for w in warnings]
    headline = _score([r for r in raised if r[3] != "blue"], planted, totals, months)
    headline.all_levels = _score(raised, planted, totals, months)
    return headline


def _score(raised, planted, totals, months) -> Result:
    by_signal: dict[str, int] = {}
    for _, _, signal, _ in raised:
        by_signal[signal] = by_signal.get(signal, 0) + 1
    months_of: dict[str, list[int]] = {}
    for section, k, _, _ in raised:
        months_of.setdefault(section, []).append(k)
    episodes = []  # (industry, first month)
    for section, ks in months_of.items():
        ks = sorted(set(ks))
        for i, k in enumerate(ks):
            if i == 0 or k != ks[i - 1] + 1:
                episodes.append((section, k))
    true_episodes = sum(
        1 for s, k in episodes if any(s == ws and wk <= k <= wk + 3 for ws, wk in planted)
    )
    detected, leads = 0, []
    for section, k in planted:
        warned = sorted(m for s, m, _, _ in raised if s == section and k <= m <= k + 3)
        if not warned:
            continue
        detected += 1
        before = totals[(section, k - 1)]
        lands = next(
            (
                j
                for j in range(k, months)
                if before - totals[(section, j)] >= PROBLEM_SHARE * before
            ),
            k + WAVE_LENGTH - 1,
        )
        leads.append(lands - warned[0])
    return Result(len(planted), detected, len(episodes), true_episodes, leads, by_signal)
