"""The open job feed (岗位数据共享): the open jobs without personal data, as a snapshot
and as a stream of changes, so that a partner's copy (the provincial platform, a job
site, a WeChat mini-program) stays exactly the platform's open jobs — as JobTech's
JobStream does for Sweden.

The feed carries the open jobs (status open, today within the validity: ``board.
open_jobs``) but those of employers on the wage-arrears blacklist (欠薪黑名单): the
platform shows them on its board, flagged, but neither recommends nor pushes them, and a
feed is a push. A job enters or leaves the feed when it is written (``updated_at``), when
its employer is (put on or taken off the blacklist: the employer's ``updated_at``), when
the day its validity starts or ends or its employer's listing ends passes (at local
midnight, with no write), or when it is deleted (a ``RemovedJob`` tombstone). The
changes of a window (since, until] are every job touched in one of these ways, each
reported as it stands now: the job if the feed carries it, a removal if not. Reporting
the current state (not each event) makes replaying idempotent and order-free.

``until`` lags the clock by ``LAG``, so that a write whose transaction was still open
when the window was read (its ``updated_at`` is earlier than its commit) falls in the
next window rather than in none."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from apps.accounts.scoping import region_prefix_q

from .board import open_jobs
from .models import Job, RemovedJob

LAG = dt.timedelta(seconds=2)
FIELDS = ("employer", "occupation", "region")
# what a job's public record reads of it and of what it names (apps/api/jobs.job_out)
PUBLIC = (
    *(f.attname for f in Job._meta.concrete_fields if f.attname not in ("h3", "import_job_id")),
    "employer__name",
    "employer__credit_code",
    "employer__blacklisted",
    "employer__blacklist_to",
    "occupation__name",
    "region__name",
    "region__level",
)


def now_with_lag() -> dt.datetime:
    return timezone.now() - LAG


def page(qs: QuerySet[Job], after: int, limit: int) -> list[Job]:
    """The jobs of ``qs`` after id ``after``, by id, with what their public record names."""
    return list(
        qs.select_related(*FIELDS).only(*PUBLIC).filter(pk__gt=after).order_by("pk")[:limit]
    )


def feed_jobs(today: dt.date | None = None) -> QuerySet[Job]:
    """The jobs the feed carries: open, and not of an employer on the blacklist that day
    (unless the job's region shows them in matching too: BLACKLIST_EXEMPT_REGIONS)."""
    today = today or timezone.localdate()
    listed = Q(employer__blacklisted=True) & (
        Q(employer__blacklist_to__isnull=True) | Q(employer__blacklist_to__gt=today)
    )
    for prefix in settings.BLACKLIST_EXEMPT_REGIONS:
        listed &= ~region_prefix_q("region_id", prefix)
    return open_jobs(today).exclude(listed)


def snapshot(after: int = 0, limit: int = 100, today: dt.date | None = None) -> list[Job]:
    """A page of the jobs the feed carries, by id after ``after``."""
    return page(feed_jobs(today), after, limit)


def _midnights(since: dt.datetime, until: dt.datetime) -> tuple[dt.date, dt.date] | None:
    """The first and last day whose local midnight lies in (since, until], if any."""
    first = timezone.localtime(since).date() + dt.timedelta(days=1)
    last = timezone.localtime(until).date()
    return (first, last) if first <= last else None


@dataclass
class Change:
    job_id: int
    job: Job | None  # None: removed from the open jobs (closed, paused, expired, deleted)


def touched(since: dt.datetime, until: dt.datetime) -> list[QuerySet]:
    """The ids (each a queryset of ``pk``) of what may have changed in (since, until]."""
    sets = [
        Job.objects.filter(updated_at__gt=since, updated_at__lte=until).values_list(
            "pk", flat=True
        ),
        Job.objects.filter(
            employer__updated_at__gt=since, employer__updated_at__lte=until
        ).values_list("pk", flat=True),
        RemovedJob.objects.filter(removed_at__gt=since, removed_at__lte=until).values_list(
            "job_id", flat=True
        ),
    ]
    days = _midnights(since, until)
    if days:
        first, last = days
        # opened at the midnight of its first day; lapsed at the midnight after its last
        sets.append(Job.objects.filter(valid_from__range=days).values_list("pk", flat=True))
        sets.append(
            Job.objects.filter(
                valid_to__range=(first - dt.timedelta(days=1), last - dt.timedelta(days=1))
            ).values_list("pk", flat=True)
        )
        # off the blacklist on its removal date (移出日期)
        sets.append(
            Job.objects.filter(employer__blacklist_to__range=days).values_list("pk", flat=True)
        )
    return sets


def changes(
    since: dt.datetime, until: dt.datetime, after: int = 0, limit: int = 100
) -> list[Change]:
    """A page (by job id after ``after``) of the changes in (since, until], each as the job
    stands now (open) or a removal."""
    ids: set[int] = set()
    for qs in touched(since, until):
        ids.update(qs.filter(**{f"{_key(qs)}__gt": after}).order_by(_key(qs))[:limit])
    chosen = sorted(ids)[:limit]
    today = timezone.localdate(until)
    live = feed_jobs(today).select_related(*FIELDS).only(*PUBLIC).in_bulk(chosen)
    return [Change(pk, live.get(pk)) for pk in chosen]


def _key(qs: QuerySet) -> str:
    return "job_id" if qs.model is RemovedJob else "pk"
