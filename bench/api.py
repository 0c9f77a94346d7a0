#!/usr/bin/env python
"""Benchmark the API under load: job search, the open job feed and jobs-for-a-person,
beside the same requests against the pages as the baseline.

A demo city (100,000 people; 20,000 with --quick) is generated into a fresh PostgreSQL
database (BENCH_API_POSTGRES_URL, by default jiuye_bench_api: the other benches' database
is left alone). The platform is started with gunicorn on loopback (DEBUG off, the cache
in Redis as in a deployment), warmed up, and driven by locust (headless, no wait between
requests, bounded in time), one scenario at a time: the API's job search with filters by
code and by name, the feed's snapshot paged through, and jobs for a person (a county
clerk's key); then the pages: the public board's search with the same filters, its
pages, and the worker's own job list (/my/jobs/, signed in as the same people). Each
scenario's requests/s, p95 and errors are printed; the last line is one JSON object,
with ratio_vs_baseline = the API's job search requests/s over the board search's.

    python bench/api.py [--quick] [--seconds N] [--users N]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import ROOT, print_summary, recreate_pg_database

PG_URL = os.environ.get(
    "BENCH_API_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/jiuye_bench_api"
)
REDIS_URL = os.environ.get("BENCH_API_REDIS_URL", "redis://127.0.0.1:6379/7")
TARGETS = {"api_search_rps": 300, "api_search_p95_ms": 100, "errors": 0}
SCENARIOS = ["api_search", "page_search", "api_feed", "page_feed", "api_match", "page_match"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="20,000 people, 15 s a scenario")
    parser.add_argument("--people", type=int)
    parser.add_argument("--seconds", type=int)
    parser.add_argument("--users", type=int, default=8, help="concurrent locust users")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=1, help="threads a worker")
    parser.add_argument(
        "--reuse", action="store_true", help="the city an earlier run left in the database"
    )
    parser.add_argument("--only", nargs="*", choices=SCENARIOS, help="only these scenarios")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    people = args.people or (20_000 if args.quick else 100_000)
    seconds = args.seconds or (15 if args.quick else 60)
    with tempfile.TemporaryDirectory(prefix="jiuye-bench-api-") as tmp:
        env = dict(
            os.environ,
            JIUYE_VAR_DIR=tmp,
            MEDIA_ROOT=f"{tmp}/media",
            PYTHONPATH=str(ROOT),
            DJANGO_SETTINGS_MODULE="jiuye.settings",
            DATABASE_URL=PG_URL,
            DB_CONN_MAX_AGE="600",
            CACHE_URL=REDIS_URL,
            BACKGROUND_RUNNER="inline",
            LOG_LEVEL="WARNING",
            DEBUG="0",
            DEMO_PASSWORD=secrets.token_urlsafe(16),  # the demo logins are not used
            ALLOWED_HOSTS="127.0.0.1,localhost",
        )
        started = time.perf_counter()
        if not args.reuse:
            recreate_pg_database(PG_URL)
        _flush_redis()
        data_file = Path(tmp) / "bench-data.json"
        setup = subprocess.run(
            [
                sys.executable,
                __file__,
                "--child",
                "--people",
                str(people),
                *(["--reuse"] if args.reuse else []),
            ],
            env={**env, "BENCH_DATA": str(data_file)},
            capture_output=True,
            text=True,
        )
        if setup.returncode:
            sys.exit(f"set-up failed:\n{setup.stderr[-3000:]}")
        setup_s = time.perf_counter() - started
        port = _free_port()
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "jiuye.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(args.workers),
                "--worker-class",
                "gthread",
                "--threads",
                str(args.threads),
                "--log-level",
                "warning",
            ],
            env=env,
            cwd=ROOT,
            start_new_session=True,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            _wait_for(base)
            data = json.loads(data_file.read_text())
            _warm_up(base, data, args.workers)
            results = {}
            for scenario in args.only or SCENARIOS:
                _flush_rate_windows()
                results[scenario] = _locust(scenario, base, data_file, seconds, args.users, tmp)
                print(_line(scenario, results[scenario]), flush=True)
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(30)
    if args.only:
        print(json.dumps({"benchmark": "api", "partial": True, **results}))
        return
    search, board = results["api_search"], results["page_search"]
    headline = {
        "people": people,
        "open_jobs": data["open_jobs"],
        "seconds_per_scenario": seconds,
        "users": args.users,
        "gunicorn_workers": args.workers,
        "setup_s": round(setup_s, 1),
        **{f"{name}_{k}": v for name, r in results.items() for k, v in r.items()},
        "api_search_rps": search["rps"],
        "api_search_p95_ms": search["p95_ms"],
        "errors": sum(r["errors"] for name, r in results.items() if name.startswith("api_")),
        "ratio_vs_baseline": round(search["rps"] / board["rps"], 2) if board["rps"] else None,
    }
    print_summary("api", headline, TARGETS, {"postgresql": {"scenarios": results}})


def _line(name: str, r: dict) -> str:
    return (
        f"  {name:<12} {r['rps']:>8.1f} req/s   p50 {r['p50_ms']:>6.0f} ms   "
        f"p95 {r['p95_ms']:>6.0f} ms   errors {r['errors']} of {r['requests']}"
    )


def _locust(scenario: str, base: str, data_file: Path, seconds: int, users: int, tmp) -> dict:
    prefix = f"{tmp}/locust-{scenario}"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "locust",
            "-f",
            str(Path(__file__).with_name("api_locust.py")),
            "--headless",
            "--users",
            str(users),
            "--spawn-rate",
            str(users),
            "--run-time",
            f"{seconds}s",
            "--host",
            base,
            "--csv",
            prefix,
            "--only-summary",
            "--loglevel",
            "ERROR",
        ],
        env=dict(os.environ, BENCH_SCENARIO=scenario, BENCH_DATA=str(data_file)),
        capture_output=True,
        text=True,
        check=False,
    )
    with open(f"{prefix}_stats.csv") as f:
        row = next(r for r in csv.DictReader(f) if r["Name"] == scenario)
    return {
        "rps": round(float(row["Requests/s"]), 1),
        "p50_ms": float(row["50%"]),
        "p95_ms": float(row["95%"]),
        "errors": int(row["Failure Count"]),
        "requests": int(row["Request Count"]),
    }


def _warm_up(base: str, data: dict, workers: int) -> None:
    """Each worker's first request of a kind builds what it keeps (the matching index):
    enough requests that every worker has answered each kind before the clock runs."""
    partner = {"Authorization": f"Bearer {data['keys']['partner']}"}
    county = {"Authorization": f"Bearer {data['keys']['county']}"}
    for _ in range(workers * 6):
        _get(f"{base}/api/jobs?limit=20", partner)
        _get(f"{base}/api/feed/snapshot?limit=100", partner)
        _get(f"{base}/api/people/{data['people'][0]}/jobs", county)
        _get(f"{base}/board/", {})
        _get(f"{base}/my/jobs/", {"Cookie": f"sessionid={data['sessions'][0]}"})


def _get(url: str, headers: dict) -> None:
    # (only the loopback URLs built here)
    request = urllib.request.Request(url, headers=headers)  # noqa: S310
    with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310
        response.read()


def _wait_for(base: str) -> None:
    for _ in range(120):
        try:
            _get(f"{base}/api/openapi.json", {})
            return
        except OSError:
            time.sleep(0.5)
    sys.exit("gunicorn did not start")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _flush_redis() -> None:
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()


def _flush_rate_windows() -> None:
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter("*api-rate*"):
        client.delete(key)


def child_setup(people: int, data_file: str, reuse: bool) -> None:
    """In the bench's database: the demo city, the keys, the people to match (each a
    worker account with a session, for the page), the searches."""
    import django

    django.setup()
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from django.db.models import Q

    from apps.accounts.models import Role, User
    from apps.api.tokens import issue
    from apps.jobs.board import open_jobs
    from apps.people.models import LabourStatus, Person

    call_command("migrate", verbosity=0)
    if not reuse:
        call_command("load_reference", stdout=open(os.devnull, "w"))
        call_command(
            "generate_city", region="341282", people=people, seed=1, stdout=open(os.devnull, "w")
        )
    from django.db import connection

    # the planner's statistics and a vacuumed city, as autovacuum leaves them in a running
    # deployment (and so that autovacuum does not start on the new tables mid-run)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
        # and the new city written out now, not by the checkpointer while the clock runs
        cursor.execute("CHECKPOINT")
    partner = User.objects.get(username="demo_platform")
    county = User.objects.get(username="demo_county")
    _, partner_key = issue(
        holder=partner,
        name="bench",
        scopes=["jobs:read", "feed:read"],
        by=None,
        rate_per_minute=10**8,
    )
    _, county_key = issue(
        holder=county, name="bench", scopes=["matching:read"], by=None, rate_per_minute=10**8
    )
    seekers = list(
        Person.objects.filter(labour_status=LabourStatus.UNEMPLOYED, community__isnull=False)
        .filter(Q(user__isnull=True) | Q(user__username__startswith="bench-"))
        .order_by("pk")[:50]
    )
    sessions = []
    for person in seekers:
        user = User.objects.filter(username=f"bench-{person.pk}").first() or (
            User.objects.create_user(f"bench-{person.pk}", role=Role.WORKER, person=person)
        )
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        sessions.append(session.session_key)
    street = "341282001"
    searches = [
        {},
        {"q": "焊工"},
        {"q": "服务员"},
        {"region": "341282"},
        {"region": "界首市"},
        {"region": street},
        {"occupation": "焊工"},
        {"occupation": "4-03"},
        {"kind": "regular", "wage": 4000},
        {"kind": "part_time"},
    ]
    board = [
        {},
        {"q": "焊工"},
        {"q": "服务员"},
        {"area": "341282"},
        {"area": "341282"},
        {"area": street},
        {"occupation": "6-18-02-04"},
        {"occupation": "4-03"},
        {"kind": "regular", "wage": 4000},
        {"kind": "part_time"},
    ]
    count = open_jobs().count()
    Path(data_file).write_text(
        json.dumps(
            {
                "keys": {"partner": partner_key, "county": county_key},
                "people": [p.pk for p in seekers],
                "sessions": sessions,
                "searches": searches,
                "board_searches": board,
                "board_pages": max(1, min(25, count // 20)),
                "open_jobs": count,
            }
        )
    )


if __name__ == "__main__":
    if "--child" in sys.argv:
        people = int(sys.argv[sys.argv.index("--people") + 1])
        child_setup(people, os.environ["BENCH_DATA"], "--reuse" in sys.argv)
    else:
        main()
