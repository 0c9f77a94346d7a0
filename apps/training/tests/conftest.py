import datetime as dt

import pytest

from apps.accounts.models import User
from apps.people.models import KeyGroupTag
from apps.people.tests.factories import EmployerFactory, PersonFactory
from apps.regions.models import Region
from apps.training.models import Institution
from apps.training.services import add_institution

WELDER = "6-18-02-04"  # 焊工 (职业分类大典 2022)
PASSWORD = "pw-for-tests-only"


@pytest.fixture
def county_clerk(staff):
    return staff("county_staff", "341282", "县级经办")


@pytest.fixture
def school(county_clerk) -> Institution:
    """A technical school of 界首市 approved to train and certify welders up to 三级."""
    employer = EmployerFactory(name="界首市技工学校", region_id="341282001001")
    return add_institution(
        user=county_clerk,
        employer=employer,
        kind="technical_school",
        may_evaluate=True,
        approved_on=dt.date(2025, 1, 1),
        approvals=[(WELDER, 3)],
    )


@pytest.fixture
def school_account(school):
    return User.objects.create_user(
        "技工学校", password=PASSWORD, role="employer", employer=school.employer
    )


@pytest.fixture
def migrant(db):
    """A migrant worker (农民工) with an account: in the training subsidy's group."""
    person = PersonFactory(name="李农工", community_id="341282001001", lat=33.267, lng=115.375)
    KeyGroupTag.objects.create(person=person, group="migrant_worker", start=dt.date(2024, 1, 1))
    person.user_account = User.objects.create_user(
        "李农工", password=PASSWORD, role="worker", person=person
    )
    return person


@pytest.fixture
def community(db):
    return Region.objects.get(code="341282001001")
