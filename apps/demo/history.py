"""A generated application history for the demo city: who applied where over the last two
months, who was invited, hired or turned down. Every row is marked generated.

The simulated people do not behave exactly as the rules assume (they weigh pay and a
short commute more, employers weigh certificates), so `evaluate_matching` and the
re-ranker have something to find. It is a demonstration of the method, not a finding
about any real labour market. Simulated hires do not fill the jobs: the demo's open jobs
stay open."""

from __future__ import annotations

import datetime as dt

import numpy as np
from django.utils import timezone

from apps.matching.index import job_index, seeker_index
from apps.matching.models import Application
from apps.matching.ranking import rank_jobs_pruned
from apps.matching.services import certificates_of

APPLY_TO = 3  # jobs each simulated person applies to, from the rules' top 30


def simulate_history(*, seed: int, share: float = 0.1, days: int = 60, today=None) -> int:
    """Applications of a random `share` of the seekers, dated over the last `days` days;
    returns how many were written."""
    rng = np.random.default_rng(seed)
    today = today or timezone.localdate()
    seekers, jobs = seeker_index(), job_index()
    with seekers.lock:
        scols, salive = seekers.view()
        rows = np.flatnonzero(salive)
    chosen = np.sort(rng.choice(rows, size=int(len(rows) * share), replace=False))
    pks = scols["pk"][chosen].tolist()
    certificates = certificates_of(pks)
    tz = timezone.get_current_timezone()
    out: list[Application] = []
    with jobs.lock:
        jcols, jalive = jobs.view()
        for row, pk in zip(chosen, pks, strict=True):
            day = today - dt.timedelta(days=int(rng.integers(7, days)))
            profile = seekers.profile(int(row), day, certificates.get(pk, []))
            found, parts = rank_jobs_pruned(profile, jcols, jalive, day, None, 30)
            if len(found) == 0:
                continue
            # People here care about a short commute much more than the rules assume.
            commute = np.nan_to_num(np.exp(-parts["distance_km"] / 1.5), nan=0.0)
            utility = (
                0.15 * parts["occupation"]
                + 0.25 * parts["wage"]
                + 0.6 * commute
                + 0.05 * rng.gumbel(size=len(found))
            )
            hired_once = False
            for rank, i in enumerate(np.argsort(-utility)[:APPLY_TO]):
                created = dt.datetime.combine(day, dt.time(9), tz) + dt.timedelta(
                    hours=int(rng.integers(0, 9))
                )
                employer_view = (
                    0.5 * parts["occupation"][i]
                    + 0.4 * parts["certificate"][i]
                    + rng.normal(0, 0.15)
                )
                application = Application(
                    person_id=pk,
                    job_id=int(jcols["pk"][found[i]]),
                    source=Application.Source.WORKER,
                    stage=Application.Stage.APPLIED,
                    created_at=created,
                    confirmed_at=created,  # the worker applied
                    generated=True,
                )
                if employer_view > 0.3:
                    application.stage = Application.Stage.INTERVIEW
                    application.interview_at = created + dt.timedelta(days=int(rng.integers(1, 3)))
                    if not hired_once and rank == 0 and rng.random() < 0.7:
                        application.stage = Application.Stage.HIRED
                        hired_once = True
                    elif rng.random() < 0.5:
                        application.stage = Application.Stage.REJECTED
                elif rng.random() < 0.5:
                    application.stage = Application.Stage.REJECTED
                if application.stage in (Application.Stage.HIRED, Application.Stage.REJECTED):
                    application.decided_at = created + dt.timedelta(days=int(rng.integers(3, 6)))
                out.append(application)
    Application.objects.bulk_create(out, batch_size=2000, ignore_conflicts=True)
    return len(out)


