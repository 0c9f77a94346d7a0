"""Reads of shared employment: the postings of a region, the offers that suit a request
(by occupation, headcount, dates and distance, each with why) and an enterprise's own."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils import timezone

from apps.accounts.models import User
from apps.accounts.scoping import scope_queryset
from apps.regions.geo import haversine_km

from .models import Agreement, Posting
from .services import SAME_TRADE, committed, depth

DEPTH_NAME = {4: "同一职业(细类)", 3: "同一小类", 2: "同一中类", 1: "同一大类"}


def postings_in_scope(user: User) -> QuerySet[Posting]:
    return scope_queryset(
        Posting.objects.select_related("employer", "occupation"), user, "employer__region_id"
    )


def agreements_in_scope(user: User) -> QuerySet[Agreement]:
    """Agreements either of whose enterprises lies in the viewer's region."""
    lent = scope_queryset(Agreement.objects.all(), user, "offer__employer__region_id")
    borrowed = scope_queryset(Agreement.objects.all(), user, "request__employer__region_id")
    return Agreement.objects.filter(Q(pk__in=lent.values("pk")) | Q(pk__in=borrowed.values("pk")))


@dataclass
class Fit:
    offer: Posting
    available: int
    overlap_days: int
    km: float | None
    score: float
    reasons: list[str] = field(default_factory=list)
    start: object = None  # the days the two have in common, and how many may go
    end: object = None
    suggested: int = 0


def offers_for(request: Posting, limit: int = 20) -> list[Fit]:
    """Open offers of other enterprises whose period overlaps the request's, with workers
    still free, those of the same occupation, covering more of the dates and nearer first."""
    today = timezone.localdate()
    offers = (
        Posting.objects.filter(
            side=Posting.Side.OFFER,
            status=Posting.Status.OPEN,
            start__lte=request.end,
            end__gte=max(request.start, today),
        )
        .exclude(employer=request.employer)
        .select_related("employer", "occupation")
    )
    wanted_days = (request.end - request.start).days + 1
    out = []
    for offer in offers:
        same = depth(offer.occupation_id, request.occupation_id)
        if same < SAME_TRADE:  # another trade altogether: not a pairing to suggest
            continue
        available = offer.headcount - committed(offer)
        if available <= 0:
            continue
        overlap = (min(offer.end, request.end) - max(offer.start, request.start)).days + 1
        e, r = offer.employer, request.employer
        km = (
            haversine_km(e.lat, e.lng, r.lat, r.lng)
            if None not in (e.lat, e.lng, r.lat, r.lng)
            else None
        )
        cover = overlap / wanted_days
        fill = min(available, request.headcount) / request.headcount
        score = same + 2 * cover + fill + (1 / (1 + km / 10) if km is not None else 0)
        reasons = [
            DEPTH_NAME[same],
            f"可共享{available}人",
            f"期间重合{overlap}天",
        ]
        if km is not None:
            reasons.append(f"相距{km:.1f}公里")
        needed = request.headcount - committed(request)
        out.append(
            Fit(
                offer,
                available,
                overlap,
                km,
                score,
                reasons,
                start=max(offer.start, request.start, today),
                end=min(offer.end, request.end),
                suggested=max(1, min(available, needed)),
            )
        )
    out.sort(key=lambda f: -f.score)
    return out[:limit]
