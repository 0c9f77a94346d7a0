#!/usr/bin/env python
"""Benchmark matching: worker→jobs top-20 and job→candidates top-50 latency, batch
ranking throughput and index memory, against a naive baseline in the same run.

A generated city (1,700,000 people and 100,000 open jobs; 170,000 and 10,000 with
--quick) is loaded through the import pipeline into a fresh database. The index answers
through the same services the pages call (the person's or job's profile is read from
the database on each query). The baseline is the obvious implementation: an SQL query
for what SQL can filter, then the rules scored row by row in Python.

    python bench/matching.py [--quick] [--engine sqlite|postgresql|both]
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

TARGETS = {
    "worker_to_jobs_p95_ms": 30,
    "job_to_candidates_p95_ms": 50,
    "batch_seekers_per_s": 2000,
    "index_mb": 2048,
    "ratio_vs_baseline": 20,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="170,000 people, 10,000 jobs")
    parser.add_argument("--people", type=int)
    parser.add_argument("--jobs", type=int)
    parser.add_argument("--engine", choices=["sqlite", "postgresql", "both"], default="sqlite")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    people = args.people or (170_000 if args.quick else 1_700_000)
    jobs = args.jobs or (10_000 if args.quick else 100_000)
    if args.child:
        print(json.dumps(run_engine(people, jobs)))
        return
    results, headline = compare(
        __file__, args.engine, ["--people", str(people), "--jobs", str(jobs)], report
    )
    print_summary("matching", headline, TARGETS, results)


def report(engine: str, r: dict) -> None:
    print(
        f"[{engine}] {r['people']:,} people ({r['seekers']:,} seeking), {r['jobs']:,} open "
        f"jobs; index {r['index_mb']:.1f} MB built in {r['index_build_s']:.1f} s\n"
        f"  worker→jobs top-20: p50 {r['worker_to_jobs_p50_ms']:.1f} ms, "
        f"p95 {r['worker_to_jobs_p95_ms']:.1f} ms (baseline p50 "
        f"{r['baseline_worker_to_jobs_p50_ms']:.0f} ms)\n"
        f"  job→candidates top-50: p50 {r['job_to_candidates_p50_ms']:.1f} ms, "
        f"p95 {r['job_to_candidates_p95_ms']:.1f} ms (baseline p50 "
        f"{r['baseline_job_to_candidates_p50_ms']:.0f} ms)\n"
        f"  batch ranking {r['batch_rank_seekers_per_s']:,.0f} seekers/s; "
        f"ratio vs baseline {r['ratio_vs_baseline']:.0f}x",
        flush=True,
    )


def load_city(people: int, jobs: int, places) -> None:
    import datetime as dt

    from apps.demo.generator import CityGenerator
    from apps.demo.services import write_csv
    from apps.imports.registry import get_spec
    from apps.imports.services import create_import, run_import

    gen = CityGenerator("341282", places, 21, dt.date.today(), ["341203"], "界首市")
    employers = gen.employers(max(20, int(jobs / 1.6)))
    tmp = Path(os.environ["JIUYE_VAR_DIR"])
    for kind, rows in (
        ("employers", employers),
        ("jobs", gen.jobs(employers)),
        ("people", gen.people(people)),
    ):
        path = tmp / f"{kind}.csv"
        write_csv(path, rows, [c.header for c in get_spec(kind).columns])
        with path.open("rb") as f:
            job = run_import(create_import(kind=kind, file=f, filename=path.name).pk)
        assert job.status == job.Status.DONE, (kind, job.message)


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def timed(fn, items) -> list[float]:
    out = []
    for item in items:
        t = time.perf_counter()
        fn(item)
        out.append((time.perf_counter() - t) * 1000)
    return out


def run_engine(people: int, jobs: int) -> dict:
    places = setup_county()
    from django.db import connection
    from django.utils import timezone

    from apps.jobs.models import Job
    from apps.matching.index import job_index, seeker_index
    from apps.matching.services import candidates_for_job, jobs_for_person
    from apps.people.models import Person

    load_city(people, jobs, places)
    today = timezone.localdate()
    started = time.perf_counter()
    jix, six = job_index(), seeker_index()
    build_s = time.perf_counter() - started
    rng = random.Random(5)
    seekers = [int(pk) for pk in rng.sample(list(six.view()[0]["pk"]), 300)]
    open_jobs = [int(pk) for pk in rng.sample(list(jix.view()[0]["pk"]), 150)]

    worker_ms = timed(lambda pk: jobs_for_person(person=Person.objects.get(pk=pk), k=20), seekers)
    job_ms = timed(lambda pk: candidates_for_job(job=Job.objects.get(pk=pk), k=50), open_jobs)
    batch_per_s = batch_rank(six, jix, today, 2000)
    push_per_s, push_report = batch_push()
    base_worker = timed(lambda pk: naive_jobs_for_person(pk, today), seekers[:10])
    # The naive candidate search reads every seeker: ~20 s a query at 170,000 people.
    base_job = timed(
        lambda pk: naive_candidates_for_job(pk, today), open_jobs[: 3 if people <= 200_000 else 1]
    )
    ratio = min(
        statistics.median(base_worker) / statistics.median(worker_ms),
        statistics.median(base_job) / statistics.median(job_ms),
    )
    alive_seekers = int(six.view()[1].sum())
    return {
        "engine": connection.vendor,
        "people": people,
        "jobs": int(jix.view()[1].sum()),
        "seekers": alive_seekers,
        "index_mb": round((jix.nbytes + six.nbytes) / 2**20, 1),
        "index_build_s": round(build_s, 2),
        "worker_to_jobs_p50_ms": round(statistics.median(worker_ms), 2),
        "worker_to_jobs_p95_ms": round(percentile(worker_ms, 0.95), 2),
        "job_to_candidates_p50_ms": round(statistics.median(job_ms), 2),
        "job_to_candidates_p95_ms": round(percentile(job_ms, 0.95), 2),
        "batch_rank_seekers_per_s": round(batch_per_s),
        "batch_seekers_per_s": round(push_per_s),
        "batch_push": push_report,
        "baseline_worker_to_jobs_p50_ms": round(statistics.median(base_worker), 1),
        "baseline_job_to_candidates_p50_ms": round(statistics.median(base_job), 1),
        "ratio_vs_baseline": round(ratio, 1),
    }


def batch_push() -> tuple[float, dict]:
    """A real push (精准送岗) to every registered-unemployed person of the county, 3 offers
    each, recorded and sent through the default channel: seekers handled per second."""
    from apps.matching.models import Push
    from apps.matching.push import run_push

    push = Push.objects.create(
        region_prefix="341282", labour_status="unemployed", offers_per_person=3
    )
    started = time.perf_counter()
    push = run_push(push.pk)
    seconds = time.perf_counter() - started
    assert push.status == Push.Status.DONE, push.message
    return push.people / seconds, {
        "people": push.people,
        "offers": push.offers,
        "seconds": round(seconds, 2),
        "offers_per_person": push.report["offers_per_person"],
        "jobs": push.report["jobs"],
    }


def batch_rank(six, jix, today, n: int) -> float:
    """Seekers ranked per second (profiles from the seeker index; only ranking is timed)."""
    from apps.matching.ranking import rank_jobs
    from apps.matching.services import certificates_of

    _, alive = six.view()
    rows = [r for r in range(len(alive)) if alive[r]][:n]
    certificates = certificates_of([int(six.cols["pk"][r]) for r in rows])
    profiles = [six.profile(r, today, certificates.get(int(six.cols["pk"][r]), [])) for r in rows]
    jcols, jalive = jix.view()
    started = time.perf_counter()
    for profile in profiles:
        rank_jobs(profile, jcols, jalive, today, None, 10)
    return len(profiles) / (time.perf_counter() - started)


def naive_jobs_for_person(pk: int, today):
    """SQL for what SQL filters easily, then the rules row by row in Python."""
    from django.db.models import Q

    from apps.jobs.models import Job, JobStatus
    from apps.matching.rules import reference_match
    from apps.matching.services import job_profile, person_profile
    from apps.people.models import Person

    profile = person_profile(Person.objects.get(pk=pk), today)
    qs = Job.objects.filter(status=JobStatus.OPEN, valid_from__lte=today, valid_to__gte=today)
    qs = qs.filter(Q(age_min__isnull=True) | Q(age_min__lte=profile.age))
    qs = qs.filter(Q(age_max__isnull=True) | Q(age_max__gte=profile.age))
    matches = []
    for job in qs.iterator(chunk_size=2000):
        match = reference_match(profile, job_profile(job), today)
        if match is not None:
            matches.append((match.score, job.pk))
    return sorted(matches, reverse=True)[:20]


def naive_candidates_for_job(pk: int, today):
    from django.db.models import Prefetch, Q

    from apps.jobs.models import Job
    from apps.matching.features import (
        age_on,
        groups_mask,
        kinds_mask,
        occupation_levels,
        related_of,
    )
    from apps.matching.index import SEEKING_STATUSES
    from apps.matching.rules import PersonProfile, reference_match
    from apps.matching.services import job_profile
    from apps.people.models import KeyGroupTag, Person
    from apps.taxonomy.models import EDUCATION_RANK

    job = job_profile(Job.objects.get(pk=pk))
    with_wishes = Person.wish_occupations.through.objects.values("person_id")
    qs = Person.objects.filter(Q(labour_status__in=SEEKING_STATUSES) | Q(pk__in=with_wishes))
    qs = qs.prefetch_related(
        "wish_occupations",
        "certificates",
        Prefetch("tags", queryset=KeyGroupTag.objects.filter(end__isnull=True)),
    )
    matches = []
    for p in qs.iterator(chunk_size=2000):
        wishes = [occupation_levels(o.code) for o in p.wish_occupations.all()][:3]
        profile = PersonProfile(
            person_id=p.pk,
            lat=p.lat,
            lng=p.lng,
            age=age_on(p.birth_date, today),
            edu_rank=EDUCATION_RANK.get(p.education, 0),
            wishes=wishes,
            related=related_of(wishes),
            wish_kinds=kinds_mask(p.wish_job_kinds),
            wish_min_wage=p.wish_min_wage,
            wish_max_km=None,
            groups=groups_mask(t.group for t in p.tags.all()),
            certificates=[
                (occupation_levels(c.occupation_id), c.level, c.name)
                for c in p.certificates.all()
                if c.occupation_id
            ],
        )
        match = reference_match(profile, job, today, perspective="job")
        if match is not None:
            matches.append((match.score, p.pk))
    return sorted(matches, reverse=True)[:50]


if __name__ == "__main__":
    main()
