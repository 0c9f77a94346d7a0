"""Shared employment in the demo county (generated): a few enterprises with idle workers in
the slack season offering them, others short of hands asking, agreements between them
with the workers lent (taken from the lenders' own employment registrations). Postings and
agreements are marked generated; the workers lent hang off them."""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from apps.accounts.scoping import region_prefix_q
from apps.jobs.models import Job
from apps.people.models import Registration
from apps.sharing.models import Agreement, Posting, Secondment


@transaction.atomic
def simulate_sharing(county_code: str, *, seed: int, today: dt.date | None = None) -> dict:
    rng = random.Random(seed)
    today = today or timezone.localdate()
    if Posting.objects.filter(region_prefix_q("employer__region_id", county_code)).exists():
        return {}
    # employers and the trades they post, so offers and requests share occupations
    trades: dict[str, list[int]] = {}
    for employer, occupation in (
        Job.objects.filter(region_prefix_q("region_id", county_code))
        .values_list("employer_id", "occupation_id")
        .order_by("pk")
    ):
        trades.setdefault(occupation, [])
        if employer not in trades[occupation]:
            trades[occupation].append(employer)
    shared = [(occ, firms) for occ, firms in trades.items() if len(firms) >= 2][:8]
    postings, pairs = [], []
    for occupation, firms in shared:
        lender, borrower = rng.sample(firms, 2)
        start = today + dt.timedelta(days=rng.randrange(3, 20))
        end = start + dt.timedelta(days=rng.choice((30, 45, 60, 90)))
        offer = Posting(
            side="offer",
            employer_id=lender,
            occupation_id=occupation,
            headcount=rng.randrange(3, 12),
            start=start,
            end=end,
            note="淡季富余员工(演示)",
            generated=True,
        )
        request = Posting(
            side="request",
            employer_id=borrower,
            occupation_id=occupation,
            headcount=rng.randrange(2, 10),
            start=start,
            end=end,
            note="订单高峰缺工(演示)",
            generated=True,
        )
        postings += [offer, request]
        pairs.append((offer, request))
    Posting.objects.bulk_create(postings)
    agreements, lent = [], []
    for offer, request in pairs[: len(pairs) // 2]:
        n = min(offer.headcount, request.headcount, 3)
        agreement = Agreement.objects.create(
            offer=offer,
            request=request,
            headcount=n,
            start=offer.start,
            end=offer.end,
            status="active",
            decided_at=timezone.now(),
            generated=True,
        )
        agreements.append(agreement)
        staff = (
            Registration.objects.filter(
                kind="employment", employer_id=offer.employer_id, ended_on__isnull=True
            )
            .order_by("pk")
            .values_list("person_id", flat=True)[:n]
        )
        lent += [
            Secondment(agreement=agreement, person_id=p, start=offer.start, end=offer.end)
            for p in staff
        ]
    Secondment.objects.bulk_create(lent)
    return {"信息": len(postings), "协议": len(agreements), "借出人员": len(lent)}
