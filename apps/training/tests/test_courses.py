"""Institutions, courses and enrolment: the rules a class keeps, and who may do what."""

import datetime as dt

import pytest
from django.utils import timezone

from apps.people.tests.factories import PersonFactory
from apps.regions.models import Region
from apps.services.models import ServiceRecord
from apps.taxonomy.models import Occupation
from apps.training.models import Enrolment
from apps.training.selectors import courses_in_scope, institutions_in_scope
from apps.training.services import TrainingError, create_course, enrol, withdraw

from .conftest import WELDER

pytestmark = pytest.mark.django_db


def course_of(school, user, community, **kw):
    today = timezone.localdate()
    fields = dict(
        title="焊工(四级)培训班",
        kind="skill",
        occupation=Occupation.objects.get(code=WELDER),
        level=4,
        start=today,
        end=today + dt.timedelta(days=20),
        hours=120,
        community=community,
        capacity=2,
    )
    fields.update(kw)
    return create_course(user=user, institution=school, **fields)


def test_a_class_only_for_an_approved_occupation_and_level(school, school_account, community):
    other = Occupation.objects.filter(level=4).exclude(code=WELDER).first()
    with pytest.raises(TrainingError, match="未核准"):
        course_of(school, school_account, community, occupation=other)
    with pytest.raises(TrainingError, match="最高只能到三级/高级工"):
        course_of(school, school_account, community, level=2)
    with pytest.raises(TrainingError, match="没有“7”这一等级"):
        course_of(school, school_account, community, level=7)
    with pytest.raises(TrainingError, match="创业培训不分"):
        course_of(school, school_account, community, kind="startup", level=4)
    with pytest.raises(TrainingError, match="订单单位"):
        course_of(school, school_account, community, mode="order")
    assert course_of(school, school_account, community).level == 4
    assert (
        course_of(school, school_account, community, kind="startup", level=None).occupation is None
    )


def test_another_institution_or_region_cannot_open_a_class(school, staff, community):
    with pytest.raises(TrainingError, match="只有该培训机构"):
        course_of(school, staff("county_staff", "340102"), community)


def test_enrolment_refuses_twice_over_capacity_and_outside_the_groups(
    school, school_account, community, migrant
):
    course = course_of(school, school_account, community, capacity=2)
    me = migrant.user_account
    enrol(user=me, course=course, person=migrant)
    with pytest.raises(TrainingError, match="不能重复报名"):
        enrol(user=me, course=course, person=migrant)
    clerk_of_a = school_account  # an institution cannot enrol people on its own
    with pytest.raises(TrainingError, match="只有经办人员"):
        enrol(user=clerk_of_a, course=course, person=PersonFactory())
    from apps.accounts.models import User

    clerk = User.objects.get(username="县级经办")
    enrol(user=clerk, course=course, person=PersonFactory())
    with pytest.raises(TrainingError, match="已报满"):
        enrol(user=clerk, course=course, person=PersonFactory())
    assert course.enrolments.count() == 2

    reserved = course_of(school, school_account, community, groups=["veteran"])
    with pytest.raises(TrainingError, match="仅面向退役军人"):
        enrol(user=me, course=reserved, person=migrant)


def test_staff_enrolling_a_person_is_a_training_service_and_scoped(
    school, school_account, community, county_clerk, staff
):
    course = course_of(school, school_account, community)
    person = PersonFactory()
    enrol(user=county_clerk, course=course, person=person)
    assert ServiceRecord.objects.filter(person=person, kind="training").count() == 1
    stranger = PersonFactory(community_id="341282002001")
    with pytest.raises(TrainingError, match="不在您的管辖范围"):
        enrol(user=staff("community_staff", "341282001001"), course=course, person=stranger)
    assert not Enrolment.objects.filter(person=stranger).exists()


def test_a_withdrawn_place_can_be_taken_again(school, school_account, community, migrant):
    course = course_of(school, school_account, community, capacity=1)
    enrolment = enrol(user=migrant.user_account, course=course, person=migrant)
    withdraw(user=migrant.user_account, enrolment=enrolment)
    enrol(user=migrant.user_account, course=course, person=migrant)
    assert course.enrolments.filter(status="enrolled").count() == 1


def test_staff_see_their_regions_institutions_and_classes_only(
    school, school_account, community, staff
):
    course_of(school, school_account, community)
    ours, theirs = staff("township_staff", "341282001"), staff("county_staff", "340102")
    assert institutions_in_scope(ours).count() == 1 and courses_in_scope(ours).count() == 1
    assert institutions_in_scope(theirs).count() == 0 and courses_in_scope(theirs).count() == 0
    assert courses_in_scope(school_account).count() == 1


def test_a_class_stays_in_its_county_and_in_bounds(school, school_account, community):
    far = Region.objects.get(code="341282002001")  # another street of the county: fine
    assert course_of(school, school_account, far).community == far
    street = Region.objects.filter(parent_id="340102", level=4).first()
    elsewhere, _ = Region.objects.get_or_create(
        code=f"{street.code}001",
        defaults=dict(name="外县社区", level=5, parent=street, generated=True),
    )
    with pytest.raises(TrainingError, match="本机构所在的县"):
        course_of(school, school_account, elsewhere)
    for field, value, words in (
        ("hours", -1, "课时"),
        ("hours", 100000, "课时"),
        ("capacity", 100000, "招生人数"),
        ("mode", "zzz", "组织方式"),
    ):
        with pytest.raises(TrainingError, match=words):
            course_of(school, school_account, community, **{field: value})
    with pytest.raises(TrainingError, match="不超过366天"):
        course_of(school, school_account, community, end=dt.date(9999, 12, 31))


def test_an_institution_is_put_on_record_once_with_each_occupation_once(county_clerk):
    from apps.people.tests.factories import EmployerFactory
    from apps.training.services import add_institution

    kw = dict(user=county_clerk, kind="private_school", may_evaluate=False)
    with pytest.raises(TrainingError, match="重复"):
        add_institution(
            employer=EmployerFactory(),
            approved_on=dt.date(2025, 1, 1),
            approvals=[(WELDER, 3), (WELDER, 2)],
            **kw,
        )
    with pytest.raises(TrainingError, match="备案日期"):
        add_institution(
            employer=EmployerFactory(),
            approved_on=timezone.localdate() + dt.timedelta(days=1),
            approvals=[(WELDER, 3)],
            **kw,
        )
