"""Employers on the wage-arrears blacklist (欠薪黑名单) get no one sent by the platform: their
jobs are neither recommended nor pushed nor put forward to, and are flagged on the board;
a person's acceptable commute counts by default, in the push as a limit and in the
recommendations as an order (within it first)."""

import datetime as dt

import pytest

from apps.matching.applications import ApplicationError, put_forward
from apps.matching.models import Offer
from apps.matching.services import jobs_for_person

from .test_push import TODAY, job, migrant, push

pytestmark = pytest.mark.usefixtures("fresh_matching_index")


def blacklist(employer, until=None):
    employer.blacklisted = True
    employer.blacklist_reason = "拖欠农民工工资"
    employer.blacklist_from = TODAY - dt.timedelta(days=30)
    employer.blacklist_to = until
    employer.save()


def recommended(person):
    person.refresh_from_db()
    return [r.obj.title for r in jobs_for_person(person=person)]


@pytest.fixture
def clerk(staff):
    return staff("township_staff", "341282001")


def test_a_blacklisted_employer_gets_no_one_from_the_platform(clerk, client, settings):
    person = migrant(1)
    bad = job("黑名单焊工", km=0.5, headcount=5, wage_min=9000, wage_max=12000)
    good = job("普通焊工", km=3, headcount=5)
    assert recommended(person)[0] == "黑名单焊工"  # the index is built and serves it

    blacklist(bad.employer)  # listed after the index was built: seen at the next query
    assert recommended(person) == ["普通焊工"]
    push(clerk, offers_per_person=3)
    assert {o.job_id for o in Offer.objects.filter(person=person)} == {good.pk}
    with pytest.raises(ApplicationError, match="欠薪黑名单"):
        put_forward(user=clerk, job=bad, person=person)

    # Flagged on the board, with the reason on the job's page.
    assert "欠薪黑名单单位" in client.get("/board/").content.decode()
    page = client.get(f"/board/{bad.pk}/").content.decode()
    assert "拖欠农民工工资" in page and 'id="blacklisted"' in page

    # Taken off the list (its removal date reached): recommended again.
    bad.employer.blacklist_to = TODAY
    bad.employer.save()
    assert "黑名单焊工" in recommended(person)
    assert 'id="blacklisted"' not in client.get(f"/board/{bad.pk}/").content.decode()


def test_a_region_may_choose_to_match_them_still_flagged(clerk, client, settings):
    settings.BLACKLIST_EXEMPT_REGIONS = ["341282001"]
    person = migrant(1)
    bad = job("黑名单焊工", km=0.5)
    blacklist(bad.employer, until=TODAY + dt.timedelta(days=10))
    assert "黑名单焊工" in recommended(person)
    put_forward(user=clerk, job=bad, person=person)  # allowed there
    assert 'id="blacklisted"' in client.get(f"/board/{bad.pk}/").content.decode()


def test_the_commute_a_person_accepts_orders_recommendations_and_limits_the_push(clerk):
    person = migrant(1, wish_max_distance_km=5, wish_min_wage=6000)
    job("近处焊工", km=4, wage_min=3000, wage_max=3500)
    job("远处高薪焊工", km=20, wage_min=9000, wage_max=12000)  # better, but too far
    ranked = jobs_for_person(person=person)
    assert [r.obj.title for r in ranked] == ["近处焊工", "远处高薪焊工"]
    assert not any("通勤" in x for x in ranked[0].match.reasons)
    assert "超出您可接受的通勤距离(5公里)" in ranked[1].match.reasons
    # A radius chosen on the page replaces the person's own limit.
    assert [r.obj.title for r in jobs_for_person(person=person, radius_km=30)][0] == "远处高薪焊工"

    push(clerk, offers_per_person=3)
    assert [o.job.title for o in Offer.objects.filter(person=person)] == ["近处焊工"]

    # Without a stated commute the far job comes first (the limit made the difference).
    person.wish_max_distance_km = None
    person.save()
    assert recommended(person)[0] == "远处高薪焊工"
