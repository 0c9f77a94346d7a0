"""What every benchmark here shares: each engine gets a fresh database and runs the
measurement in a child process (``--child``), whose last stdout line is a JSON object;
the parent collects them. Also the common set-up of a demo county inside that database."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_BENCH_URL = os.environ.get(
    "BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/jiuye_bench"
)


def run_engines(
    script: str, engines: list[str], child_args: list[str], report, reuse: bool = False
) -> dict:
    """Run ``script --child child_args`` once per engine on a fresh database (with
    ``reuse``, PostgreSQL's database as an earlier run left it)."""
    results = {}
    with tempfile.TemporaryDirectory(prefix="jiuye-bench-") as tmp:
        for engine in engines:
            env = dict(
                os.environ,
                JIUYE_VAR_DIR=tmp,
                MEDIA_ROOT=f"{tmp}/media",
                PYTHONPATH=str(ROOT),
                DJANGO_SETTINGS_MODULE="jiuye.settings",
                BACKGROUND_RUNNER="inline",
                LOG_LEVEL="WARNING",
            )
            if engine == "postgresql":
                if not reuse:
                    recreate_pg_database(PG_BENCH_URL)
                env["DATABASE_URL"] = PG_BENCH_URL
            else:
                env["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
            done = subprocess.run(
                [sys.executable, script, "--child", *child_args],
                env=env,
                capture_output=True,
                text=True,
            )
            if done.returncode:
                sys.exit(f"[{engine}] failed:\n{done.stderr[-3000:]}")
            results[engine] = json.loads(done.stdout.strip().splitlines()[-1])
            report(engine, results[engine])
    return results


def compare(
    script: str, engine: str, child_args: list[str], report, reuse: bool = False
) -> tuple[dict, dict]:
    """Run a benchmark on the engine asked for ("both": SQLite then PostgreSQL); returns
    every engine's figures and the headline ones (PostgreSQL's when it ran)."""
    engines = ["sqlite", "postgresql"] if engine == "both" else [engine]
    if reuse and engines != ["postgresql"]:
        sys.exit("--reuse measures PostgreSQL's database only")
    results = run_engines(script, engines, child_args, report, reuse)
    return results, results.get("postgresql") or results[engines[0]]


def print_summary(name: str, headline: dict, targets: dict, results: dict) -> None:
    """The last line every benchmark prints: one JSON object of its figures."""
    print(
        json.dumps(
            {"benchmark": name, **headline, "targets": targets, "engines": results},
            ensure_ascii=False,
        )
    )


def recreate_pg_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def setup_county(code: str = "341282"):
    """Migrate, load the reference data and place the county's communities; returns them."""
    import django

    django.setup()
    from django.core.management import call_command

    from apps.demo.services import get_county, place_communities

    call_command("migrate", verbosity=0)
    call_command("load_reference", stdout=open(os.devnull, "w"))
    return place_communities(get_county(code), seed=1)
