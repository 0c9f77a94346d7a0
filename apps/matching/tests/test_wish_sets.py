"""What a person wishes, as sets: a wished 职业's neighbours (相近职业) are offered by how
much their work overlaps, ahead of unrelated trades, in the recommendations, the push and
a job's candidates; several kinds of work, through the import, the wizard and matching."""

import io

import pytest

from apps.imports.services import create_import, run_import
from apps.imports.tests.conftest import csv_bytes, rejected_rows
from apps.imports.tests.test_people_import import person_row
from apps.matching.models import Offer
from apps.matching.services import candidates_for_job, jobs_for_person
from apps.people.models import Person

from .test_push import job, migrant, push

pytestmark = pytest.mark.usefixtures("fresh_matching_index")

ELDERLY_CARE, NURSING_AIDE, COOK = "4-10-01-05", "4-14-01-02", "4-03-02-01"


@pytest.fixture
def clerk(staff):
    return staff("township_staff", "341282001")


def test_a_neighbouring_trade_comes_before_an_unrelated_one(clerk):
    carer = migrant(1, wishes=(ELDERLY_CARE,))
    nursing = job("医院护工", km=8, occupation_id=NURSING_AIDE, headcount=3)
    job("厨师", km=3, occupation_id=COOK, headcount=3)  # same 大类, nearer
    found = jobs_for_person(person=carer)
    assert [r.obj.title for r in found] == ["医院护工", "厨师"]
    assert "职业相近(工作任务相近)" not in found[1].match.reasons
    assert found[0].match.reasons[0] == "职业相近(工作任务相近)"
    # pushed too: the overlap (fit 1.5 × 0.33) reaches the push's minimum (same 中类, 0.4);
    # the cook's job does not, nor a well-paid job next door of the neighbour's 中类 that
    # is no neighbour (营养师), which the push reads with it and must leave
    job("营养师", km=0.2, occupation_id="4-14-02-01", headcount=30, wage_min=9000, wage_max=9900)
    push(clerk, offers_per_person=1)
    assert list(Offer.objects.filter(person=carer).values_list("job_id", flat=True)) == [nursing.pk]
    # and from the job's side, the carer is a candidate for it, said so
    (best,) = [c for c in candidates_for_job(job=nursing, user=clerk) if c.obj.pk == carer.pk]
    assert best.match.reasons[0] == "职业相近(工作任务相近)"


def test_several_kinds_of_work(clerk):
    both = migrant(1, wish_job_kinds=["regular", "gig"])
    anything = migrant(2)
    job("全职焊工", km=1, kind="regular", headcount=3)
    job("焊工零活", km=1, kind="gig", headcount=3)
    part_time = job("兼职焊工", km=1, kind="part_time", headcount=3)
    assert {r.obj.title for r in jobs_for_person(person=both)} == {"全职焊工", "焊工零活"}
    assert len(jobs_for_person(person=anything)) == 3
    push(clerk, offers_per_person=3)
    assert set(Offer.objects.filter(person=both).values_list("job__title", flat=True)) == {
        "全职焊工",
        "焊工零活",
    }
    assert both.pk not in {c.obj.pk for c in candidates_for_job(job=part_time, user=clerk)}


def test_kinds_through_the_import(db):
    rows = [
        person_row(1, 意向用工形式="全职、零工"),
        person_row(2, 意向用工形式="零工,兼职,零工"),
        person_row(3, 意向用工形式="全职、兼差"),
        person_row(4, 意向用工形式=""),
        person_row(5, 意向用工形式="、、"),  # separators alone say nothing: refused
        person_row(6, 意向用工形式="公益岗", 重点群体="农民工"),  # reserved for others
        person_row(7, 意向用工形式="就业见习", 重点群体="高校毕业生"),
    ]
    upload = create_import(kind="people", file=io.BytesIO(csv_bytes(rows)), filename="p.csv")
    done = run_import(upload.pk)
    kinds = dict(Person.objects.values_list("name", "wish_job_kinds"))
    # once each, in the kinds' own order (a file that only reorders them changes nothing)
    assert kinds == {
        "张1": ["regular", "gig"],
        "张2": ["part_time", "gig"],
        "张4": [],
        "张7": ["internship"],
    }
    rejected = {r["行号"]: r for r in rejected_rows(done)}
    assert set(rejected) == {"4", "6", "7"}
    assert all(r["错误列"] == "意向用工形式" for r in rejected.values())
    assert "兼差" in rejected["4"]["错误原因"] and "没有可识别" in rejected["6"]["错误原因"]
    assert "仅面向" in rejected["7"]["错误原因"]


