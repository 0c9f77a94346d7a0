"""One test walks every URL the platform serves.

The URL resolver is enumerated, so a new page is covered without anyone remembering it.
For each route, each role of region A (341282001001, 界首市) asks for it — GET and POST —
with the records of others: a person, employer, job, application … of another city
(合肥市), another worker's and another employer's records in the same community, and
files and tasks another member of staff made. Every answer must be a refusal (403, 404,
405, a redirect to the login), or a page that shows none of their rows; no POST may change
any of their records. A route whose arguments this test cannot build fails the test until
``ARGS`` is taught it; ``OURS`` checks that the arguments fit, by opening each route with
the region's own records as an authorised role. Each POST goes first with every field
name the forms use; the variants that add a form's ``action`` go only to the routes that
looked at ``action`` while answering it (``reads``), so an action path is walked wherever
one exists without posting two dozen variants to routes that refuse before reading.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from contextlib import contextmanager
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.db.models import Q
from django.forms.models import model_to_dict
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from apps.accounts.models import AccessEntry, User
from apps.cooperation.models import Brand, BrandBusiness, BrandMember, Dispatch, Partner
from apps.employers.models import Employer, EmployerRegistration
from apps.fairs.models import Attendee, CheckIn, Fair, Intention, Stand
from apps.gigs.models import Availability, Gig, Take
from apps.imports.models import ImportJob
from apps.jobs.models import Job, WelfarePlacement
from apps.matching.models import Application, Offer, Push
from apps.monitoring.models import (
    AffectedWorker,
    LayoffCase,
    MonitoredEnterprise,
    MonthlyReport,
    Warning,
)
from apps.people.models import (
    Certificate,
    ContributionCheck,
    KeyGroupTag,
    Person,
    Registration,
    StatusChange,
    StatusProposal,
    Transfer,
)
from apps.people.tests.factories import EmployerFactory, JobFactory, PersonFactory
from apps.policies.models import (
    Entitlement,
    PaymentBatch,
    Review,
    SubsidyApplication,
    Sweep,
)
from apps.regions.models import Region, RegionLevel, ServiceStation
from apps.services.models import AssistancePlan, PlanStep, ServiceRecord
from apps.sharing.models import Agreement, Posting, Secondment
from apps.startups.models import (
    GuaranteeLoan,
    Incubator,
    Mentor,
    MentorRequest,
    Project,
    ProjectInterest,
    Startup,
    Tenancy,
)
from apps.training.models import (
    Approval,
    Attendance,
    Course,
    Enrolment,
    Evaluation,
    Institution,
    Voucher,
)
from jiuye.identifiers import make_resident_id, mask_resident_id

A1 = "341282001001"
PASSWORD = "pw-for-tests-only"

# Routes anyone may open without signing in.
PUBLIC = {
    "login",
    "logout",
    "policies:list",
    "policies:services",
    "policies:offices",
    "policies:detail",
    "policies:card",
    "taxonomy:occupation_options",  # the national classification, as one types
    "signup",  # signing up, and its code
    "signup_employer",
    "signup_verify",
    "jobs:board",  # open jobs are public (一点发布、全市共享)
    "jobs:board_job",
    "portal:home",  # a visitor's home is the board
    "training:courses",  # open classes are public, like open jobs
    "training:course",
    "training:verify",  # anyone holding a certificate checks it
    "training:key",  # the bureau's public key
    "startups:projects",  # the project pool is for anyone thinking of starting up
    "fairs:fairs",  # the coming fairs and each fair's stands are public notices
    "fairs:fair",
    "gigs:today",  # day jobs are public notices; signing up at a station is for anyone
    "gigs:gig",
    "gigs:join",
}


# --- the world: region A's users, and what belongs to others ----------------------------
class World:
    """Our side (region A) and theirs: another city's records, another worker's and
    another employer's records in our own community, another clerk's tasks."""


@pytest.fixture
def world(db, staff):
    w = World()
    street = Region.objects.filter(parent_id="340102", level=RegionLevel.TOWNSHIP).first()
    w.x_region, _ = Region.objects.get_or_create(
        code=f"{street.code}001",
        defaults=dict(
            name="外区测试社区",
            level=RegionLevel.COMMUNITY,
            parent=street,
            lat=31.86,
            lng=117.3,
            generated=True,
        ),
    )
    x = w.x_region.code
    # ours
    w.users = {
        "community": staff("community_staff", A1, "社区甲"),
        "township": staff("township_staff", "341282001", "街道甲"),
        "county": staff("county_staff", "341282", "县级甲"),
        "city": staff("city_staff", "341200", "市级甲"),
        "leader": staff("leader", "341282", "领导甲"),
    }
    w.me = PersonFactory(name="本人张三", community_id=A1, labour_status="unemployed")
    w.users["worker"] = User.objects.create_user(
        "劳动者甲", password=PASSWORD, role="worker", person=w.me
    )
    w.my_employer = EmployerFactory(name="本区单位", region_id=A1)
    w.users["employer"] = User.objects.create_user(
        "单位甲", password=PASSWORD, role="employer", employer=w.my_employer
    )
    w.our_person = PersonFactory(name="本区人员", community_id=A1)
    w.our_job = JobFactory(employer=w.my_employer, title="本区岗位", kind="public_welfare")

    # theirs: another city
    other_clerk = staff("county_staff", "340102", "外区经办")
    w.person = PersonFactory(
        name="外区人员甲",
        community_id=x,
        id_number=make_resident_id("340102", dt.date(1988, 8, 8), 321),
        phone="13987654321",
        labour_status="unemployed",
    )
    KeyGroupTag.objects.create(person=w.person, group="graduate", start=dt.date(2026, 1, 1))
    StatusChange.objects.create(person=w.person, status="unemployed", since=dt.date(2026, 1, 1))
    w.employer = EmployerFactory(name="外区单位乙", region_id=x)
    w.job = JobFactory(employer=w.employer, title="外区岗位丙", region_id=x, kind="public_welfare")
    w.registration = Registration.objects.create(
        person=w.person,
        kind="unemployment",
        registered_on=dt.date(2026, 2, 1),
        office_id=x,
        channel="counter",
        basis="lost_job",
    )
    w.plan = AssistancePlan.objects.create(person=w.person, owner=other_clerk, goal="外区帮扶")
    w.step = PlanStep.objects.create(
        plan=w.plan, kind="guidance", description="外区步骤", due=dt.date(2026, 12, 31)
    )
    ServiceRecord.objects.create(person=w.person, kind="guidance", by=other_clerk)
    w.application = Application.objects.create(
        person=w.person, job=w.job, source="self", stage="applied"
    )
    w.placement = WelfarePlacement.objects.create(
        job=w.job,
        person=w.person,
        start=dt.date(2026, 1, 1),
        end=dt.date(2026, 12, 31),
        created_by=other_clerk,
    )
    w.import_job = ImportJob.objects.create(
        kind="people", original_name="外区.csv", created_by=other_clerk, status="partial"
    )
    w.import_job.error_file.save("x.csv", ContentFile("外区人员甲".encode()), save=True)
    w.push = Push.objects.create(
        created_by=other_clerk,
        region_prefix="340102",
        report={"none_people": [[w.person.pk, "外区人员甲"]]},
    )
    w.offer = Offer.objects.create(person=w.person, job=w.job, reasons=["外区"], score=0.5)
    w.check = ContributionCheck.objects.create(
        created_by=other_clerk, filename="外区.csv", region_prefix="340102", month="2026-10"
    )
    w.proposal = StatusProposal.objects.create(
        check_run=w.check, person=w.person, finding="contributing", proposed_status="employed"
    )
    w.transfer = Transfer.objects.create(
        person=w.person, from_region_id=x, to_region_id=x[:9], requested_by=other_clerk
    )
    w.sweep = Sweep.objects.create(year=2026, region_prefix="340102", status="done")
    subject = dict(
        subject_kind="person", person=w.person, subject_key=f"P{w.person.pk}", region_code=x
    )
    w.entitlement = Entitlement.objects.create(
        sweep=w.sweep, policy="job_seeking_subsidy", amount=Decimal(1000), **subject
    )
    w.subsidy = SubsidyApplication.objects.create(
        policy="job_seeking_subsidy",
        year=2026,
        claim_key="2026",
        amount=Decimal(1000),
        channel="self",
        submitted_by=other_clerk,
        **subject,
    )
    w.approved = SubsidyApplication.objects.create(
        policy="training_subsidy",
        year=2026,
        claim_key="2026",
        amount=Decimal(1200),
        channel="self",
        status="approved",
        submitted_by=other_clerk,
        **subject,
    )
    w.batch = PaymentBatch.objects.create(region_prefix="340102", created_by=other_clerk)
    w.signup_x = EmployerRegistration.objects.create(
        user=User.objects.create_user("外区注册", password=PASSWORD, role="employer"),
        credit_code=w.employer.credit_code,
        name="外区注册单位",
        industry_id="42",
        size="small",
        region=w.x_region,
        contact_name="外区联系人",
        contact_phone="13987650000",
    )

    w.monitored = MonitoredEnterprise.objects.create(
        employer=w.employer, since=dt.date(2026, 1, 1), baseline=100
    )
    MonthlyReport.objects.create(
        enterprise=w.monitored,
        month=dt.date(2026, 10, 1),
        headcount=80,
        reduced=20,
        reason="economic",
        channel="staff",
    )
    w.layoff = LayoffCase.objects.create(
        employer=w.employer,
        reported_on=dt.date(2026, 10, 1),
        staff_before=100,
        planned=30,
        plan="外区安置方案",
    )
    w.warning = Warning.objects.create(
        level="red",
        signal="threshold",
        scope="enterprise",
        key=str(w.employer.pk),
        label="外区单位乙",
        region_code=x,
        month=dt.date(2026, 10, 1),
        value=20,
        reason="外区单位乙减员",
    )

    # training: another city's institution, class, enrolment, voucher and certificate
    school = EmployerFactory(name="外区培训学校", region_id=x)
    w.institution = Institution.objects.create(
        employer=school, kind="technical_school", may_evaluate=True, approved_on=dt.date(2025, 1, 1)
    )
    w.approval = Approval.objects.create(
        institution=w.institution, occupation_id="6-18-02-04", top_level=3
    )
    w.course = Course.objects.create(
        institution=w.institution,
        title="外区焊工班",
        kind="skill",
        occupation_id="6-18-02-04",
        level=4,
        start=dt.date(2026, 11, 1),
        end=dt.date(2027, 1, 31),
        hours=100,
        community=w.x_region,
        capacity=30,
    )
    w.voucher = Voucher.objects.create(
        code="XVOUCHER01",
        person=w.person,
        year=2026,
        issued_on=dt.date(2026, 1, 5),
        expires_on=dt.date(2027, 1, 4),
    )
    w.enrolment = Enrolment.objects.create(
        course=w.course, person=w.person, channel="staff", enrolled_on=dt.date(2026, 11, 1)
    )
    Attendance.objects.create(enrolment=w.enrolment, day=dt.date(2026, 11, 2), present=True)
    w.certificate = Certificate.objects.create(
        person=w.person, occupation_id="6-18-02-04", name="焊工", level=4, number="X-CERT-1"
    )
    Evaluation.objects.create(certificate=w.certificate, institution=w.institution)

    # entrepreneurship: another city's startup, its loan, incubator and mentor request
    w.startup = Startup.objects.create(
        employer=w.employer, founder=w.person, origin="returning", founded_on=dt.date(2025, 1, 1)
    )
    w.loan = GuaranteeLoan.objects.create(
        borrower=w.person,
        startup=w.startup,
        bank="外区银行",
        amount=Decimal(100000),
        term_months=24,
        rate=Decimal("3.45"),
        subsidised_share=Decimal(50),
        issued_on=dt.date(2025, 2, 1),
        due_on=dt.date(2027, 2, 1),
    )
    w.incubator = Incubator.objects.create(
        name="外区孵化基地", level="county", community=w.x_region, capacity=5
    )
    w.tenancy = Tenancy.objects.create(
        incubator=w.incubator, startup=w.startup, start=dt.date(2025, 3, 1)
    )
    w.mentor = Mentor.objects.create(name="某导师", expertise="经营", region=w.x_region)
    w.mentor_request = MentorRequest.objects.create(startup=w.startup, topic="外区帮扶需求")
    w.project = Project.objects.create(
        title="外区创业项目",
        industry_id="H",
        region=w.x_region,
        summary="外区的一个创业项目简介",
        investment=50000,
    )
    ProjectInterest.objects.create(project=w.project, person=w.person)

    # fairs: another city's fair, its stand, the person registered, let in, agreed
    fair_day = dict(
        held_on=dt.date(2026, 11, 20),
        ends_on=dt.date(2026, 11, 20),
        opens=dt.time(9),
        closes=dt.time(12),
        stands=10,
        theme="spring",
        venue="外区会场",
    )
    w.fair = Fair.objects.create(title="外区招聘会", region_id="340102", **fair_day)
    w.stand = Stand.objects.create(fair=w.fair, employer=w.employer, number=1)
    w.stand.jobs.set([w.job])
    w.attendee = Attendee.objects.create(fair=w.fair, person=w.person, code="XFAIRCODE0001")
    CheckIn.objects.create(
        attendee=w.attendee,
        key="0b0e2f6e-8d3c-4d7e-9a51-000000000001",
        method="qr",
        scanned_at=dt.datetime(2026, 11, 20, 9, 30, tzinfo=dt.UTC),
    )
    w.intention = Intention.objects.create(
        fair=w.fair, stand=w.stand, person=w.person, reached_on=dt.date(2026, 11, 20)
    )

    # gigs: another city's gig station, a household's gig there, taken by the person
    station_fields = dict(kind="gig", hours="06:00–18:00", lat=31.86, lng=117.3, h3="x")
    w.gig_station = ServiceStation.objects.create(
        code="X-GIG", name="外区零工驿站", region=w.x_region, **station_fields
    )
    gig_fields = dict(
        place="外区某地",
        lat=31.86,
        lng=117.3,
        day=dt.date(2026, 12, 20),
        starts=dt.time(8),
        ends=dt.time(17),
        pay=Decimal(200),
        pay_unit="day",
        headcount=3,
    )
    w.gig = Gig.objects.create(
        station=w.gig_station,
        task="外区搬运",
        poster_name="外区雇主",
        poster_phone="13911112222",
        **gig_fields,
    )
    w.take = Take.objects.create(gig=w.gig, person=w.person)
    Availability.objects.create(station=w.gig_station, person=w.person, day=dt.date(2026, 12, 1))

    # shared employment: another city's enterprises lending and borrowing, a worker lent
    share = dict(occupation_id="6-18-02-04", start=dt.date(2026, 12, 10), end=dt.date(2027, 1, 31))
    w.share_offer = Posting.objects.create(side="offer", employer=w.employer, headcount=5, **share)
    borrower = EmployerFactory(name="外区用工单位", region_id=x)
    w.share_request = Posting.objects.create(
        side="request", employer=borrower, headcount=5, **share
    )
    w.share_agreement = Agreement.objects.create(
        offer=w.share_offer,
        request=w.share_request,
        headcount=2,
        start=share["start"],
        end=share["end"],
        status="active",
    )
    w.secondment = Secondment.objects.create(
        agreement=w.share_agreement, person=w.person, start=share["start"], end=share["end"]
    )

    # labour cooperation: another city's partner, the person sent; its brand
    w.partner = Partner.objects.create(
        region_id="340102", name="外区协作方", kind="east_west", agreed_on=dt.date(2024, 1, 1)
    )
    w.dispatch = Dispatch.objects.create(
        partner=w.partner,
        person=w.person,
        workplace="外区务工单位",
        left_on=dt.date(2026, 3, 1),
        checked_on=dt.date(2026, 3, 1),
    )
    w.brand = Brand.objects.create(region_id="340102", name="外区品牌", occupation_id="4-03-02-01")
    w.business = BrandBusiness.objects.create(
        brand=w.brand,
        name="外区品牌店",
        region=w.x_region,
        jobs=3,
        registered_on=dt.date(2025, 1, 1),
    )
    BrandMember.objects.create(brand=w.brand, person=w.person, joined_on=dt.date(2025, 1, 1))

    # theirs: another worker and another employer in our own community
    w.neighbour = PersonFactory(name="同区他人丁", community_id=A1, labour_status="unemployed")
    w.neighbour_employer = EmployerFactory(name="同区他单位戊", region_id=A1)
    w.neighbour_job = JobFactory(employer=w.neighbour_employer, title="同区他岗位")
    w.neighbour_application = Application.objects.create(
        person=w.neighbour, job=w.neighbour_job, source="self", stage="applied"
    )
    w.neighbour_offer = Offer.objects.create(
        person=w.neighbour, job=w.our_job, reasons=["邻"], score=0.5
    )
    w.our_startup = Startup.objects.create(
        employer=w.my_employer,
        founder=w.our_person,
        origin="graduate",
        founded_on=dt.date(2025, 5, 1),
    )
    w.neighbour_enrolment = Enrolment.objects.create(
        course=w.course, person=w.neighbour, channel="self", enrolled_on=dt.date(2026, 11, 3)
    )
    w.neighbour_certificate = Certificate.objects.create(
        person=w.neighbour, name="同区他人证书", level=5
    )
    w.our_fair = Fair.objects.create(title="本区招聘会", region_id="341282", **fair_day)
    w.neighbour_stand = Stand.objects.create(
        fair=w.our_fair, employer=w.neighbour_employer, number=1
    )
    w.our_stand = Stand.objects.create(fair=w.our_fair, employer=w.my_employer, number=2)
    w.neighbour_attendee = Attendee.objects.create(
        fair=w.our_fair, person=w.neighbour, code="NFAIRCODE0001"
    )
    Attendee.objects.create(fair=w.our_fair, person=w.me)
    w.our_station = ServiceStation.objects.create(
        code="A-GIG", name="本区零工驿站", region_id=A1, **station_fields
    )
    w.our_gig = Gig.objects.create(
        station=w.our_station, task="本区搬运", employer=w.my_employer, **gig_fields
    )
    Take.objects.create(gig=w.our_gig, person=w.neighbour)
    w.neighbour_request = Posting.objects.create(
        side="request", employer=w.neighbour_employer, headcount=3, **share
    )
    w.our_partner = Partner.objects.create(
        region_id="341282", name="本区协作方", kind="east_west", agreed_on=dt.date(2024, 1, 1)
    )
    w.our_dispatch = Dispatch.objects.create(
        partner=w.our_partner,
        person=w.our_person,
        workplace="某厂",
        left_on=dt.date(2026, 3, 1),
        checked_on=dt.date(2026, 3, 1),
    )
    w.our_brand = Brand.objects.create(
        region_id="341282", name="本区品牌", occupation_id="4-03-02-01"
    )
    w.our_offer = Posting.objects.create(side="offer", employer=w.my_employer, headcount=3, **share)
    w.our_agreement = Agreement.objects.create(
        offer=w.our_offer,
        request=w.neighbour_request,
        headcount=1,
        start=share["start"],
        end=share["end"],
    )
    # theirs for a community's or a street's staff: a person of another street of our
    # county, found by two sweeps of the whole county (an official one and a trial)
    w.street_b = PersonFactory(name="邻街人员庚", community_id="341282002001")
    county_subject = dict(
        subject_kind="person",
        person=w.street_b,
        subject_key=f"P{w.street_b.pk}",
        region_code=w.street_b.community_id,
    )
    for trial, amount in ((False, 1000), (True, 2000)):
        sweep = Sweep.objects.create(year=2026, region_prefix="341282", status="done", trial=trial)
        Entitlement.objects.create(
            sweep=sweep, policy="job_seeking_subsidy", amount=Decimal(amount), **county_subject
        )
    w.county_trial = sweep
    # another clerk of our own street: their tasks are theirs
    colleague = staff("township_staff", "341282001", "街道乙")
    w.colleague_import = ImportJob.objects.create(
        kind="people", original_name="同事.csv", created_by=colleague, status="partial"
    )
    w.colleague_import.error_file.save("y.csv", ContentFile(b"x"), save=True)
    w.colleague_push = Push.objects.create(created_by=colleague, region_prefix="341282001")
    w.colleague_check = ContributionCheck.objects.create(
        created_by=colleague, filename="同事.csv", region_prefix="341282001", month="2026-10"
    )
    return w


# Routes where open jobs, with their employer's name, are public by design.
PUBLIC_JOBS = {"jobs:board", "jobs:board_job", "fairs:fair"}  # a fair's stands and their jobs
JOB_NAMES = {"外区单位乙", "外区岗位丙", "同区他岗位"}


def secrets(w: World, role: str, route: str = "") -> list[str]:
    """What must not appear in any answer to ``role`` (on ``route``)."""
    shown = [
        "外区人员甲",
        w.person.id_number,
        mask_resident_id(w.person.id_number),
        w.person.phone,
        "外区单位乙",
        "外区岗位丙",
        "外区帮扶",
        "外区步骤",
        "外区注册单位",
        "外区银行",
        "外区帮扶需求",
        "外区用工单位",
        "外区协作方",
        "外区品牌",
        "外区务工单位",
        "XFAIRCODE0001",
        "13911112222",
    ]
    if role in OTHER_STREET_IS_THEIRS:
        shown += ["邻街人员庚", f"<td>P{w.street_b.pk}</td>"]
    if role in ("worker", "employer"):
        shown += ["同区他人丁", w.neighbour.id_number, "本区人员", "NFAIRCODE0001"]
    if role == "employer":
        shown += ["同区他岗位"]
    if route in PUBLIC_JOBS:
        shown = [s for s in shown if s not in JOB_NAMES]
    return shown


# --- the routes' arguments ----------------------------------------------------------------
class OtherStreet(dict):
    """Arguments naming a record of the whole county that holds rows of another street:
    a community's or a street's staff may open it but must see none of those rows."""

    opens = True  # so its refusals are not compared with those for records that do not exist


OTHER_STREET_IS_THEIRS = ("anonymous", "community", "township", "worker", "employer")


class Public(dict):
    """Arguments naming a record anyone may see (an open class): a refusal to act on it
    need not read as one for a record that does not exist."""

    opens = True


class Neighbours(dict):
    """Arguments naming another worker's or employer's records in our own community:
    theirs for a worker or an employer, the region's own for its staff."""


