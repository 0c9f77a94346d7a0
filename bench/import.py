#!/usr/bin/env python
"""Benchmark the import pipeline on a generated person CSV.

For each engine (SQLite, PostgreSQL) a fresh database is created, the reference data
loaded and a demo county's communities placed; then a generated people CSV
(200,000 rows; 20,000 with --quick) is imported through the pipeline, and re-imported
(nothing changes). The baseline, in the same run and the same database, imports rows of
the same distribution the naive way: the same row cleaning, then one ORM save per row
for the person and each related record. Prints figures; the last line is one JSON
object (top-level figures are PostgreSQL's, the engine of the target).

    python bench/import.py [--quick] [--people N] [--engine sqlite|postgresql|both]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import compare, setup_county

TARGETS = {"ratio_vs_baseline": 10, "postgresql_rows_per_s": 20000}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="20,000 rows, 1,000 baseline rows")
    parser.add_argument("--people", type=int, help="rows in the CSV (default 200,000)")
    parser.add_argument("--baseline-rows", type=int, help="rows for the baseline (default 5,000)")
    parser.add_argument("--engine", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    people = args.people or (20_000 if args.quick else 200_000)
    baseline = args.baseline_rows or (1_000 if args.quick else 5_000)
    if args.child:
        print(json.dumps(run_engine(people, baseline)))
        return
    results, headline = compare(
        __file__, args.engine, ["--people", str(people), "--baseline-rows", str(baseline)], report
    )
    summary = {
        "benchmark": "import_people",
        "rows": people,
        "engine": headline["engine"],
        "rows_per_s": headline["rows_per_s"],
        "baseline_rows_per_s": headline["baseline_rows_per_s"],
        "ratio_vs_baseline": headline["ratio_vs_baseline"],
        "rerun_rows_per_s": headline["rerun_rows_per_s"],
        "targets": TARGETS,
        "engines": results,
    }
    print(json.dumps(summary, ensure_ascii=False))


def report(engine: str, r: dict) -> None:
    print(
        f"[{engine}] {r['rows']} rows: pipeline {r['rows_per_s']:,.0f} rows/s "
        f"({r['seconds']:.1f} s), re-run unchanged {r['rerun_rows_per_s']:,.0f} rows/s; "
        f"baseline (ORM save per row, {r['baseline_rows']} rows) "
        f"{r['baseline_rows_per_s']:,.0f} rows/s; ratio {r['ratio_vs_baseline']:.1f}x",
        flush=True,
    )


def run_engine(people: int, baseline_rows: int) -> dict:
    import datetime as dt

    places = setup_county("341282")
    from django.db import connection, transaction

    from apps.demo.generator import CityGenerator
    from apps.demo.services import write_csv
    from apps.imports.registry import get_spec
    from apps.imports.services import create_import, run_import

    spec = get_spec("people")
    headers = [c.header for c in spec.columns]
    today = dt.date.today()
    tmp = Path(os.environ["JIUYE_VAR_DIR"])

    main_csv = tmp / f"people-{connection.vendor}.csv"
    write_csv(
        main_csv, CityGenerator("341282", places, 11, today, ["341203"]).people(people), headers
    )
    # Another ID region (颍上县) for the baseline, so its people never collide with the file's.
    base_rows = list(CityGenerator("341226", places, 12, today, ["341226"]).people(baseline_rows))

    # Baseline first: the same cleaning, then one ORM save per row and per related record.
    ctx = spec.prepare(None)
    started = time.perf_counter()
    with transaction.atomic():
        for raw in base_rows:
            naive_save(spec.clean(raw, ctx))
    baseline_s = time.perf_counter() - started

    def timed_import() -> tuple[float, object]:
        with main_csv.open("rb") as f:
            job = create_import(kind="people", file=f, filename=main_csv.name)
        t = time.perf_counter()
        job = run_import(job.pk)
        return time.perf_counter() - t, job

    seconds, job = timed_import()
    assert job.status == job.Status.DONE and job.created_count == people, job.message
    rerun_s, again = timed_import()
    assert again.unchanged_count == people, (again.created_count, again.updated_count)
    rows_per_s = people / seconds
    baseline_per_s = baseline_rows / baseline_s
    return {
        "engine": connection.vendor,
        "rows": people,
        "seconds": round(seconds, 2),
        "rows_per_s": round(rows_per_s),
        "rerun_rows_per_s": round(people / rerun_s),
        "baseline_rows": baseline_rows,
        "baseline_rows_per_s": round(baseline_per_s),
        "ratio_vs_baseline": round(rows_per_s / baseline_per_s, 1),
    }


def naive_save(row: dict) -> None:
    """What an import written row by row with the ORM does for one cleaned row."""
    from apps.people.importers import FIELDS
    from apps.people.models import Certificate, Household, KeyGroupTag, Person, StatusChange

    household = None
    if row["household"]:
        household, _ = Household.objects.get_or_create(
            number=row["household"], defaults={"community_id": row["community_id"]}
        )
    values = {f: row[f] for f in FIELDS if f != "household_id"}
    person, created = Person.objects.update_or_create(
        id_number=row["id_number"], defaults={**values, "household": household}
    )
    if created:
        StatusChange.objects.create(
            person=person, status=row["labour_status"], since=row["status_since"], note="导入"
        )
    if row["wish_occupations"] is not None:
        person.wish_occupations.set(row["wish_occupations"])
    for group in dict.fromkeys(row["groups"]):
        KeyGroupTag.objects.get_or_create(
            person=person,
            group=group,
            start=row["group_since"],
            defaults={"detail": row["group_detail"]},
        )
    for name, level, occupation in row["certificates"]:
        Certificate.objects.get_or_create(
            person=person, name=name, level=level, defaults={"occupation_id": occupation}
        )


if __name__ == "__main__":
    main()
