"""Startups, guarantee loans within the dated caps, incubators and mentors: each rule and
the region scope."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from apps.people.models import Registration
from apps.people.tests.factories import EmployerFactory, PersonFactory
from apps.regions.models import Region
from apps.startups.models import GuaranteeLoan, Incubator, Mentor, Startup
from apps.startups.services import (
    StartupError,
    admit,
    ask_mentor,
    assign,
    interest_subsidy,
    issue_loan,
    jobs_created,
    register_startup,
    settle_loan,
    suggest_mentors,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk(staff):
    return staff("county_staff", "341282")


@pytest.fixture
def startup(clerk):
    founder = PersonFactory(name="返乡创业者")
    shop = EmployerFactory(name="界首小吃店", region_id="341282001001", industry_id="62")
    return register_startup(
        user=clerk,
        employer=shop,
        founder=founder,
        origin="returning",
        founded_on=dt.date(2025, 3, 1),
    )


def test_a_startup_records_its_founder_for_the_subsidy_rule_and_counts_its_jobs(startup, clerk):
    startup.employer.refresh_from_db()
    assert startup.employer.founder == startup.founder
    assert startup.employer.founded_on == dt.date(2025, 3, 1)
    for i in range(2):
        Registration.objects.create(
            person=PersonFactory(),
            kind="employment",
            registered_on=dt.date(2025, 4 + i, 1),
            office_id="341282001001",
            employer=startup.employer,
            channel="counter",
        )
    assert jobs_created(startup) == 2
    assert jobs_created(startup, dt.date(2025, 4, 15)) == 1
    with pytest.raises(StartupError, match="已登记为创业主体"):
        register_startup(
            user=clerk,
            employer=startup.employer,
            founder=startup.founder,
            origin="returning",
            founded_on=dt.date(2025, 3, 1),
        )


def test_a_startup_is_not_founded_before_its_founder_could(clerk):
    young = PersonFactory(birth_date=dt.date(2015, 1, 1))
    with pytest.raises(StartupError, match="年满16周岁"):
        register_startup(
            user=clerk,
            employer=EmployerFactory(region_id="341282001001"),
            founder=young,
            origin="other",
            founded_on=dt.date(2026, 1, 1),
        )


def test_another_regions_business_cannot_be_registered(staff):
    far = EmployerFactory(region_id="341282002001")
    with pytest.raises(StartupError, match="管辖范围"):
        register_startup(
            user=staff("township_staff", "341282001"),
            employer=far,
            founder=PersonFactory(),
            origin="other",
            founded_on=dt.date(2025, 1, 1),
        )
    assert not Startup.objects.exists()


def loan(clerk, startup, **kw):
    fields = dict(
        user=clerk,
        borrower=startup.founder,
        startup=startup,
        bank="界首农商银行",
        amount="200000",
        term_months=36,
        rate="3.45",
        subsidised_share="50",
        issued_on=dt.date(2025, 6, 1),
    )
    fields.update(kw)
    return issue_loan(**fields)


def test_a_loan_within_the_caps_in_force_and_one_at_a_time(startup, clerk):
    with pytest.raises(StartupError, match="最高200,000元"):
        loan(clerk, startup, amount="200001")
    with pytest.raises(StartupError, match="最高150,000元"):  # the cap in force in 2019
        loan(clerk, startup, amount="180000", issued_on=dt.date(2019, 6, 1))
    with pytest.raises(StartupError, match="1–36个月"):
        loan(clerk, startup, term_months=48)
    with pytest.raises(StartupError, match="须为数字"):
        loan(clerk, startup, amount="二十万")
    with pytest.raises(StartupError, match="最多两位小数"):
        loan(clerk, startup, amount="0.001")
    with pytest.raises(StartupError, match="没有个人创业担保贷款额度"):  # before any cap
        loan(clerk, startup, amount="1000", issued_on=dt.date(2017, 1, 1))
    with pytest.raises(StartupError, match="创办人不是"):
        loan(clerk, startup, borrower=PersonFactory())
    first = loan(clerk, startup)
    assert first.due_on == dt.date(2028, 6, 1)
    assert interest_subsidy(first) == Decimal("10350.00")  # 200000 × 3.45% × 3 × 50%
    with pytest.raises(StartupError, match="未结清"):
        loan(clerk, startup, amount="1000")
    settle_loan(user=clerk, loan=first, status="overdue", day=dt.date(2026, 1, 5))
    with pytest.raises(StartupError, match="未结清"):
        loan(clerk, startup, amount="1000")
    settle_loan(user=clerk, loan=first, status="repaid", day=timezone.localdate())
    loan(clerk, startup, amount="1000", issued_on=timezone.localdate())
    assert GuaranteeLoan.objects.filter(borrower=startup.founder).count() == 2


def test_an_incubator_takes_startups_up_to_its_capacity(startup, clerk):
    hub = Incubator.objects.create(
        name="界首创业孵化基地",
        level="county",
        community=Region.objects.get(code="341282001001"),
        capacity=1,
    )
    with pytest.raises(StartupError, match="早于"):  # before it was founded
        admit(user=clerk, incubator=hub, startup=startup, start=dt.date(2024, 5, 1))
    admit(user=clerk, incubator=hub, startup=startup, start=dt.date(2025, 5, 1))
    with pytest.raises(StartupError, match="已在孵"):
        admit(user=clerk, incubator=hub, startup=startup, start=dt.date(2025, 5, 2))
    other = register_startup(
        user=clerk,
        employer=EmployerFactory(region_id="341282001001"),
        founder=PersonFactory(),
        origin="graduate",
        founded_on=dt.date(2025, 1, 1),
    )
    with pytest.raises(StartupError, match="已满"):
        admit(user=clerk, incubator=hub, startup=other, start=dt.date(2025, 5, 2))


def test_requests_go_to_mentors_who_know_the_trade(startup, clerk):
    county = Region.objects.get(code="341282")
    chef = Mentor.objects.create(name="餐饮导师", expertise="餐饮经营", region=county)
    chef.industries.set(["H"])  # 住宿和餐饮业 (62 餐饮业 is in it)
    Mentor.objects.create(
        name="外地导师", expertise="制造", region=Region.objects.get(code="340102")
    )
    request = ask_mentor(user=clerk, startup=startup, topic="门店选址和成本核算")
    suggested = suggest_mentors(request)
    assert suggested[0][0] == chef and "熟悉该行业" in suggested[0][1]
    assign(user=clerk, request=request, mentor=chef)
    with pytest.raises(StartupError, match="已指派"):
        assign(user=clerk, request=request, mentor=chef)
    with pytest.raises(StartupError, match="至少4个字"):
        ask_mentor(user=clerk, startup=startup, topic="帮忙")
