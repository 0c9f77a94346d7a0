"""Races on PostgreSQL (real row locks and constraints): two reviewers approving the same
claim, two clerks submitting the same claim, two batches taking the same application.
Exactly one wins each time; nothing is paid twice."""

from __future__ import annotations

import datetime as dt
import os
import threading

import pytest
from django.db import connection

from apps.accounts.models import User
from apps.people.models import Certificate, KeyGroupTag
from apps.people.tests.factories import PersonFactory
from apps.policies.models import Payment, Review, SubsidyApplication
from apps.policies.services import PolicyError, create_batch, review, submit
from apps.regions.models import Region

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="row locks and concurrent constraints are exercised on PostgreSQL",
    ),
]


def race(*calls):
    """Run the calls at the same moment, each on its own connection; their outcomes."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait()
            outcomes[i] = call()
        except PolicyError as exc:
            outcomes[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return outcomes


@pytest.fixture
def people(live_city):
    person = PersonFactory(name="农民工", community_id="341282001001")
    KeyGroupTag.objects.create(person=person, group="migrant_worker", start=dt.date(2020, 1, 1))
    Certificate.objects.create(
        person=person,
        occupation_id="6-18-02-04",
        name="焊工",
        level=4,
        issued_on=dt.date(2026, 3, 1),
    )
    county = Region.objects.get(code="341282")
    users = [
        User.objects.create_user(
            username=f"c{k}", password="x", role="county_staff", scope_region=county
        )
        for k in range(3)
    ]
    return person, users


def test_two_reviewers_approving_the_same_claim_at_once(people):
    person, (first, r1, r2) = people
    app = submit(code="training_subsidy", subject=person, year=2026, user=first)
    review(app.pk, user=first, approve=True, seen="submitted")
    outcomes = race(
        lambda: review(app.pk, user=r1, approve=True, seen="first_approved"),
        lambda: review(app.pk, user=r2, approve=True, seen="first_approved"),
    )
    assert sum(isinstance(o, SubsidyApplication) for o in outcomes) == 1, outcomes
    assert sum(isinstance(o, PolicyError) for o in outcomes) == 1, outcomes
    assert Review.objects.filter(application=app, level=2).count() == 1
    app.refresh_from_db()
    assert app.status == SubsidyApplication.Status.APPROVED


def test_two_clerks_submitting_the_same_claim_at_once(people):
    person, (a, b, _) = people
    outcomes = race(
        lambda: submit(code="training_subsidy", subject=person, year=2026, user=a),
        lambda: submit(code="training_subsidy", subject=person, year=2026, user=b),
    )
    assert sum(isinstance(o, SubsidyApplication) for o in outcomes) == 1, outcomes
    assert any("已有申请" in str(o) for o in outcomes)
    assert SubsidyApplication.objects.count() == 1


def test_two_batches_taking_the_same_application_at_once(people):
    person, (a, b, c) = people
    app = submit(code="training_subsidy", subject=person, year=2026, user=a)
    review(app.pk, user=a, approve=True, seen="submitted")
    review(app.pk, user=b, approve=True, seen="first_approved")
    outcomes = race(
        lambda: create_batch(user=b, application_ids=[app.pk], region_prefix="341282"),
        lambda: create_batch(user=c, application_ids=[app.pk], region_prefix="341282"),
    )
    assert sum(isinstance(o, PolicyError) for o in outcomes) == 1, outcomes
    assert Payment.objects.filter(application=app).count() == 1
