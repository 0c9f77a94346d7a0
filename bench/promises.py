#!/usr/bin/env python
"""Benchmark the promise dashboard (服务承诺): who is owed what, for a whole city.

A generated city (1,700,000 people; 170,000 with --quick) is loaded through the import
pipeline, then 5,000,000 service records (500,000 with --quick) are written with COPY,
spread over the last two years, most to people of the key groups, and the database is
vacuumed and analyzed as autovacuum would have done. The dashboard for the
whole county is timed (three runs, the median) beside the obvious implementation: for
each person a rule covers, one COUNT query per promised item. The baseline runs on a
sample of covered people and is scaled to all of them (it is linear in them); both
figures are printed.

    python bench/promises.py [--quick] [--engine postgresql|sqlite|both]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import compare, print_summary, setup_county

TARGETS = {"dashboard_s": 2.0, "ratio_vs_baseline": 20}
KINDS = ["guidance", "referral", "offer", "training", "visit", "call", "policy"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="170,000 people, 500,000 records")
    parser.add_argument("--people", type=int)
    parser.add_argument("--records", type=int)
    parser.add_argument("--engine", choices=["sqlite", "postgresql", "both"], default="postgresql")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    people = args.people or (170_000 if args.quick else 1_700_000)
    records = args.records or (500_000 if args.quick else 5_000_000)
    if args.child:
        print(json.dumps(run_engine(people, records)))
        return
    results, headline = compare(
        __file__, args.engine, ["--people", str(people), "--records", str(records)], report
    )
    print_summary("promises", headline, TARGETS, results)


def report(engine: str, r: dict) -> None:
    print(
        f"[{engine}] {r['people']:,} people, {r['records']:,} service records; "
        f"{r['covered']:,} covered by {r['rules']} promises, {r['owed']:,} owed\n"
        f"  dashboard {r['dashboard_s']:.2f} s (runs: {r['runs']}); baseline "
        f"{r['baseline_per_person_ms']:.2f} ms a person on {r['baseline_sample']:,} people, "
        f"{r['baseline_s']:.0f} s for all; ratio {r['ratio_vs_baseline']:.0f}x",
        flush=True,
    )


def load_city(people: int, places) -> None:
    import datetime as dt

    from apps.demo.generator import CityGenerator
    from apps.demo.services import write_csv
    from apps.imports.registry import get_spec
    from apps.imports.services import create_import, run_import

    gen = CityGenerator("341282", places, 31, dt.date.today(), ["341203"], "界首市")
    path = Path(os.environ["JIUYE_VAR_DIR"]) / "people.csv"
    write_csv(path, gen.people(people), [c.header for c in get_spec("people").columns])
    with path.open("rb") as f:
        job = run_import(create_import(kind="people", file=f, filename=path.name).pk)
    assert job.status == job.Status.DONE, job.message


def write_records(n: int) -> None:
    """Service records, 80% to people of the key groups, over the last two years."""
    import datetime as dt

    from django.db import connection
    from django.utils import timezone

    from apps.people.models import KeyGroupTag, Person
    from apps.services.models import ServiceRecord

    rng = random.Random(7)
    tagged = list(KeyGroupTag.objects.values_list("person_id", flat=True).distinct())
    everyone = list(Person.objects.values_list("id", flat=True))
    now = timezone.now()
    table = ServiceRecord._meta.db_table
    rows = (
        (
            rng.choice(tagged) if rng.random() < 0.8 else rng.choice(everyone),
            rng.choice(KINDS),
            now - dt.timedelta(seconds=rng.randrange(2 * 365 * 86400)),
            "",
            True,
        )
        for _ in range(n)
    )
    columns = "(person_id, kind, at, outcome, generated)"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY {table} {columns} FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            batch = []
            for row in rows:
                batch.append((*row[:2], row[2].strftime("%Y-%m-%d %H:%M:%S.%f"), *row[3:]))
                if len(batch) == 50_000:
                    cursor.executemany(
                        f"INSERT INTO {table} {columns} VALUES (%s,%s,%s,%s,%s)", batch
                    )
                    batch = []
            if batch:
                cursor.executemany(f"INSERT INTO {table} {columns} VALUES (%s,%s,%s,%s,%s)", batch)


def naive_owed(rule, person_id: int, since, today) -> list:
    """The obvious way: one COUNT query per promised item for one person."""
    import datetime as dt

    from django.utils import timezone

    from apps.services.models import ServiceRecord
    from apps.services.selectors import window_start

    start = dt.datetime.combine(
        window_start(rule, since, today), dt.time(), timezone.get_current_timezone()
    )
    missing = []
    for item in rule.requirements:
        n = ServiceRecord.objects.filter(
            person_id=person_id, kind__in=item["kinds"], at__gte=start
        ).count()
        if n < item["count"]:
            missing.append((item["label"], item["count"] - n))
    return missing


def run_engine(people: int, records: int) -> dict:
    places = setup_county()
    from django.db import connection
    from django.utils import timezone

    from apps.services.models import PromiseRule
    from apps.services.selectors import covered, promise_dashboard, rule_scope

    load_city(people, places)
    write_records(records)
    # A running database has been vacuumed and analyzed since its rows arrived (autovacuum
    # does it); right after a bulk load it has not: index-only scans still visit every
    # heap page and the planner has no statistics. Measure the steady state.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    today = timezone.localdate()
    runs = []
    for _ in range(3):  # what the page does: the totals and the first page of people owed
        started = time.perf_counter()
        promise_dashboard("341282", today)
        runs.append(time.perf_counter() - started)
    dashboard_s = statistics.median(runs)
    board = promise_dashboard("341282", today, everyone=True)  # for the check below

    pairs = [
        (rule, pk, since)
        for rule in PromiseRule.objects.filter(active=True)
        for pk, since, _ in covered(rule, rule_scope(rule, "341282"), today)
    ]
    sample = random.Random(3).sample(pairs, min(len(pairs), 3000))
    started = time.perf_counter()
    naive = {(rule.code, pk): naive_owed(rule, pk, since, today) for rule, pk, since in sample}
    per_person = (time.perf_counter() - started) / len(sample)
    # The two must agree on everyone sampled.
    fast = {(o.rule.code, o.person_id): o.missing for o in board.owed}
    for key, missing in naive.items():
        assert fast.get(key, []) == missing, (key, fast.get(key), missing)
    baseline_s = per_person * len(pairs)
    return {
        "engine": connection.vendor,
        "people": people,
        "records": records,
        "rules": len(board.rules),
        "covered": len(pairs),
        "owed": len(board.owed),
        "dashboard_s": round(dashboard_s, 3),
        "runs": [round(r, 3) for r in runs],
        "baseline_sample": len(sample),
        "baseline_per_person_ms": round(per_person * 1000, 3),
        "baseline_s": round(baseline_s, 1),
        "ratio_vs_baseline": round(baseline_s / dashboard_s, 1),
    }


if __name__ == "__main__":
    main()
