"""Attendance, completion, certificates and vouchers, and the training subsidy they
produce through the policies' workflow."""

import datetime as dt

import pytest
from django.utils import timezone

from apps.matching.services import certificates_of
from apps.people.models import Certificate, KeyGroupTag, Registration
from apps.people.tests.factories import EmployerFactory, PersonFactory
from apps.policies.models import SubsidyApplication
from apps.policies.services import assess
from apps.regions.models import Region, RegionLevel
from apps.taxonomy.models import Occupation
from apps.training.models import Attendance, Course, Enrolment, Evaluation, Voucher
from apps.training.selectors import training_record
from apps.training.services import (
    TrainingError,
    add_institution,
    complete,
    enrol,
    issue_certificate,
    issue_vouchers,
    record_attendance,
    withdraw,
)

from .conftest import WELDER
from .test_courses import course_of

pytestmark = pytest.mark.django_db


def test_attendance_only_for_people_in_the_class_and_nothing_half_written(
    school, school_account, community, migrant
):
    course = course_of(school, school_account, community)
    enrol(user=migrant.user_account, course=course, person=migrant)
    outsider = PersonFactory(name="未报名者")
    today = timezone.localdate()
    with pytest.raises(TrainingError, match="所选的1人未报名本班"):
        record_attendance(
            user=school_account, course=course, day=today, present={migrant.pk, outsider.pk}
        )
    assert not Attendance.objects.exists()
    record_attendance(user=school_account, course=course, day=today, present={migrant.pk})
    record_attendance(
        user=school_account, course=course, day=today, present=set(), absent={migrant.pk}
    )
    assert [a.present for a in Attendance.objects.all()] == [False]  # the day replaced
    with pytest.raises(TrainingError, match="不能登记未来"):
        record_attendance(
            user=school_account, course=course, day=today + dt.timedelta(days=1), present=set()
        )


def test_a_pass_issues_the_certificate_used_by_matching_and_files_the_subsidy(
    school, school_account, community, migrant
):
    course = course_of(school, school_account, community)
    enrolment = enrol(user=migrant.user_account, course=course, person=migrant)
    done = complete(user=school_account, enrolment=enrolment, passed=True, day=timezone.localdate())
    cert = done.certificate
    assert (cert.person, cert.occupation_id, cert.level, cert.kind) == (
        migrant,
        WELDER,
        4,
        "skill_level",
    )
    assert cert.number.startswith(f"JY{timezone.localdate():%Y}341282")
    assert cert.issuer == "界首市技工学校"
    # on the file, and what matching reads for the person, at once
    assert certificates_of([migrant.pk])[migrant.pk][0][1] == 4
    application = done.application
    assert application is not None, done.subsidy_note
    assert (application.policy, application.person, application.amount) == (
        "training_subsidy",
        migrant,
        1200,  # 四级 at the platform's reference standard
    )
    assert application.submitted_by == school_account
    with pytest.raises(TrainingError, match="不能再登记结业"):
        complete(user=school_account, enrolment=enrolment, passed=True, day=timezone.localdate())


def test_a_person_outside_the_subsidys_group_gets_the_certificate_but_no_application(
    school, school_account, community, county_clerk
):
    course = course_of(school, school_account, community)
    employed = PersonFactory(labour_status="employed")
    enrolment = enrol(user=county_clerk, course=course, person=employed)
    done = complete(user=county_clerk, enrolment=enrolment, passed=True, day=timezone.localdate())
    assert done.certificate is not None and done.application is None
    assert "不符合享受条件" in done.subsidy_note


def test_a_failed_or_startup_completion_issues_nothing(school, school_account, community, migrant):
    course = course_of(school, school_account, community)
    enrolment = enrol(user=migrant.user_account, course=course, person=migrant)
    done = complete(
        user=school_account, enrolment=enrolment, passed=False, day=timezone.localdate()
    )
    assert done.certificate is None and not Certificate.objects.filter(person=migrant).exists()


