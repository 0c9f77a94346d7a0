"""The matching rules (人岗匹配规则), in one place.

Hard filters (never broken): the job is open and within its validity; the person's
education, age and certificates meet the job's requirements; the job is of the kind the
person wishes, if they said; kinds reserved for key groups go only to those groups; the
distance limit, when one is asked. Soft score: a weighted sum (weights in settings) of
occupation fit along the classification's hierarchy, a certificate of the job's trade,
wage against expectation, distance decay, recency and the text similarity of the person's
wishes and skills with the job's text (jieba, TF-IDF). Reasons are derived from the same
components, so what a person is told is what the score counted.

``reference_match`` is the plain per-pair implementation: the tests hold the vectorized
index to it, and the benchmark uses it as the naive baseline.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

from django.conf import settings

from apps.regions.geo import haversine_km

from .features import KIND_CODE, NO_CODE
from .text import cosine, shared_terms

OCCUPATION_FIT = (0.0, 0.1, 0.4, 0.7, 1.0)  # by the number of leading levels in common
OCCUPATION_LABEL = {
    1: "同属一个职业大类",
    2: "职业对口(同中类)",
    3: "职业对口(同小类)",
    4: "职业对口(同职业)",
}
RELATED_LABEL = "职业相近(工作任务相近)"
LEVEL_LABEL = {5: "五级", 4: "四级", 3: "三级", 2: "二级", 1: "一级"}


def weights() -> dict[str, float]:
    return settings.MATCHING["weights"]


# The wage fit goes from 0 to 1 as a job's midpoint wage goes from this share below the
# person's expected minimum to this share above it (0.5 where it meets it): more pay is
# better, not only enough of it.
WAGE_BAND = 0.25
# A range's top counts up to this multiple of its floor: a posting cannot climb the lists
# by a ceiling it will not pay (1,000–1,000,000 counts as 1,000–1,500).
WAGE_TOP_CAP = 1.5


def wage_fit(wage_min: int, wage_max: int, wish: float | None) -> float:
    """How well a job's wage range suits a person's expected minimum (期望最低月薪), or
    the open jobs' median wage for a person who stated none: 0.5 where the range's
    midpoint (its top counted up to WAGE_TOP_CAP × its floor) meets it, rising to 1 at
    WAGE_BAND above, falling to 0 at WAGE_BAND below; 0 without either, 1 for an
    expectation of nothing."""
    if wish is None or wish < 0:
        return 0.0
    if wish == 0:
        return 1.0
    mid = (wage_min + min(wage_max, WAGE_TOP_CAP * wage_min)) / 2
    return min(1.0, max(0.0, 0.5 + (mid - wish) / (2 * WAGE_BAND * wish)))


# The distance score's scale for a person who said how far they would go: that distance
# (the score falls to 1/e there), kept within these bounds.
SCALE_BOUNDS_KM = (1.0, 30.0)


def distance_scale(wish_max_km: float | None) -> float:
    """km at which a job's distance score falls to 1/e for this person: the commute they
    accept (可接受通勤距离) when they said one, else MATCHING["distance_scale_km"]. Someone
    who would travel 20 km loses little for a job 8 km away; someone who would go 3 km,
    most of it."""
    if wish_max_km is None:
        return settings.MATCHING["distance_scale_km"]
    return min(max(float(wish_max_km), SCALE_BOUNDS_KM[0]), SCALE_BOUNDS_KM[1])


def reserved_kinds() -> dict[int, int]:
    """Job kind code → bit mask of the key groups it is reserved for."""
    from .features import GROUP_BIT

    return {
        KIND_CODE[kind]: sum(GROUP_BIT[g] for g in groups)
        for kind, groups in settings.MATCHING["reserved_kinds"].items()
    }


@dataclass
class PersonProfile:
    person_id: int
    lat: float | None
    lng: float | None
    age: int
    edu_rank: int  # 0: unknown
    wishes: list[tuple[int, int, int, int, int]]  # occupation_levels() of each wish
    wish_kinds: int  # bits of the kinds of work wished (KIND_CODE); 0: any
    wish_min_wage: int | None
    wish_max_km: float | None
    groups: int
    # (occupation levels, level 1–5 or None, certificate name)
    certificates: list[tuple[tuple[int, int, int, int, int], int | None, str]] = field(
        default_factory=list
    )
    # TF-IDF of wished occupations, skills and major (text.Vocabulary.vector)
    text: dict[str, float] = field(default_factory=dict)
    # lat/lng are the wished place of work (意向工作地点), not home
    from_work_place: bool = False
    # 职业 (full code) → the fit a wished 职业's neighbour gets (features.related_of)
    related: dict[int, float] = field(default_factory=dict)
    # a second wished place of work (Person.work_lat_2): distances count from the nearer
    lat2: float | None = None
    lng2: float | None = None
    # the open jobs' median wage (JobIndex.market_wage): the wage reference of a person
    # who stated none
    market_wage: float | None = None

    @property
    def wage_reference(self) -> float | None:
        return self.wish_min_wage if self.wish_min_wage is not None else self.market_wage


@dataclass
class JobProfile:
    job_id: int
    occupation: tuple[int, int, int, int, int]
    kind: int
    wage_min: int
    wage_max: int
    edu_rank: int  # 0: no requirement
    age_min: int | None
    age_max: int | None
    lat: float | None
    lng: float | None
    valid_from: dt.date
    valid_to: dt.date
    required_certificate: int  # the certificate occupation's full code, or NO_CODE
    required_level: int | None
    text: dict[str, float] = field(default_factory=dict)  # title, skills, description


@dataclass
class Match:
    score: float
    components: dict[str, float]
    reasons: list[str]
    distance_km: float | None


def common_depth(a: tuple, b: tuple) -> int:
    depth = 0
    for level in range(4):
        if a[level] == NO_CODE or a[level] != b[level]:
            break
        depth += 1
    return depth


def reference_match(
    person: PersonProfile,
    job: JobProfile,
    today: dt.date,
    limit_km: float | None = None,
    perspective: str = "person",
) -> Match | None:
    """The pair's match, or None when a hard filter excludes it."""
    cfg = settings.MATCHING
    if not job.valid_from <= today <= job.valid_to:
        return None
    if job.edu_rank and person.edu_rank < job.edu_rank:
        return None
    if job.age_min is not None and person.age < job.age_min:
        return None
    if job.age_max is not None and person.age > job.age_max:
        return None
    if job.required_certificate != NO_CODE and not any(
        levels[3] == job.required_certificate
        and (job.required_level is None or (level is not None and level <= job.required_level))
        for levels, level, _ in person.certificates
    ):
        return None
    if person.wish_kinds and not (person.wish_kinds >> job.kind) & 1:
        return None
    reserved = reserved_kinds().get(job.kind)
    if reserved and not person.groups & reserved:
        return None
    distance = None
    if None not in (job.lat, job.lng):
        places = [(person.lat, person.lng), (person.lat2, person.lng2)]
        km = [haversine_km(a, b, job.lat, job.lng) for a, b in places if None not in (a, b)]
        distance = min(km) if km else None
    if limit_km is not None and (distance is None or distance > limit_km):
        return None

    depth = 0
    occupation = 0.0
    for wish in person.wishes:
        d = common_depth(wish, job.occupation)
        fit = 1.0 if d >= wish[4] and d > 0 else OCCUPATION_FIT[d]
        if fit > occupation or (fit == occupation and d > depth):
            occupation, depth = fit, d
    # a neighbour of a wished 职业 (tasks in common) fits by how much: the depth stays the
    # codes' (a fit above its depth's is what says the neighbour counted)
    occupation = max(occupation, person.related.get(job.occupation[3], 0.0))
    certificate, certificate_name = 0.0, ""
    for levels, level, name in person.certificates:
        c = (
            1.0
            if levels[3] == job.occupation[3]
            else 0.5
            if levels[2] == job.occupation[2]
            else 0.0
        )
        if c > certificate:
            certificate, certificate_name = c, f"{name}{LEVEL_LABEL.get(level, '')}"
    wage = wage_fit(job.wage_min, job.wage_max, person.wage_reference)
    scale = distance_scale(person.wish_max_km)
    near = math.exp(-distance / scale) if distance is not None else 0.0
    days = max(0, (today - job.valid_from).days)
    recency = math.exp(-days / cfg["recency_days"])
    components = {
        "occupation": occupation,
        "certificate": certificate,
        "wage": wage,
        "distance": near,
        "recency": recency,
        "text": cosine(person.text, job.text),
    }
    score = sum(weights()[name] * value for name, value in components.items())
    return Match(
        score,
        components,
        reasons(
            components,
            depth,
            certificate_name,
            distance,
            days,
            job.edu_rank > 0,
            perspective,
            shared_terms(person.text, job.text),
            person.wish_min_wage is not None,
        ),
        distance,
    )


