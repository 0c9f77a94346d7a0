"""The batch push (精准送岗): N suitable offers for everyone in a group, never a job a person
was sent before, spread across jobs by their openings, with a report of who got how many
offers and why some got none.

Suitable means: every hard filter holds and the occupation is close to a wish (settings
MATCHING["push_min_occupation_fit"]). Each job is offered to at most
ceil(headcount × MATCHING["offers_per_opening"]) people across all pushes. People are
served longest-waiting first, so a scarce job goes to who has waited longest."""

from __future__ import annotations

import functools
import logging
import math
from collections import Counter, defaultdict

import numpy as np
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from apps.accounts.scoping import region_prefix_q, user_scope_prefix
from apps.accounts.services import record_audit
from apps.imports.specs import insert_rows
from apps.jobs.models import Job
from apps.people.models import KeyGroupTag, LabourStatus, Person

from .channels import OfferNotice, channels
from .features import GROUP_BIT
from .index import job_index, seeker_index
from .models import Offer, Push
from .ranking import rank_jobs, take
from .rules import LEVEL_LABEL, reasons
from .services import MatchingError, certificates_of, check_radius
from .text import shared_terms

log = logging.getLogger(__name__)
CHUNK = 2000  # people profiled and ranked together, in their order

NO_WISHES = "未填写求职意向"
NOT_SEEKING = "非求职状态且无求职意向"
NO_POINT = "未登记居住地坐标,无法按距离推送"
NO_JOB = "可达范围内没有合适的新岗位"
FULL = "合适岗位的推送名额已满"


def create_push(
    *,
    user,
    region_prefix: str,
    group: str = "",
    labour_status: str = "",
    offers_per_person: int = 3,
    radius_km: float | None = None,
) -> Push:
    scope = user_scope_prefix(user)
    region_prefix = (region_prefix or scope or "").strip()
    if scope is None or not region_prefix.startswith(scope):
        raise MatchingError(f"区域{region_prefix or '(未填)'}不在您的管辖范围内")
    if not region_prefix.isdigit():
        raise MatchingError("区域应为区划代码(前缀)")
    if group and group not in GROUP_BIT:
        raise MatchingError(f"未知的重点群体“{group}”")
    if labour_status and labour_status not in LabourStatus.values:
        raise MatchingError(f"未知的劳动状态“{labour_status}”")
    if not 1 <= offers_per_person <= 10:
        raise MatchingError("每人推送岗位数应为1到10")
    push = Push.objects.create(
        created_by=user,
        region_prefix=region_prefix,
        group=group,
        labour_status=labour_status,
        offers_per_person=offers_per_person,
        radius_km=check_radius(radius_km),
    )
    record_audit(
        actor=user,
        action="push_created",
        obj=push,
        changes={
            "region": region_prefix,
            "group": group,
            "status": labour_status,
            "offers_per_person": offers_per_person,
            "radius_km": radius_km,
        },
    )
    return push


def group_people(push: Push) -> list[int]:
    qs = Person.objects.filter(region_prefix_q("community_id", push.region_prefix))
    if push.group:
        tagged = KeyGroupTag.objects.filter(group=push.group, end__isnull=True).values("person_id")
        qs = qs.filter(pk__in=tagged)
    if push.labour_status:
        qs = qs.filter(labour_status=push.labour_status)
    return list(qs.order_by("status_since", "id").values_list("id", flat=True))


def run_push(push_id: int, on_progress=None) -> Push:
    push = Push.objects.get(pk=push_id)
    push.status = Push.Status.RUNNING
    push.save(update_fields=["status"])
    try:
        with transaction.atomic():
            _run(push, on_progress)
        push.status = Push.Status.DONE
    except Exception as exc:  # the transaction rolled back: nothing was sent
        log.exception("push %s failed", push.pk)
        push.status, push.message = Push.Status.FAILED, f"推送中断,未发送任何岗位:{exc}"
        push.offers = 0
    push.finished_at = timezone.now()
    push.save()
    cache.delete(push.progress_key)
    record_audit(
        actor=push.created_by,
        action="push_finished",
        obj=push,
        changes={"status": push.status, "people": push.people, "offers": push.offers},
    )
    return push