def simulate_services(*, seed: int, share: float = 0.6, days: int = 120, today=None) -> int:
    """Services staff gave the key groups over the last four months (generated): most
    members got some, fewer got all that was promised, so the promise dashboard has both."""
    import random

    from apps.people.models import KeyGroupTag
    from apps.services.models import ServiceKind, ServiceRecord

    rng = random.Random(seed)
    today = today or timezone.localdate()
    tz = timezone.get_current_timezone()
    kinds = [k for k in ServiceKind.values if k != ServiceKind.PLACEMENT]
    tagged = KeyGroupTag.objects.filter(end__isnull=True).values_list("person_id", flat=True)
    people = sorted(set(tagged))
    records = []
    for pk in people:
        if rng.random() > share:
            continue
        for _ in range(rng.randint(1, 5)):
            day = today - dt.timedelta(days=rng.randrange(1, days))
            records.append(
                ServiceRecord(
                    person_id=pk,
                    kind=rng.choice(kinds),
                    at=dt.datetime.combine(day, dt.time(9 + rng.randrange(8)), tz),
                    outcome="演示生成",
                    generated=True,
                )
            )
    ServiceRecord.objects.bulk_create(records, batch_size=2000)
    return len(records)


def simulate_registrations(county_code: str, *, seed: int, today=None) -> int:
    """Employment and unemployment registrations (就业登记/失业登记) behind the people's
    current labour status, so the indicators have dated events (generated): the people in
    work registered on the day their status began, a third of those who started in the
    last three years came out of registered unemployment (closed "就业" that day), and
    half of the unemployed lost a registered job the day they became unemployed. People
    who already hold a registration are left as they are. Returns how many were written."""
    import random

    from apps.accounts.scoping import region_prefix_q
    from apps.employers.models import Employer
    from apps.imports.specs import insert_rows
    from apps.people.models import LabourStatus, Person, Registration, StatusChange

    rng = random.Random(seed)
    today = today or timezone.localdate()
    recent = today - dt.timedelta(days=3 * 365)
    employers = list(
        Employer.objects.filter(region_prefix_q("region_id", county_code)).values_list(
            "pk", flat=True
        )
    )
    registered = set(Registration.objects.values_list("person_id", flat=True))
    people = (
        Person.objects.filter(
            region_prefix_q("community_id", county_code),
            labour_status__in=[
                LabourStatus.EMPLOYED,
                LabourStatus.FLEXIBLE,
                LabourStatus.UNEMPLOYED,
            ],
        )
        .exclude(pk__in=registered)
        .values_list("pk", "community_id", "labour_status", "status_since")
        .order_by("pk")
    )
    registrations, changes = [], []

    def registration(pk, community, kind, start, end=None, reason=""):
        registrations.append(
            {
                "person_id": pk,
                "kind": kind,
                "registered_on": start,
                "office_id": community,
                "basis": "residence" if kind == "unemployment" else "",
                "employer_id": rng.choice(employers)
                if kind == "employment" and employers
                else None,
                "channel": rng.choice(("counter", "online")),
                "ended_on": end,
                "end_reason": reason,
                "recorded_by_id": None,
            }
        )

    for pk, community, status, since in people:
        if status == LabourStatus.UNEMPLOYED:
            registration(pk, community, "unemployment", since)
            if rng.random() < 0.5:
                worked = since - dt.timedelta(days=rng.randint(365, 5 * 365))
                registration(
                    pk,
                    community,
                    "employment",
                    worked,
                    since,
                    rng.choice(("合同到期", "解除劳动合同")),
                )
                changes.append({"person_id": pk, "status": "employed", "since": worked})
            continue
        kind = "employment" if status == LabourStatus.EMPLOYED else "flexible"
        registration(pk, community, kind, since)
        if since >= recent and rng.random() < 1 / 3:
            lost = since - dt.timedelta(days=rng.randint(30, 270))
            registration(pk, community, "unemployment", lost, since, "就业")
            changes.append({"person_id": pk, "status": "unemployed", "since": lost})
    for k in range(0, len(registrations), 20_000):
        insert_rows(Registration, registrations[k : k + 20_000])
    rows = [{**c, "note": "演示生成", "recorded_by_id": None} for c in changes]
    for k in range(0, len(rows), 20_000):
        insert_rows(StatusChange, rows[k : k + 20_000])
    return len(registrations)