ARGS = {
    # Route name → argument sets pointing at others' records.
    "download": lambda w: [
        {"kind": "import-rejected", "pk": w.import_job.pk},
        {"kind": "import-rejected", "pk": w.colleague_import.pk},
    ],
    "people:transfer_decide": lambda w: [{"pk": w.transfer.pk}],
    "people:person": lambda w: [{"pk": w.person.pk}],
    "people:person_reveal": lambda w: [{"pk": w.person.pk}],
    "services:person_service": lambda w: [{"pk": w.person.pk}],
    "people:person_register": lambda w: [{"pk": w.person.pk}],
    "people:registration_end": lambda w: [{"pk": w.registration.pk}],
    "services:person_plan": lambda w: [{"pk": w.person.pk}],
    "services:plan_step_done": lambda w: [{"pk": w.step.pk}],
    "people:crosscheck": lambda w: [{"pk": w.check.pk}, {"pk": w.colleague_check.pk}],
    "employers:employer": lambda w: [{"pk": w.employer.pk}],
    "jobs:job": lambda w: [{"pk": w.job.pk}],
    "matching:job_candidates": lambda w: [{"pk": w.job.pk}],
    "matching:job_apply": lambda w: [{"pk": w.job.pk}],
    "matching:job_applications": lambda w: [{"pk": w.job.pk}, Neighbours(pk=w.neighbour_job.pk)],
    "matching:put_forward": lambda w: [
        {"pk": w.job.pk, "person_pk": w.our_person.pk},
        {"pk": w.our_job.pk, "person_pk": w.person.pk},
        Neighbours(pk=w.neighbour_job.pk, person_pk=w.our_person.pk),
    ],
    "matching:withdraw": lambda w: [
        {"pk": w.application.pk},
        Neighbours(pk=w.neighbour_application.pk),
    ],
    "matching:decide": lambda w: [
        {"pk": w.application.pk},
        Neighbours(pk=w.neighbour_application.pk),
    ],
    "matching:push": lambda w: [{"pk": w.push.pk}, {"pk": w.colleague_push.pk}],
    "matching:push_progress": lambda w: [{"pk": w.push.pk}, {"pk": w.colleague_push.pk}],
    "matching:my_candidates": lambda w: [{"pk": w.job.pk}, Neighbours(pk=w.neighbour_job.pk)],
    "jobs:posting_edit": lambda w: [{"pk": w.job.pk}, Neighbours(pk=w.neighbour_job.pk)],
    "jobs:board_job": lambda w: [{"pk": w.job.pk}],
    "jobs:posting_change": lambda w: [{"pk": w.job.pk}, Neighbours(pk=w.neighbour_job.pk)],
    "matching:circle": lambda w: [{"code": w.x_region.code}, {"code": w.x_region.parent_id}],
    "matching:circle_outside": lambda w: [{"code": w.x_region.code}],
    "imports:import_template": lambda w: [{"kind": "people"}],
    "imports:import": lambda w: [{"pk": w.import_job.pk}, {"pk": w.colleague_import.pk}],
    "imports:import_progress": lambda w: [{"pk": w.import_job.pk}, {"pk": w.colleague_import.pk}],
    "imports:import_rerun": lambda w: [{"pk": w.import_job.pk}, {"pk": w.colleague_import.pk}],
    "policies:detail": lambda w: [{"code": "job_seeking_subsidy"}],
    "policies:card": lambda w: [{"code": "job_seeking_subsidy"}],
    "policies:check": lambda w: [{"code": "job_seeking_subsidy"}],
    "policies:sweep": lambda w: [{"pk": w.sweep.pk}, OtherStreet(pk=w.county_trial.pk)],
    "policies:sweep_status": lambda w: [{"pk": w.sweep.pk}],
    "policies:batch": lambda w: [{"pk": w.batch.pk}],
    # the list behind a figure: the other city's unemployed person must never show
    "indicators:behind": lambda w: [{"code": "registered_unemployed"}, {"code": "new_employment"}],
    "monitoring:enterprise": lambda w: [{"pk": w.monitored.pk}],
    "monitoring:remind": lambda w: [{"pk": w.monitored.pk}],
    "monitoring:warning": lambda w: [{"pk": w.warning.pk}],
    "monitoring:layoff": lambda w: [{"pk": w.layoff.pk}],
    "training:course": lambda w: [Public(pk=w.course.pk)],
    "training:withdraw": lambda w: [
        {"pk": w.enrolment.pk},
        Neighbours(pk=w.neighbour_enrolment.pk),
    ],
    "training:person_record": lambda w: [{"pk": w.person.pk}],
    "training:institution": lambda w: [{"pk": w.institution.pk}],
    "training:roster": lambda w: [{"pk": w.course.pk}],
    "training:certificate": lambda w: [
        {"pk": w.certificate.pk},
        Neighbours(pk=w.neighbour_certificate.pk),
    ],
    "startups:startup": lambda w: [{"pk": w.startup.pk}],
    "fairs:fair": lambda w: [Public(pk=w.fair.pk)],
    "fairs:pass": lambda w: [{"pk": w.fair.pk}],
    "fairs:pass_qr": lambda w: [{"pk": w.fair.pk}],
    "fairs:stand": lambda w: [{"pk": w.stand.pk}, Neighbours(pk=w.neighbour_stand.pk)],
    "fairs:desk": lambda w: [{"pk": w.fair.pk}],
    "fairs:door": lambda w: [{"pk": w.fair.pk}],
    "fairs:door_sync": lambda w: [{"pk": w.fair.pk}],
    "gigs:gig": lambda w: [Public(pk=w.gig.pk)],
    "gigs:station": lambda w: [{"pk": w.gig_station.pk}],
    "gigs:join": lambda w: [Public(pk=w.gig_station.pk)],
    "sharing:posting": lambda w: [{"pk": w.share_offer.pk}, Neighbours(pk=w.neighbour_request.pk)],
    "sharing:agreement": lambda w: [{"pk": w.share_agreement.pk}],
    "cooperation:dispatch": lambda w: [{"pk": w.dispatch.pk}],
    "cooperation:brand": lambda w: [{"pk": w.brand.pk}],
    "training:certificate_qr": lambda w: [
        {"pk": w.certificate.pk},
        Neighbours(pk=w.neighbour_certificate.pk),
    ],
}


