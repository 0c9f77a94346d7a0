"""A small city with someone or something entitled to each subsidy of 界首市, and a
county of 雄安新区 (容城县) with a graduate who started a business."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from apps.matching.models import Application
from apps.people.models import Certificate, KeyGroupTag, Registration
from apps.people.tests.factories import EmployerFactory, JobFactory, PersonFactory
from apps.policies.models import CommunityCertification, EmployerYear
from apps.regions.models import Region, RegionLevel

A1, A2, B1 = "341282001001", "341282001002", "341282002001"


def tag(person, group, start=dt.date(2020, 1, 1), end=None):
    KeyGroupTag.objects.create(person=person, group=group, start=start, end=end)


def employ(person, employer, start, end=None):
    Registration.objects.create(
        person=person,
        kind=Registration.Kind.EMPLOYMENT,
        registered_on=start,
        ended_on=end,
        office_id=person.community_id,
        employer=employer,
        channel=Registration.Channel.COUNTER,
    )


def hire(person, employer, kind, on):
    job = JobFactory(employer=employer, kind=kind, reference=f"{kind}-{person.pk}")
    Application.objects.create(
        person=person,
        job=job,
        source=Application.Source.STAFF,
        stage=Application.Stage.HIRED,
        decided_at=timezone.make_aware(dt.datetime.combine(on, dt.time(10))),
    )


@pytest.fixture
def city(db):
    c = {}
    c["migrant"] = PersonFactory(name="农民工甲", community_id=A1)
    tag(c["migrant"], "migrant_worker")
    Certificate.objects.create(
        person=c["migrant"],
        occupation_id="6-18-02-04",
        name="焊工",
        level=4,
        issued_on=dt.date(2026, 3, 1),
    )
    c["graduate"] = PersonFactory(name="毕业生乙", community_id=A2, graduation_year=2026)
    tag(c["graduate"], "low_income")
    c["nobody"] = PersonFactory(name="无补贴丙", community_id=B1, graduation_year=2024)
    c["factory"] = EmployerFactory(name="东城制造厂", region_id=A1)
    c["hired"] = PersonFactory(name="困难人员丁", community_id=B1)
    tag(c["hired"], "hard_to_employ")
    employ(c["hired"], c["factory"], dt.date(2026, 4, 10))
    c["office"] = EmployerFactory(name="西城见习单位", region_id=B1)
    c["intern"] = PersonFactory(name="见习生戊", community_id=A1, graduation_year=2025)
    hire(c["intern"], c["office"], "internship", dt.date(2026, 10, 15))
    c["temp"] = PersonFactory(name="临时岗己", community_id=A2)
    hire(c["temp"], c["office"], "temporary_special", dt.date(2026, 2, 1))
    # 2022: a restaurant that kept its staff and an SME stopped by a lockdown.
    c["restaurant"] = EmployerFactory(name="东城饭店", region_id=A2, industry_id="62", size="large")
    EmployerYear.objects.create(
        employer=c["restaurant"],
        year=2022,
        insured_employees=1200,
        headcount_start=1200,
        headcount_end=1190,
    )
    c["sme"] = EmployerFactory(name="西城小厂", region_id=B1, size="micro")
    EmployerYear.objects.create(
        employer=c["sme"],
        year=2022,
        insured_employees=40,
        headcount_start=40,
        headcount_end=38,
        stopped_by_epidemic=True,
        lockdown_days=10,
    )
    # 2022: temporary special posts in 东城二社区 (A2) of a blacklisted employer; one hire was
    # registered unemployed when placed, the other was not.
    c["post_owner"] = EmployerFactory(
        name="欠薪单位",
        region_id=A2,
        blacklisted=True,
        blacklist_reason="拖欠工资",
        blacklist_from=dt.date(2021, 1, 1),
    )
    for name, unemployed in (("失业后上岗庚", True), ("在职转岗辛", False)):
        person = PersonFactory(name=name, community_id=B1)
        if unemployed:
            Registration.objects.create(
                person=person,
                kind=Registration.Kind.UNEMPLOYMENT,
                registered_on=dt.date(2022, 3, 1),
                ended_on=dt.date(2022, 5, 10),
                office_id=B1,
                channel=Registration.Channel.COUNTER,
            )
        job = JobFactory(
            employer=c["post_owner"],
            kind="temporary_special",
            region_id=A2,
            reference=f"T2022-{person.pk}",
            valid_from=dt.date(2022, 4, 1),
            valid_to=dt.date(2022, 12, 31),
        )
        Application.objects.create(
            person=person,
            job=job,
            source=Application.Source.STAFF,
            stage=Application.Stage.HIRED,
            decided_at=timezone.make_aware(dt.datetime(2022, 5, 10, 10)),
        )
    c["community"] = Region.objects.get(code=A1)
    CommunityCertification.objects.create(
        community=c["community"], year=2026, certified_on=dt.date(2026, 6, 1)
    )
    return c


@pytest.fixture
def rongcheng_graduate(db):
    """A graduate of 2021 in 容城县 (雄安新区) whose first business opened in 2026."""
    street = Region.objects.filter(parent_id="130629", level=RegionLevel.TOWNSHIP).first()
    community, _ = Region.objects.get_or_create(
        code=f"{street.code}001",
        defaults=dict(name="测试社区", level=RegionLevel.COMMUNITY, parent=street, generated=True),
    )
    person = PersonFactory(name="创业者庚", community_id=community.code, graduation_year=2021)
    EmployerFactory(
        name="庚的小店", region_id=community.code, founder=person, founded_on=dt.date(2026, 5, 4)
    )
    return person
