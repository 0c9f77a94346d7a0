"""The matching app owns ranking jobs for a worker and candidates for a job, with the
reasons shown to people. Reads only: recording offers belongs to the push (精准送岗)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.utils import timezone

from apps.accounts.scoping import user_scope_prefix
from apps.jobs.models import Job
from apps.people.models import Certificate, KeyGroupTag, Person
from apps.regions.geo import haversine_km

from .features import (
    EDU_RANK,
    GROUP_BIT,
    KIND_CODE,
    NO_CODE,
    age_on,
    groups_mask,
    kinds_mask,
    occupation_levels,
    related_of,
)
from .index import WISH_SLOTS, job_index, seeker_index
from .ranking import rank_jobs_pruned, rank_seekers_pruned
from .rerank import load_model, rerank_order, take
from .rules import LEVEL_LABEL, JobProfile, Match, PersonProfile, reasons
from .text import Vocabulary, job_text, person_text, shared_terms


class MatchingError(ValueError):
    """A request that cannot be answered as asked; the message says why, in Chinese."""


@dataclass
class Ranked:
    obj: Job | Person
    match: Match


def certificates_of(pks) -> dict[int, list]:
    """person pk → [(occupation levels, level, name)] of their certificates that name an
    occupation, best level first (as the seeker index keeps them)."""
    out: dict[int, list] = {}
    for pk, code, level, name in Certificate.objects.filter(
        person_id__in=pks, occupation__isnull=False
    ).values_list("person_id", "occupation_id", "level", "name"):
        out.setdefault(pk, []).append((occupation_levels(code), level, name))
    return {pk: sorted(c, key=lambda x: x[1] or 9) for pk, c in out.items()}


def person_profile(
    person: Person,
    today: dt.date | None = None,
    vocab: Vocabulary | None = None,
    market_wage: float | None = None,
) -> PersonProfile:
    """``vocab``: the job index's, so the person's text is weighed as the jobs' is;
    ``market_wage``: its median wage (JobIndex.market_wage)."""
    today = today or timezone.localdate()
    groups = KeyGroupTag.objects.filter(person=person, end__isnull=True).values_list(
        "group", flat=True
    )
    wishes = _wishes(person)
    levels = [occupation_levels(code) for code, _ in wishes]
    lat, lng = person.search_point
    return PersonProfile(
        person_id=person.pk,
        lat=lat,
        lng=lng,
        age=age_on(person.birth_date, today),
        edu_rank=EDU_RANK.get(person.education, 0),
        wishes=levels,
        related=related_of(levels),
        market_wage=market_wage,
        wish_kinds=kinds_mask(person.wish_job_kinds),
        wish_min_wage=person.wish_min_wage,
        wish_max_km=person.wish_max_distance_km,
        groups=groups_mask(groups),
        certificates=certificates_of([person.pk]).get(person.pk, []),
        from_work_place=person.work_lat is not None,
        lat2=person.work_lat_2 if person.work_lat is not None else None,
        lng2=person.work_lng_2 if person.work_lat is not None else None,
        text=(vocab or Vocabulary()).vector(
            person_text([name for _, name in wishes], person.skills, person.major)
        ),
    )


def _wishes(person: Person) -> list[tuple[str, str]]:
    """(code, name) of the wished occupations the index keeps."""
    through = Person.wish_occupations.through
    return list(
        through.objects.filter(person=person)
        .order_by("id")
        .values_list("occupation_id", "occupation__name")[:WISH_SLOTS]
    )


def job_profile(job: Job, vocab: Vocabulary | None = None) -> JobProfile:
    """``vocab``: the seeker index's, so the job's text is weighed as people's are."""
    return JobProfile(
        job_id=job.pk,
        occupation=occupation_levels(job.occupation_id),
        kind=KIND_CODE[job.kind],
        wage_min=job.wage_min,
        wage_max=job.wage_max,
        edu_rank=EDU_RANK.get(job.education_min, 0),
        age_min=job.age_min,
        age_max=job.age_max,
        lat=job.lat,
        lng=job.lng,
        valid_from=job.valid_from,
        valid_to=job.valid_to,
        required_certificate=occupation_levels(job.required_certificate_id)[3],
        required_level=job.required_level,
        text=(vocab or Vocabulary()).vector(
            job_text(job.title, job.skills, job.certificates, job.description)
        ),
    )