def _run(push: Push, on_progress) -> None:
    today = timezone.localdate()
    pks = group_people(push)
    push.people = len(pks)
    if not pks:
        push.message = "该群体没有人员,未推送"
        push.report = {"offers_per_person": {}, "none": {}, "jobs": {}}
        return
    jobs, seekers = job_index(), seeker_index()
    cfg = settings.MATCHING
    with jobs.lock, seekers.lock:
        jcols, jalive = jobs.view()
        by_middle = defaultdict(list)
        for row in np.flatnonzero(jalive):
            by_middle[int(jcols["occupation"][row, 1])].append(row)
        by_middle = {m: np.array(rows) for m, rows in by_middle.items()}

        @functools.lru_cache(maxsize=256)
        def slices(middles: tuple[int, ...]):
            """The open jobs of some 中类, their columns sliced once for the whole push."""
            parts = [by_middle[m] for m in middles if m in by_middle]
            rows = np.unique(np.concatenate(parts)) if parts else np.zeros(0, dtype=np.int64)
            return rows, {name: take(col, rows) for name, col in jcols.items()}, jalive[rows]

        capacity = np.ceil(jcols["headcount"] * cfg["offers_per_opening"]).astype(np.int64)
        job_pks = jcols["pk"]
        row_of_job = {int(pk): i for i, pk in enumerate(job_pks)}
        used = np.zeros(len(job_pks), dtype=np.int64)
        for job_id, n in (
            Offer.objects.values("job_id").annotate(n=Count("id")).values_list("job_id", "n")
        ):
            if job_id in row_of_job:
                used[row_of_job[job_id]] = n
        sent = defaultdict(set)
        for person_id, job_id in Offer.objects.filter(person_id__in=pks).values_list(
            "person_id", "job_id"
        ):
            sent[person_id].add(job_id)
        offers, none = [], {}
        counts = Counter()
        for start in range(0, len(pks), CHUNK):
            chunk = pks[start : start + CHUNK]
            found = _rank_chunk(push, chunk, seekers, jobs, slices, sent, today, none)
            for pk in chunk:  # in order: the longest-waiting first take the scarce jobs
                if pk in none:
                    continue
                profile, rows, ranked, ranked_parts = found[pk]
                picked, why = _choose(
                    push, profile, jobs, jcols, rows, ranked, ranked_parts, capacity, used, sent[pk]
                )
                offers += picked
                counts[len(picked)] += 1
                if not picked:
                    none[pk] = why
            done = min(len(pks), start + CHUNK)
            if on_progress:
                on_progress(done, len(pks))
            cache.set(push.progress_key, (done, len(pks)), timeout=3600)
    counts[0] = len(none)
    _record(push, offers)
    push.offers = len(offers)
    push.report = {
        "offers_per_person": {str(k): v for k, v in sorted(counts.items())},
        "none": dict(Counter(none.values())),
        "none_people": [[pk, reason] for pk, reason in list(none.items())[:500]],
        "jobs": _capacity_report(offers, jcols, row_of_job),
    }


def _rank_chunk(push, chunk, seekers, jobs, slices, sent, today, none) -> dict:
    """Rank a chunk of people over the jobs of their wished 中类 (one slice of the job
    columns per set of 中类, cut once per push). Returns pk → (profile, slice rows, ranked
    rows, components); the reason goes into ``none`` for whoever cannot be ranked."""
    certificates = certificates_of(chunk)
    by_slice: dict[tuple, list] = defaultdict(list)
    for pk in chunk:
        row = seekers.row_of.get(pk)
        if row is None or not seekers.alive[row]:
            none[pk] = NOT_SEEKING
            continue
        profile = seekers.profile(row, today, certificates.get(pk, []))
        if not profile.wishes:
            none[pk] = NO_WISHES
        elif push.radius_km is not None and profile.lat is None:
            none[pk] = NO_POINT
        else:
            by_slice[tuple(sorted({w[1] for w in profile.wishes}))].append((pk, profile))
    found = {}
    for key, members in by_slice.items():
        rows, sub, sub_alive = slices(key)
        if not len(rows):
            for pk, _ in members:
                none[pk] = NO_JOB
            continue
        for pk, profile in members:
            local, parts = rank_jobs(
                profile,
                sub,
                sub_alive,
                today,
                push.radius_km,
                push.offers_per_person + len(sent[pk]) + 20,
                query=jobs.query(profile.text),
            )
            found[pk] = (profile, rows, local, parts)
    return found


