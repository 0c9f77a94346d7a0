"""Generated facts the subsidy rules read beyond what the people import carries, for the
demo city and the eligibility benchmark: graduation years, low-income families, first
businesses, certificates obtained this year, hard-to-employ people taken on by employers,
interns and temporary special posts, employers' yearly figures, apprentices, a certified
gig station, certified full-employment communities and the fund's budgets. All of it is a
demonstration (the regions are marked generated), written in bulk."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from decimal import Decimal

from django.db import transaction

from apps.accounts.scoping import region_prefix_q
from apps.employers.models import Employer
from apps.imports.specs import insert_rows
from apps.jobs.models import Job
from apps.matching.models import Application
from apps.people.models import Certificate, KeyGroupTag, LabourStatus, Person, Registration
from apps.policies.models import (
    Apprenticeship,
    CommunityCertification,
    EmployerYear,
    FundBudget,
)
from apps.regions.models import Region, RegionLevel, ServiceStation

COLLEGE = ("10", "20", "30")
CHUNK = 20_000


def _chunks(rows):
    for k in range(0, len(rows), CHUNK):
        yield rows[k : k + CHUNK]


def _day(rng: random.Random, year: int, last: dt.date) -> dt.date:
    first = dt.date(year, 1, 1)
    return first + dt.timedelta(days=rng.randrange(max(1, (last - first).days + 1)))


@transaction.atomic
def simulate_policy_facts(county_code: str, *, year: int, seed: int, today=None) -> dict:
    """Write the facts for `year` in the county; returns counts of what was written."""
    rng = random.Random(seed)
    today = today or dt.date(year, 12, 31)
    in_county = region_prefix_q("community_id", county_code)
    out = {}

    # College graduates: the year they left, by age (about 22 for a bachelor).
    people = list(
        Person.objects.filter(in_county, education__in=COLLEGE).values_list(
            "pk", "birth_date", "education"
        )
    )
    graduated = {}  # person → graduation year, in the people's order
    for pk, born, education in people:
        finished = born.year + {"10": 25, "20": 22, "30": 21}[education] + rng.choice((0, 0, 1))
        if finished <= year + 1:
            graduated[pk] = finished
    by_year = defaultdict(list)
    for pk, finished in graduated.items():
        by_year[finished].append(pk)
    for finished, pks in by_year.items():  # one UPDATE per year and chunk
        for part in _chunks(pks):
            Person.objects.filter(pk__in=part).update(graduation_year=finished)
    out["graduates"] = len(graduated)

    # Low-income families (城乡低保): about 3% of households' members among graduates and 1%
    # of everyone else.
    graduating = [pk for pk, finished in graduated.items() if finished == year]
    everyone = list(Person.objects.filter(in_county).values_list("pk", flat=True))
    low = set(rng.sample(graduating, len(graduating) // 8)) | set(
        rng.sample(everyone, len(everyone) // 100)
    )
    low -= set(
        KeyGroupTag.objects.filter(
            region_prefix_q("person__community_id", county_code), group="low_income"
        ).values_list("person_id", flat=True)
    )
    tags = [
        {
            "person_id": pk,
            "group": "low_income",
            "start": dt.date(year - 1, 7, 1),
            "end": None,
            "detail": "演示生成",
        }
        for pk in sorted(low)
    ]
    for part in _chunks(tags):
        insert_rows(KeyGroupTag, part)
    out["low_income"] = len(tags)

    # First businesses: a few recent graduates found one of the county's employers.
    employers = list(
        Employer.objects.filter(region_prefix_q("region_id", county_code)).values_list(
            "pk", "employees"
        )
    )
    founders = [pk for pk, finished in graduated.items() if year - 6 <= finished <= year]
    chosen = rng.sample(employers, min(len(employers) // 20, len(founders)))
    firms = []
    for (pk, _), founder in zip(chosen, rng.sample(founders, len(chosen)), strict=True):
        firms.append(Employer(pk=pk, founder_id=founder, founded_on=_day(rng, year - 1, today)))
    for part in _chunks(firms):
        Employer.objects.bulk_update(part, ["founder", "founded_on"])
    out["founders"] = len(firms)

    # Certificates obtained this year after training.
    certificates = list(
        Certificate.objects.filter(
            region_prefix_q("person__community_id", county_code)
        ).values_list("pk", flat=True)
    )
    recent = rng.sample(certificates, len(certificates) // 5)
    for part in _chunks(recent):
        Certificate.objects.filter(pk__in=part).update(issued_on=_day(rng, year, today))
    out["certificates_this_year"] = len(recent)

    # Hard-to-employ people taken on by employers (就业登记 with the employer).
    hard = list(
        KeyGroupTag.objects.filter(
            region_prefix_q("person__community_id", county_code), group="hard_to_employ"
        )
        .values_list("person_id", flat=True)
        .distinct()
    )
    taken = rng.sample(hard, len(hard) // 4)
    busy = set(
        Registration.objects.filter(
            person_id__in=taken, kind=Registration.Kind.EMPLOYMENT, ended_on__isnull=True
        ).values_list("person_id", flat=True)
    )
    community = dict(Person.objects.filter(pk__in=taken).values_list("pk", "community_id"))
    registrations = []
    for pk in taken:
        if pk in busy or not employers:
            continue
        start = _day(rng, year - rng.choice((0, 0, 1, 2)), today)
        registrations.append(
            {
                "person_id": pk,
                "kind": "employment",
                "registered_on": start,
                "office_id": community[pk],
                "basis": "",
                "employer_id": rng.choice(employers)[0],
                "channel": "counter",
                "ended_on": None,
                "end_reason": "",
                "recorded_by_id": None,
            }
        )
    for part in _chunks(registrations):
        insert_rows(Registration, part)
        Person.objects.filter(pk__in=[r["person_id"] for r in part]).update(
            labour_status=LabourStatus.EMPLOYED
        )
    out["hard_to_employ_hired"] = len(registrations)

    # Interns and temporary special posts: hires into such jobs this year.
    hires = []
    for kind, share in (("internship", 0.5), ("temporary_special", 0.3)):
        jobs = list(
            Job.objects.filter(region_prefix_q("region_id", county_code), kind=kind).values_list(
                "pk", flat=True
            )
        )
        if not jobs:
            continue
        seekers = rng.sample(everyone, min(len(everyone) // 400, int(len(jobs) * 3 * share)))
        for pk in seekers:
            hires.append(
                {
                    "person_id": pk,
                    "job_id": rng.choice(jobs),
                    "source": "staff",
                    "stage": "hired",
                    "created_at": dt.datetime.combine(_day(rng, year, today), dt.time(9), dt.UTC),
                    "interview_at": None,
                    "decided_at": None,
                    "created_by_id": None,
                    "note": "演示生成",
                    "generated": True,
                }
            )
    for h in hires:
        h["decided_at"] = h["created_at"] + dt.timedelta(days=rng.randrange(1, 20))
    seen = set(Application.objects.values_list("person_id", "job_id"))
    hires = [h for h in hires if (h["person_id"], h["job_id"]) not in seen]
    unique = {(h["person_id"], h["job_id"]): h for h in hires}
    for part in _chunks(list(unique.values())):
        insert_rows(Application, part)
    out["special_hires"] = len(unique)

    # Employers' yearly figures; some stopped by a lockdown, some cut staff.
    figures = []
    for pk, employees in employers:
        start = max(1, employees)
        end = start - int(start * rng.choice((0, 0, 0, 0.03, 0.05, 0.08, 0.2)))
        figures.append(
            {
                "employer_id": pk,
                "year": year,
                "insured_employees": end,
                "headcount_start": start,
                "headcount_end": end,
                "stopped_by_epidemic": rng.random() < 0.1,
                "lockdown_days": rng.choice((0, 0, 5, 7, 10, 14)),
            }
        )
    EmployerYear.objects.filter(year=year, employer_id__in=[e[0] for e in employers]).delete()
    for part in _chunks(figures):
        insert_rows(EmployerYear, part)
    out["employer_years"] = len(figures)

    # Apprentices in about 2% of the employers.
    apprentices = []
    training = set(
        Apprenticeship.objects.filter(start__year=year).values_list("employer_id", flat=True)
    )
    for pk, _ in rng.sample(employers, len(employers) // 50):
        if pk in training:
            continue
        for person in rng.sample(everyone, rng.randint(1, 4)):
            apprentices.append(
                {
                    "employer_id": pk,
                    "person_id": person,
                    "level": rng.choice(("intermediate", "intermediate", "senior")),
                    "start": dt.date(year, 3, 1),
                    "end": dt.date(year + 1, 2, 28),
                }
            )
    for part in _chunks(apprentices):
        insert_rows(Apprenticeship, part)
    out["apprentices"] = len(apprentices)

    # The county's gig station, certified this year and run by one of its employers.
    if employers:
        ServiceStation.objects.filter(
            region_prefix_q("region_id", county_code), kind=ServiceStation.Kind.GIG
        ).update(
            operator_id=employers[0][0],
            certified_on=dt.date(year, 4, 1),
            subsidy_claimed=180000,  # what its operator claimed (004: 不超过20万元)
        )

    out["welfare_placements"] = _place_in_welfare_posts(county_code, year, rng, today)

    # Full-employment communities: about 40% certified (002's 2022 target).
    communities = list(
        Region.objects.filter(
            region_prefix_q("code", county_code), level=RegionLevel.COMMUNITY
        ).values_list("code", flat=True)
    )
    certified = rng.sample(communities, int(len(communities) * 0.4))
    CommunityCertification.objects.bulk_create(
        [
            CommunityCertification(community_id=c, year=year, certified_on=dt.date(year, 6, 30))
            for c in certified
        ],
        ignore_conflicts=True,
    )
    out["certified_communities"] = len(certified)

    return out


def set_budgets(county_code: str, year: int, *, seed: int) -> int:
    """The county's budgets of the year by policy (generated): what the demo's workflow
    paid and approved, and a margin, rounded up to ¥100,000; none is overspent."""
    import math

    from apps.policies.rules.system import system_for
    from apps.policies.selectors import funds
    from apps.policies.sweeps import policies_in_force

    rng = random.Random(seed)
    report = funds(county_code, year)
    used = defaultdict(Decimal)
    for row in report["rows"]:
        used[row["policy"]] += row["paid"] + row["committed"]
    budgets = [
        FundBudget(
            year=year,
            region_id=county_code,
            policy=spec.code,
            amount=Decimal(
                max(1, math.ceil(float(used[spec.code]) * rng.uniform(1.2, 1.6) / 100_000))
                * 100_000
            ),
        )
        for spec in policies_in_force(system_for(county_code), year)
    ]
    FundBudget.objects.bulk_create(budgets, ignore_conflicts=True)
    return len(budgets)


def simulate_claims(county_code: str, *, seed: int, log=print) -> int:
    """A year of the subsidy workflow in the demo county, so its pages are not empty: a
    sweep; about two thirds of what it found applied for through the one-action path; the
    county's clerk reviews first and the city's second (a few are turned down); most of
    the approved are paid in monthly batches. Every application is marked generated.
    Needs the demo logins. Returns how many applications were made."""
    from django.utils import timezone

    from apps.accounts.models import User
    from apps.policies.models import SubsidyApplication
    from apps.policies.services import (
        PolicyError,
        apply_from_entitlement,
        create_batch,
        pay_batch,
        review,
    )
    from apps.policies.sweeps import create_sweep, run_sweep

    rng = random.Random(seed)
    today = timezone.localdate()
    first = User.objects.filter(username="demo_county").first()
    second = (
        User.objects.filter(username="demo_city").first()
        or User.objects.filter(username="demo_admin").first()
    )
    if first is None or second is None:
        return 0
    sweep = run_sweep(create_sweep(user=first, region_prefix=county_code, year=today.year).pk)
    found = list(sweep.entitlements.all())
    made = []
    for entitlement in rng.sample(found, len(found) * 2 // 3):
        try:
            made.append(apply_from_entitlement(entitlement, first))
        except PolicyError:
            continue
    SubsidyApplication.objects.filter(pk__in=[a.pk for a in made]).update(generated=True)
    approved = []
    for application in made:
        step = rng.random()
        if step < 0.15:
            continue  # still waiting for the first review
        if step < 0.2:
            review(
                application.pk,
                user=first,
                approve=False,
                seen="submitted",
                note="材料不全(演示生成)",
            )
            continue
        review(application.pk, user=first, approve=True, seen="submitted")
        if step < 0.3:
            continue  # waiting for the second review
        review(application.pk, user=second, approve=True, seen="first_approved")
        approved.append(application.pk)
    months = max(1, today.month - 1)
    to_pay = approved[: len(approved) * 4 // 5]
    for k in range(months):
        part = to_pay[k * len(to_pay) // months : (k + 1) * len(to_pay) // months]
        if part:
            batch = create_batch(user=first, application_ids=part, region_prefix=county_code)
            paid_on = min(dt.date(today.year, k + 1, 25), today)
            pay_batch(batch, user=first, paid_on=paid_on, reference=f"DEMO-{today.year}{k + 1:02d}")
    log(f"补贴申请(演示生成): {len(made)} 条,已审核 {len(approved)} 条,已支付 {len(to_pay)} 条")
    set_budgets(county_code, today.year, seed=seed)
    return len(made)


def _place_in_welfare_posts(county_code: str, year: int, rng, today: dt.date) -> int:
    """Public-welfare posts (公益性岗位) developed this year hold hard-to-employ people
    and members of zero-employment families (generated): about two thirds of the
    openings filled, each placement registering employment with the post's employer."""
    from apps.jobs.models import Job, WelfarePlacement
    from apps.people.models import KeyGroupTag, LabourStatus, Registration

    posts = list(
        Job.objects.filter(
            region_prefix_q("region_id", county_code),
            kind="public_welfare",
            valid_from__year=year,
        ).values_list("pk", "employer_id", "headcount")
    )
    openings = [(pk, employer) for pk, employer, n in posts for _ in range(n)]
    rng.shuffle(openings)
    held = set(
        WelfarePlacement.objects.filter(exited_on__isnull=True).values_list("person_id", flat=True)
    )
    eligible = list(
        KeyGroupTag.objects.filter(
            region_prefix_q("person__community_id", county_code),
            group__in=["hard_to_employ", "zero_employment_family"],
            end__isnull=True,
            person__labour_status=LabourStatus.UNEMPLOYED,
        )
        .exclude(person_id__in=held)
        .values_list("person_id", "person__community_id")
        .distinct()
    )
    rng.shuffle(eligible)
    placements, registrations = [], []
    for (job, employer), (person, community) in zip(
        openings[: len(openings) * 2 // 3], eligible, strict=False
    ):
        start = _day(rng, year, today)
        placements.append(
            WelfarePlacement(
                job_id=job, person_id=person, start=start, end=start + dt.timedelta(days=364)
            )
        )
        registrations.append(
            {
                "person_id": person,
                "kind": "employment",
                "registered_on": start,
                "office_id": community,
                "basis": "",
                "employer_id": employer,
                "channel": "counter",
                "ended_on": None,
                "end_reason": "",
                "recorded_by_id": None,
            }
        )
    WelfarePlacement.objects.bulk_create(placements)
    for part in _chunks(registrations):
        insert_rows(Registration, part)
    Person.objects.filter(pk__in=[p.person_id for p in placements]).update(
        labour_status=LabourStatus.EMPLOYED
    )
    return len(placements)
