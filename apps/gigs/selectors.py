"""Reads of the gig market: the gigs near a worker, a station's day (supply and demand),
the stations of a region with their day's figures, a station's year (the facts beside its
subsidy claim) and a worker's own gigs and earnings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from apps.accounts.models import User
from apps.accounts.scoping import scope_queryset
from apps.people.models import Person
from apps.regions.geo import haversine_km
from apps.regions.models import ServiceStation

from .models import Availability, Gig, Take

NEAR_DAYS = 7  # a worker sees the gigs of this week


def stations_in_scope(user: User) -> QuerySet[ServiceStation]:
    return scope_queryset(
        ServiceStation.objects.filter(kind=ServiceStation.Kind.GIG).select_related("operator"),
        user,
        "region_id",
    )


def with_places(qs: QuerySet[Gig]) -> QuerySet[Gig]:
    return qs.annotate(taken=Count("takes", filter=Q(takes__status__in=Take.LIVE)))


@dataclass
class Near:
    gig: Gig
    km: float | None
    left: int


def gigs_near(person: Person, now: dt.datetime | None = None, limit: int = 50) -> list[Near]:
    """Open gigs of the coming week not begun and not full, nearest first (from where the
    person looks for work, else home), then soonest."""
    now = now or timezone.localtime()
    today = now.date()
    qs = with_places(
        Gig.objects.filter(
            status=Gig.Status.OPEN, day__gte=today, day__lte=today + dt.timedelta(days=NEAR_DAYS)
        )
        .exclude(day=today, starts__lte=now.time())
        .select_related("station", "employer")
    )
    lat, lng = person.search_point
    out = []
    for gig in qs:
        left = gig.headcount - gig.taken
        if left <= 0:
            continue
        km = haversine_km(lat, lng, gig.lat, gig.lng) if None not in (lat, lng) else None
        out.append(Near(gig, km, left))
    out.sort(key=lambda n: (n.gig.day, n.km if n.km is not None else 1e9, n.gig.starts))
    return out[:limit]


def nearest_station(person: Person) -> ServiceStation | None:
    stations = list(ServiceStation.objects.filter(kind=ServiceStation.Kind.GIG))
    lat, lng = person.search_point
    if not stations:
        return None
    if None in (lat, lng):
        return stations[0]
    return min(stations, key=lambda s: haversine_km(lat, lng, s.lat, s.lng))


@dataclass
class DayFigures:
    gigs: int = 0
    demand: int = 0  # people wanted (the gigs' headcounts)
    taken: int = 0  # gigs taken (live takes)
    done: int = 0
    free: int = 0  # workers who reported free at the station
    supply: int = 0  # distinct workers: reported free or took a gig that day


def day_figures(stations: list[ServiceStation], day: dt.date) -> dict[int, DayFigures]:
    """Each station's supply and demand on a day, in three grouped queries."""
    ids = [s.pk for s in stations]
    out = {pk: DayFigures() for pk in ids}
    gigs = (
        Gig.objects.filter(station_id__in=ids, day=day)
        .exclude(status=Gig.Status.CANCELLED)
        .values("station_id")
        .annotate(n=Count("pk"), wanted=Sum("headcount"))
    )
    for row in gigs:
        f = out[row["station_id"]]
        f.gigs, f.demand = row["n"], row["wanted"] or 0
    people: dict[int, set[int]] = {pk: set() for pk in ids}
    takes = Take.objects.filter(gig__station_id__in=ids, gig__day=day, status__in=Take.LIVE)
    for station_id, person_id, status in takes.values_list(
        "gig__station_id", "person_id", "status"
    ):
        out[station_id].taken += 1
        out[station_id].done += status == Take.Status.DONE
        people[station_id].add(person_id)
    free = Availability.objects.filter(station_id__in=ids, day=day)
    for station_id, person_id in free.values_list("station_id", "person_id"):
        out[station_id].free += 1
        people[station_id].add(person_id)
    for pk in ids:
        out[pk].supply = len(people[pk])
    return out


def station_year(station: ServiceStation, year: int) -> dict:
    """What a station did in a year (the facts beside its operator's subsidy claim)."""
    gigs = Gig.objects.filter(station=station, day__year=year).exclude(status=Gig.Status.CANCELLED)
    done = Take.objects.filter(gig__station=station, completed_on__year=year, status="done")
    totals = done.aggregate(paid=Sum("paid"), people=Count("person", distinct=True))
    return {
        "gigs": gigs.count(),
        "wanted": gigs.aggregate(n=Sum("headcount"))["n"] or 0,
        "done": done.count(),
        "people": totals["people"],
        "paid": totals["paid"] or 0,
    }


def takes_of(person: Person) -> QuerySet[Take]:
    return (
        Take.objects.filter(person=person)
        .select_related("gig__station", "gig__employer")
        .order_by("-gig__day", "-gig__starts")
    )
