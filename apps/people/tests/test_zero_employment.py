"""Zero-employment families: found when no member is in work and one is unemployed,
tagged, alerted once, and cleared the day a member registers employment."""

import datetime as dt

import pytest
from django.utils import timezone

from apps.people.households import sync_zero_employment
from apps.people.models import Household, KeyGroupTag, ZeroEmploymentAlert
from apps.people.registration import register
from apps.people.tests.factories import EmployerFactory, PersonFactory

TODAY = timezone.localdate()
pytestmark = pytest.mark.django_db


@pytest.fixture
def family(db):
    home = Household.objects.create(number="Z-1", community_id="341282001001")
    a = PersonFactory(household=home, labour_status="unemployed", birth_date=dt.date(1980, 1, 1))
    b = PersonFactory(household=home, labour_status="inactive", birth_date=dt.date(1982, 1, 1))
    c = PersonFactory(household=home, labour_status="retired", birth_date=dt.date(1950, 1, 1))
    return home, (a, b, c)


def test_found_tagged_and_alerted_once(family):
    home, members = family
    working = Household.objects.create(number="W-1", community_id="341282001001")
    PersonFactory(household=working, labour_status="unemployed")
    PersonFactory(household=working, labour_status="flexible")
    assert sync_zero_employment().opened == 1
    alert = ZeroEmploymentAlert.objects.get()
    assert alert.household == home and alert.detected_on == TODAY and alert.cleared_on is None
    tags = KeyGroupTag.objects.filter(group="zero_employment_family", end__isnull=True)
    assert sorted(tags.values_list("person_id", flat=True)) == sorted(m.pk for m in members)
    assert sync_zero_employment().opened == 0  # nothing twice
    assert ZeroEmploymentAlert.objects.count() == 1 and tags.count() == 3


def test_cleared_when_a_member_registers_employment(family, staff):
    home, (a, b, c) = family
    sync_zero_employment()
    register(
        user=staff("community_staff", "341282001001"),
        person=b,
        kind="employment",
        employer=EmployerFactory(),
    )
    alert = ZeroEmploymentAlert.objects.get()
    assert alert.cleared_on == TODAY and alert.cleared_by == b
    assert not KeyGroupTag.objects.filter(group="zero_employment_family", end__isnull=True).exists()
    # and found again if the household falls back to nobody in work
    b.labour_status = "unemployed"
    b.save()
    assert sync_zero_employment().opened == 1
    assert ZeroEmploymentAlert.objects.filter(cleared_on__isnull=True).count() == 1
    # the members are tagged again, even on the day they were cleared
    again = KeyGroupTag.objects.filter(group="zero_employment_family", end__isnull=True)
    assert sorted(again.values_list("person_id", flat=True)) == sorted(m.pk for m in (a, b, c))


def test_only_the_region_asked_for(family):
    other = Household.objects.create(number="Z-2", community_id="341282002001")
    PersonFactory(household=other, labour_status="unemployed", community_id="341282002001")
    assert sync_zero_employment("341282002").opened == 1
    assert ZeroEmploymentAlert.objects.get().household == other


def test_an_import_finds_them_too(db):
    from apps.imports.services import create_import, run_import
    from apps.imports.tests.conftest import csv_bytes
    from apps.imports.tests.test_people_import import person_row

    rows = [
        person_row(1, 户号="H-IMPORT-1", 劳动状态="失业", 居住社区代码="341282001001"),
        person_row(2, 户号="H-IMPORT-1", 劳动状态="未参加劳动", 居住社区代码="341282001001"),
    ]
    import io

    job = run_import(
        create_import(kind="people", file=io.BytesIO(csv_bytes(rows)), filename="p.csv").pk
    )
    assert job.status == job.Status.DONE, job.message
    alert = ZeroEmploymentAlert.objects.get()
    assert alert.household.number == "H-IMPORT-1"