def _ours(w: World) -> dict[str, tuple[str, dict]]:
    """Route name → (a role that may open it, arguments for region A's own records)."""
    return {
        "people:person": ("county", {"pk": w.our_person.pk}),
        "employers:employer": ("county", {"pk": w.my_employer.pk}),
        "jobs:job": ("county", {"pk": w.our_job.pk}),
        "matching:job_candidates": ("county", {"pk": w.our_job.pk}),
        "matching:job_applications": ("employer", {"pk": w.our_job.pk}),
        "jobs:posting_edit": ("employer", {"pk": w.our_job.pk}),
        "jobs:board_job": ("worker", {"pk": w.our_job.pk}),
        "matching:my_candidates": ("employer", {"pk": w.our_job.pk}),
        "matching:circle": ("county", {"code": A1}),
        "imports:import_template": ("county", {"kind": "people"}),
        "policies:detail": ("worker", {"code": "job_seeking_subsidy"}),
        "policies:check": ("worker", {"code": "job_seeking_subsidy"}),
        "training:course": ("worker", {"pk": w.course.pk}),
        "training:person_record": ("county", {"pk": w.our_person.pk}),
        "startups:startup": ("county", {"pk": w.our_startup.pk}),
        "fairs:fair": ("worker", {"pk": w.our_fair.pk}),
        "fairs:pass": ("worker", {"pk": w.our_fair.pk}),
        "fairs:pass_qr": ("worker", {"pk": w.our_fair.pk}),
        "fairs:stand": ("employer", {"pk": w.our_stand.pk}),
        "fairs:desk": ("county", {"pk": w.our_fair.pk}),
        "fairs:door": ("county", {"pk": w.our_fair.pk}),
        "gigs:gig": ("worker", {"pk": w.our_gig.pk}),
        "gigs:station": ("county", {"pk": w.our_station.pk}),
        "gigs:join": ("county", {"pk": w.our_station.pk}),
        "sharing:posting": ("employer", {"pk": w.our_offer.pk}),
        "sharing:agreement": ("employer", {"pk": w.our_agreement.pk}),
        "cooperation:dispatch": ("county", {"pk": w.our_dispatch.pk}),
        "cooperation:brand": ("county", {"pk": w.our_brand.pk}),
    }