def test_kinds_through_the_wizard(client, db):
    from apps.accounts.models import User

    person = migrant(1)
    user = User.objects.create_user("13900001234", password="x", role="worker", person=person)
    client.force_login(user)
    client.post("/my/profile/", {"wish_1": "6-18-02-04", "wish_job_kinds": ["regular", "gig"]})
    person.refresh_from_db()
    assert person.wish_job_kinds == ["regular", "gig"]
    page = client.get("/my/profile/").content.decode()
    assert page.count("checked") == 2 and 'type="checkbox"' in page
    bad = client.post("/my/profile/", {"wish_job_kinds": ["moonlighting"]}).content.decode()
    assert "moonlighting" in bad and 'class="field choices invalid"' in bad
    person.refresh_from_db()
    assert person.wish_job_kinds == ["regular", "gig"]  # nothing half-written
    client.post("/my/profile/", {"wish_1": "6-18-02-04"})  # none ticked: any kind
    person.refresh_from_db()
    assert person.wish_job_kinds == []


def test_more_pay_first_for_someone_who_named_no_wage(db):
    """Without an expected wage, a job is held to the open jobs' median wage: the better
    paid of two otherwise equal jobs comes first, said so; with one, to theirs."""
    person = migrant(1)
    assert person.wish_min_wage is None
    job("低薪焊工", km=1, wage_min=3000, wage_max=3500)
    job("高薪焊工", km=1, wage_min=6000, wage_max=7000)
    first, second = jobs_for_person(person=person)
    assert (first.obj.title, second.obj.title) == ("高薪焊工", "低薪焊工")
    assert "薪资不低于在招岗位中位数" in first.match.reasons
    assert not [r for r in second.match.reasons if r.startswith("薪资")]
    person.wish_min_wage = 5000
    person.save()
    first, _ = jobs_for_person(person=person)
    assert first.obj.title == "高薪焊工" and "薪资高于期望" in first.match.reasons


def test_kinds_reserved_for_key_groups_only_for_them(client, db):
    """就业见习 is for graduates and unemployed youth: a worker who is neither is told so
    rather than left with a list that finds nothing; a graduate may wish it."""
    from apps.accounts.models import User
    from apps.people.models import KeyGroupTag

    person = migrant(1)  # a migrant worker, no graduate
    user = User.objects.create_user("13900001235", password="x", role="worker", person=person)
    client.force_login(user)
    page = client.post("/my/profile/", {"wish_job_kinds": ["internship"]}).content.decode()
    assert "仅面向" in page and "高校毕业生" in page
    person.refresh_from_db()
    assert person.wish_job_kinds == []
    KeyGroupTag.objects.create(person=person, group="graduate", start=person.status_since)
    client.post("/my/profile/", {"wish_job_kinds": ["internship", "regular"]})
    person.refresh_from_db()
    assert person.wish_job_kinds == ["regular", "internship"]  # in the kinds' order


def test_a_second_place_of_work_through_the_wizard(client, db):
    """A worker who would work in either of two communities: a job at the second lies
    within 1 km for them (and they for it); a second place without a first is refused."""
    from apps.accounts.models import User
    from apps.regions.geo import haversine_km
    from apps.regions.models import Region

    a, b = (Region.objects.get(code=c) for c in ("341282001001", "341282002001"))
    assert haversine_km(a.lat, a.lng, b.lat, b.lng) > 1.5
    person = migrant(1)
    client.force_login(User.objects.create_user("w2", password="x", role="worker", person=person))
    at_b = job("B社区焊工", km=0)
    at_b.lat, at_b.lng = b.lat, b.lng
    at_b.save()

    def within_1_km():
        person.refresh_from_db()
        found = at_b.pk in [r.obj.pk for r in jobs_for_person(person=person, radius_km=1)]
        assert found == (person.pk in [r.obj.pk for r in candidates_for_job(job=at_b, radius_km=1)])
        return found

    client.post("/my/profile/", {"wish_1": "6-18-02-04", "work_place": a.code})
    assert not within_1_km()
    client.post(
        "/my/profile/", {"wish_1": "6-18-02-04", "work_place": a.code, "work_place_2": b.code}
    )
    assert within_1_km() and b.name in person.work_place_2
    # the reason names the place the distance is from
    (found,) = [r for r in jobs_for_person(person=person) if r.obj.pk == at_b.pk]
    assert f"距{person.work_place_2}0公里" in found.match.reasons
    assert f'value="{b.code}" selected' in client.get("/my/profile/").content.decode()
    page = client.post("/my/profile/", {"work_place": "", "work_place_2": b.code}).content.decode()
    assert "请先选择意向工作地点" in page
    person.refresh_from_db()
    assert person.work_lat_2 == b.lat  # the refused post changed nothing