def check_radius(radius_km: float | None) -> float | None:
    if radius_km is None:
        return None
    if not 0 < radius_km <= settings.MATCHING["max_radius_km"]:
        raise MatchingError(f"距离范围应大于0且不超过{settings.MATCHING['max_radius_km']:.0f}公里")
    return float(radius_km)


def _size(model, k: int) -> int:
    """How many the rules retrieve: the shortlist when a re-ranker will re-order it."""
    return max(k, settings.MATCHING["shortlist"]) if model is not None else k


def _rerank(model, rows, parts: dict, k: int):
    """The shortlist in the learned order (rule order without a model), cut to k. The
    components, and so the reasons, stay the rules'."""
    if model is None or not len(rows):
        return rows[:k], parts
    order = rerank_order(model, parts)[:k]
    return rows[order], take(parts, order)


def jobs_for_person(
    *, person: Person, radius_km: float | None = None, k: int = 20, today: dt.date | None = None
) -> list[Ranked]:
    """Open jobs for a worker, best first, each with its score, components and reasons."""
    today = today or timezone.localdate()
    radius_km = check_radius(radius_km)
    if radius_km is not None and None in person.search_point:
        raise MatchingError(
            "未登记居住地坐标,无法按距离筛选岗位:请在“我的求职信息”中选择意向工作地点,"
            "或到社区更新居住地址"
        )
    model = load_model("jobs")
    index = job_index()
    # the profile's queries run before the lock: other searches need not wait for them
    profile = person_profile(person, today, index.vocab, index.market_wage)
    # The commute the person accepts counts by default: jobs within it first, then (only
    # to fill the list) those beyond it, said so. A radius chosen on the page replaces it.
    commute = profile.wish_max_km if radius_km is None and profile.lat is not None else None
    with index.lock:
        cols, alive = index.view()

        def best(limit, size, rows_alive):
            rows, parts = rank_jobs_pruned(
                profile,
                cols,
                rows_alive,
                today,
                limit,
                _size(model, size),
                index.query(profile.text),
                index.text_bound(profile.text),
            )
            return _rerank(model, rows, parts, size)

        rows, parts = best(radius_km if commute is None else commute, k, alive)
        within = len(rows)
        if commute is not None and within < k:
            rest = alive.copy()
            rest[rows] = False
            more, more_parts = best(None, k - within, rest)
            if len(more):  # (an empty ranking's parts are {}: take the names from these)
                rows = np.concatenate([rows, more])
                parts = {n: np.concatenate([parts.get(n, v[:0]), v]) for n, v in more_parts.items()}
        pks = cols["pk"][rows].tolist()
        edu_required = (cols["edu"][rows] > 0).tolist()
        shared = [shared_terms(profile.text, index.text_of(r)) for r in rows]
    jobs = Job.objects.select_related("employer", "occupation", "region").in_bulk(pks)
    out = []
    for i, pk in enumerate(pks):
        if pk not in jobs:  # deleted since the index last looked: skip, never fail
            continue
        pick = int(parts["cert_pick"][i])
        cert_name = ""
        if pick >= 0:
            _, level, name = profile.certificates[pick]
            cert_name = f"{name}{LEVEL_LABEL.get(level, '')}"
        where = "work" if profile.from_work_place else "person"
        match = _match(
            parts,
            i,
            cert_name,
            edu_required[i],
            where,
            shared[i],
            profile.wish_min_wage is not None,
        )
        if person.work_place_2 and person.work_place:
            _name_the_place(match, person, jobs[pk])
        if i >= within:
            match.reasons.append(f"超出您可接受的通勤距离({commute:g}公里)")
        out.append(Ranked(jobs[pk], match))
    return out


