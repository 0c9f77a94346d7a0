"""Test set-up shared by every app: reference data loaded once per session into the test
database (the whole country's divisions and the classifications), a small generated city
of two streets, and media files kept in a temporary folder."""

from __future__ import annotations

import os

import pytest
from django.core.management import call_command
from django.test.utils import override_settings

COUNTY = "341282"  # 界首市
STREET_A = "341282001"  # 东城街道
STREET_B = "341282002"  # 西城街道
OTHER_COUNTY = "341226"  # 颍上县, same city (阜阳市)


@pytest.fixture(scope="session", autouse=True)
def _media_root(tmp_path_factory):
    with override_settings(
        MEDIA_ROOT=str(tmp_path_factory.mktemp("media")), BACKGROUND_RUNNER="inline"
    ):
        yield


SIGNUP_LIMITS = ("signup-codes:", "typed-minute:", "typed-hour:", "notice:")


@pytest.fixture(autouse=True)
def _fresh_signup_allowance():
    """The test client's sign-ups all come from one address and reuse a few numbers: each
    test starts with the sign-up limits whole (apps/accounts/views.py, codes.py), and the
    rest of the cache (the matching's generation) as it was."""
    from django.core.cache import cache

    stored = getattr(cache, "_cache", None)  # the local-memory cache the tests use
    if stored is None:
        cache.delete("signup-codes:127.0.0.1")
        return
    for key in [k for k in list(stored) if any(p in k for p in SIGNUP_LIMITS)]:
        cache.delete(key.split(":", 2)[-1])


@pytest.fixture(autouse=True)
def _no_trained_models(settings, tmp_path):
    """Each test starts without a re-ranking model (one left by `make demo`, or saved by
    another test, must not change what a test sees)."""
    settings.MATCHING_MODEL_DIR = str(tmp_path / "models")


def load_test_city() -> None:
    """The reference data and a small city: two streets of 界首市 with coordinates and two
    communities each. Idempotent."""
    from apps.regions.models import Region, RegionLevel

    # the tests' own small city stands where the statistical communities would
    call_command("load_reference", "--no-communities", stdout=open(os.devnull, "w"))
    for i, (street, lat, lng) in enumerate(
        [(STREET_A, 33.262, 115.371), (STREET_B, 33.255, 115.352)]
    ):
        Region.objects.filter(code=street).update(lat=lat, lng=lng, coordinate_source="generated")
        for k in (1, 2):
            Region.objects.get_or_create(
                code=f"{street}{k:03d}",
                defaults=dict(
                    name=f"测试{i}{k}社区",
                    level=RegionLevel.COMMUNITY,
                    parent_id=street,
                    lat=lat + 0.005 * k,
                    lng=lng + 0.004 * k,
                    generated=True,
                ),
            )


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, _media_root):
    with django_db_blocker.unblock():
        load_test_city()


@pytest.fixture
def live_city(transactional_db):
    """For tests that commit (live server, queue worker): the flush after each such test
    empties the database, so the city is loaded again."""
    load_test_city()


@pytest.fixture
def community_a1():
    from apps.regions.models import Region

    return Region.objects.get(code=f"{STREET_A}001")


@pytest.fixture
def community_a2():
    from apps.regions.models import Region

    return Region.objects.get(code=f"{STREET_A}002")


@pytest.fixture
def community_b1():
    from apps.regions.models import Region

    return Region.objects.get(code=f"{STREET_B}001")


@pytest.fixture
def staff(db):
    """staff(role, region_code) → a logged-in-able user of that role scoped to that region."""
    from apps.accounts.models import User
    from apps.regions.models import Region

    def make(role: str, region: str | None = None, username: str | None = None) -> User:
        return User.objects.create_user(
            username=username or f"{role}-{region}",
            password="pw-for-tests-only",
            role=role,
            scope_region=Region.objects.get(code=region) if region else None,
        )

    return make


@pytest.fixture
def fresh_matching_index():
    """The matching indexes live in the process, the test's data is rolled back: tell the
    indexes to rebuild before the test."""
    from apps.matching.index import bump_generation

    bump_generation()


RULES_TESTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "apps/policies/rules/tests")


def pytest_collect_file(parent, file_path):
    """The subsidy rules' OpenFisca YAML tests, each folder against its region's system."""
    if file_path.suffix == ".yaml" and str(file_path).startswith(RULES_TESTS + os.sep):
        from openfisca_core.tools.test_runner import YamlFile

        from apps.policies.rules.system import build_system, system_for

        region = file_path.parent.name
        system = build_system() if region == "base" else system_for(region)
        return YamlFile.from_parent(parent, path=file_path, tax_benefit_system=system, options={})
    return None