ACTIONS = ("approve", "apply", "place", "renew", "notify", "withdraw")


def _payloads(w: World) -> list[dict]:
    """What a POST carries: every field name the forms use, filled with others' records."""
    ids = {
        "application": w.subsidy.pk,
        "proposal": w.proposal.pk,
        "registration": w.signup_x.pk,
        "placement": w.placement.pk,
        "job": w.job.pk,
        "person": w.person.pk,
        "entitlement": w.entitlement.pk,
        "identifier": w.person.id_number,
        "id_number": w.person.id_number,
        "policy": "job_seeking_subsidy",
        "code": "job_seeking_subsidy",
        "region": "340102",
        "region_prefix": "340102",
        "year": "2026",
        "seen": "submitted",
        "note": "越权",
        "reason": "越权",
        "goal": "越权",
        "description": "越权",
        "due": "2026-12-31",
        "kind": "guidance",
        "day": "2026-11-01",
        "basis": "lost_job",
        "confirm": "1",  # also confirms a push (its preview is the other branch)
        "accept": "1",
        "hired": "1",
        "paid_on": "2026-11-20",
        "reference": "X-1",
        "group": "",
        "labour_status": "unemployed",
        "per_person": "3",
        "outcome": "越权",
        "month": "2026-10",
        "headcount": "1",
        "reduced": "0",
        "correct": "1",
        "credit_code": w.employer.credit_code,
        "since": "2026-10",
        "baseline": "10",
        "id_numbers": w.person.id_number,
        "reported_on": "2026-10-01",
        "staff_before": "100",
        "planned": "30",
        "plan": "越权的安置方案越权的安置方案",
        "enrolment": w.enrolment.pk,
        "present": w.person.pk,
        "voucher": w.voucher.code,
        "approvals": "6-18-02-04 3",
        "approved_on": "2026-01-01",
        "title": "越权的培训班",
        "start": "2026-12-01",
        "end": "2026-12-31",
        "hours": "10",
        "capacity": "10",
        "community": w.x_region.code,
        "approval": w.approval.pk,
        "groups": "",
        "bank": "越权银行",
        "amount": "1000",
        "term_months": "12",
        "rate": "3",
        "subsidised_share": "50",
        "issued_on": "2026-11-01",
        "loan": w.loan.pk,
        "incubator": w.incubator.pk,
        "tenancy": w.tenancy.pk,
        "topic": "越权的帮扶需求",
        "request": w.mentor_request.pk,
        "mentor": w.mentor.pk,
        "project": w.project.pk,
        "summary": "越权的项目简介越权的项目简介",
        "investment": "1000",
        "industry": "H",
        "origin": "returning",
        "founded_on": "2026-01-01",
        "level": "county",
        "name": "越权",
        "expertise": "越权",
        "jobs": w.job.pk,
        "intention": w.intention.pk,
        "hired_on": "2026-11-21",
        "held_on": "2026-12-20",
        "opens": "09:00",
        "closes": "12:00",
        "stands": "10",
        "theme": "spring",
        "mode": "on_site",
        "venue": "越权",
        "take": w.take.pk,
        "paid": "100",
        "task": "越权",
        "place": "越权",
        "starts": "08:00",
        "ends": "17:00",
        "pay": "100",
        "pay_unit": "day",
        "station": w.gig_station.pk,
        "poster_name": "越权",
        "poster_phone": "13900000000",
        "skills": "越权",
        "offer": w.share_offer.pk,
        "secondment": w.secondment.pk,
        "side": "offer",
        "occupation": "6-18-02-04",
        "returned_on": "2026-12-20",
        "partner": w.partner.pk,
        "brand": w.brand.pk,
        "business": w.business.pk,
        "workplace": "越权",
        "left_on": "2026-11-01",
        "agreed_on": "2026-01-01",
        "registered_on": "2026-11-01",
        "status": "returned",
    }
    approved = {**ids, "application": [w.approved.pk]}
    return [
        ids,
        # each action a form of the platform sends (the reviews' "reject" is any other)
        *(
            {**ids, "action": a}
            for a in (
                "approve",
                "apply",
                "place",
                "renew",
                "notify",
                "withdraw",
                "close",
                "enrol",
                "attendance",
                "pass",
                "fail",
                "loan",
                "repaid",
                "overdue",
                "admit",
                "leave",
                "ask",
                "assign",
                "interest",
                "add",
                "register",
                "book",
                "jobs",
                "intention",
                "hire",
                "cancel",
                "take",
                "arrive",
                "complete",
                "no_show",
                "propose",
                "accept",
                "decline",
                "lend",
                "returned",
                "partner",
                "dispatch",
                "business",
                "end",
                "member",
            )
        ),
        {**ids, "action": "intention", "code": w.attendee.code},
        {**approved, "action": "batch"},
        {**ids, "seen": "first_approved", "action": "approve"},
    ]


