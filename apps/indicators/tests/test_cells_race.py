"""On PostgreSQL, with real transactions: a write under way holds the cells' lock shared,
so a dashboard reading meanwhile counts live and builds no cell (one built then would miss
the write once it commits, its mark having come first); after the commit the cells are
built and equal the live count."""

from __future__ import annotations

import datetime as dt
import os
import threading

import pytest
from django.db import connection, transaction

from apps.indicators.models import BuiltMonth, CellLock
from apps.indicators.selectors import figures
from apps.people.models import Registration
from apps.people.tests.factories import PersonFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="row locks between two connections are exercised on PostgreSQL",
    ),
]
MARCH = (dt.date(2026, 3, 1), dt.date(2026, 3, 31))


def count():
    return figures(["new_employment"], *MARCH, ["341282"])["new_employment"]["341282"]


def test_a_read_during_a_write_never_builds_a_stale_cell(live_city):
    CellLock.objects.get_or_create(pk=1)  # as the migration leaves it (a flush empties it)
    someone = PersonFactory(community_id="341282001001", labour_status="inactive")
    written, release = threading.Event(), threading.Event()

    def writer():
        try:
            with transaction.atomic():
                Registration.objects.create(  # marks March dirty, holds the lock shared
                    person=someone,
                    kind="employment",
                    registered_on=dt.date(2026, 3, 9),
                    office_id="341282001",
                    channel="counter",
                )
                written.set()
                release.wait(20)
        finally:
            connection.close()

    thread = threading.Thread(target=writer)
    thread.start()
    assert written.wait(20)
    # the write is not committed: not counted, and March's cells are not built meanwhile
    # (built now, they would miss the write once it commits: its mark came before them)
    assert count() == 0
    assert not BuiltMonth.objects.filter(key="new_employment", month=MARCH[0]).exists()
    release.set()
    thread.join(20)
    assert (
        count()
        == 1
        == figures(["new_employment"], *MARCH, ["341282"], cached=False)["new_employment"]["341282"]
    )
    assert BuiltMonth.objects.filter(key="new_employment", month=MARCH[0]).exists()
