"""Public-welfare posts: only the groups they are for, within the headcount, a year at a
time up to three years (until retirement when it is near), exits free the post, and the
year is counted against the plan."""

import datetime as dt

import pytest
from django.utils import timezone

from apps.jobs.models import JobStatus
from apps.jobs.welfare import WelfareError, leave, place, renew, welfare_year
from apps.people.models import KeyGroupTag
from apps.people.tests.factories import JobFactory, PersonFactory

TODAY = timezone.localdate()
pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk(staff):
    return staff("township_staff", "341282001")


@pytest.fixture
def post(db):
    return JobFactory(
        kind="public_welfare",
        title="保洁公益岗",
        headcount=2,
        valid_from=TODAY - dt.timedelta(days=400),
        valid_to=TODAY + dt.timedelta(days=800),
    )


def hard_to_employ(born=dt.date(1980, 1, 1), gender="M"):
    person = PersonFactory(
        community_id="341282001001", labour_status="unemployed", birth_date=born, gender=gender
    )
    KeyGroupTag.objects.create(person=person, group="hard_to_employ", start=dt.date(2025, 1, 1))
    return person


def test_only_the_groups_the_posts_are_for(clerk, post):
    other = PersonFactory(community_id="341282001001", labour_status="unemployed")
    with pytest.raises(WelfareError, match="就业困难人员和零就业家庭成员"):
        place(user=clerk, job=post, person=other)
    with pytest.raises(WelfareError, match="不是公益性岗位"):
        place(user=clerk, job=JobFactory(), person=hard_to_employ())


def test_placement_registers_work_and_fills_the_post(clerk, post):
    a, b, c = hard_to_employ(), hard_to_employ(), hard_to_employ()
    placement = place(user=clerk, job=post, person=a)
    a.refresh_from_db()
    assert a.labour_status == "employed"
    assert placement.end == TODAY + dt.timedelta(days=364)
    with pytest.raises(WelfareError, match="已在公益性岗位上"):
        place(user=clerk, job=post, person=a)
    place(user=clerk, job=post, person=b)
    post.refresh_from_db()
    assert post.status == JobStatus.FILLED
    with pytest.raises(WelfareError, match="不再招用"):
        place(user=clerk, job=post, person=c)
    leave(user=clerk, placement=placement, reason="找到市场岗位")
    post.refresh_from_db()
    assert post.status == JobStatus.OPEN
    assert place(user=clerk, job=post, person=c).person == c


def test_terms_renew_up_to_three_years_in_all(clerk, post):
    person = hard_to_employ()
    start = TODAY - dt.timedelta(days=900)
    placement = place(user=clerk, job=post, person=person, start=start)
    renew(user=clerk, placement=placement)
    renew(user=clerk, placement=placement)
    assert placement.end == start.replace(year=start.year + 3) - dt.timedelta(days=1)
    with pytest.raises(WelfareError, match="已达公益性岗位安置期限"):
        renew(user=clerk, placement=placement)


def test_near_retirement_one_may_stay_until_it(clerk, post):
    # a woman retiring at 55 in about two years
    born = TODAY.replace(year=TODAY.year - 53)
    person = hard_to_employ(born=born, gender="F")
    placement = place(user=clerk, job=post, person=person)
    renew(user=clerk, placement=placement)
    retirement = born.replace(year=born.year + 55) - dt.timedelta(days=1)
    renew(user=clerk, placement=placement)
    assert placement.end == retirement
    with pytest.raises(WelfareError, match="期限"):
        renew(user=clerk, placement=placement)


def test_the_year_is_counted_against_the_plan(clerk, post):
    JobFactory(kind="public_welfare", headcount=5, valid_from=TODAY, valid_to=TODAY)
    place(user=clerk, job=post, person=hard_to_employ())
    year = welfare_year("341282")
    assert (year.posts, year.placed, year.holding, year.target) == (5, 1, 1, 390)


def test_only_staff_of_the_region(staff, post):
    person = hard_to_employ()
    with pytest.raises(WelfareError, match="本辖区"):
        place(user=staff("township_staff", "341282002"), job=post, person=person)


def test_the_page_places_renews_and_counts(client, clerk, post):
    person = hard_to_employ()
    client.force_login(clerk)
    client.post("/welfare/", {"action": "place", "id_number": person.id_number, "job": post.pk})
    page = client.get("/welfare/").content.decode()
    assert person.name in page and "保洁公益岗" in page and "目标 390" in page
    placement = person.welfare_placements.get()
    client.post("/welfare/", {"action": "leave", "placement": placement.pk, "reason": "期满"})
    placement.refresh_from_db()
    assert placement.exit_reason == "期满"