def their_state(w: World, role: str) -> dict:
    """Every record that is not ``role``'s to change, as stored: nothing here may change.
    Another city's records are nobody's here; the neighbours' records and jobs in our own
    community are the region staff's to work with, but not another worker's or employer's.
    A worker may apply to any job (jobs are public), so only staff and employers must not
    add applications to another city's job."""
    people = [w.person.pk] + ([w.street_b.pk] if role in OTHER_STREET_IS_THEIRS else [])
    jobs = [w.job.pk] if role != "worker" else []
    employers = [w.employer.pk]
    if role in ("worker", "employer"):
        people.append(w.neighbour.pk)
        jobs.append(w.neighbour_job.pk)
        employers.append(w.neighbour_employer.pk)
    rows = {
        "person": Person.objects.filter(pk__in=people),
        "registration": Registration.objects.filter(person_id__in=people),
        "status": StatusChange.objects.filter(person_id__in=people),
        "plan": AssistancePlan.objects.filter(person_id__in=people),
        "step": PlanStep.objects.filter(plan__person_id__in=people),
        "service": ServiceRecord.objects.filter(person_id__in=people),
        "application": Application.objects.filter(Q(person_id__in=people) | Q(job_id__in=jobs)),
        "offer": Offer.objects.filter(person_id__in=people),
        "placement": WelfarePlacement.objects.filter(person_id__in=people),
        "import": ImportJob.objects.filter(pk__in=[w.import_job.pk, w.colleague_import.pk]),
        "push": Push.objects.filter(pk__in=[w.push.pk, w.colleague_push.pk]),
        "proposal": StatusProposal.objects.filter(person_id__in=people),
        "transfer": Transfer.objects.filter(person_id__in=people),
        "subsidy": SubsidyApplication.objects.filter(person_id__in=people),
        "review": Review.objects.filter(application__person_id__in=people),
        "batch": PaymentBatch.objects.filter(pk=w.batch.pk),
        "signup": EmployerRegistration.objects.filter(pk=w.signup_x.pk),
        "employer": Employer.objects.filter(pk__in=employers),
        "job": Job.objects.filter(pk__in=[w.job.pk, *jobs]),
        "access": AccessEntry.objects.filter(person_id__in=people),
        "monitored": MonitoredEnterprise.objects.filter(employer_id__in=employers),
        "monthly": MonthlyReport.objects.filter(enterprise__employer_id__in=employers),
        "warning": Warning.objects.filter(pk=w.warning.pk),
        "layoff": LayoffCase.objects.filter(employer_id__in=employers),
        "affected": AffectedWorker.objects.filter(person_id__in=people),
        "enrolment": Enrolment.objects.filter(person_id__in=people),
        "attendance": Attendance.objects.filter(enrolment__person_id__in=people),
        "voucher": Voucher.objects.filter(person_id__in=people),
        "certificate": Certificate.objects.filter(person_id__in=people),
        "institution": Institution.objects.filter(pk=w.institution.pk),
        "course": Course.objects.filter(institution=w.institution),
        "startup": Startup.objects.filter(employer_id__in=employers),
        "loan": GuaranteeLoan.objects.filter(borrower_id__in=people),
        "incubator": Incubator.objects.filter(pk=w.incubator.pk),
        "tenancy": Tenancy.objects.filter(incubator=w.incubator),
        "mentor_request": MentorRequest.objects.filter(startup=w.startup),
        "project_interest": ProjectInterest.objects.filter(person_id__in=people),
        "fair": Fair.objects.filter(pk__in=[w.fair.pk]),
        "stand": Stand.objects.filter(employer_id__in=employers),
        "attendee": Attendee.objects.filter(person_id__in=people),
        "check_in": CheckIn.objects.filter(attendee__person_id__in=people),
        "gig": Gig.objects.filter(station=w.gig_station),
        "take": Take.objects.filter(  # a worker may take any open gig: their own take is not
            Q(person_id__in=people) | (Q(gig__station=w.gig_station) & ~Q(person=w.me))
        ),
        "availability": Availability.objects.filter(person_id__in=people),
        "posting": Posting.objects.filter(
            employer_id__in=[*employers, w.share_request.employer_id]
        ),
        "agreement": Agreement.objects.filter(
            Q(offer__employer_id__in=employers) | Q(request__employer_id__in=employers)
        ).exclude(offer__employer=w.my_employer),
        "secondment": Secondment.objects.filter(person_id__in=people),
        "partner": Partner.objects.filter(pk=w.partner.pk),
        "dispatch": Dispatch.objects.filter(person_id__in=people),
        "brand": Brand.objects.filter(pk=w.brand.pk),
        "brand_business": BrandBusiness.objects.filter(brand=w.brand),
        "brand_member": BrandMember.objects.filter(Q(person_id__in=people) | Q(brand=w.brand)),
        "intention": Intention.objects.filter(
            Q(person_id__in=people) | Q(stand__employer_id__in=employers)
        ),
    }
    return {name: [model_to_dict(obj) for obj in qs.order_by("pk")] for name, qs in rows.items()}