def test_certificates_only_at_existing_approved_levels_and_once(school, school_account, migrant):
    welder = Occupation.objects.get(code=WELDER)
    today = timezone.localdate()
    kw = dict(user=school_account, institution=school, person=migrant, issued_on=today)
    with pytest.raises(TrainingError, match="没有“0”这一等级"):
        issue_certificate(occupation=welder, level=0, **kw)
    with pytest.raises(TrainingError, match="最高只能到"):
        issue_certificate(occupation=welder, level=1, **kw)
    other = Occupation.objects.filter(level=4).exclude(code=WELDER).first()
    with pytest.raises(TrainingError, match="未核准"):
        issue_certificate(occupation=other, level=5, **kw)
    issue_certificate(occupation=welder, level=3, **kw)
    with pytest.raises(TrainingError, match="已有"):
        issue_certificate(occupation=welder, level=3, **kw)
    assert Certificate.objects.filter(person=migrant).count() == 1
    assert Evaluation.objects.count() == 1


def test_vouchers_go_to_the_training_group_and_are_redeemed_once_before_expiry(
    school, school_account, community, migrant, county_clerk
):
    year = timezone.localdate().year
    employed = PersonFactory(labour_status="employed")
    issued = issue_vouchers(user=county_clerk, region_prefix="341282", year=year)
    assert issued >= 1
    voucher = Voucher.objects.get(person=migrant)
    assert "农民工" in voucher.basis
    assert not Voucher.objects.filter(person=employed).exists()
    assert issue_vouchers(user=county_clerk, region_prefix="341282", year=year) == 0  # once

    course = course_of(school, school_account, community)
    other_course = course_of(school, school_account, community)
    me = migrant.user_account
    with pytest.raises(TrainingError, match=f"不是{employed.name}的培训券"):
        enrol(user=county_clerk, course=course, person=employed, voucher_code=voucher.code)
    enrolment = enrol(user=me, course=course, person=migrant, voucher_code=voucher.code.lower())
    voucher.refresh_from_db()
    assert voucher.status == "redeemed" and enrolment.voucher == voucher
    with pytest.raises(TrainingError, match="已使用"):
        enrol(user=me, course=other_course, person=migrant, voucher_code=voucher.code)
    assert not Enrolment.objects.filter(course=other_course).exists()  # nothing half-written
    withdraw(user=me, enrolment=enrolment)  # leaving gives the voucher back
    voucher.refresh_from_db()
    assert voucher.status == "issued"
    Voucher.objects.filter(pk=voucher.pk).update(
        issued_on=timezone.localdate() - dt.timedelta(days=400),
        expires_on=timezone.localdate() - dt.timedelta(days=1),
    )
    with pytest.raises(TrainingError, match="过期"):
        enrol(user=me, course=other_course, person=migrant, voucher_code=voucher.code)
    unsubsidised = course_of(school, school_account, community, subsidised=False)
    Voucher.objects.filter(pk=voucher.pk).update(expires_on=timezone.localdate())
    with pytest.raises(TrainingError, match="不是补贴性培训"):
        enrol(user=me, course=unsubsidised, person=migrant, voucher_code=voucher.code)


def test_vouchers_only_for_this_year(county_clerk):
    with pytest.raises(TrainingError, match="本年度"):
        issue_vouchers(user=county_clerk, region_prefix="341282", year=1999)
    assert not Voucher.objects.exists()


def test_only_county_staff_issue_a_countys_vouchers(staff):
    with pytest.raises(TrainingError):
        issue_vouchers(
            user=staff("township_staff", "341282001"),
            region_prefix="341282",
            year=timezone.localdate().year,
        )
    with pytest.raises(TrainingError):
        issue_vouchers(
            user=staff("county_staff", "340102"),
            region_prefix="341282",
            year=timezone.localdate().year,
        )


def _zaozhuang_community():
    street = Region.objects.filter(parent_id="370402", level=RegionLevel.TOWNSHIP).first()
    community, _ = Region.objects.get_or_create(
        code=f"{street.code}001",
        defaults=dict(
            name="枣庄测试社区", level=RegionLevel.COMMUNITY, parent=street, generated=True
        ),
    )
    return community


