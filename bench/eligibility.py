#!/usr/bin/env python
"""Benchmark the proactive identification (主动识别): every subsidy over a whole city.

A generated county (1,700,000 people and 100,000 employers; 170,000 and 10,000 with
--quick) is loaded through the import pipeline, then the facts the rules read beyond the
import (graduation years, low-income families, first businesses, certificates of the year,
hard-to-employ hires, interns, employers' yearly figures, apprentices, certified
communities) are generated. The sweep is timed from the database to the stored results
(loading included), with every one of the twelve policies switched on for the county and
the year (the seeds' policies of 界首市 and 雄安新区 together, as a what-if), beside the
obvious implementation: for each person, employer and community, load its facts and run
the same rules for it alone (what an application check does). The baseline runs on a
sample and is scaled to everyone (it is linear in them); its answers are checked equal to
the sweep's on that sample.

    python bench/eligibility.py [--quick] [--engine postgresql|sqlite|both]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import compare, print_summary, setup_county

TARGETS = {"sweep_s": 60.0, "ratio_vs_baseline": 20}
COUNTY = "341282"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="170,000 people, 10,000 employers")
    parser.add_argument("--people", type=int)
    parser.add_argument("--employers", type=int)
    parser.add_argument("--engine", choices=["sqlite", "postgresql", "both"], default="postgresql")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    people = args.people or (170_000 if args.quick else 1_700_000)
    employers = args.employers or (10_000 if args.quick else 100_000)
    if args.child:
        print(json.dumps(run_engine(people, employers)))
        return
    results, headline = compare(
        __file__, args.engine, ["--people", str(people), "--employers", str(employers)], report
    )
    print_summary("eligibility", headline, TARGETS, results)


def report(engine: str, r: dict) -> None:
    print(
        f"[{engine}] {r['people']:,} people, {r['employers']:,} employers, "
        f"{r['communities']:,} communities; {r['policies']} policies; "
        f"{r['entitled']:,} entitlements (set-up {r['setup_s']:.0f} s)\n"
        f"  sweep {r['sweep_s']:.1f} s (runs: {r['runs']}; load {r['load_s']:.1f} s, "
        f"rules {r['rules_s']:.1f} s); baseline {r['baseline_per_subject_ms']:.1f} ms a "
        f"subject on {r['baseline_sample']:,}, {r['baseline_s']:,.0f} s for all; "
        f"ratio {r['ratio_vs_baseline']:.0f}x",
        flush=True,
    )


def load_city(people: int, employers: int, places) -> None:
    import datetime as dt

    from apps.demo.generator import CityGenerator
    from apps.demo.services import write_csv
    from apps.imports.registry import get_spec
    from apps.imports.services import create_import, run_import

    gen = CityGenerator(COUNTY, places, 41, dt.date.today(), ["341203"], "界首市")
    rows = gen.employers(employers)
    tmp = Path(os.environ["JIUYE_VAR_DIR"])
    # Jobs of a twentieth of the employers: enough internships and temporary posts to hire into.
    for kind, data in (
        ("employers", rows),
        ("jobs", gen.jobs(rows[: max(20, employers // 20)])),
        ("people", gen.people(people)),
    ):
        path = tmp / f"{kind}.csv"
        write_csv(path, data, [c.header for c in get_spec(kind).columns])
        with path.open("rb") as f:
            job = run_import(create_import(kind=kind, file=f, filename=path.name).pk)
        assert job.status == job.Status.DONE, job.message


def all_policies(year: int) -> dict:
    """Overrides switching every policy on in the county for the year."""
    return {
        "startup_subsidy.amount": {"2022-01-01": 10000},
        "apprenticeship_subsidy.intermediate": {"2022-01-01": 5000},
        "apprenticeship_subsidy.senior": {"2022-01-01": 6000},
        "gig_station_subsidy.max_per_station": {"2022-01-01": 200000},
        # 界首市's 2022 policies, taken up again from 2023 (no gap).
        "retention_training_aid.amount_per_insured": {"2023-01-01": 500},
        "stabilisation_subsidy.amount_per_employee": {"2023-01-01": 500},
        "temporary_post_award.amount_per_person": {"2023-01-01": 3000},
    }


def run_engine(people: int, employers: int) -> dict:
    started = time.perf_counter()
    places = setup_county(COUNTY)
    import random

    from django.db import connection
    from django.utils import timezone

    from apps.demo.policy_facts import simulate_policy_facts
    from apps.policies import loader, sweeps
    from apps.policies.models import Entitlement
    from apps.policies.rules.engine import evaluate
    from apps.regions.models import Region

    year = timezone.localdate().year
    load_city(people, employers, places)
    simulate_policy_facts(COUNTY, year=year, seed=5)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    setup_s = time.perf_counter() - started
    overrides = all_policies(year)

    # The sweep, as staff run it: a (trial) sweep of the county, database to results.
    runs, phases = [], []
    for _ in range(3 if people <= 200_000 else 2):
        sweep = sweeps.create_sweep(user=None, region_prefix=COUNTY, year=year, overrides=overrides)
        t0 = time.perf_counter()
        sweep = sweeps.run_sweep(sweep.pk)
        runs.append(time.perf_counter() - t0)
        assert sweep.status == "done", sweep.error
    # Where the time goes (one more pass, not stored).
    t0 = time.perf_counter()
    populations = loader.load(COUNTY, year)
    load_s = time.perf_counter() - t0
    system = sweeps.system_with(COUNTY, overrides)
    specs = sweeps.policies_in_force(system, year)
    t0 = time.perf_counter()
    evaluate(system, populations[COUNTY], year, specs)
    rules_s = time.perf_counter() - t0
    phases.append((load_s, rules_s))
    sweep_s = statistics.median(runs)
    entitled = sweep.entitlements.count()

    # The baseline: each subject alone, on a sample, checked equal to the sweep.
    rng = random.Random(3)
    population = populations[COUNTY]
    kinds = {
        "person": ("person_ids", population.ids["person"], 400),
        "enterprise": ("employer_ids", population.ids["enterprise"], 100),
        "community": ("community_codes", population.ids["community"], 20),
    }
    expected = {
        (policy, key): amount
        for policy, key, amount in Entitlement.objects.filter(sweep=sweep).values_list(
            "policy", "subject_key", "amount"
        )
    }
    per_subject, sample = {}, 0
    for kind, (arg, ids, n) in kinds.items():
        chosen = rng.sample(list(ids), min(n, len(ids)))
        mine = [s for s in specs if s.entity == kind]
        t0 = time.perf_counter()
        got = {}
        for subject in chosen:
            subject = subject.item() if hasattr(subject, "item") else subject
            one = loader.load(COUNTY, year, **{arg: [subject]})[COUNTY]
            for row in sweeps.found(system, one, year, mine):
                got[(row["policy"], row["subject_key"])] = row["amount"]
        per_subject[kind] = (time.perf_counter() - t0) / len(chosen)
        sample += len(chosen)
        keys = {
            f"{sweeps.SUBJECT_PREFIX[kind]}{s.item() if hasattr(s, 'item') else s}" for s in chosen
        }
        want = {k: v for k, v in expected.items() if k[1] in keys}
        assert got == want, f"{kind}: baseline and sweep differ"
    counts = {k: len(v[1]) for k, v in kinds.items()}
    baseline_s = sum(per_subject[k] * counts[k] for k in kinds)
    subjects = sum(counts.values())
    return {
        "people": counts["person"],
        "employers": counts["enterprise"],
        "communities": Region.objects.filter(code__startswith=COUNTY, level=5).count(),
        "policies": len(specs),
        "entitled": entitled,
        "setup_s": round(setup_s, 1),
        "sweep_s": round(sweep_s, 2),
        "runs": [round(r, 2) for r in runs],
        "load_s": round(load_s, 2),
        "rules_s": round(rules_s, 2),
        "baseline_per_subject_ms": round(1000 * baseline_s / subjects, 2),
        "baseline_sample": sample,
        "baseline_s": round(baseline_s, 1),
        "ratio_vs_baseline": round(baseline_s / sweep_s, 1),
    }


if __name__ == "__main__":
    main()
