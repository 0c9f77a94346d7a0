#!/usr/bin/env python
"""Benchmark every page each demo role opens, on the demo city.

A demo city is generated as `make demo` makes it (100,000 people; 20,000 with --quick) on
SQLite, with its logins. Then, for each role, every page of that role is requested in
the process (Django's test client: no network in the figures): once with every cache
emptied, the matching indexes dropped and the kept circles deleted (the baseline: the
page before any caching or precomputation), then warm, several times; each page's
p50/p95 and its server queries are printed. The last line is one JSON object: the
slowest warm p95, how many pages miss the target, and ratio_vs_baseline (the slowest
page's baseline over its warm p95).

    python bench/pages.py [--quick] [--people N] [--runs N]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import print_summary, run_engines

TARGETS = {"slowest_p95_ms": 300.0}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="20,000 people")
    parser.add_argument("--people", type=int)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    people = args.people or (20_000 if args.quick else 100_000)
    if args.child:
        print(json.dumps(run_engine(people, args.runs), ensure_ascii=False))
        return
    results = run_engines(
        __file__, ["sqlite"], ["--people", str(people), "--runs", str(args.runs)], report
    )
    print_summary("pages", results["sqlite"]["summary"], TARGETS, results)


def report(engine: str, r: dict) -> None:
    print(f"[{engine}] {r['people']:,} people (set-up {r['setup_s']:.0f} s)")
    print(f"  {'role':<16}{'page':<52}{'p50 ms':>8}{'p95 ms':>8}{'base ms':>9}{'queries':>9}")
    for row in r["pages"]:
        flag = "  ✗" if row["p95_ms"] > TARGETS["slowest_p95_ms"] else ""
        print(
            f"  {row['role']:<16}{row['page']:<52}{row['p50_ms']:>8.1f}{row['p95_ms']:>8.1f}"
            f"{row['baseline_ms']:>9.1f}{row['queries']:>9}{flag}"
        )


def pages_of(role: str, user) -> list[str]:
    """Every page a role opens from its menus, with the first record of its own for pages
    of one record."""
    from apps.employers.selectors import employers_in_scope
    from apps.jobs.selectors import jobs_in_scope
    from apps.people.selectors import people_in_scope
    from apps.policies.models import PaymentBatch, Sweep

    if role == "demo_worker":
        job = jobs_in_scope_any()
        return [
            "/",
            "/my/jobs/",
            "/my/offers/",
            "/my/applications/",
            "/my/subsidies/",
            "/my/profile/",
            "/my/privacy/",
            "/board/",
            f"/board/{job}/",
            "/policies/",
            "/fairs/",
            *(f"/fairs/{f}/" for f in coming_fair()),
        ]
    if role == "demo_employer":
        job = user.employer.jobs.values_list("pk", flat=True).first()
        return [
            "/",
            "/my/postings/",
            f"/my/postings/{job}/candidates/",
            f"/jobs/{job}/applications/",
            "/my/subsidies/",
        ]
    person = people_in_scope(user).values_list("pk", flat=True).first()
    employer = employers_in_scope(user).values_list("pk", flat=True).first()
    job = jobs_in_scope(user).values_list("pk", flat=True).first()
    community = people_in_scope(user).values_list("community_id", flat=True).first()
    sweep = Sweep.objects.order_by("-pk").values_list("pk", flat=True).first()
    from apps.accounts.scoping import user_scope_prefix

    batch = (
        PaymentBatch.objects.filter(region_prefix__startswith=user_scope_prefix(user))
        .order_by("-pk")
        .values_list("pk", flat=True)
        .first()
    )
    pages = [
        "/",
        "/people/",
        f"/people/{person}/",
        "/employers/",
        f"/employers/{employer}/",
        "/jobs/",
        f"/jobs/{job}/",
        f"/jobs/{job}/candidates/",
        "/circles/",
        f"/circles/{community}/",
        "/ledgers/",
        "/promises/",
        "/welfare/",
        "/subsidies/reviews/",
        "/subsidies/sweeps/",
        f"/subsidies/sweeps/{sweep}/",
        "/subsidies/batches/",
        *([f"/subsidies/batches/{batch}/"] if batch else []),
        "/subsidies/funds/",
        "/fairs/manage/",
        "/fairs/year/",
        *(f"/fairs/{f}/desk/" for f in coming_fair()),
    ]
    if role != "demo_leader":
        pages += [
            "/pushes/",
            "/crosschecks/",
            "/imports/",
            "/transfers/",
            "/employers/registrations/",
        ]
    # a record the role's scope holds none of (a community with no employer): its page
    # is left out, said so, rather than asked for as /None/
    missing = [p for p in pages if "/None/" in p]
    for page in missing:
        print(f"{role}: no record in scope for {page}, left out", file=sys.stderr)
    return [p for p in pages if p not in missing]


def coming_fair() -> list[int]:
    """The demo's fair of today (or the next one), as a worker and the staff open it."""
    import datetime as dt

    from apps.fairs.models import Fair

    return list(
        Fair.objects.filter(held_on__gte=dt.date.today())
        .order_by("held_on")
        .values_list("pk", flat=True)[:1]
    )


