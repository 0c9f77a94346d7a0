"""Employment and unemployment registration: each rule refuses what it should, nothing is
recorded twice, and every registration is dated in the status history."""

import datetime as dt

import pytest
from django.db import IntegrityError
from django.utils import timezone

from apps.accounts.models import User
from apps.people.models import Registration, StatusChange
from apps.people.registration import RegistrationError, end_registration, register
from apps.people.tests.factories import EmployerFactory, PersonFactory

TODAY = timezone.localdate()
pytestmark = pytest.mark.django_db


def born(years_ago: int, days: int = 0) -> dt.date:
    return TODAY.replace(year=TODAY.year - years_ago) - dt.timedelta(days=days)


@pytest.fixture
def clerk(staff):
    return staff("township_staff", "341282001")


@pytest.fixture
def person(db):
    return PersonFactory(
        community_id="341282001001", labour_status="inactive", birth_date=born(30), gender="M"
    )


def test_unemployment_registration_sets_the_dated_status(clerk, person):
    day = TODAY - dt.timedelta(days=3)
    r = register(user=clerk, person=person, kind="unemployment", basis="residence", day=day)
    person.refresh_from_db()
    assert r.active and r.office.code == "341282001" and r.channel == "counter"
    assert (person.labour_status, person.status_since) == ("unemployed", day)
    last = StatusChange.objects.filter(person=person).latest("id")
    assert (last.status, last.since, last.note, last.recorded_by) == (
        "unemployed",
        day,
        "失业登记",
        clerk,
    )


def test_working_age_is_enforced(clerk):
    young = PersonFactory(community_id="341282001001", birth_date=born(16, days=-1))
    with pytest.raises(RegistrationError, match="未满16周岁"):
        register(user=clerk, person=young, kind="unemployment", basis="residence")
    retired = PersonFactory(community_id="341282001001", birth_date=born(55), gender="F")
    with pytest.raises(RegistrationError, match="退休年龄"):
        register(user=clerk, person=retired, kind="unemployment", basis="residence")
    assert not Registration.objects.exists()


def test_someone_employed_cannot_register_as_unemployed(clerk, person):
    register(user=clerk, person=person, kind="employment", employer=EmployerFactory())
    with pytest.raises(RegistrationError, match="就业状态"):
        register(user=clerk, person=person, kind="unemployment", basis="residence")
    job = Registration.objects.get(person=person, kind="employment")
    end_registration(user=clerk, registration=job, reason="合同到期")
    person.refresh_from_db()
    assert person.labour_status == "inactive"
    assert register(user=clerk, person=person, kind="unemployment", basis="residence").active


def test_a_duplicate_is_refused_and_nothing_is_recorded_twice(clerk, person):
    register(user=clerk, person=person, kind="unemployment", basis="insured")
    with pytest.raises(RegistrationError, match="不能重复登记"):
        register(user=clerk, person=person, kind="unemployment", basis="insured")
    assert Registration.objects.filter(person=person).count() == 1
    assert StatusChange.objects.filter(person=person, note="失业登记").count() == 1


def test_the_database_refuses_a_second_active_registration_too(clerk, person):
    register(user=clerk, person=person, kind="unemployment", basis="insured")
    with pytest.raises(IntegrityError):
        Registration.objects.create(
            person=person,
            kind="unemployment",
            registered_on=TODAY,
            office_id="341282001",
            channel="counter",
        )


def test_unemployment_needs_a_basis_and_employment_an_employer(clerk, person):
    with pytest.raises(RegistrationError, match="登记依据"):
        register(user=clerk, person=person, kind="unemployment")
    with pytest.raises(RegistrationError, match="就业单位"):
        register(user=clerk, person=person, kind="employment")
    with pytest.raises(RegistrationError, match="晚于今天"):
        register(
            user=clerk,
            person=person,
            kind="unemployment",
            basis="residence",
            day=TODAY + dt.timedelta(days=1),
        )


def test_finding_work_ends_the_unemployment_registration(clerk, person):
    unemployed = register(
        user=clerk,
        person=person,
        kind="unemployment",
        basis="residence",
        day=TODAY - dt.timedelta(days=40),
    )
    register(user=clerk, person=person, kind="flexible")
    unemployed.refresh_from_db()
    person.refresh_from_db()
    assert (unemployed.ended_on, unemployed.end_reason) == (TODAY, "就业")
    assert person.labour_status == "flexible"
    # a job after flexible work ends the flexible registration
    register(user=clerk, person=person, kind="employment", employer=EmployerFactory())
    active = Registration.objects.filter(person=person, ended_on__isnull=True)
    assert list(active.values_list("kind", flat=True)) == ["employment"]


def test_scope_and_the_online_channel(clerk, staff, person):
    other = staff("township_staff", "341282002")
    with pytest.raises(RegistrationError, match="本辖区"):
        register(user=other, person=person, kind="unemployment", basis="residence")
    worker = User.objects.create_user("w", password="x", role="worker", person=person)
    with pytest.raises(RegistrationError, match="网上"):
        register(user=worker, person=person, kind="unemployment", basis="residence")
    r = register(
        user=worker, person=person, kind="unemployment", basis="residence", channel="online"
    )
    assert r.channel == "online" and r.office_id == person.community_id
    stranger = PersonFactory(community_id="341282001001", birth_date=born(30))
    with pytest.raises(RegistrationError, match="本人"):
        register(
            user=worker, person=stranger, kind="unemployment", basis="residence", channel="online"
        )


def test_deregistration_needs_a_reason_and_leaves_the_labour_force(clerk, person):
    r = register(user=clerk, person=person, kind="unemployment", basis="residence")
    with pytest.raises(RegistrationError, match="注销原因"):
        end_registration(user=clerk, registration=r, reason=" ")
    end_registration(user=clerk, registration=r, reason="本人申请")
    person.refresh_from_db()
    assert person.labour_status == "inactive" and not Registration.objects.get().active
    with pytest.raises(RegistrationError, match="已注销"):
        end_registration(user=clerk, registration=r, reason="本人申请")
