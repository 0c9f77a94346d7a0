"""Reads: who is owed what under the service promises (服务承诺), counted from the records.

For each active rule that applies in the viewer's region, the people it covers are found
with the registry's filters (key group tag active, labour status, age), each with the day
the promise started for them: the day they joined the group (or took their status) for a
one-off promise, the first day of this month or quarter for a periodic one. Their service
records since that day are counted in the database: one statement builds a working table
of each covered person's counts per promised item (the eligibility filters come from the
ORM), and two small reads take the totals and one page of the people owed. Whoever has
fewer services of a kind than promised is owed the difference."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Min
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
    owed: list[Owed]  # longest owed first: one page, or everyone
    communities: list[CommunityOwed] = field(default_factory=list)
    total_owed: int = 0


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
    return [(r["pid"], r["since"], r["home"]) for r in _eligible(rule, prefix, today)]


MAX_ITEMS = 6  # promised items a rule may list (the count columns of the working table)


def _eligible(rule: PromiseRule, scope: str, today: dt.date):
    """(pid, home community, since) of everyone the rule covers: for a key group, its
    active tags joined to their people (one join the planner can start from either side)."""
    filters = {}
    if rule.statuses:
        filters["labour_status__in"] = rule.statuses
    if rule.age_max is not None:
        filters["birth_date__gt"] = today.replace(year=today.year - rule.age_max - 1)
    if rule.group:
        qs = KeyGroupTag.objects.filter(
            group=rule.group,
            end__isnull=True,
            **{f"person__{k}": v for k, v in filters.items()},
        )
        if scope:
            qs = qs.filter(region_prefix_q("person__community_id", scope))
        qs = (
            qs.order_by()
            .values(pid=F("person_id"), home=F("person__community_id"))
            .annotate(since=Min("start"))
        )
    else:
        qs = Person.objects.filter(**filters)
        if scope:
            qs = qs.filter(region_prefix_q("community_id", scope))
        qs = qs.order_by().values(pid=F("id"), home=F("community_id"), since=F("status_since"))
    return qs


def _eligible_sql(rule: PromiseRule, scope: str, today: dt.date) -> tuple[str, tuple]:
    return _eligible(rule, scope, today).query.get_compiler(connection.alias).as_sql()


def _midnight_sql(column: str) -> tuple[str, list]:
    """SQL for local midnight of a date column, as the stored time type."""
    if connection.vendor == "postgresql":
        return f"({column}::timestamp AT TIME ZONE %s)", [settings.TIME_ZONE]
    offset = timezone.localtime().utcoffset() or dt.timedelta()
    return f"datetime({column}, %s)", [f"{-offset.total_seconds() / 3600:+g} hours"]


def _midnight_value(day: dt.date):
    at = dt.datetime.combine(day, dt.time(), ZoneInfo(settings.TIME_ZONE)).astimezone(dt.UTC)
    return at if connection.vendor == "postgresql" else at.strftime("%Y-%m-%d %H:%M:%S")


def _rule_sql(i: int, rule: PromiseRule, scope: str, today: dt.date) -> tuple[str, list]:
    """(rule, person, community, window start, owed?, count of each item) for everyone the
    rule covers: their services since their window start, counted per promised item."""
    eligible, eligible_params = _eligible_sql(rule, scope, today)
    items = rule.requirements[:MAX_ITEMS]
    kinds = sorted({k for item in items for k in item["kinds"]})
    if rule.period == PromisePeriod.ONCE:
        since_sql, since_params = "e.since", []
        start_sql, start_params = _midnight_sql("e.since")
    else:
        first = window_start(rule, today, today)
        since_sql, since_params = "%s", [first]
        start_sql, start_params = "%s", [_midnight_value(first)]
    counts, count_params = [], []
    for item in items:
        marks = ", ".join(["%s"] * len(item["kinds"]))
        counts.append(f"SUM(CASE WHEN s.kind IN ({marks}) THEN 1 ELSE 0 END)")
        count_params.append(list(item["kinds"]))
    owed_sql = " OR ".join(f"{c} < %s" for c in counts)
    owed_params = [
        p
        for kinds_of, item in zip(count_params, items, strict=True)
        for p in (*kinds_of, item["count"])
    ]
    columns = counts + ["0"] * (MAX_ITEMS - len(counts))
    table = connection.ops.quote_name(ServiceRecord._meta.db_table)
    # Expressions and names built here from the rules' shape; every value is a parameter.
    sql = (
        f"SELECT %s AS r, e.pid AS pid, e.home AS community, {since_sql} AS since, "  # noqa: S608
        f"CASE WHEN {owed_sql} THEN 1 ELSE 0 END AS owed, "
        + ", ".join(f"{c} AS n{k}" for k, c in enumerate(columns))
        + f" FROM ({eligible}) e LEFT JOIN {table} s ON s.person_id = e.pid"
        + f" AND s.at >= {start_sql} AND s.kind IN ({', '.join(['%s'] * len(kinds))})"
        + " GROUP BY e.pid, e.home, e.since"
    )
    params = [
        i,
        *since_params,
        *owed_params,
        *[p for kinds_of in count_params for p in kinds_of],
        *eligible_params,
        *start_params,
        *kinds,
    ]
    return sql, params


def promise_dashboard(
    prefix: str,
    today: dt.date | None = None,
    *,
    page: int = 1,
    per_page: int = 50,
    everyone: bool = False,
) -> Dashboard:
    """Who in the region ``prefix`` is owed what: totals per rule and community, and one
    page of the people owed (``everyone``: all of them), longest owed first."""
    today = today or timezone.localdate()
    rules = [
        (rule, scope)
        for rule in PromiseRule.objects.filter(active=True)
        if (scope := rule_scope(rule, prefix)) is not None
    ]
    summaries = [RuleSummary(rule) for rule, _ in rules]
    if not rules:
        return Dashboard(today, summaries, [], [], 0)
    parts = [_rule_sql(i, rule, scope, today) for i, (rule, scope) in enumerate(rules)]
    union = " UNION ALL ".join(sql for sql, _ in parts)
    params = [p for _, ps in parts for p in ps]
    by_community: dict[str, list] = {}
    owed: list[Owed] = []
    columns = ", ".join(f"n{k}" for k in range(MAX_ITEMS))
    with transaction.atomic(), connection.cursor() as cursor:
        # On an error the transaction rolls back and takes the working table with it.
        cursor.execute(f"CREATE TEMPORARY TABLE promise_counts AS {union}", params)
        cursor.execute(
            "SELECT r, community, COUNT(*), SUM(owed), MIN(CASE WHEN owed = 1 THEN since END)"
            " FROM promise_counts GROUP BY r, community"
        )
        for i, community, n, n_owed, oldest in cursor.fetchall():
            summaries[i].covered += n
            summaries[i].fulfilled += n - n_owed
            if n_owed:
                row = by_community.setdefault(community, [0, None])
                row[0] += n_owed
                oldest = _as_date(oldest)
                row[1] = oldest if row[1] is None else min(row[1], oldest)
        sql = (  # column names of our own; page numbers are ints
            f"SELECT r, pid, community, since, {columns} FROM promise_counts"  # noqa: S608
            " WHERE owed = 1 ORDER BY since, pid, r"
        )
        if not everyone:
            sql += f" LIMIT {int(per_page)} OFFSET {int(per_page) * (max(1, page) - 1)}"
        cursor.execute(sql)
        for i, pk, community, since, *counts in cursor.fetchall():
            rule = rules[i][0]
            since = _as_date(since)
            missing = [
                (item["label"], item["count"] - n)
                for item, n in zip(rule.requirements[:MAX_ITEMS], counts, strict=False)
                if n < item["count"]
            ]
            owed.append(Owed(pk, rule, community, since, missing, (today - since).days))
        cursor.execute("DROP TABLE promise_counts")
    total = sum(s.owed for s in summaries)
    return Dashboard(today, summaries, owed, _communities(by_community, today), total)


def _as_date(value) -> dt.date:
    return dt.date.fromisoformat(value[:10]) if isinstance(value, str) else value


def _communities(rows: dict[str, list], today: dt.date) -> list[CommunityOwed]:
    names = dict(Region.objects.filter(code__in=rows).values_list("code", "name"))
    staff = defaultdict(list)
    for code, username in User.objects.filter(
        role=Role.COMMUNITY_STAFF, scope_region_id__in=rows, is_active=True
    ).values_list("scope_region_id", "username"):
        staff[code].append(username)
    return sorted(
        (
            CommunityOwed(code, names.get(code, code), n, staff[code], (today - oldest).days)
            for code, (n, oldest) in rows.items()
        ),
        key=lambda c: (-c.owed, c.code),
    )


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


def ledger(
    *,
    user: User,
    group: str,
    status: str = "",
    community: str = "",
    unserved_days: int | None = None,
    today: dt.date | None = None,
):
    """The real-name ledger (实名制台账) of a key group in the viewer's region: each member
    with the date they joined the group and their last service; filtered by labour status,
    community and how long unserved (no service for at least that many days, or never)."""
    from django.db.models import Max, Q

    from apps.people.selectors import people_in_scope

    today = today or timezone.localdate()
    qs = (
        people_in_scope(user)
        .filter(tags__group=group, tags__end__isnull=True)
        .select_related("community__parent")
        .annotate(joined=Min("tags__start"), last_service=Max("services__at"))
    )
    if status:
        qs = qs.filter(labour_status=status)
    if community:
        qs = qs.filter(region_prefix_q("community_id", community))
    if unserved_days is not None:
        cutoff = dt.datetime.combine(
            today - dt.timedelta(days=unserved_days), dt.time(), ZoneInfo(settings.TIME_ZONE)
        )
        qs = qs.filter(Q(last_service__lt=cutoff) | Q(last_service__isnull=True))
    return qs.order_by("community_id", "id")