def jobs_in_scope_any():
    from apps.jobs.board import open_jobs

    return open_jobs().values_list("pk", flat=True).first()


def timed(client, url: str) -> tuple[float, int, int]:
    from django.db import connection

    queries = []

    def count(execute, sql, params, many, context):
        # An execute wrapper rather than the debug log: that log is a bounded deque.
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        started = time.perf_counter()
        response = client.get(url)
        ms = (time.perf_counter() - started) * 1000
    return ms, len(queries), response.status_code


def run_engine(people: int, runs: int) -> dict:
    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import override_settings

    from apps.accounts.models import User
    from apps.demo.policy_facts import simulate_claims
    from apps.demo.services import ensure_demo_users, generate_city
    from apps.matching.index import bump_generation
    from apps.matching.models import CircleSnapshot

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("load_reference", stdout=open("/dev/null", "w"))
    generate_city(county_code="341282", people=people, seed=1, log=lambda *_: None)
    ensure_demo_users("341282", "bench-password")
    simulate_claims("341282", seed=1, log=lambda *_: None)
    setup_s = time.perf_counter() - started

    rows = []
    with override_settings(ALLOWED_HOSTS=["testserver"], DEBUG=False):
        for username in (
            "demo_worker",
            "demo_employer",
            "demo_community",
            "demo_township",
            "demo_county",
            "demo_leader",
        ):
            user = User.objects.get(username=username)
            client = Client()
            client.force_login(user)
            for url in pages_of(username, user):
                cache.clear()
                bump_generation()
                CircleSnapshot.objects.all().delete()
                baseline, _, status = timed(client, url)  # before any cache or index
                if status != 200:
                    raise SystemExit(f"{username} {url}: {status}")
                samples, queries = [], 0
                for _ in range(runs):
                    ms, queries, _ = timed(client, url)
                    samples.append(ms)
                samples.sort()
                rows.append(
                    {
                        "role": username,
                        "page": url,
                        "p50_ms": round(statistics.median(samples), 1),
                        "p95_ms": round(
                            samples[min(len(samples) - 1, int(0.95 * len(samples)))], 1
                        ),
                        "baseline_ms": round(baseline, 1),
                        "queries": queries,
                    }
                )
    slowest = max(rows, key=lambda r: r["p95_ms"])
    summary = {
        "people": people,
        "pages": len(rows),
        "slowest_p95_ms": slowest["p95_ms"],
        "slowest_page": f"{slowest['role']} {slowest['page']}",
        "over_target": sum(1 for r in rows if r["p95_ms"] > TARGETS["slowest_p95_ms"]),
        "ratio_vs_baseline": round(slowest["baseline_ms"] / max(slowest["p95_ms"], 0.1), 2),
    }
    return {"people": people, "setup_s": round(setup_s, 1), "pages": rows, "summary": summary}


if __name__ == "__main__":
    main()