def _choose(push, profile, jobs, jcols, rows, found, parts, capacity, used, sent):
    """Up to N of a person's ranked jobs that are suitable, not sent before and have room."""
    picked, full = [], False
    for i, local in enumerate(found):
        row = int(rows[local])
        job_id = int(jcols["pk"][row])
        if parts["occupation"][i] < settings.MATCHING["push_min_occupation_fit"]:
            break  # ranked best first: nothing suitable further down
        if job_id in sent:
            continue
        if used[row] >= capacity[row]:
            full = True
            continue
        used[row] += 1
        cert = ""
        if parts["cert_pick"][i] >= 0:
            _, level, name = profile.certificates[int(parts["cert_pick"][i])]
            cert = f"{name}{LEVEL_LABEL.get(level, '')}"
        components = {
            n: float(parts[n][i])
            for n in ("occupation", "certificate", "wage", "distance", "recency", "text")
        }
        distance = float(parts["distance_km"][i])
        why = reasons(
            components,
            int(parts["depth"][i]),
            cert,
            None if math.isnan(distance) else distance,
            int(parts["days"][i]),
            bool(jcols["edu"][row] > 0),
            shared=shared_terms(profile.text, jobs.text_of(row)),
        )
        picked.append(
            {
                "person_id": profile.person_id,
                "job_id": job_id,
                "score": float(parts["score"][i]),
                "reasons": why,
            }
        )
        if len(picked) == push.offers_per_person:
            break
    return picked, (FULL if full else NO_JOB)


def _record(push: Push, offers: list[dict]) -> None:
    for offer in offers:
        offer.update(push_id=push.pk, created_by_id=push.created_by_id, status=Offer.Status.SENT)
    insert_rows(Offer, offers)
    from apps.services.services import record_pushed_offers

    record_pushed_offers(push.pk)  # each offer is a service to the person (岗位推送)
    people = {
        pk: (name, phone)
        for pk, name, phone in Person.objects.filter(
            pk__in={o["person_id"] for o in offers}
        ).values_list("pk", "name", "phone")
    }
    jobs = {
        pk: (employer, title)
        for pk, employer, title in Job.objects.filter(
            pk__in={o["job_id"] for o in offers}
        ).values_list("pk", "employer__name", "title")
    }
    notices: dict[int, OfferNotice] = {}
    for offer in offers:  # in each person's order: best first
        pk = offer["person_id"]
        if pk not in notices:
            notices[pk] = OfferNotice(pk, *people[pk], jobs=[])
        notices[pk].jobs.append(jobs[offer["job_id"]])
    for channel in channels():
        channel.send(list(notices.values()), push)


def _capacity_report(offers: list[dict], jcols, row_of_job) -> dict:
    """How offers per job compare with each job's openings."""
    per_job = Counter(o["job_id"] for o in offers)
    if not per_job:
        return {"jobs_offered": 0}
    ratios = [n / max(1, int(jcols["headcount"][row_of_job[j]])) for j, n in per_job.items()]
    return {
        "jobs_offered": len(per_job),
        "max_offers_per_job": max(per_job.values()),
        "mean_offers_per_job": round(sum(per_job.values()) / len(per_job), 2),
        "max_offers_per_opening": round(max(ratios), 2),
        "mean_offers_per_opening": round(sum(ratios) / len(ratios), 2),
    }