# --- walking ------------------------------------------------------------------------------
def routes():
    """(name, pattern) of every route but the admin's and the API's, which have their own
    walks below."""
    out = []

    def walk(patterns, prefix_ns=None):
        for p in patterns:
            if isinstance(p, URLResolver):
                if p.namespace in ("admin", "api"):
                    continue
                walk(p.url_patterns, p.namespace or prefix_ns)
            elif isinstance(p, URLPattern):
                name = f"{prefix_ns}:{p.name}" if prefix_ns else p.name
                out.append((name, p))

    walk(get_resolver().url_patterns)
    return out


MISSING_PK = 987654321
MISSING_ID = make_resident_id("340102", dt.date(1977, 7, 7), 987)  # valid, registered nowhere


def _missing(values: dict) -> dict:
    """The same arguments naming records that do not exist."""
    out = {}
    for key, value in values.items():
        if isinstance(value, int) or (isinstance(value, str) and value.isdigit() and key != "year"):
            out[key] = MISSING_PK if isinstance(value, int) else str(MISSING_PK)
        elif isinstance(value, list):
            out[key] = [MISSING_PK for _ in value]
        elif isinstance(value, str) and len(value) == 18:
            out[key] = MISSING_ID
        else:
            out[key] = value
    return out


def _refusal(response) -> tuple | None:
    """How a refusal reads (status, where it sends, its messages, its error page's reason),
    numbers blanked; None when the answer is not a refusal."""
    from django.contrib.messages import constants, get_messages

    said = list(get_messages(response.wsgi_request))
    errors = [m for m in said if m.level >= constants.ERROR]
    if response.status_code not in (403, 404) and not errors:
        return None

    def blank(text: str) -> str:
        return re.sub(r"\d+", "#", text)

    reason = ""
    if response.status_code in (403, 404):
        found = re.search(r"<h1>(.*?)</h1>\s*<p>(.*?)</p>", response.content.decode(), re.S)
        reason = blank(found.group(2)) if found else ""
    return (
        response.status_code,
        blank(response.get("Location", "")),
        tuple(sorted(blank(str(m)) for m in said)),
        reason,
    )


