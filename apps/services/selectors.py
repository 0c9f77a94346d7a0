"""Reads: who is owed what under the service promises (服务承诺), counted from the records.

For each active rule that applies in the viewer's region, the people it covers are found
with the registry's filters (key group tag active, labour status, age), each with the day
the promise started for them: the day they joined the group (or took their status) for a
one-off promise, the first day of this month or quarter for a periodic one. Their service
records since that day are counted in one aggregate query (a temporary table of the people
and their window joined to the records on the (person, kind, time) index), and whoever
has fewer services of a kind than promised is owed the difference."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from apps.accounts.models import Role, User
from apps.accounts.scoping import region_prefix_q
from apps.people.models import KeyGroupTag, Person
from apps.regions.models import Region

from .models import PromisePeriod, PromiseRule, ServiceRecord


@dataclass
class Owed:
    person_id: int
    rule: PromiseRule
    community_id: str
    since: dt.date
    missing: list[tuple[str, int]]  # (what, how many more)
    waited: int  # days since the promise started for them


@dataclass
class RuleSummary:
    rule: PromiseRule
    covered: int = 0
    fulfilled: int = 0

    @property
    def owed(self) -> int:
        return self.covered - self.fulfilled


@dataclass
class CommunityOwed:
    code: str
    name: str
    owed: int
    staff: list[str]
    longest_days: int


@dataclass
class Dashboard:
    today: dt.date
    rules: list[RuleSummary]
    owed: list[Owed]  # longest owed first
    communities: list[CommunityOwed] = field(default_factory=list)


def window_start(rule: PromiseRule, since: dt.date, today: dt.date) -> dt.date:
    """The first day services count from for one person."""
    if rule.period == PromisePeriod.MONTH:
        return today.replace(day=1)
    if rule.period == PromisePeriod.QUARTER:
        return dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    return since


def rule_scope(rule: PromiseRule, prefix: str) -> str | None:
    """The region both the rule and the viewer cover, or None."""
    a, b = rule.region_prefix, prefix
    if a.startswith(b):
        return a
    if b.startswith(a):
        return b
    return None


def covered(rule: PromiseRule, prefix: str, today: dt.date) -> list[tuple[int, dt.date, str]]:
    """(person, the day the promise started for them, community) of everyone it covers."""
    people = Person.objects.all()
    if prefix:
        people = people.filter(region_prefix_q("community_id", prefix))
    if rule.statuses:
        people = people.filter(labour_status__in=rule.statuses)
    if rule.age_max is not None:
        oldest = today.replace(year=today.year - rule.age_max - 1)
        people = people.filter(birth_date__gt=oldest)
    if not rule.group:
        return list(people.order_by().values_list("id", "status_since", "community_id"))
    first: dict[int, tuple[dt.date, str]] = {}
    for pk, start, community in (
        KeyGroupTag.objects.filter(group=rule.group, end__isnull=True, person__in=people)
        .order_by()
        .values_list("person_id", "start", "person__community_id")
    ):
        if pk not in first or start < first[pk][0]:
            first[pk] = (start, community)
    return [(pk, start, community) for pk, (start, community) in first.items()]


def _count(windows: list[tuple[int, int, dt.datetime]]) -> dict[tuple[int, int], Counter]:
    """(rule index, person) → services by kind since each person's window start."""
    out: dict[tuple[int, int], Counter] = defaultdict(Counter)
    if not windows:
        return out
    table = ServiceRecord._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE promise_window "
            "(rule_index integer, person_id bigint, since timestamp with time zone)"
            if connection.vendor == "postgresql"
            else "CREATE TEMPORARY TABLE promise_window "
            "(rule_index integer, person_id integer, since text)"
        )
        try:
            if connection.vendor == "postgresql":
                with cursor.copy(
                    "COPY promise_window (rule_index, person_id, since) FROM STDIN"
                ) as copy:
                    for row in windows:
                        copy.write_row(row)
            else:  # SQLite keeps UTC timestamps as text: compare like with like
                cursor.executemany(
                    "INSERT INTO promise_window VALUES (%s, %s, %s)",
                    [(i, pk, at.strftime("%Y-%m-%d %H:%M:%S")) for i, pk, at in windows],
                )
            cursor.execute(
                f"SELECT w.rule_index, w.person_id, s.kind, COUNT(*) FROM promise_window w "
                f"JOIN {table} s ON s.person_id = w.person_id AND s.at >= w.since "
                f"GROUP BY w.rule_index, w.person_id, s.kind"
            )
            for i, pk, kind, n in cursor.fetchall():
                out[(i, pk)][kind] = n
        finally:
            cursor.execute("DROP TABLE promise_window")
    return out


