"""Recruitment fairs in the demo county (generated): last year's and this year's fairs of
each kind (春风行动 in spring, 就业援助月 in January, 金秋招聘月 in autumn, campus and
veterans' fairs, "2+N" themed ones), held by the county and its streets, each with stands of
the county's employers and their jobs, people registered, let in and agreeing with
employers, some hired; a fair today (the door page has people to let in) and two to come.
Fairs and intentions are marked generated; the rest hangs off generated fairs."""

from __future__ import annotations

import datetime as dt
import random
import uuid

from django.db import transaction
from django.utils import timezone

from apps.accounts.scoping import region_prefix_q
from apps.fairs.models import Attendee, CheckIn, Fair, Intention, Stand
from apps.jobs.models import Job
from apps.people.models import Person
from apps.regions.models import Region, RegionLevel

# (month, theme, title, groups)
CALENDAR = [
    (1, "aid_month", "就业援助月专场招聘会", ["hard_to_employ", "zero_employment_family"]),
    (2, "spring", "春风行动暨返乡农民工专场招聘会", ["migrant_worker"]),
    (3, "spring", "春风行动综合招聘会", []),
    (4, "campus", "高校毕业生校园招聘会", ["graduate"]),
    (5, "themed", "“2+N”制造业专场招聘会", []),
    (6, "campus", "离校未就业高校毕业生专场", ["graduate"]),
    (7, "veterans", "退役军人专场招聘会", ["veteran"]),
    (8, "themed", "“2+N”电商直播专场招聘会", []),
    (9, "autumn", "金秋招聘月综合招聘会", []),
    (10, "autumn", "金秋招聘月脱贫劳动力专场", ["poverty_alleviated"]),
    (11, "themed", "“2+N”家政养老专场招聘会", []),
    (12, "general", "岁末综合招聘会", []),
]
VENUES = ["界首市人力资源市场", "界首市文体中心", "东城街道便民服务中心", "西城街道就业服务站"]


def _fair(region: str, day: dt.date, theme: str, title: str, groups, rng) -> Fair:
    return Fair(
        title=f"{title}(演示)",
        theme=theme,
        mode=rng.choice(("on_site",) * 4 + ("both",)),
        region_id=region,
        venue=rng.choice(VENUES),
        held_on=day,
        ends_on=day,
        opens=dt.time(8, 30),
        closes=dt.time(12),
        stands=rng.choice((30, 50, 80)),
        groups=groups,
        generated=True,
    )


@transaction.atomic
def simulate_fairs(county_code: str, *, seed: int, today: dt.date | None = None) -> dict:
    rng = random.Random(seed)
    today = today or timezone.localdate()
    if Fair.objects.filter(region_prefix_q("region_id", county_code)).exists():
        return {}
    streets = list(
        Region.objects.filter(region_prefix_q("code", county_code), level=RegionLevel.TOWNSHIP)
        .order_by("code")
        .values_list("code", flat=True)
    )
    fairs = []
    for year in (today.year - 1, today.year):
        for month, theme, title, groups in CALENDAR:
            # the county's own fair of the month, and several held by its streets
            for n in range(1 if year < today.year else 4):
                day = dt.date(year, month, min(28, 3 + 7 * n + rng.randrange(3)))
                if day >= today:
                    continue
                region = county_code if n == 0 else rng.choice(streets)
                fairs.append(_fair(region, day, theme, title, groups, rng))
    fairs.append(_fair(county_code, today, "general", "今日综合招聘会", [], rng))
    for days, theme, title, groups in (
        (5, "themed", "“2+N”新能源专场招聘会", []),
        (12, "aid_month", "就业援助专场招聘会", ["hard_to_employ"]),
    ):
        day = today + dt.timedelta(days=days)
        fairs.append(_fair(county_code, day, theme, title, groups, rng))
    fairs = Fair.objects.bulk_create(fairs)

    employers = list(
        Job.objects.filter(region_prefix_q("region_id", county_code))
        .values_list("employer_id", "pk")
        .order_by("pk")
    )
    jobs_of: dict[int, list[int]] = {}
    for employer, job in employers:
        jobs_of.setdefault(employer, []).append(job)
    hiring = list(jobs_of)
    people = list(
        Person.objects.filter(
            region_prefix_q("community_id", county_code),
            labour_status__in=("unemployed", "not_working", "employed"),
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    stands, attendees = [], []
    for fair in fairs:
        for number, employer in enumerate(
            rng.sample(hiring, min(len(hiring), rng.randrange(8, 25))), start=1
        ):
            stands.append(Stand(fair=fair, employer_id=employer, number=number))
        for person in rng.sample(people, min(len(people), rng.randrange(40, 120))):
            attendees.append(Attendee(fair=fair, person_id=person))
    stands = Stand.objects.bulk_create(stands)
    Stand.jobs.through.objects.bulk_create(
        Stand.jobs.through(stand_id=s.pk, job_id=j)
        for s in stands
        for j in rng.sample(jobs_of[s.employer_id], min(3, len(jobs_of[s.employer_id])))
    )
    attendees = Attendee.objects.bulk_create(attendees)
    stands_of: dict[int, list[Stand]] = {}
    for s in stands:
        stands_of.setdefault(s.fair_id, []).append(s)
    by_pk = {f.pk: f for f in fairs}
    check_ins, intentions = [], []
    now = timezone.now()  # nobody is let in to today's fair before the time it is
    for a in attendees:
        fair = by_pk[a.fair_id]
        if fair.held_on > today or (fair.held_on == today and rng.random() < 0.6):
            continue  # to come, or still at the door
        at = dt.datetime.combine(fair.held_on, dt.time(8, 30)) + dt.timedelta(
            minutes=rng.randrange(200)
        )
        if fair.on_site and rng.random() < 0.8 and timezone.make_aware(at) <= now:
            check_ins.append(
                CheckIn(
                    attendee=a,
                    key=uuid.UUID(int=rng.getrandbits(128), version=4),
                    method=rng.choice(("qr",) * 4 + ("id",)),
                    scanned_at=timezone.make_aware(at),
                )
            )
        if rng.random() < 0.16 and stands_of.get(fair.pk) and fair.held_on < today:
            for stand in rng.sample(
                stands_of[fair.pk], min(len(stands_of[fair.pk]), rng.choice((1, 1, 2)))
            ):
                hired = fair.held_on + dt.timedelta(days=rng.randrange(3, 20))
                intentions.append(
                    Intention(
                        fair=fair,
                        stand=stand,
                        person_id=a.person_id,
                        reached_on=fair.held_on,
                        hired_on=hired if rng.random() < 0.35 and hired < today else None,
                        generated=True,
                    )
                )
    CheckIn.objects.bulk_create(check_ins)
    Intention.objects.bulk_create(intentions)
    return {
        "招聘会": len(fairs),
        "展位": len(stands),
        "报名": len(attendees),
        "入场": len(check_ins),
        "达成意向": len(intentions),
    }
