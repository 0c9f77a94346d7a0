import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from django.utils import timezone

from apps.accounts.models import User
from apps.accounts.scoping import region_prefix_q
from apps.demo.generator import CityGenerator, Place
from apps.employers.models import Employer
from apps.jobs.models import Job
from apps.matching.models import Application
from apps.people.models import Household, Person
from apps.regions.models import Region, ServiceStation
from jiuye.identifiers import validate_credit_code, validate_resident_id

pytestmark = pytest.mark.usefixtures("fresh_matching_index")

PLACES = [
    Place("341282001001", "东城街道测试社区", 33.26, 115.37, False, True),
    Place("341282100201", "光武镇测试村", 33.30, 115.30, True, False),
]


def rows(seed: int) -> list[dict]:
    gen = CityGenerator("341282", PLACES, seed, dt.date(2026, 11, 25), ["341226"], "界首市")
    return list(gen.people(400))


def test_the_generator_is_deterministic_for_a_seed():
    assert rows(7) == rows(7)
    assert rows(7) != rows(8)


def test_generated_people_are_valid_and_plausible():
    people = rows(3)
    ids = [r["身份证号"] for r in people]
    assert len(set(ids)) == len(ids)
    for value in ids:
        validate_resident_id(value, today=dt.date(2026, 11, 25))
    ages = [2026 - int(v[6:10]) for v in ids]
    assert min(ages) >= 16 and max(ages) <= 76
    share = sum("农民工" in r["重点群体"] for r in people) / len(people)
    assert 0.05 < share < 0.5
    assert {r["劳动状态"] for r in people} >= {"employed", "unemployed", "flexible"}


@override_settings(DEMO_PASSWORD="demo-test-pw")
def test_generate_city_builds_a_consistent_city_once(db):
    out = io.StringIO()
    call_command("generate_city", region="341282", people=300, seed=5, stdout=out)
    # the demo API keys it printed work: the partner platform reads the open job feed
    printed = out.getvalue()
    secret = printed.split("demo_platform", 2)[-1].split()[0]
    from django.test import Client

    feed = Client().get("/api/feed/snapshot", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert feed.status_code == 200 and feed.json()["items"]
    people = Person.objects.filter(region_prefix_q("community_id", "341282"))
    assert people.count() == 300
    communities = Region.objects.filter(level=5, code__startswith="341282", generated=True)
    assert communities.count() > 18 * 2
    assert not Region.objects.filter(level=5, code__startswith="341282", lat__isnull=True).exists()
    assert ServiceStation.objects.filter(generated=True, kind="gig").count() == 1
    for code in Employer.objects.values_list("credit_code", flat=True):
        validate_credit_code(code)
    assert Job.objects.filter(region_prefix_q("employer__region_id", "341282")).count() >= 20
    assert Household.objects.count() < 300  # people live together
    # Every demo login exists and the community clerk sees residents.
    clerk = User.objects.get(username="demo_community")
    assert clerk.scope_region.level == 5 and people.filter(community=clerk.scope_region).exists()
    assert set(User.objects.values_list("username", flat=True)) >= {
        "demo_worker",
        "demo_employer",
        "demo_township",
        "demo_county",
        "demo_city",
        "demo_leader",
        "demo_admin",
    }
    assert User.objects.get(username="demo_worker").person is not None
    # the demo employer is an ordinary one, with jobs: not on the blacklist
    employer = User.objects.get(username="demo_employer").employer
    assert not employer.blacklisted and employer.jobs.filter(status="open").exists()
    # A generated history of applications, marked so, in the past, each step after the last.
    history = Application.objects.all()
    assert history.exists() and not history.filter(generated=False).exists()
    # employers moved some forward (a hire among a 300-person city's few applications is
    # luck, and the generated history still varies with Python's hash seed)
    assert history.filter(stage__in=["interview", "hired"]).exists()
    for a in history:
        assert a.created_at.date() < dt.date.today()
        assert a.decided_at is None or a.decided_at > a.created_at
    # and services to the key groups, marked generated, in the past
    from apps.services.models import ServiceRecord

    services = ServiceRecord.objects.all()
    assert services.exists() and not services.filter(generated=False).exists()
    assert not services.filter(at__gt=timezone.now()).exists()

    # The facts the subsidy rules read, and a sweep that finds entitled subjects.
    from apps.policies.models import EmployerYear, Sweep

    assert EmployerYear.objects.count() == Employer.objects.count()
    assert people.filter(graduation_year__isnull=False).exists()
    call_command("sweep_policies", region="341282", stdout=out)
    sweep = Sweep.objects.latest("pk")
    assert sweep.status == "done" and sweep.counts["full_employment_community_award"] > 0
    assert sweep.entitlements.filter(subject_kind="enterprise").exists()
    # A year of the subsidy workflow, marked generated: applied, reviewed twice, paid.
    from apps.policies.models import Payment, SubsidyApplication

    claims = SubsidyApplication.objects.all()
    assert claims.exists() and not claims.filter(generated=False).exists()
    assert claims.filter(status="paid").exists()
    for claim in claims.filter(status="paid"):
        assert list(claim.reviews.values_list("level", flat=True)) == [1, 2]
    assert not Payment.objects.filter(paid_on__gt=dt.date.today()).exists()

    # A second run neither fails nor duplicates the city (nor its policy facts; a city
    # generated before them gets them).
    EmployerYear.objects.all().delete()
    call_command("generate_city", region="341282", people=300, seed=5, stdout=out)
    assert Person.objects.count() == 300
    assert EmployerYear.objects.count() == Employer.objects.count()
    call_command("generate_city", region="341282", people=300, seed=5, stdout=out)
    assert EmployerYear.objects.count() == Employer.objects.count()
    assert Region.objects.filter(level=5, code__startswith="341282").count() == communities.count()


def test_it_refuses_what_is_not_a_county(db):
    with pytest.raises(CommandError, match="县级"):
        call_command("generate_city", region="341200", people=10, stdout=open("/dev/null", "w"))
    with pytest.raises(CommandError, match="不存在"):
        call_command("generate_city", region="999999", people=10, stdout=open("/dev/null", "w"))


@override_settings(DEBUG=False, DEMO_PASSWORD="")
def test_without_debug_demo_logins_need_a_password_from_the_environment(db):
    with pytest.raises(CommandError, match="DEMO_PASSWORD"):
        call_command("generate_city", region="341282", people=20, stdout=open("/dev/null", "w"))
    assert not User.objects.filter(username__startswith="demo_").exists()
