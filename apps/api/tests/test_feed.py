"""The open job feed: a partner's copy kept by the snapshot and the changes equals the
platform's open jobs, whatever happened in between (published, edited, closed, paused,
deleted, expired, opened on its first day)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from apps.accounts.models import Role, User
from apps.jobs import publishing
from apps.jobs.feed import feed_jobs
from apps.jobs.models import JobStatus
from apps.people.tests.factories import EmployerFactory, JobFactory

pytestmark = pytest.mark.django_db


def _pages(client, url: str, headers: dict, **params):
    """Every page of a feed call; the last page's body."""
    items, body = [], None
    cursor = None
    while True:
        query = {**params, "limit": 2} if cursor is None else {"cursor": cursor, "limit": 2}
        body = client.get(url, query, **headers).json()
        assert "error" not in body, body
        items += body["items"]
        cursor = body["next"]
        if cursor is None:
            return items, body


def _replay(copy: dict, changes: list) -> None:
    for c in changes:
        if c["change"] == "upsert":
            copy[c["id"]] = c["job"]
        else:
            copy.pop(c["id"], None)


def _platform() -> dict:
    return {j.pk: (j.title, j.valid_to.isoformat(), j.wage_min) for j in feed_jobs()}


def _seen(copy: dict) -> dict:
    return {pk: (j["title"], j["valid_to"], j["wage_min"]) for pk, j in copy.items()}


def test_a_copy_replayed_from_the_feed_is_exactly_the_open_jobs(client, key, partner):
    today = timezone.localdate()
    day = dt.timedelta(days=1)
    # the platform as it stood before the partner came (written ten minutes earlier, so
    # that nothing reaches the copy by having been written just before its snapshot)
    with time_machine.travel(timezone.now() - dt.timedelta(minutes=10), tick=False):
        employer = EmployerFactory()
        boss = User.objects.create_user(username="boss", role=Role.EMPLOYER, employer=employer)
        kept = JobFactory(employer=employer, valid_from=today - 5 * day, valid_to=today + 30 * day)
        edited = JobFactory(
            employer=employer, valid_from=today - 5 * day, valid_to=today + 30 * day
        )
        paused = JobFactory(
            employer=employer, valid_from=today - 5 * day, valid_to=today + 30 * day
        )
        expiring = JobFactory(employer=employer, valid_from=today - 5 * day, valid_to=today)
        deleted = JobFactory(
            employer=employer, valid_from=today - 5 * day, valid_to=today + 9 * day
        )
        starting = JobFactory(
            employer=employer, valid_from=today + 2 * day, valid_to=today + 9 * day
        )
        JobFactory(employer=employer, status=JobStatus.CLOSED, valid_to=today + 9 * day)
        # an employer put on the wage-arrears blacklist, one whose listing ends in two days
        arrears = EmployerFactory()
        owed = JobFactory(employer=arrears, valid_from=today - 5 * day, valid_to=today + 30 * day)
        listed = EmployerFactory(
            blacklisted=True,
            blacklist_reason="欠薪",
            blacklist_from=today - 30 * day,
            blacklist_to=today + 2 * day,
        )
        back = JobFactory(employer=listed, valid_from=today - 5 * day, valid_to=today + 30 * day)
    headers = key(partner, "feed:read")

    # a partner takes the snapshot…
    snapshot, last = _pages(client, "/api/feed/snapshot", headers)
    copy = {j["id"]: j for j in snapshot}
    assert set(copy) == {kept.pk, edited.pk, paused.pk, expiring.pk, deleted.pk, owed.pk}
    as_of = last["as_of"]

    # …then the platform changes: an edit, a pause, a deletion, a new job, an employer
    # put on the blacklist
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=5), tick=False):
        edited.wage_min = 4500
        edited.save()
        publishing.change(user=boss, job=paused, action="pause")
        deleted_pk = deleted.pk
        deleted.delete()
        added = JobFactory(employer=employer, valid_from=today, valid_to=today + 9 * day)
        arrears.blacklisted, arrears.blacklist_reason = True, "拖欠工资"
        arrears.blacklist_from = today
        arrears.save()
    # two days on: one job expired (no write), one opened on its first day (no write)
    with time_machine.travel(timezone.now() + 2 * day, tick=False):
        changes, last = _pages(client, "/api/feed/changes", headers, since=as_of)
        _replay(copy, changes)
        assert _seen(copy) == _platform()
        assert expiring.pk not in copy and starting.pk in copy and added.pk in copy
        assert owed.pk not in copy and back.pk in copy  # listed; and off the list again
        assert edited.pk in copy and copy[edited.pk]["wage_min"] == 4500
        assert {c["id"] for c in changes if c["change"] == "remove"} >= {
            paused.pk,
            deleted_pk,
            expiring.pk,
        }
        # nothing changed since: reading on from `until` gives nothing
        again, _ = _pages(client, "/api/feed/changes", headers, since=last["until"])
        assert again == []


def test_changes_need_a_time_zone_and_a_good_cursor(client, key, partner):
    headers = key(partner, "feed:read")
    naive = client.get("/api/feed/changes", {"since": "2026-12-01T08:00:00"}, **headers)
    assert naive.status_code == 400
    assert naive.json()["error"]["field"] == "since"
    bad = client.get("/api/feed/changes", {"cursor": "not-a-cursor"}, **headers)
    assert bad.status_code == 400 and bad.json()["error"]["field"] == "cursor"
    missing = client.get("/api/feed/changes", **headers)
    assert missing.status_code == 400


def test_the_feed_carries_no_personal_data(client, key, partner):
    employer = EmployerFactory(contact_name="王经理", contact_phone="13912345678")
    today = timezone.localdate()
    JobFactory(employer=employer, valid_from=today, valid_to=today + dt.timedelta(days=3))
    body = client.get("/api/feed/snapshot", **key(partner, "feed:read")).content.decode()
    assert "13912345678" not in body and "王经理" not in body
    assert employer.name in body
