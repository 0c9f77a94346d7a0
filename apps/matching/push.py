"""The batch push (精准送岗): N suitable offers for everyone in a group, never a job a person
was sent before, spread across jobs by their openings, with a report of who got how many
offers and why some got none.

Suitable means: every hard filter holds and the occupation is close to a wish (settings
MATCHING["push_min_occupation_fit"]). Each job is offered to at most
ceil(headcount × MATCHING["offers_per_opening"]) people across all pushes. People are
served longest-waiting first, so a scarce job goes to who has waited longest."""

from __future__ import annotations

import contextlib
import functools
import gc
import itertools
import logging
import math
import multiprocessing
import os
import threading
from collections import Counter, defaultdict, deque
from concurrent.futures import ProcessPoolExecutor

import numpy as np
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from apps.accounts.scoping import region_prefix_q, user_scope_prefix
from apps.accounts.services import record_audit
from apps.imports.specs import insert_rows
from apps.jobs.models import Job, JobStatus
from apps.people.models import KeyGroupTag, LabourStatus, Person

from .channels import OfferNotice, channels
from .features import GROUP_BIT, OCCUPATION_CODES, related_table
from .index import job_index, seeker_index
from .models import Offer, Push
from .ranking import rank_jobs, take
from .rules import LEVEL_LABEL, OCCUPATION_FIT, reasons
from .services import MatchingError, certificates_of, check_radius
from .text import shared_terms

log = logging.getLogger(__name__)

NO_WISHES = "未填写求职意向"
NOT_SEEKING = "非求职状态且无求职意向"
NO_POINT = "未登记居住地坐标,无法按距离推送"
NO_JOB = "可达范围内没有合适的新岗位"
FULL = "合适岗位的推送名额已满"
NONE_LISTED = 5_000  # people without an offer named in a push's report (and its export)


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


def push_preview(
    *,
    user,
    region_prefix: str,
    group: str = "",
    labour_status: str = "",
    offers_per_person: int = 3,
    radius_km: float | None = None,
) -> dict:
    """What a push with these settings would reach, before anything is sent."""
    scope = user_scope_prefix(user)
    region_prefix = (region_prefix or scope or "").strip()
    if scope is None or not region_prefix.startswith(scope) or not region_prefix.isdigit():
        raise MatchingError(f"区域{region_prefix or '(未填)'}不在您的管辖范围内")
    draft = Push(region_prefix=region_prefix, group=group, labour_status=labour_status)
    today = timezone.localdate()
    jobs = Job.objects.filter(
        region_prefix_q("region_id", region_prefix[:4]),
        status=JobStatus.OPEN,
        valid_from__lte=today,
        valid_to__gte=today,
    )
    return {
        "people": group_of(draft).count(),
        "jobs": jobs.count(),
        "offers_per_person": offers_per_person,
        "region_prefix": region_prefix,
    }


def why_no_offer(person: Person) -> str:
    """The reason the latest push that reached the person sent them nothing, if it did."""
    for push in Push.objects.filter(status=Push.Status.DONE).order_by("-pk")[:10]:
        if not person.community_id.startswith(push.region_prefix):
            continue
        for pk, reason in push.report.get("none_people", []):
            if pk == person.pk:
                return reason
    return ""


