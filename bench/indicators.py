#!/usr/bin/env python
"""Benchmark the indicators on a generated city: every indicator for every region, and
the leaders' dashboard, beside a naive per-region loop, in the same run.

A fresh database gets the reference data and a generated city of 阜阳市's real counties
and streets with generated communities (8 per street) and people (1,700,000; 170,000
with --quick), each with a generated career of employment and unemployment registrations
since 2021, status changes, key-group tags, certificates, public-welfare placements,
postings and payments: about 10,000,000 dated events (1,000,000 with --quick), all marked
generated. Measured, for the year to date:

- ``all_regions_s``: ``figures()`` of every computed indicator for the city, its counties,
  streets and communities at once, from the pre-aggregated cells (built once before,
  ``cells_build_s``) and the month under way counted live; ``all_regions_live_s``: the
  same counted live from the events (one grouped query per indicator), and checked equal;
- ``dashboard_s``: the leaders' dashboard page of the city (its figures for the city and
  the counties, the plan's targets, the 24-month trend, the warnings), second request;
- the baseline: the naive way, one query per indicator and region, timed on a sample of
  regions and extrapolated to every region (``naive_all_regions_s``;
  ``ratio_vs_baseline`` is its time over ``all_regions_s``), and on exactly the
  dashboard's figures (``naive_dashboard_s`` against ``dashboard_figures_s``). The naive
  values are checked equal to ``figures()``'s.

    python bench/indicators.py [--quick] [--people N] [--engine postgresql|sqlite|both]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import compare

TARGETS = {"dashboard_s": 1.0, "ratio_vs_baseline": 20}
CITY = "341200"
COMMUNITIES_PER_STREET = 8


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="170,000 people, ~1M events")
    parser.add_argument("--people", type=int)
    parser.add_argument("--engine", choices=["sqlite", "postgresql", "both"], default="postgresql")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="PostgreSQL: measure the city an earlier run generated (same --people) again, "
        "its cells rebuilt from nothing, instead of generating it",
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    people = args.people or (170_000 if args.quick else 1_700_000)
    if args.child:
        print(json.dumps(run(people, reuse=args.reuse)))
        return
    child = ["--people", str(people), *(["--reuse"] if args.reuse else [])]
    results, headline = compare(__file__, args.engine, child, report, reuse=args.reuse)
    print(
        json.dumps(
            {
                "benchmark": "indicators",
                "people": people,
                "events": headline["events"],
                "engine": headline["engine"],
                "dashboard_s": headline["dashboard_s"],
                "all_regions_s": headline["all_regions_s"],
                "all_regions_live_s": headline["all_regions_live_s"],
                "cells_build_s": headline["cells_build_s"],
                "naive_dashboard_s": headline["naive_dashboard_s"],
                "naive_all_regions_s": headline["naive_all_regions_s"],
                "ratio_vs_baseline": headline["ratio_vs_baseline"],
                "targets": TARGETS,
                "engines": results,
            },
            ensure_ascii=False,
        )
    )


def report(engine: str, r: dict) -> None:
    print(
        f"[{engine}] {r['people']:,} people, {r['events']:,} events, {r['regions']:,} regions "
        f"(generated in {_seconds(r['generate_s'])}; cells built in {r['cells_build_s']:.1f} s): "
        f"every indicator for every region {r['all_regions_s']:.2f} s (counted live: "
        f"{r['all_regions_live_s']:.2f} s; naive loop, extrapolated: "
        f"{r['naive_all_regions_s']:.0f} s, "
        f"{r['ratio_vs_baseline']:.0f}x); "
        f"dashboard {r['dashboard_s']:.2f} s (first {r['dashboard_first_s']:.2f} s); its figures "
        f"{r['dashboard_figures_s']:.2f} s against the naive loop's "
        f"{r['naive_dashboard_s']:.2f} s: "
        f"{r['ratio_dashboard_figures']:.1f}x",
        flush=True,
    )


def _seconds(value) -> str:
    return "an earlier run" if value is None else f"{value:.0f} s"


def run(people: int, reuse: bool = False) -> dict:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    if reuse:
        events, generate_s = _generated(people), None
    else:
        call_command("load_reference", "--no-communities", stdout=open(os.devnull, "w"))
        started = time.perf_counter()
        events = generate(people)
        generate_s = time.perf_counter() - started
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return measure(people, events, generate_s)


def _generated(people: int) -> int:
    """The events of a city an earlier run generated (refused if it is not that city);
    its cells are dropped, so they are built again from nothing."""
    from apps.indicators.cells import reset
    from apps.jobs.models import Job, WelfarePlacement
    from apps.people.models import Certificate, KeyGroupTag, Person, Registration, StatusChange
    from apps.policies.models import CommunityCertification

    found = Person.objects.count()
    if found != people:
        sys.exit(f"--reuse: the database holds {found:,} people, not {people:,}")
    reset()
    return sum(
        m.objects.count()
        for m in (
            Registration,
            StatusChange,
            KeyGroupTag,
            Certificate,
            Job,
            WelfarePlacement,
            CommunityCertification,
        )
    )


def _communities() -> list[str]:
    from apps.regions.models import Region, RegionLevel

    streets = list(
        Region.objects.filter(code__startswith=CITY[:4], level=RegionLevel.TOWNSHIP)
        .order_by("code")
        .values_list("code", "lat", "lng")
    )
    rows = []
    for street, lat, lng in streets:
        for k in range(1, COMMUNITIES_PER_STREET + 1):
            rows.append(
                Region(
                    code=f"{street}{k:03d}",
                    name=f"生成社区{k}",
                    level=RegionLevel.COMMUNITY,
                    parent_id=street,
                    lat=lat,
                    lng=lng,
                    generated=True,
                )
            )
    Region.objects.bulk_create(rows, batch_size=5000)
    return [r.code for r in rows]


def generate(people: int) -> int:
    """The generated city; returns how many dated events it holds."""
    import datetime as dt

    from apps.employers.models import Employer
    from apps.imports.specs import insert_rows
    from apps.jobs.models import Job, WelfarePlacement
    from apps.monitoring.models import MonitoredEnterprise  # noqa: F401  (migrated, empty)
    from apps.people.models import Certificate, KeyGroupTag, Person, Registration, StatusChange
    from apps.policies.models import CommunityCertification
    from jiuye.identifiers import make_credit_code, make_resident_id

    rng = random.Random(7)
    communities = _communities()
    first, today = dt.date(2021, 1, 1), dt.date.today()
    span = (today - first).days

    def day(lo: int = 0) -> dt.date:
        return first + dt.timedelta(days=rng.randrange(lo, span))

    employers = []
    for i in range(max(50, people // 100)):
        employers.append(
            Employer(
                credit_code=make_credit_code("9", "1", CITY, f"B{i:07d}"),
                name=f"生成单位{i}",
                industry_id="34",
                size="small",
                employees=rng.randint(10, 300),
                region_id=rng.choice(communities),
            )
        )
    Employer.objects.bulk_create(employers, batch_size=5000)
    employer_ids = list(Employer.objects.values_list("pk", "region_id"))
    events = 0
    chunk = 50_000
    for start in range(0, people, chunk):
        persons = []
        last = Person.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        for n in range(start, min(people, start + chunk)):
            # (birth day, sequence) distinct for every n: valid, unique resident IDs
            born = dt.date(1962, 1, 1) + dt.timedelta(days=(n // 999) * 9)
            persons.append(
                {
                    "id_number": make_resident_id(CITY, born, n % 999 + 1),
                    "name": f"生成{n}",
                    "gender": "M" if n % 2 else "F",
                    "birth_date": born,
                    "community_id": rng.choice(communities),
                    "labour_status": "employed",
                    "status_since": first,
                    "graduation_year": 2021 + rng.randrange(6) if n % 20 == 0 else None,
                }
            )
        insert_rows(Person, persons)
        ids = list(
            Person.objects.filter(pk__gt=last).values_list("pk", "community_id", "graduation_year")
        )
        registrations, changes, tags, certificates = [], [], [], []
        for pk, community, graduated in ids:
            # a career: registrations one after another, each but the last ended
            k = rng.choice((2, 3, 4, 4, 5, 6))
            days = sorted(rng.sample(range(span), k))
            for j, d in enumerate(days):
                kind = (
                    "unemployment"
                    if j % 2 == (0 if rng.random() < 0.5 else 1)
                    else rng.choice(("employment", "employment", "flexible"))
                )
                if j and registrations[-1]["kind"] == kind:
                    kind = "unemployment" if kind != "unemployment" else "employment"
                start_day = first + dt.timedelta(days=d)
                if j:
                    prev = registrations[-1]
                    prev["ended_on"] = start_day
                    prev["end_reason"] = (
                        "就业"
                        if prev["kind"] == "unemployment" and kind != "unemployment"
                        else "合同到期"
                    )
                registrations.append(
                    {
                        "person_id": pk,
                        "kind": kind,
                        "registered_on": start_day,
                        "office_id": community,
                        "basis": "residence" if kind == "unemployment" else "",
                        "employer_id": rng.choice(employer_ids)[0]
                        if kind == "employment"
                        else None,
                        "channel": "counter",
                        "ended_on": None,
                        "end_reason": "",
                        "recorded_by_id": None,
                    }
                )
                changes.append(
                    {
                        "person_id": pk,
                        "status": {"unemployment": "unemployed", "employment": "employed"}.get(
                            kind, "flexible"
                        ),
                        "since": start_day,
                        "note": "生成",
                        "recorded_by_id": None,
                    }
                )
            if rng.random() < 0.03:
                changes.append(
                    {
                        "person_id": pk,
                        "status": "retired",
                        "since": day(),
                        "note": "生成",
                        "recorded_by_id": None,
                    }
                )
            if rng.random() < 0.1:
                tags.append(
                    {
                        "person_id": pk,
                        "group": "hard_to_employ",
                        "start": day(),
                        "end": None,
                        "detail": "生成",
                    }
                )
            if graduated:
                tags.append(
                    {
                        "person_id": pk,
                        "group": "graduate",
                        "start": dt.date(graduated, 6, 30),
                        "end": None,
                        "detail": "生成",
                    }
                )
            if rng.random() < 0.1:
                certificates.append(
                    {
                        "person_id": pk,
                        "name": "生成证书",
                        "level": rng.randint(1, 5),
                        "number": "",
                        "issued_on": day(),
                        "occupation_id": None,
                    }
                )
        for model, rows in (
            (Registration, registrations),
            (StatusChange, changes),
            (KeyGroupTag, tags),
            (Certificate, certificates),
        ):
            for k in range(0, len(rows), 20_000):
                insert_rows(model, rows[k : k + 20_000])
            events += len(rows)
    jobs = []
    for i in range(max(100, people // 20)):
        employer, region = rng.choice(employer_ids)
        opened = day()
        jobs.append(
            Job(
                employer_id=employer,
                reference=f"B{i}",
                title="生成岗位",
                occupation_id="6-18-02-04",
                kind=rng.choice(("regular", "regular", "gig", "internship", "public_welfare")),
                headcount=rng.randint(1, 5),
                wage_min=3000,
                wage_max=6000,
                region_id=region,
                valid_from=opened,
                valid_to=opened + dt.timedelta(days=90),
            )
        )
    Job.objects.bulk_create(jobs, batch_size=5000)
    events += len(jobs)
    welfare = list(Job.objects.filter(kind="public_welfare").values_list("pk", flat=True))
    someone = list(Person.objects.values_list("pk", flat=True)[: max(100, people // 50)])
    placements = [
        WelfarePlacement(
            job_id=rng.choice(welfare),
            person_id=pk,
            start=(d := day()),
            end=d + dt.timedelta(days=365),
        )
        for pk in someone
    ]
    WelfarePlacement.objects.bulk_create(placements, batch_size=5000)
    certified = [
        CommunityCertification(community_id=c, year=y, certified_on=dt.date(y, 6, 30))
        for c in communities
        for y in range(2021, today.year + 1)
        if rng.random() < 0.4
    ]
    CommunityCertification.objects.bulk_create(certified, batch_size=5000)
    return events + len(placements) + len(certified)


def measure(people: int, events: int, generate_s: float | None) -> dict:
    import datetime as dt

    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings

    from apps.accounts.models import User
    from apps.indicators.definitions import HEADLINE, INDICATORS
    from apps.indicators.selectors import events_in, figures
    from apps.indicators.views import MAP_CHOICES
    from apps.regions.models import Region

    today = dt.date.today()
    start = dt.date(today.year, 1, 1)
    city = Region.objects.get(code=CITY)
    regions = list(Region.objects.filter(code__startswith=CITY[:4], level__gte=2))
    prefixes = [r.scope_prefix for r in regions]
    computed = [c for c, i in INDICATORS.items() if i.computed]

    from apps.indicators.cells import KEYS, ensure

    t = time.perf_counter()
    ensure(KEYS, today)  # the pre-aggregated cells of every month that is over, built once
    cells_build_s = time.perf_counter() - t
    t = time.perf_counter()
    everything = figures(computed, start, today, prefixes)
    all_regions_s = time.perf_counter() - t
    t = time.perf_counter()
    assert figures(computed, start, today, prefixes, cached=False) == everything
    all_regions_live_s = time.perf_counter() - t

    # the dashboard, as a city leader opens it (second request: templates compiled)
    User.objects.filter(username="bench-leader").delete()  # left by an earlier run (--reuse)
    leader = User.objects.create_user("bench-leader", role="leader", scope_region=city)
    client = Client()
    client.force_login(leader)
    with override_settings(ALLOWED_HOSTS=["testserver", *settings.ALLOWED_HOSTS]):
        t = time.perf_counter()
        assert client.get(f"/dashboard/?region={CITY}").status_code == 200
        first_s = time.perf_counter() - t
        t = time.perf_counter()
        assert client.get(f"/dashboard/?region={CITY}").status_code == 200
        dashboard_s = time.perf_counter() - t

    # the dashboard's figures: ours, then the naive loop (one query per indicator and region)
    shown = list(dict.fromkeys([*HEADLINE, *MAP_CHOICES]))
    dash_prefixes = [city.scope_prefix, *(c.scope_prefix for c in city.children.all())]
    t = time.perf_counter()
    ours = figures(shown, start, today, dash_prefixes)
    dashboard_figures_s = time.perf_counter() - t
    t = time.perf_counter()
    naive = {p: naive_values(shown, start, today, p, events_in) for p in dash_prefixes}
    naive_dashboard_s = time.perf_counter() - t
    for p in dash_prefixes:
        for code in shown:
            a, b = ours[code][p], naive[p][code]
            assert (a is None and b is None) or abs((a or 0) - (b or 0)) < 1e-6, (code, p, a, b)

    sample = random.Random(1).sample(prefixes, min(12, len(prefixes)))
    t = time.perf_counter()
    for p in sample:
        values = naive_values(computed, start, today, p, events_in)
        for code in computed:
            a, b = everything[code][p], values[code]
            assert (a is None and b is None) or abs((a or 0) - (b or 0)) < 1e-6, (code, p, a, b)
    naive_all_regions_s = (time.perf_counter() - t) / len(sample) * len(prefixes)
    return {
        "engine": connection.vendor,
        "people": people,
        "events": events,
        "regions": len(prefixes),
        "generate_s": None if generate_s is None else round(generate_s, 1),
        "cells_build_s": round(cells_build_s, 2),
        "all_regions_s": round(all_regions_s, 3),
        "all_regions_live_s": round(all_regions_live_s, 3),
        "naive_all_regions_s": round(naive_all_regions_s, 1),
        "dashboard_first_s": round(first_s, 3),
        "dashboard_s": round(dashboard_s, 3),
        "dashboard_figures_s": round(dashboard_figures_s, 3),
        "naive_dashboard_s": round(naive_dashboard_s, 3),
        # every indicator for every region: one grouped query each against one per region
        "ratio_vs_baseline": round(naive_all_regions_s / all_regions_s, 1),
        "ratio_dashboard_figures": round(naive_dashboard_s / dashboard_figures_s, 1),
    }


def naive_values(codes, start, end, prefix, events_in) -> dict:
    """Each indicator for one region, one query per counted indicator."""
    from django.db.models import Count, Sum

    from apps.indicators.definitions import DIFFERENCE, INDICATORS, RATE, SHARE_OF_COMMUNITIES
    from apps.regions.models import Region, RegionLevel

    def counted(code):
        indicator = INDICATORS[code]
        qs = events_in(indicator, start, end, prefix)
        if indicator.amount_field:
            return float(qs.aggregate(v=Sum(indicator.amount_field))["v"] or 0)
        return float(qs.aggregate(v=Count("pk", distinct=True))["v"])

    out = {}
    for code in codes:
        indicator = INDICATORS[code]
        if indicator.counted:
            out[code] = counted(code)
        elif indicator.measure == DIFFERENCE:
            out[code] = counted(indicator.parts[0]) - counted(indicator.parts[1])
        elif indicator.measure == RATE:
            b = counted(indicator.parts[1])
            out[code] = 100.0 * counted(indicator.parts[0]) / b if b else None
        elif indicator.measure == SHARE_OF_COMMUNITIES:
            n = Region.objects.filter(code__startswith=prefix, level=RegionLevel.COMMUNITY).count()
            out[code] = 100.0 * counted(indicator.parts[0]) / n if n else None
        else:
            out[code] = None
    return out


if __name__ == "__main__":
    main()
