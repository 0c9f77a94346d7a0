"""Keys for the API tests: ``key(holder, *scopes)`` → the Authorization header."""

from __future__ import annotations

import pytest

from apps.accounts.models import Role, User
from apps.api import tokens
from apps.regions.models import Region


@pytest.fixture
def key(db):
    def make(holder: User, *scopes: str, rate: int = 600) -> dict:
        _, secret = tokens.issue(
            holder=holder, name="test", scopes=list(scopes), by=None, rate_per_minute=rate
        )
        return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}

    return make


@pytest.fixture
def partner(db):
    """The provincial platform's account, serving the city of 阜阳 (3412)."""
    return User.objects.create_user(
        username="province-platform",
        role=Role.PARTNER,
        scope_region=Region.objects.get(code="341200"),
    )