def _body(response) -> str:
    if getattr(response, "streaming", False):
        data = b"".join(response.streaming_content)
    else:
        data = response.content
    text = data.decode("utf-8", errors="replace")
    if data[:2] == b"PK":  # an .xlsx: its cells
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(data))
        text = " ".join(
            str(c) for s in book.worksheets for r in s.iter_rows(values_only=True) for c in r
        )
    return text


@contextmanager
def reads():
    """The keys of the posted data the platform looked at while the block ran ("action"
    stands for all of them when it went through the whole of the data). Only data that
    holds something counts: the URL resolver's dictionaries and an empty query are
    of the same class."""
    from django.http import QueryDict
    from django.utils.datastructures import MultiValueDict

    seen: set[str] = set()

    def posted(data) -> bool:
        return isinstance(data, QueryDict) and dict.__len__(data) > 0

    saved = {n: getattr(MultiValueDict, n) for n in (*BY_KEY, *WHOLE)}

    def by_key(original):
        def read(self, key, *args, **kwargs):
            if posted(self):
                seen.add(key)
            return original(self, key, *args, **kwargs)

        return read

    def whole(original):
        def read(self, *args, **kwargs):
            if posted(self):
                seen.add("action")
            return original(self, *args, **kwargs)

        return read

    try:
        for n in BY_KEY:
            setattr(MultiValueDict, n, by_key(saved[n]))
        for n in WHOLE:
            setattr(MultiValueDict, n, whole(saved[n]))
        yield seen
    finally:
        for n, original in saved.items():
            setattr(MultiValueDict, n, original)


BY_KEY = ("get", "__getitem__", "_getlist", "__contains__", "pop")
WHOLE = ("items", "lists", "values", "dict", "keys", "__iter__", "copy", "__deepcopy__")

ROLES = ["anonymous", "community", "township", "county", "city", "leader", "worker", "employer"]


def test_every_route_is_known_to_this_test():
    unknown = [
        f"{name} ({pattern.pattern})"
        for name, pattern in routes()
        if pattern.pattern.converters and name not in ARGS
    ]
    assert unknown == [], "teach ARGS in jiuye/tests/test_every_url.py to build these"


@pytest.mark.parametrize("role", ROLES)
def test_no_role_reaches_anothers_records_through_any_route(world, client, role):
    w = world
    before = their_state(w, role)
    failures = []
    query = {  # filters aimed at the other city; "外区人员" finds 外区人员甲 where unscoped
        "q": "外区人员",
        "community": w.x_region.code,
        "region": "340102",
        "group": "graduate",
        "format": "xlsx",
    }
    for name, pattern in routes():
        hidden = secrets(w, role, name)
        arg_sets = ARGS[name](w) if pattern.pattern.converters else [{}]
        for kwargs in arg_sets:
            if isinstance(kwargs, Neighbours) and role not in ("worker", "employer"):
                continue  # the staff's own region: the arguments test opens such routes
            if isinstance(kwargs, OtherStreet) and role not in OTHER_STREET_IS_THEIRS:
                continue
            url = reverse(name, kwargs=kwargs)
            client.logout()
            if role != "anonymous":
                client.force_login(w.users[role])
            answers = [("GET", client.get(url, query), query), ("GET", client.get(url), {})]
            signed_in = client.session.get("_auth_user_id")
            assert role == "anonymous" or signed_in, (role, url)  # the walk is not vacuous
            missing_url = reverse(name, kwargs=_missing(kwargs))
            base, *variants = _payloads(w)
            with reads() as read:
                first = client.post(url, base)
            # The variants differ from the base only in "action" (and what goes with it):
            # a route that did not look at it answers them as it answered the base.
            sends = [(base, first)] + [(p, None) for p in variants if "action" in read]
            for payload, response in sends:
                response = response or client.post(url, payload)
                answers.append(("POST", response, payload))
                client.cookies.pop("messages", None)  # a message of mine is no leak
                # A refusal must read as the answer for records that do not exist at all.
                if (
                    role != "anonymous"
                    and not getattr(kwargs, "opens", False)
                    and _refusal(response)
                ):
                    missing = client.post(missing_url, _missing(payload))
                    client.cookies.pop("messages", None)
                    if _refusal(response) != _refusal(missing):
                        failures.append(
                            f"{role} POST {url} {payload.get('action', '')}: theirs "
                            f"{_refusal(response)} ≠ none {_refusal(missing)}"
                        )
            for method, response, sent in answers:
                if role == "anonymous" and name not in PUBLIC:
                    if response.status_code not in (302, 403, 404, 405) or (
                        response.status_code == 302
                        and not response["Location"].startswith("/accounts/login/")
                    ):
                        failures.append(f"{role} {method} {url}: {response.status_code}")
                    continue
                if response.status_code >= 500:
                    failures.append(f"{role} {method} {url}: {response.status_code}")
                    continue
                # a form showing back what was typed into it reveals nothing
                echoed = {str(v) for v in sent.values()}
                leaked = [s for s in hidden if s in _body(response) and s not in echoed]
                if leaked:
                    failures.append(f"{role} {method} {url}: shows {leaked}")
            after = their_state(w, role)
            if after != before:
                changed = [k for k in before if before[k] != after[k]]
                failures.append(f"{role} {url}: changed their {changed}")
                before = after
    assert failures == [], "\n".join(failures)


def test_the_arguments_fit_the_routes(world, client):
    """The walk above would pass vacuously with arguments no route accepts: the same
    arguments for region A's own records open each route for a role that may see them."""
    for name, (role, kwargs) in _ours(world).items():
        client.force_login(world.users[role])
        response = client.get(reverse(name, kwargs=kwargs))
        assert response.status_code == 200, (name, response.status_code)


def test_the_admin_is_closed_to_everyone_but_administrators(world, client):
    from django.contrib import admin

    admin_urls = []
    for model in admin.site._registry:
        meta = model._meta
        admin_urls += [
            reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"),
            reverse(f"admin:{meta.app_label}_{meta.model_name}_add"),
        ]
    for role in ROLES[1:]:
        client.force_login(world.users[role])
        for url in ["/admin/", *admin_urls]:
            response = client.get(url)
            assert response.status_code == 302 and "/admin/login/" in response["Location"], (
                role,
                url,
            )