def km_text(km: float) -> str:
    """A distance as people write it: one decimal, none when whole (11公里, 1.2公里)."""
    return f"{km:.1f}".removesuffix(".0")


def reasons(
    components: dict,
    depth: int,
    certificate_name: str,
    distance: float | None,
    days: int,
    education_required: bool,
    perspective: str = "person",
    shared: list[str] = (),
    wage_said: bool = True,
) -> list[str]:
    """The reasons shown with a match: one for each component that counted.
    ``perspective``: "person" (a worker's jobs, distances from home), "work" (from the
    wished place of work) or "job" (a job's candidates); ``wage_said``: the wage fit is
    against the person's own expectation (else against the local median)."""
    out = []
    occupation = components["occupation"]
    if 0 < occupation < 1 and occupation > OCCUPATION_FIT[depth]:
        out.append(RELATED_LABEL)
    elif occupation > 0:
        out.append(OCCUPATION_LABEL[depth])
    if distance is not None:
        where = {"person": "距家", "work": "距意向工作地点"}.get(perspective, "距岗位")
        out.append(f"{where}{km_text(distance)}公里")
    if not wage_said:
        if components["wage"] >= 0.5 and perspective != "job":
            out.append("薪资不低于在招岗位中位数")
    elif components["wage"] >= 1 and perspective != "job":
        out.append("薪资高于期望")
    elif components["wage"] >= 0.5:
        # to an employer, only that the pay suits: not how far above what they asked
        out.append("薪资符合期望")
    if education_required:
        out.append("学历满足")
    if components["certificate"] > 0:
        out.append(f"持有{certificate_name}证书")
    if components.get("text", 0) > 0 and shared:
        out.append(f"技能相符:{'、'.join(shared)}")
    if days <= 7 and perspective != "job":  # of the job: no reason about a candidate
        out.append("近期发布")
    return out
