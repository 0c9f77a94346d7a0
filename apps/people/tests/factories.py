"""Factories for the registries: valid identifiers, real region codes from the test city."""

from __future__ import annotations

import datetime as dt

import factory

from apps.employers.models import Employer
from apps.jobs.models import Job
from apps.people.models import Household, LabourStatus, Person
from jiuye.identifiers import (
    birth_date_from_id,
    gender_from_id,
    make_credit_code,
    make_resident_id,
)


def _resident_id(n: int) -> str:
    birth = dt.date(1970, 1, 1) + dt.timedelta(days=(n * 37) % 12000)
    return make_resident_id("341282", birth, n % 1000)


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household

    number = factory.Sequence(lambda n: f"H{n:08d}")
    community_id = "341282001001"


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    id_number = factory.Sequence(_resident_id)
    name = factory.Sequence(lambda n: f"测试{n}")
    gender = factory.LazyAttribute(lambda o: gender_from_id(o.id_number))
    birth_date = factory.LazyAttribute(lambda o: birth_date_from_id(o.id_number))
    phone = factory.Sequence(lambda n: f"139{n:08d}")
    community_id = "341282001001"
    labour_status = LabourStatus.UNEMPLOYED
    status_since = dt.date(2026, 1, 1)


class EmployerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employer

    credit_code = factory.Sequence(lambda n: make_credit_code("9", "1", "341282", f"{n:08d}"))
    name = factory.Sequence(lambda n: f"界首市测试{n}有限公司")
    industry_id = "42"
    size = "small"
    region_id = "341282001001"


class JobFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Job

    employer = factory.SubFactory(EmployerFactory)
    reference = factory.Sequence(lambda n: f"J{n}")
    title = "焊工"
    occupation_id = "6-18-02-04"
    kind = "regular"
    headcount = 3
    wage_min = 4000
    wage_max = 6000
    region_id = factory.LazyAttribute(lambda o: o.employer.region_id)
    valid_from = dt.date(2026, 11, 1)
    valid_to = dt.date(2027, 2, 1)


def seeker(name: str, born: dt.date, *, wishes=(), certificate=None, seq: int = 11, **kw):
    """A job seeker with a valid resident ID, at the test city's centre unless told, with
    wished occupations and optionally a certificate (occupation code, name, level)."""
    from apps.people.models import Certificate

    kw.setdefault("lat", 33.262)
    kw.setdefault("lng", 115.371)
    kw.setdefault("education", "70")
    person = PersonFactory(
        name=name, birth_date=born, id_number=make_resident_id("341282", born, seq), **kw
    )
    person.wish_occupations.set(wishes)
    if certificate:
        code, cert_name, level = certificate
        Certificate.objects.create(person=person, occupation_id=code, name=cert_name, level=level)
    return person
