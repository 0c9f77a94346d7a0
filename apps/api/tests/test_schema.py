"""schemathesis fuzzes every operation of the API from its OpenAPI spec (bounded in
examples) and finds no server error and no answer that breaks the spec: its status
documented, its body of the documented shape, JSON where JSON is said."""

from __future__ import annotations

import datetime as dt
import os

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from apps.accounts.models import Role, User
from apps.api import tokens
from apps.people.tests.factories import JobFactory, PersonFactory

schema = schemathesis.pytest.from_fixture("api_schema")
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def api_schema(db):
    """The spec, served by the platform itself through WSGI in the test's own transaction:
    the request signals must not close the test's database connection (Django's test
    client unhooks them the same way)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/openapi.json", WSGIHandler())
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def keys(db, partner):
    """A key for each operation: an administrator's with every scope it may hold, the
    partner's for posting."""
    today = timezone.localdate()
    for _ in range(3):
        JobFactory(valid_from=today, valid_to=today + dt.timedelta(days=9))
        PersonFactory()
    admin = User.objects.create_user("fuzz-admin", role=Role.ADMIN, is_superuser=True)
    admin_scopes = [s for s, (_, _, roles) in tokens.SCOPES.items() if Role.ADMIN in roles]
    _, everything = tokens.issue(
        holder=admin, name="fuzz", scopes=admin_scopes, by=None, rate_per_minute=10**6
    )
    _, posting = tokens.issue(
        holder=partner, name="fuzz", scopes=["jobs:write"], by=None, rate_per_minute=10**6
    )
    return {"everything": everything, "posting": posting}


@schema.parametrize()
@settings(
    # bounded in CI; API_FUZZ_EXAMPLES=200 shakes it harder by hand
    max_examples=int(os.environ.get("API_FUZZ_EXAMPLES", "25")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_api_keeps_its_spec(case, keys):
    key = keys["posting"] if case.path.startswith("/api/postings") else keys["everything"]
    case.call_and_validate(headers={"Authorization": f"Bearer {key}"}, checks=CHECKS)