def group_of(push: Push):
    """The push's people (a queryset)."""
    qs = Person.objects.filter(region_prefix_q("community_id", push.region_prefix))
    if push.group:
        tagged = KeyGroupTag.objects.filter(group=push.group, end__isnull=True).values("person_id")
        qs = qs.filter(pk__in=tagged)
    if push.labour_status:
        qs = qs.filter(labour_status=push.labour_status)
    return qs


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
    group = group_of(push)
    contacts = {  # longest-waiting first: they take the scarce jobs
        pk: (name, phone)
        for pk, name, phone in group.order_by("status_since", "id").values_list(
            "id", "name", "phone"
        )
    }
    pks = list(contacts)
    push.people = len(pks)
    if not pks:
        push.message = "该群体没有人员,未推送"
        push.report = {"offers_per_person": {}, "none": {}, "jobs": {}}
        return
    members = group.values("id")
    certificates = certificates_of(members)
    sent = defaultdict(set)
    for person_id, job_id in Offer.objects.filter(person_id__in=members).values_list(
        "person_id", "job_id"
    ):
        sent[person_id].add(job_id)
    jobs, seekers = job_index(), seeker_index()
    with jobs.lock, seekers.lock:
        ranker = PushRanker(push, jobs, seekers, today)
        jcols = ranker.jcols
        capacity = np.ceil(jcols["headcount"] * settings.MATCHING["offers_per_opening"])
        capacity = capacity.astype(np.int64)
        row_of_job = {int(pk): i for i, pk in enumerate(jcols["pk"])}
        used = np.zeros(len(row_of_job), dtype=np.int64)
        for job_id, n in (
            Offer.objects.values("job_id").annotate(n=Count("id")).values_list("job_id", "n")
        ):
            if job_id in row_of_job:
                used[row_of_job[job_id]] = n
        # offers are counted per job, not kept: each chunk's are written and let go
        per_job, none, job_names = Counter(), {}, {}
        counts = Counter()
        size = settings.MATCHING["push_chunk"]
        pieces = (
            (
                chunk,
                {pk: certificates[pk] for pk in chunk if pk in certificates},
                {pk: push.offers_per_person + len(sent[pk]) + 20 for pk in chunk},
            )
            for chunk in (pks[i : i + size] for i in range(0, len(pks), size))
        )
        done = 0
        for found in ranked_in_order(ranker, pieces, _processes(len(pks))):
            picked_here = []
            for pk, result in found:  # in order: the longest-waiting take the scarce jobs
                if isinstance(result, str):
                    none[pk] = result
                    continue
                profile, rows, parts = result
                picked, why = _choose(
                    push, profile, jobs, jcols, rows, parts, capacity, used, sent[pk]
                )
                picked_here += picked
                counts[len(picked)] += 1
                if not picked:
                    none[pk] = why
            _deliver(push, picked_here, contacts, job_names)  # as the next pieces rank
            per_job.update(offer["job_id"] for offer in picked_here)
            done += len(found)
            if on_progress:
                on_progress(done, len(pks))
            cache.set(push.progress_key, (done, len(pks)), timeout=3600)
    counts[0] = len(none)
    from apps.services.services import record_pushed_offers

    record_pushed_offers(push.pk)  # each offer is a service to the person (岗位推送)
    push.offers = per_job.total()
    push.report = {
        "offers_per_person": {str(k): v for k, v in sorted(counts.items())},
        "none": dict(Counter(none.values())),
        # the people staff can act on first (no wishes, no place, nothing within reach,
        # openings taken), those not seeking work last; at most NONE_LISTED of them
        "none_people": [
            [pk, reason]
            for pk, reason in sorted(none.items(), key=lambda item: item[1] == NOT_SEEKING)[
                :NONE_LISTED
            ]
        ],
        "none_people_total": len(none),
        "jobs": _capacity_report(per_job, jcols, row_of_job),
    }