def promise_dashboard(prefix: str, today: dt.date | None = None) -> Dashboard:
    """Who in the region ``prefix`` is owed what, longest owed first."""
    today = today or timezone.localdate()
    tz = ZoneInfo(settings.TIME_ZONE)
    rules = [
        (rule, scope)
        for rule in PromiseRule.objects.filter(active=True)
        if (scope := rule_scope(rule, prefix)) is not None
    ]
    people: list[list[tuple[int, dt.date, str]]] = []
    windows = []
    for i, (rule, scope) in enumerate(rules):
        rows = covered(rule, scope, today)
        people.append(rows)
        for pk, since, _ in rows:
            start = window_start(rule, since, today)
            windows.append((i, pk, dt.datetime.combine(start, dt.time(), tz).astimezone(dt.UTC)))
    counts = _count(windows)
    summaries, owed = [], []
    for i, (rule, _) in enumerate(rules):
        summary = RuleSummary(rule)
        for pk, since, community in people[i]:
            done = counts.get((i, pk), Counter())
            missing = [
                (item["label"], item["count"] - n)
                for item in rule.requirements
                if (n := sum(done[k] for k in item["kinds"])) < item["count"]
            ]
            summary.covered += 1
            if missing:
                start = window_start(rule, since, today)
                owed.append(Owed(pk, rule, community, start, missing, (today - start).days))
            else:
                summary.fulfilled += 1
        summaries.append(summary)
    owed.sort(key=lambda o: (o.since, o.person_id))
    return Dashboard(today, summaries, owed, _by_community(owed, today))


def _by_community(owed: list[Owed], today: dt.date) -> list[CommunityOwed]:
    counts = Counter(o.community_id for o in owed)
    longest: dict[str, int] = {}
    for o in owed:
        longest[o.community_id] = max(longest.get(o.community_id, 0), o.waited)
    names = dict(Region.objects.filter(code__in=counts).values_list("code", "name"))
    staff = defaultdict(list)
    for code, username in User.objects.filter(
        role=Role.COMMUNITY_STAFF, scope_region_id__in=counts, is_active=True
    ).values_list("scope_region_id", "username"):
        staff[code].append(username)
    return [
        CommunityOwed(code, names.get(code, code), n, staff[code], longest[code])
        for code, n in counts.most_common()
    ]


@dataclass
class Event:
    at: dt.datetime | dt.date
    what: str
    detail: str


def timeline(person: Person, limit: int = 200) -> list[Event]:
    """One file (一人一档): the person's statuses, services, offers and applications, newest
    first. The caller has already checked the person is in the viewer's scope."""
    from apps.matching.models import Application

    tz = timezone.get_current_timezone()

    def day(value):
        if isinstance(value, dt.datetime):
            return timezone.localtime(value, tz)
        return dt.datetime.combine(value, dt.time(), tz)

    events = [
        Event(day(s.since), "劳动状态", f"{s.get_status_display()} {s.note}".strip())
        for s in person.status_history.all()
    ]
    for r in ServiceRecord.objects.filter(person=person).select_related("by", "job")[:limit]:
        who = r.by.username if r.by else ""
        job = f"「{r.job.title}」" if r.job else ""
        events.append(
            Event(day(r.at), r.get_kind_display(), " ".join(x for x in (job, r.outcome, who) if x))
        )
    for a in Application.objects.filter(person=person).select_related("job__employer")[:limit]:
        events.append(
            Event(
                day(a.decided_at or a.interview_at or a.created_at),
                "求职申请",
                f"{a.job.employer.name}「{a.job.title}」{a.get_stage_display()}"
                f"({a.get_source_display()})",
            )
        )
    events.sort(key=lambda e: e.at, reverse=True)
    return events[:limit]
