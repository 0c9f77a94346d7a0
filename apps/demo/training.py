"""Training in the demo county (generated): a technical school, a public training base
and an enterprise that trains and evaluates its own staff, each approved for occupations
the county's employers are hiring for; classes finished over the last two years and
classes open now; enrolments with attendance, completions and the certificates the
evaluating institutions issued (signed like any other); the year's vouchers by rule, some
used. Every row is marked generated."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter

from django.db import transaction
from django.utils import timezone

from apps.accounts.scoping import region_prefix_q
from apps.employers.models import Employer
from apps.jobs.models import Job
from apps.people.models import Certificate, KeyGroupTag, Person
from apps.regions.models import Region, RegionLevel
from apps.training.models import (
    Approval,
    Attendance,
    Course,
    Enrolment,
    Evaluation,
    Institution,
    Voucher,
)
from apps.training.services import VOUCHER_DAYS, certificate_number, training_group

KINDS = (
    (Institution.Kind.TECHNICAL_SCHOOL, True),
    (Institution.Kind.PUBLIC_BASE, True),
    (Institution.Kind.ENTERPRISE, True),
)


@transaction.atomic
def simulate_training(county_code: str, *, seed: int, today=None) -> dict:
    rng = random.Random(seed)
    today = today or timezone.localdate()
    if Institution.objects.filter(region_prefix_q("employer__region_id", county_code)).exists():
        return {}
    hiring = Counter(
        Job.objects.filter(
            region_prefix_q("region_id", county_code), occupation__level=4
        ).values_list("occupation_id", flat=True)
    )
    occupations = [code for code, _ in hiring.most_common(8)]
    employers = list(
        Employer.objects.filter(region_prefix_q("region_id", county_code)).order_by("-employees")[
            :3
        ]
    )
    communities = list(
        Region.objects.filter(region_prefix_q("code", county_code), level=RegionLevel.COMMUNITY)
        .order_by("code")
        .values_list("code", flat=True)
    )
    if not occupations or len(employers) < 3 or not communities:
        return {}
    institutions = []
    for employer, (kind, evaluates) in zip(employers, KINDS, strict=True):
        inst = Institution.objects.create(
            employer=employer,
            kind=kind,
            may_evaluate=evaluates,
            approved_on=today - dt.timedelta(days=3 * 365),
            address=employer.address,
            generated=True,
        )
        Approval.objects.bulk_create(
            Approval(institution=inst, occupation_id=code, top_level=rng.choice((2, 3, 3, 4)))
            for code in occupations
        )
        institutions.append(inst)
    people = list(
        Person.objects.filter(region_prefix_q("community_id", county_code))
        .exclude(labour_status__in=("retired", "student"))
        .values_list("pk", flat=True)
    )
    migrants = set(
        KeyGroupTag.objects.filter(
            region_prefix_q("person__community_id", county_code), group="migrant_worker"
        ).values_list("person_id", flat=True)
    )
    scale = max(2, len(people) // 400)  # classes per year: one per 400 people, at least two
    courses, counts, issued = [], Counter(), []
    for k in range(scale * 2 + max(2, scale // 3)):
        inst = institutions[k % len(institutions)]
        finished = k < scale * 2
        start = (
            today - dt.timedelta(days=rng.randrange(40, 720))
            if finished
            else today + dt.timedelta(days=rng.randrange(-5, 40))
        )
        startup = rng.random() < 0.12
        code = rng.choice(occupations)
        top = inst.approvals.get(occupation_id=code).top_level
        level = None if startup else rng.randint(top, 5)
        course = Course.objects.create(
            institution=inst,
            title=("创业培训(SYB)班" if startup else f"{_name(code)}({_level(level)})培训班"),
            kind=Course.Kind.STARTUP if startup else rng.choice(("skill", "skill", "upgrade")),
            occupation_id=None if startup else code,
            level=level,
            start=start,
            end=start + dt.timedelta(days=rng.randrange(10, 45)),
            hours=rng.choice((40, 60, 80, 120)),
            community_id=rng.choice(communities),
            capacity=rng.choice((20, 30, 40)),
            subsidised=rng.random() < 0.85,
            groups=["migrant_worker"] if rng.random() < 0.15 else [],
            generated=True,
        )
        courses.append(course)
        counts["courses"] += 1
        pool = sorted(migrants) if course.groups else people
        taken = rng.sample(pool, min(len(pool), rng.randint(course.capacity // 2, course.capacity)))
        done = finished and course.end <= today
        rows = []
        for pk in taken:
            passed = rng.random() < 0.85
            rows.append(
                Enrolment(
                    course=course,
                    person_id=pk,
                    channel=rng.choice(("self", "staff", "staff")),
                    enrolled_on=min(start - dt.timedelta(days=rng.randrange(1, 20)), today),
                    status=("completed" if passed else "failed") if done else "enrolled",
                    completed_on=course.end if done else None,
                    generated=True,
                )
            )
        # in bulk (no signals): generate_city builds the indicators' cells afresh after
        Enrolment.objects.bulk_create(rows)
        counts["enrolments"] += len(rows)
        weeks = range(0, (course.end - start).days + 1, 7)
        Attendance.objects.bulk_create(
            Attendance(enrolment=e, day=day, present=rng.random() < 0.92)
            for e in rows
            for day in (start + dt.timedelta(days=d) for d in weeks)
            if day <= today
        )
        if done and course.level and inst.may_evaluate:
            issued.extend((e, inst) for e in rows if e.status == "completed")
        counts["completed"] += sum(e.status != "enrolled" for e in rows)
    # the certificates the evaluating institutions issued, once per person and level
    held = set(Certificate.objects.values_list("person_id", "name", "level"))
    certificates, evaluations = [], []
    for e, inst in issued:
        name = _name(e.course.occupation_id)
        if (e.person_id, name, e.course.level) in held:
            continue
        held.add((e.person_id, name, e.course.level))
        certificates.append(
            Certificate(
                person_id=e.person_id,
                occupation_id=e.course.occupation_id,
                name=name,
                level=e.course.level,
                issued_on=e.completed_on,
                issuer=inst.employer.name,
                kind=Certificate.Kind.SKILL_LEVEL,
            )
        )
        evaluations.append((e, inst))
    Certificate.objects.bulk_create(certificates)
    for cert, (_, inst) in zip(certificates, evaluations, strict=True):
        cert.number = certificate_number(cert, inst)
    Certificate.objects.bulk_update(certificates, ["number"], batch_size=1000)
    Evaluation.objects.bulk_create(
        Evaluation(certificate=cert, institution=inst, enrolment=e)
        for cert, (e, inst) in zip(certificates, evaluations, strict=True)
    )
    counts["certificates"] = len(certificates)
    # the year's vouchers by the training subsidy's rule, some already used
    group = training_group(county_code, today.year)
    vouchers = [
        Voucher(
            code=f"DM{pk:08d}",
            person_id=pk,
            year=today.year,
            issued_on=today,
            expires_on=today + dt.timedelta(days=VOUCHER_DAYS),
            basis=reasons,
            generated=True,
        )
        for pk, reasons in group.items()
    ]
    Voucher.objects.bulk_create(vouchers, batch_size=2000)
    counts["vouchers"] = len(vouchers)
    return dict(counts)


def _name(code: str) -> str:
    from apps.taxonomy.models import Occupation

    return Occupation.objects.filter(code=code).values_list("name", flat=True).first() or code


def _level(level: int | None) -> str:
    from apps.taxonomy.models import SkillLevel

    return SkillLevel(level).label.split("/")[1] if level else ""
