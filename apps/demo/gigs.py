"""Day labour at the demo county's gig stations (generated): the last 60 days and the coming
week of day jobs posted by employers and households, taken, finished and paid (or not
come), and the workers reporting free each morning. Gigs and takes are marked generated."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from apps.accounts.scoping import region_prefix_q
from apps.employers.models import Employer
from apps.gigs.models import Availability, Gig, Take
from apps.people.models import Person
from apps.regions.models import ServiceStation

TASKS = [
    ("搬运装卸", "day", (150, 260)),
    ("家庭保洁", "hour", (25, 40)),
    ("农忙采摘", "day", (120, 180)),
    ("装修小工", "day", (180, 280)),
    ("门店促销", "day", (120, 160)),
    ("快递分拣", "piece", (1, 2)),
    ("红白事帮厨", "day", (200, 300)),
    ("绿化养护", "day", (140, 200)),
]
HOUSEHOLDS = ["王女士", "李先生", "张大姐", "刘师傅", "陈阿姨", "赵先生"]


@transaction.atomic
def simulate_gigs(county_code: str, *, seed: int, today: dt.date | None = None) -> dict:
    rng = random.Random(seed)
    today = today or timezone.localdate()
    stations = list(
        ServiceStation.objects.filter(
            region_prefix_q("region_id", county_code), kind=ServiceStation.Kind.GIG
        ).order_by("code")
    )
    if not stations or Gig.objects.filter(station__in=stations).exists():
        return {}
    employers = list(
        Employer.objects.filter(region_prefix_q("region_id", county_code))
        .order_by("pk")
        .values_list("pk", flat=True)[:200]
    )
    workers = list(
        Person.objects.filter(
            region_prefix_q("community_id", county_code),
            labour_status__in=("unemployed", "flexible"),
        )
        .order_by("pk")
        .values_list("pk", flat=True)[:600]
    )
    if not workers:
        return {}
    gigs = []
    for offset in range(-60, 8):
        day = today + dt.timedelta(days=offset)
        for station in stations:
            for _ in range(rng.randrange(2, 7)):
                task, unit, (lo, hi) = rng.choice(TASKS)
                by_employer = employers and rng.random() < 0.5
                starts = dt.time(rng.choice((6, 7, 8, 9, 13)))
                gigs.append(
                    Gig(
                        station=station,
                        employer_id=rng.choice(employers) if by_employer else None,
                        poster_name="" if by_employer else rng.choice(HOUSEHOLDS),
                        poster_phone="" if by_employer else f"139{rng.randrange(10**8):08d}",
                        task=f"{task}(演示)",
                        place=f"{station.name}附近",
                        lat=station.lat,
                        lng=station.lng,
                        day=day,
                        starts=starts,
                        ends=dt.time(min(starts.hour + rng.choice((4, 8, 9)), 21)),
                        pay=Decimal(rng.randrange(lo, hi + 1)),
                        pay_unit=unit,
                        headcount=rng.choice((1, 1, 2, 3, 5)),
                        status="closed" if day < today else "open",
                        generated=True,
                    )
                )
    gigs = Gig.objects.bulk_create(gigs)
    takes, free = [], []
    busy: set[tuple[int, dt.date]] = set()
    for gig in gigs:
        for _ in range(gig.headcount if gig.day < today else rng.randrange(gig.headcount + 1)):
            person = rng.choice(workers)
            if (person, gig.day) in busy:
                continue
            busy.add((person, gig.day))
            if gig.day >= today:
                takes.append(Take(gig=gig, person_id=person, generated=True))
                continue
            came = rng.random() < 0.9
            days = {
                "day": 1,
                "hour": gig.ends.hour - gig.starts.hour,
                "piece": rng.randrange(80, 300),
            }
            takes.append(
                Take(
                    gig=gig,
                    person_id=person,
                    status="done" if came else "no_show",
                    arrived_at=timezone.make_aware(dt.datetime.combine(gig.day, gig.starts))
                    if came
                    else None,
                    completed_on=gig.day if came else None,
                    paid=gig.pay * days[gig.pay_unit] if came else None,
                    generated=True,
                )
            )
    for offset in range(-60, 1):
        day = today + dt.timedelta(days=offset)
        for person in rng.sample(workers, min(len(workers), rng.randrange(5, 20))):
            if (person, day) not in busy:
                free.append(Availability(station=rng.choice(stations), person_id=person, day=day))
    Take.objects.bulk_create(takes)
    Availability.objects.bulk_create(free, ignore_conflicts=True)
    return {"零工需求": len(gigs), "接单": len(takes), "驿站报到": len(free)}
