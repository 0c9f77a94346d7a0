"""Labour-market information (人力资源市场信息): wage levels by occupation (工资价位, 003 10)
and the occupations in shortage and in surplus for a region.

Wage levels: each posted position opening to applicants in the year counts once at the
midpoint of its posted monthly range (a posting for 5 people counts 5 times); each
recorded hire of the year counts once at its job's midpoint. P10, P25, the median, P75
and P90 are read over the positions (numpy's linear interpolation); an occupation is
published only with at least ``MIN_SAMPLE`` positions, as published wage tables do.

Shortage and surplus: the open posts of each 中类 (headcount of jobs open today) against
the people seeking work who wish for it (unemployed or in flexible work, the matching's
seekers; someone wishing two occupations of one 中类 counts once), as a ratio of posts
to seekers (求人倍率). A 中类 with more posts than seekers is in shortage."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from apps.accounts.scoping import region_prefix_q

MIN_SAMPLE = 5
PERCENTILES = (10, 25, 50, 75, 90)


@dataclass
class WageLevel:
    code: str
    name: str
    positions: int
    hires: int
    p10: float
    p25: float
    p50: float
    p75: float
    p90: float
    hired_median: float | None


def wage_levels(prefix: str, year: int) -> list[WageLevel]:
    from apps.jobs.models import Job
    from apps.matching.models import Application
    from apps.taxonomy.models import Occupation

    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    jobs = Job.objects.filter(valid_from__range=(start, end))
    hires = Application.objects.filter(
        stage=Application.Stage.HIRED, decided_at__date__range=(start, end)
    )
    if prefix:
        jobs = jobs.filter(region_prefix_q("region_id", prefix))
        hires = hires.filter(region_prefix_q("job__region_id", prefix))
    posted: dict[str, list[tuple[float, int]]] = defaultdict(list)
    for occupation, low, high, headcount in jobs.values_list(
        "occupation_id", "wage_min", "wage_max", "headcount"
    ):
        posted[occupation].append(((low + high) / 2, max(1, headcount)))
    hired: dict[str, list[float]] = defaultdict(list)
    for occupation, low, high in hires.values_list(
        "job__occupation_id", "job__wage_min", "job__wage_max"
    ):
        hired[occupation].append((low + high) / 2)
    names = dict(Occupation.objects.filter(code__in=list(posted)).values_list("code", "name"))
    out = []
    for code, rows in posted.items():
        wages = np.repeat([w for w, _ in rows], [n for _, n in rows])
        if len(wages) < MIN_SAMPLE:
            continue
        p = np.percentile(wages, PERCENTILES)
        h = hired.get(code, [])
        out.append(
            WageLevel(
                code,
                names.get(code, code),
                len(wages),
                len(h),
                *(round(float(x)) for x in p),
                round(float(np.median(h))) if len(h) >= MIN_SAMPLE else None,
            )
        )
    return sorted(out, key=lambda w: (-w.positions, w.code))


@dataclass
class Gap:
    code: str
    name: str
    posts: int
    seekers: int

    @property
    def ratio(self) -> float | None:
        return self.posts / self.seekers if self.seekers else None


def market_gaps(prefix: str, today: dt.date) -> tuple[list[Gap], list[Gap]]:
    """(shortage, surplus) 中类 of a region, most acute first."""
    from apps.jobs.models import Job, JobStatus
    from apps.matching.index import SEEKING_STATUSES
    from apps.people.models import Person
    from apps.taxonomy.models import Occupation

    jobs = Job.objects.filter(status=JobStatus.OPEN, valid_from__lte=today, valid_to__gte=today)
    people = Person.objects.filter(labour_status__in=SEEKING_STATUSES)
    if prefix:
        jobs = jobs.filter(region_prefix_q("region_id", prefix))
        people = people.filter(region_prefix_q("community_id", prefix))
    posts: dict[str, int] = defaultdict(int)
    for code, headcount in jobs.values_list("occupation_id", "headcount"):
        posts[_middle(code)] += headcount
    wishes = Person.wish_occupations.through.objects.filter(
        person_id__in=people.values("pk")
    ).values_list("person_id", "occupation_id")
    wanted: dict[str, set[int]] = defaultdict(set)
    for person, code in wishes:
        wanted[_middle(code)].add(person)
    codes = set(posts) | set(wanted)
    names = dict(Occupation.objects.filter(code__in=codes).values_list("code", "name"))
    gaps = [Gap(c, names.get(c, c), posts.get(c, 0), len(wanted.get(c, ()))) for c in codes]
    shortage = sorted(
        (g for g in gaps if g.posts > g.seekers),
        key=lambda g: (-(g.posts - g.seekers), g.code),
    )
    surplus = sorted(
        (g for g in gaps if g.seekers > g.posts),
        key=lambda g: (-(g.seekers - g.posts), g.code),
    )
    return shortage, surplus


def _middle(code: str) -> str:
    """The 中类 of an occupation code ('6-18-02-04' → '6-18')."""
    return "-".join(code.split("-")[:2])