def _name_the_place(match: Match, person: Person, job: Job) -> None:
    """With two wished places of work, say which one a distance is from (距砖集镇刘柴村委会
    1.1公里), not only 距意向工作地点."""
    if job.lat is None or job.lng is None:
        return
    first = haversine_km(person.work_lat, person.work_lng, job.lat, job.lng)
    second = haversine_km(person.work_lat_2, person.work_lng_2, job.lat, job.lng)
    name = person.work_place if first <= second else person.work_place_2
    match.reasons = [
        r.replace("距意向工作地点", f"距{name}", 1) if r.startswith("距意向工作地点") else r
        for r in match.reasons
    ]


def candidates_for_job(
    *,
    job: Job,
    user=None,
    group: str = "",
    radius_km: float | None = None,
    k: int = 50,
    today: dt.date | None = None,
) -> list[Ranked]:
    """People from the registry for a job, best first. Staff see only their region."""
    today = today or timezone.localdate()
    radius_km = check_radius(radius_km)
    if group and group not in GROUP_BIT:
        raise MatchingError(f"未知的重点群体“{group}”")
    scope = "" if user is None else user_scope_prefix(user)
    if user is not None and user.role == "employer" and job.employer_id == user.employer_id:
        scope = job.region_id[:4]  # an employer's own job: candidates from its whole city
    model = load_model("candidates")
    market_wage = job_index().market_wage  # (the job index first: seeker_index takes it too)
    index = seeker_index()
    with index.lock:
        profile = job_profile(job, index.vocab)
        cols, alive = index.view()
        rows, parts = rank_seekers_pruned(
            profile,
            cols,
            alive,
            today,
            radius_km,
            _size(model, k),
            scope,
            GROUP_BIT.get(group, 0),
            index.query(profile.text),
            index.text_bound(profile.text),
            index.wishing(profile.occupation),
            market_wage,
        )
        rows, parts = _rerank(model, rows, parts, k)
        pks = cols["pk"][rows].tolist()
        shared = {pk: shared_terms(index.text_of(r), profile.text) for pk, r in zip(pks, rows)}
        wage_said = {pk: bool(cols["wish_min_wage"][r] >= 0) for pk, r in zip(pks, rows)}
    people = Person.objects.select_related("community").in_bulk(pks)
    names = _certificate_names(pks, job)
    return [
        Ranked(
            people[pk],
            _match(
                parts, i, names.get(pk, ""), profile.edu_rank > 0, "job", shared[pk], wage_said[pk]
            ),
        )
        for i, pk in enumerate(pks)
        if pk in people  # deleted since the index last looked: skip, never fail
    ]


def _certificate_names(pks: list[int], job: Job) -> dict[int, str]:
    minor = occupation_levels(job.occupation_id)[2]
    best: dict[int, tuple[int, str]] = {}
    for pk, code, level, name in Certificate.objects.filter(
        person_id__in=pks, occupation__isnull=False
    ).values_list("person_id", "occupation_id", "level", "name"):
        levels = occupation_levels(code)
        rank = 2 if code == job.occupation_id else 1 if levels[2] == minor != NO_CODE else 0
        if rank and rank > best.get(pk, (0, ""))[0]:
            best[pk] = (rank, f"{name}{LEVEL_LABEL.get(level, '')}")
    return {pk: label for pk, (_, label) in best.items()}


def _match(
    parts: dict,
    i: int,
    cert_name: str,
    edu_required: bool,
    perspective: str,
    shared=(),
    wage_said: bool = True,
) -> Match:
    components = {
        name: float(parts[name][i])
        for name in ("occupation", "certificate", "wage", "distance", "recency", "text")
    }
    distance = parts["distance_km"][i]
    distance = None if distance != distance else float(distance)  # NaN: no coordinates
    return Match(
        score=float(parts["score"][i]),
        components=components,
        reasons=reasons(
            components,
            int(parts["depth"][i]),
            cert_name,
            distance,
            int(parts["days"][i]),
            edu_required,
            perspective,
            list(shared),
            wage_said,
        ),
        distance_km=distance,
    )