class PushRanker:
    """What ranking a push's people needs, prepared once per push: the columns of the
    jobs open and valid today, copied in the order of their 中类 and kind of work (about
    24 MB for 100,000 jobs), so that the jobs of a set of wished 中类 and one kind are a
    few runs of consecutive rows, read in order. Ranking processes forked for the push
    inherit it."""

    def __init__(self, push: Push, jobs, seekers, today):
        self.radius_km, self.today = push.radius_km, today
        self.jobs, self.seekers = jobs, seekers
        self.market_wage = jobs.market_wage
        related_table()  # read here: the ranking processes forked for the push inherit it
        self.jcols, jalive = jobs.view()
        t = today.toordinal()
        open_rows = np.flatnonzero(
            jalive & (self.jcols["valid_from"] <= t) & (self.jcols["valid_to"] >= t)
        )
        middles = self.jcols["occupation"][open_rows, 1]
        kinds = self.jcols["kind"][open_rows].astype(np.int64)
        order = np.lexsort((kinds, middles))
        self.rows = open_rows[order]  # each ordered row's row in the index
        self.cols = {
            name: col if name == OCCUPATION_CODES else take(col, self.rows)
            for name, col in self.jcols.items()
        }
        self.alive = np.ones(len(self.rows), dtype=bool)
        self.runs = defaultdict(list)  # (中类, kind or None) → [(start, end)]
        pairs = np.stack([middles[order], kinds[order]], axis=1)
        _, starts = np.unique(pairs, axis=0, return_index=True)
        self.middles_of = defaultdict(set)  # 大类 → its 中类 with open jobs
        majors = self.cols["occupation"][:, 0]
        for start, end in zip(starts, [*starts[1:], len(pairs)], strict=True):
            middle, kind = (int(v) for v in pairs[start])
            self.runs[middle, kind].append((int(start), int(end)))
            self.runs[middle, None].append((int(start), int(end)))
            self.middles_of[int(majors[start])].add(middle)
        self.slice = functools.lru_cache(maxsize=1024)(self._slice)  # in each process

    def middles(self, wishes, related=None) -> tuple[int, ...]:
        """The 中类 whose jobs can be suitable for these wishes: each wished 中类 and every
        中类 of a 大类 wished as a whole (any job inside it fits fully); every 中类 of the
        wishes' 大类 when the minimum fit admits a job of the same 大类 alone, and every
        中类 when it admits any job; and the 中类 of each neighbour of a wished 职业
        (``related``: PersonProfile.related) whose fit reaches the minimum."""
        least = settings.MATCHING["push_min_occupation_fit"]
        if least <= OCCUPATION_FIT[0]:
            return tuple(sorted({m for ms in self.middles_of.values() for m in ms}))
        whole = least <= OCCUPATION_FIT[1]
        out = set()
        for wish in wishes:
            if wish[4] >= 2 and not whole:
                out.add(wish[1])
            else:
                out |= self.middles_of.get(wish[0], set())
        out |= {code // 10_000 for code, fit in (related or {}).items() if fit >= least}
        return tuple(sorted(out))

    def _slice(self, middles: tuple[int, ...], kinds: int) -> np.ndarray:
        """The ordered rows of the open jobs of some 中类 and kinds (bits of KIND_CODE;
        0 for any)."""
        wanted = [k for k in range(16) if (kinds >> k) & 1] if kinds else [None]
        spans = [
            np.arange(a, b) for m in middles for k in wanted for a, b in self.runs.get((m, k), ())
        ]
        return np.concatenate(spans) if spans else np.zeros(0, dtype=np.int64)

    def rank(self, piece) -> list[tuple[int, object]]:
        """Each person of the piece with (profile, job rows best first, components), or
        the reason they cannot be ranked; in the piece's order."""
        pks, certificates, k_of = piece
        seekers, found, ready = self.seekers, {}, []
        for pk in pks:
            row = seekers.row_of.get(pk)
            if row is None or not seekers.alive[row]:
                found[pk] = NOT_SEEKING
                continue
            profile = seekers.profile(row, self.today, certificates.get(pk, []), self.market_wage)
            if not profile.wishes:
                found[pk] = NO_WISHES
            elif self.radius_km is not None and profile.lat is None:
                found[pk] = NO_POINT
            else:
                ready.append((self.middles(profile.wishes, profile.related), pk, profile))
        ready.sort(key=lambda item: item[0])  # people of one slice together
        for key, pk, profile in ready:
            rows = self.slice(key, profile.wish_kinds)
            if not len(rows):
                found[pk] = NO_JOB
                continue
            rows, parts = rank_jobs(
                profile,
                self.cols,
                self.alive,
                self.today,
                commute_limit(self.radius_km, profile),
                k_of[pk],
                query=self.jobs.query(profile.text),
                rows=rows,
                # a slice holds whole 中类: a neighbour's 中类 brings its other trades too
                min_fit=settings.MATCHING["push_min_occupation_fit"],
            )
            # index rows, as lists: cheaper to send back and to read one by one than arrays
            found[pk] = (
                profile,
                self.rows[rows].tolist(),
                {n: v.tolist() for n, v in parts.items()},
            )
        return [(pk, found[pk]) for pk in pks]


def commute_limit(radius_km: float | None, profile) -> float | None:
    """How far a push looks for one person: the push's radius, and the commute the person
    accepts (可接受通勤距离) when they said one and their place is known; the nearer."""
    limits = [radius_km]
    if profile.wish_max_km is not None and profile.lat is not None:
        limits.append(profile.wish_max_km)
    limits = [x for x in limits if x is not None]
    return min(limits) if limits else None


def _processes(people: int) -> int:
    """Ranking processes for a push: MATCHING["push_processes"] (0: one per CPU), none
    beyond the parent for a push of one chunk."""
    wanted = settings.MATCHING["push_processes"] or os.cpu_count() or 1
    return 1 if people <= settings.MATCHING["push_chunk"] else wanted


@contextlib.contextmanager
def _may_fork():
    """Celery's prefork workers are daemonic processes, which multiprocessing does not
    let have children (for fear of orphans); the ranking processes are joined before the
    push ends, so the rule is lifted while they are forked."""
    config = multiprocessing.current_process()._config
    daemon = config.pop("daemon", None)
    try:
        yield
    finally:
        if daemon is not None:
            config["daemon"] = daemon


_fork_lock = threading.Lock()
_forked_ranker: PushRanker | None = None  # what forked ranking processes read


def _rank_in_child(piece):
    return _forked_ranker.rank(piece)


def ranked_in_order(ranker: PushRanker, pieces, processes: int):
    """The ranker's results for each piece, in the pieces' order. With more than one
    process, the pieces are ranked by processes forked from this one (they share the
    index pages copy-on-write and touch neither the database nor any lock), a few pieces
    ahead of what the caller consumes; the capacity is still decided here, in order, so
    the offers are those of ranking in one process."""
    global _forked_ranker
    if processes <= 1:
        yield from map(ranker.rank, pieces)
        return
    pieces = iter(pieces)
    pending: deque = deque()
    context = multiprocessing.get_context("fork")
    # What exists now is left out of garbage collection until the push ends (as the gc
    # module advises before forking): the children's collections then do not write to
    # the pages they share with this process, and this one's do not walk a large heap
    # (a Celery worker's, a process that has just imported a file) again and again.
    gc.freeze()
    with contextlib.ExitStack() as stack:
        stack.callback(gc.unfreeze)
        pool = stack.enter_context(ProcessPoolExecutor(max_workers=processes, mp_context=context))
        with _fork_lock, _may_fork():  # they fork at the first submit, holding this ranker
            _forked_ranker = ranker
            try:
                for piece in itertools.islice(pieces, 4 * processes):
                    pending.append(pool.submit(_rank_in_child, piece))
            finally:
                _forked_ranker = None
        while pending:
            result = pending.popleft().result()
            for piece in itertools.islice(pieces, 1):
                pending.append(pool.submit(_rank_in_child, piece))
            yield result


def _choose(push, profile, jobs, jcols, rows, parts, capacity, used, sent):
    """Up to N of a person's ranked jobs (index rows, best first) that are suitable, not
    sent before and have room."""
    picked, full = [], False
    for i, row in enumerate(rows):
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
            "work" if profile.from_work_place else "person",
            shared=shared_terms(profile.text, jobs.text_of(row)),
            wage_said=profile.wish_min_wage is not None,
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


def _deliver(push: Push, offers: list[dict], contacts: dict, job_names: dict) -> None:
    """Record some of the push's offers and send the notices, one per person with all
    their offers. ``job_names``: job → (employer, title), filled as needed."""
    if not offers:
        return
    by = {"push_id": push.pk, "created_by_id": push.created_by_id, "status": Offer.Status.SENT}
    insert_rows(Offer, [{**offer, **by} for offer in offers])
    new = {o["job_id"] for o in offers} - job_names.keys()
    job_names.update(
        (pk, (employer, title))
        for pk, employer, title in Job.objects.filter(pk__in=new).values_list(
            "pk", "employer__name", "title"
        )
    )
    notices: dict[int, OfferNotice] = {}
    for offer in offers:  # in each person's order: best first
        pk = offer["person_id"]
        if pk not in notices:
            notices[pk] = OfferNotice(pk, *contacts[pk], jobs=[])
        notices[pk].jobs.append(job_names[offer["job_id"]])
    for channel in channels():
        channel.send(list(notices.values()), push)


def _capacity_report(per_job: Counter, jcols, row_of_job) -> dict:
    """How offers per job compare with each job's openings."""
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