def test_an_enterprise_that_evaluates_its_own_staff_is_paid_their_training_subsidy(staff):
    """003 二.(二)7 (枣庄, to 2023): the subsidy of a certificate an enterprise's own
    evaluation gave its own worker goes to the enterprise, and not to the worker too."""
    community = _zaozhuang_community()
    clerk = staff("county_staff", "370402")
    factory = EmployerFactory(name="枣庄机械厂", region_id=community.code)
    institution = add_institution(
        user=clerk,
        employer=factory,
        kind="enterprise",
        may_evaluate=True,
        approved_on=dt.date(2022, 1, 1),
        approvals=[(WELDER, 3)],
    )
    day = dt.date(2023, 6, 30)
    worker = PersonFactory(community_id=community.code, labour_status="unemployed")
    KeyGroupTag.objects.create(person=worker, group="migrant_worker", start=dt.date(2022, 1, 1))
    Registration.objects.create(
        person=worker,
        kind="employment",
        registered_on=dt.date(2023, 1, 5),
        office=community,
        employer=factory,
        channel="counter",
    )
    course = Course.objects.create(
        institution=institution,
        title="焊工岗位技能提升",
        kind="upgrade",
        occupation_id=WELDER,
        level=4,
        start=dt.date(2023, 5, 1),
        end=dt.date(2023, 6, 30),
        hours=80,
        community=community,
        capacity=30,
    )
    enrolment = Enrolment.objects.create(
        course=course, person=worker, channel="staff", enrolled_on=dt.date(2023, 4, 20)
    )
    done = complete(user=clerk, enrolment=enrolment, passed=True, day=day)
    assert done.certificate.evaluation.subsidy_to_enterprise
    assert done.application.policy == "enterprise_training_subsidy"
    assert done.application.employer == factory and done.application.amount == 1200
    # the worker is in the group, yet this certificate is not theirs to be paid for
    assert not assess("training_subsidy", worker, 2023).entitled

    # in 界首 (no direct payment) the same enterprise's worker is paid themself
    jieshou = EmployerFactory(name="界首机械厂")
    jieshou_clerk = staff("county_staff", "341282")
    local = add_institution(
        user=jieshou_clerk,
        employer=jieshou,
        kind="enterprise",
        may_evaluate=True,
        approved_on=dt.date(2022, 1, 1),
        approvals=[(WELDER, 3)],
    )
    person = PersonFactory()
    KeyGroupTag.objects.create(person=person, group="migrant_worker", start=dt.date(2022, 1, 1))
    Registration.objects.create(
        person=person,
        kind="employment",
        registered_on=dt.date(2023, 1, 5),
        office_id="341282001001",
        employer=jieshou,
        channel="counter",
    )
    cert = issue_certificate(
        user=jieshou_clerk,
        institution=local,
        person=person,
        occupation=Occupation.objects.get(code=WELDER),
        level=4,
        issued_on=day,
    )
    assert not cert.evaluation.subsidy_to_enterprise
    assert assess("training_subsidy", person, 2023).amount == 1200


def test_the_lifelong_record_holds_every_event_that_made_it(
    school, school_account, community, migrant, county_clerk
):
    year = timezone.localdate().year
    issue_vouchers(user=county_clerk, region_prefix="341282", year=year, person_ids=[migrant.pk])
    voucher = Voucher.objects.get(person=migrant)
    first = course_of(school, school_account, community, title="焊工入门")
    second = course_of(school, school_account, community, title="焊工提高")
    a = enrol(user=migrant.user_account, course=first, person=migrant, voucher_code=voucher.code)
    b = enrol(user=county_clerk, course=second, person=migrant)
    record_attendance(
        user=school_account, course=first, day=timezone.localdate(), present={migrant.pk}
    )
    done = complete(user=school_account, enrolment=a, passed=True, day=timezone.localdate())
    withdraw(user=migrant.user_account, enrolment=b)
    Certificate.objects.create(
        person=migrant, name="电工", kind="special_operation", issued_on=dt.date(2020, 3, 1)
    )

    record = training_record(migrant)
    assert {e.course.title for e in record.enrolments} == {"焊工入门", "焊工提高"}
    first_row = next(e for e in record.enrolments if e.pk == a.pk)
    assert (first_row.days, first_row.present_days, first_row.voucher) == (1, 1, voucher)
    assert {c.pk for c in record.certificates} == set(
        Certificate.objects.filter(person=migrant).values_list("pk", flat=True)
    )
    assert [v.pk for v in record.vouchers] == [voucher.pk]
    assert [s.pk for s in record.subsidies] == [done.application.pk]
    kinds = [e.kind for e in record.events]
    assert kinds.count("报名") == 2 and kinds.count("结业") == 1 and kinds.count("退出") == 1
    assert kinds.count("证书") == 2 and kinds.count("培训券") == 1 and kinds.count("补贴") == 1
    assert SubsidyApplication.objects.filter(person=migrant).count() == 1