def test_the_walk_sends_the_actions_to_the_routes_that_read_them(world, client):
    """The walk sends the action variants only where the base POST looked at "action":
    if ``reads`` saw nothing, every action path would go unwalked without a failure."""
    w = world
    base = _payloads(w)[0]
    client.force_login(w.users["county"])
    with reads() as read:
        client.post(reverse("jobs:welfare"), base)  # place / renew / exit by "action"
    assert "action" in read
    with reads() as read:
        client.post(reverse("people:person", kwargs={"pk": w.person.pk}), base)  # refused
    assert "action" not in read


# --- the API: every operation, with a key of each role carrying every scope it may hold --
API_PUBLIC_JOBS = {"search_jobs", "get_job", "get_job_posting", "feed_snapshot", "feed_changes"}
API_ROLES = [*ROLES[1:], "partner"]


def api_operations() -> list[tuple[str, str, str, str]]:
    """(operation name, method, path, scope) of every operation of the API."""
    from apps.api.api import api

    out = []
    for _, router in api._routers:
        for path, view in router.path_operations.items():
            for op in view.operations:
                (auth,) = op.auth_callbacks  # every operation needs a key
                for method in op.methods:
                    out.append((op.view_func.__name__, method, path, auth.scope))
    return out


API_ARGS = {
    # Operation name → path arguments naming others' records.
    "get_job": lambda w: [{"job_id": w.job.pk}],
    "get_job_posting": lambda w: [{"job_id": w.job.pk}],
    "candidates_for": lambda w: [{"job_id": w.job.pk}, Neighbours(job_id=w.neighbour_job.pk)],
    "put_posting": lambda w: [{"reference": w.job.reference}],
    "get_posting": lambda w: [{"reference": w.job.reference}],
    "close_posting": lambda w: [
        {"reference": w.job.reference},
        Neighbours(reference=w.neighbour_job.reference),
    ],
    "get_person": lambda w: [{"person_id": w.person.pk}, OtherStreet(person_id=w.street_b.pk)],
    "person_registrations": lambda w: [{"person_id": w.person.pk}],
    "person_services": lambda w: [{"person_id": w.person.pk}],
    "jobs_for": lambda w: [{"person_id": w.person.pk}, OtherStreet(person_id=w.street_b.pk)],
    "get_employer": lambda w: [{"employer_id": w.employer.pk}],
    "review_application": lambda w: [
        {"application_id": w.subsidy.pk},
        {"application_id": w.approved.pk},
    ],
}


def _api_url(path: str, kwargs: dict) -> str:
    return "/api" + re.sub(r"\{(?:\w+:)?(\w+)\}", lambda m: str(kwargs[m.group(1)]), path)


def _api_holder(w: World, role: str) -> User:
    if role == "partner":
        return User.objects.get_or_create(
            username="外区平台", defaults={"role": "partner", "scope_region_id": "341200"}
        )[0]
    return w.users[role]


def _api_key(holder: User, scopes: list[str]) -> dict:
    from apps.api import tokens

    _, secret = tokens.issue(
        holder=holder, name="walk", scopes=scopes, by=None, rate_per_minute=100000
    )
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def _scopes_of(holder: User) -> list[str]:
    from apps.api.tokens import SCOPES

    return [s for s, (_, _, roles) in SCOPES.items() if holder.role in roles]


def test_every_api_operation_is_known_to_this_test():
    unknown = [
        name for name, _, path, _ in api_operations() if "{" in path and name not in API_ARGS
    ]
    assert unknown == [], "teach API_ARGS in jiuye/tests/test_every_url.py to build these"


@pytest.mark.parametrize("role", API_ROLES)
def test_no_key_reaches_anothers_records_through_the_api(world, client, role):
    """Every operation, with a key of ``role`` carrying every scope its holder may hold,
    aimed at others' records (path arguments, filters, a posting for their employer in
    their region): no server error, none of their rows shown, none of them changed."""
    import json

    w = world
    holder = _api_holder(w, role)
    headers = _api_key(holder, _scopes_of(holder))
    role_key = "anonymous" if role == "partner" else role  # a partner's is nothing here
    before = their_state(w, role_key)
    failures = []
    query = {
        "q": "外区人员",
        "community": w.x_region.code,
        "region": "340102",
        "group": "graduate",
        "since": "2020-01-01T00:00:00+08:00",
    }
    today = dt.date.today()
    posting = {  # a posting for their employer in their region, and a review's decision
        "approve": True,
        "seen": "submitted",
        "note": "外区审核",
        "employer": w.employer.credit_code,
        "title": "外区岗位丙",
        "occupation": "6-18-02-04",
        "kind": "regular",
        "headcount": 1,
        "wage_min": 3000,
        "wage_max": 4000,
        "region": w.x_region.code,
        "valid_from": today.isoformat(),
        "valid_to": (today + dt.timedelta(days=10)).isoformat(),
    }
    for name, method, path, _ in api_operations():
        hidden = secrets(w, role_key, "jobs:board" if name in API_PUBLIC_JOBS else name)
        for kwargs in API_ARGS[name](w) if "{" in path else [{}]:
            if isinstance(kwargs, Neighbours) and role not in ("worker", "employer", "partner"):
                continue
            if isinstance(kwargs, OtherStreet) and role_key not in OTHER_STREET_IS_THEIRS:
                continue
            url = _api_url(path, kwargs)
            if method == "GET":
                answers = [client.get(url, query, **headers), client.get(url, **headers)]
            else:
                answers = [
                    client.generic(method, url, json.dumps(posting), "application/json", **headers)
                ]
            for response in answers:
                if response.status_code >= 500:
                    failures.append(f"{role} {method} {url}: {response.status_code}")
                    continue
                leaked = [s for s in hidden if s in response.content.decode()]
                if leaked:
                    failures.append(f"{role} {method} {url}: shows {leaked}")
            after = their_state(w, role_key)
            if after != before:
                changed = [k for k in before if before[k] != after[k]]
                failures.append(f"{role} {method} {url}: changed their {changed}")
                before = after
    assert failures == [], "\n".join(failures)


def test_every_api_operation_needs_a_key_with_its_scope(world, client):
    """No key: 401. A key with every scope but the operation's own: 403 naming it."""
    from apps.api.tokens import SCOPES

    admin = User.objects.create_user("接口管理员", role="admin", is_superuser=True)
    assert set(SCOPES) == {s for _, _, _, s in api_operations()}  # no scope unused
    lacking = {}
    for scope in SCOPES:
        holder = admin if scope in _scopes_of(admin) else world.users["employer"]
        lacking[scope] = _api_key(holder, [x for x in _scopes_of(holder) if x != scope])
    for name, method, path, scope in api_operations():
        kwargs = (API_ARGS[name](world) if "{" in path else [{}])[0]
        url = _api_url(path, kwargs)
        bare = client.generic(method, url)
        assert bare.status_code == 401, (name, bare.status_code)
        refused = client.generic(method, url, **lacking[scope])
        assert refused.status_code == 403, (name, refused.status_code)
        assert (
            refused.json()["error"]["code"] == "scope"
            and scope in refused.json()["error"]["message"]
        )
