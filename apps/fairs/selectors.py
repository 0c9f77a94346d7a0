"""Reads of the recruitment fairs: the fairs a worker can go to (their groups' first),
the stands that suit them ranked by the matching they already have, a fair's summary and
the year's count against the plans' targets."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum

from apps.accounts.models import User
from apps.accounts.scoping import scope_queryset
from apps.people.models import KeyGroup, Person
from apps.people.selectors import groups_on

from .models import Attendee, Fair, Intention, Stand


def fairs_in_scope(user: User) -> QuerySet[Fair]:
    """The fairs a member of staff or a leader holds: those of their region."""
    return scope_queryset(Fair.objects.select_related("region"), user, "region_id")


def coming_fairs(today: dt.date) -> QuerySet[Fair]:
    """Fairs not cancelled and not over: what anyone may see and sign up for."""
    return (
        Fair.objects.filter(cancelled=False, ends_on__gte=today)
        .select_related("region")
        .annotate(booked=Count("stand_set", distinct=True))
        .order_by("held_on", "pk")
    )


def fairs_for(person: Person, today: dt.date) -> list[Fair]:
    """The coming fairs, those for the person's groups first, then the nearest in time."""
    groups = groups_on(person, today)
    fairs = list(coming_fairs(today))
    for fair in fairs:
        fair.for_you = bool(fair.groups) and bool(groups & set(fair.groups))
    return sorted(fairs, key=lambda f: (not f.for_you, f.held_on, f.pk))


def group_labels(codes: list[str]) -> list[str]:
    labels = dict(KeyGroup.choices)
    return [labels.get(c, c) for c in codes]


@dataclass
class StandFit:
    stand: Stand
    score: float
    best_job: object | None
    reasons: list[str] = field(default_factory=list)


def stands_for(person: Person, fair: Fair, today: dt.date) -> list[StandFit]:
    """The fair's stands, those whose jobs suit the person best first: each stand by its
    best job under the matching rules (the hard filters too: a job the person cannot take
    does not lift its stand), with that job's reasons."""
    from apps.matching.index import job_index
    from apps.matching.rules import reference_match
    from apps.matching.services import job_profile, person_profile

    index = job_index()
    profile = person_profile(person, today, index.vocab, index.market_wage)
    out = []
    stands = fair.stand_set.select_related("employer").prefetch_related(
        "jobs__occupation", "jobs__employer"
    )
    for stand in stands:
        best, best_job = None, None
        for job in stand.jobs.all():
            match = reference_match(profile, job_profile(job, index.vocab), today)
            if match is not None and (best is None or match.score > best.score):
                best, best_job = match, job
        out.append(
            StandFit(
                stand, best.score if best else -1.0, best_job, list(best.reasons) if best else []
            )
        )
    return sorted(out, key=lambda s: (-s.score, s.stand.number))


def summary(fair: Fair) -> dict:
    """A fair in figures (招聘会总结): stands, jobs and posts, people registered and let
    in, intentions and hires; the key groups among those let in; each stand's yield."""
    stands = fair.stand_set.annotate(
        n_jobs=Count("jobs", distinct=True),
        n_intentions=Count("intentions", distinct=True),
        n_hired=Count("intentions", filter=Q(intentions__hired_on__isnull=False), distinct=True),
    ).select_related("employer")
    posts = (
        Stand.jobs.through.objects.filter(stand__fair=fair).aggregate(n=Sum("job__headcount"))["n"]
        or 0
    )
    attendees = Attendee.objects.filter(fair=fair)
    admitted = attendees.filter(check_in__isnull=False)
    intentions = Intention.objects.filter(fair=fair)
    from apps.people.models import KeyGroupTag

    day = fair.ends_on
    by_group = (
        KeyGroupTag.objects.filter(person__in=admitted.values("person"), start__lte=day)
        .filter(Q(end__isnull=True) | Q(end__gte=day))
        .values("group")
        .annotate(n=Count("person", distinct=True))
        .order_by("-n")
    )
    labels = dict(KeyGroup.choices)
    return {
        "stands": list(stands),
        "booked": len(stands),
        "jobs": sum(s.n_jobs for s in stands),
        "posts": posts,
        "registered": attendees.count(),
        "admitted": admitted.count(),
        "intentions": intentions.values("person").distinct().count(),
        "intention_pairs": intentions.count(),
        "hired": intentions.filter(hired_on__isnull=False).values("person").distinct().count(),
        "groups": [(labels.get(g["group"], g["group"]), g["n"]) for g in by_group],
    }


def first_intentions(qs: QuerySet[Intention]) -> QuerySet[Intention]:
    """One intention a person a fair (the first recorded): 达成就业意向人数 counts people."""
    earlier = Intention.objects.filter(
        fair=OuterRef("fair"), person=OuterRef("person"), pk__lt=OuterRef("pk")
    )
    return qs.filter(~Exists(earlier))
