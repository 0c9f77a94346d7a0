"""The public job board (no login): every open job of the platform, searched by words
(jieba over title, skills and description), occupation, area, wage, kind of work and
distance from a place; a job's public page carries it as schema.org JobPosting."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from apps.accounts.scoping import region_prefix_q
from apps.matching.text import tokens
from apps.regions.geo import haversine_km
from apps.regions.models import Region
from apps.taxonomy.mapping import suggest

from .models import Job, JobStatus

MAX_KM = 200.0


class BoardError(ValueError):
    """A search the board cannot run: the message names the field."""


def open_jobs(today: dt.date | None = None) -> QuerySet[Job]:
    today = today or timezone.localdate()
    return Job.objects.filter(status=JobStatus.OPEN, valid_from__lte=today, valid_to__gte=today)


@dataclass
class Hit:
    job: Job
    km: float | None
    matched: int


def filtered(
    *, q: str = "", occupation: str = "", area: str = "", wage: int | None = None, kind: str = ""
) -> tuple[QuerySet[Job], list[str]]:
    """The open jobs matching every filter, and the words of ``q`` (for ranking): the
    board's search and the API's job search share it."""
    qs = open_jobs().select_related("employer", "occupation", "region")
    if occupation:
        # the occupation and everything under it ("6-18" → "6-18-…"): a range, since a
        # foreign key takes no startswith ('.' sorts right after '-')
        qs = qs.filter(
            Q(occupation_id=occupation)
            | Q(occupation_id__gte=occupation + "-", occupation_id__lt=occupation + ".")
        )
    if area:
        qs = qs.filter(region_prefix_q("region_id", area))
    if wage:
        qs = qs.filter(wage_max__gte=wage)
    if kind:
        qs = qs.filter(kind=kind)
    words = list(dict.fromkeys(tokens(q)))[:8]
    if words:
        any_word = Q()
        for w in words:
            any_word |= Q(title__icontains=w) | Q(skills__icontains=w) | Q(description__icontains=w)
        # and the jobs of the occupation the words name ("氩弧焊" finds the 焊工 jobs
        # whatever their titles say), when the classification is sure of it
        meant = [s.code for s in suggest(q, k=1) if s.exact or s.confidence >= 0.5]
        if meant:
            any_word |= Q(occupation_id__in=meant)
        qs = qs.filter(any_word)
    return qs, words


def search(
    *,
    q: str = "",
    occupation: str = "",
    area: str = "",
    wage: int | None = None,
    kind: str = "",
    near: str = "",
    km: float | None = None,
    limit: int = 500,
) -> list[Hit]:
    """Open jobs matching every filter, the best word matches (then the nearest, then the
    newest) first."""
    qs, words = filtered(q=q, occupation=occupation, area=area, wage=wage, kind=kind)
    centre = None
    if near:
        place = Region.objects.filter(code=near).values_list("lat", "lng").first()
        if not place or place[0] is None:
            raise BoardError("位置:没有这个地点的坐标")
        centre = place
        if km is not None:
            if not 0 < km <= MAX_KM:
                raise BoardError(f"距离:应大于0且不超过{MAX_KM:g}公里")
            dlat = km / 111.0
            dlng = km / (111.0 * max(0.1, math.cos(math.radians(centre[0]))))
            qs = qs.filter(
                lat__gte=centre[0] - dlat,
                lat__lte=centre[0] + dlat,
                lng__gte=centre[1] - dlng,
                lng__lte=centre[1] + dlng,
            )
    hits = []
    for job in qs.order_by("-valid_from", "-id")[: limit * 4 if words or centre else limit]:
        distance = (
            haversine_km(centre[0], centre[1], job.lat, job.lng)
            if centre and job.lat is not None
            else None
        )
        if km is not None and (distance is None or distance > km):
            continue
        text = f"{job.title} {job.skills} {job.description}".lower()
        title = job.title.lower()
        matched = sum(2 if w in title else 1 for w in words if w in text)
        hits.append(Hit(job, distance, matched))
    hits.sort(key=lambda h: (-h.matched, h.km if h.km is not None else math.inf))
    return hits[:limit]


def job_posting(job: Job, url: str) -> dict:
    """The job as schema.org JobPosting (what job search engines read)."""
    kind = {
        "regular": "FULL_TIME",
        "part_time": "PART_TIME",
        "gig": "TEMPORARY",
        "internship": "INTERN",
        "public_welfare": "OTHER",
        "temporary_special": "TEMPORARY",
    }.get(job.kind, "OTHER")
    region = job.region
    return {
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "title": job.title,
        "description": job.description or job.title,
        "datePosted": job.valid_from.isoformat(),
        "validThrough": job.valid_to.isoformat(),
        "employmentType": kind,
        "totalJobOpenings": job.headcount,
        "occupationalCategory": job.occupation_id,
        "url": url,
        "hiringOrganization": {"@type": "Organization", "name": job.employer.name},
        "jobLocation": {
            "@type": "Place",
            "address": {
                "@type": "PostalAddress",
                "addressLocality": region.name,
                "addressRegion": region.code[:6],
                "addressCountry": "CN",
            },
            **(
                {"geo": {"@type": "GeoCoordinates", "latitude": job.lat, "longitude": job.lng}}
                if job.lat is not None
                else {}
            ),
        },
        "baseSalary": {
            "@type": "MonetaryAmount",
            "currency": "CNY",
            "value": {
                "@type": "QuantitativeValue",
                "minValue": job.wage_min,
                "maxValue": job.wage_max,
                "unitText": "MONTH",
            },
        },
    }
