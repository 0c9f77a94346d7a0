"""Jobs for a worker and candidates for a job, through the services, on the database."""

import datetime as dt

import pytest
from django.core.cache import cache

from apps.jobs.models import JobStatus
from apps.matching.index import GENERATION_KEY
from apps.matching.services import MatchingError, candidates_for_job, jobs_for_person
from apps.people.models import Certificate, KeyGroupTag
from apps.people.tests.factories import JobFactory, PersonFactory, seeker
from jiuye.identifiers import make_resident_id

TODAY = dt.date.today()
HOME = (33.262, 115.371)


pytestmark = pytest.mark.usefixtures("fresh_matching_index")


def job_at(km_north: float, **kw):
    from apps.regions.geo import offset_km

    lat, lng = offset_km(*HOME, km_north, 0)
    defaults = dict(
        valid_from=TODAY - dt.timedelta(days=3),
        valid_to=TODAY + dt.timedelta(days=60),
        lat=lat,
        lng=lng,
        age_min=18,
        age_max=55,
    )
    defaults.update(kw)
    return JobFactory(**defaults)


@pytest.fixture
def welder(db):
    return seeker(
        "王焊工",
        dt.date(1985, 5, 5),
        wishes=["6-18-02-04"],
        wish_min_wage=5000,
        certificate=("6-18-02-04", "焊工", 4),
        seq=123,
    )


def titles(ranked):
    return [r.obj.title for r in ranked]


def test_a_welder_gets_welding_jobs_near_home_first_with_reasons(welder):
    job_at(1.0, title="近处焊工", wage_min=5200, wage_max=7000)
    job_at(12.0, title="远处焊工", wage_min=5200, wage_max=7000)
    job_at(1.0, title="近处厨师", occupation_id="4-03-02-01", wage_min=5200, wage_max=7000)
    ranked = jobs_for_person(person=welder)
    assert titles(ranked) == ["近处焊工", "远处焊工", "近处厨师"]
    best = ranked[0].match
    assert best.reasons[:2] == ["职业对口(同职业)", "距家1公里"]
    assert "薪资符合期望" in best.reasons and "持有焊工四级证书" in best.reasons
    assert ranked[2].match.components["occupation"] == 0.0


def test_hard_filters_exclude_what_the_worker_cannot_take(welder):
    job_at(1.0, title="可投")
    job_at(1.0, title="要本科", education_min="20")
    job_at(1.0, title="限35岁", age_max=35)
    job_at(1.0, title="公益岗", kind="public_welfare")
    job_at(1.0, title="已关闭", status=JobStatus.CLOSED)
    job_at(1.0, title="已过期", valid_to=TODAY - dt.timedelta(days=1))
    job_at(1.0, title="要三级证", required_certificate_id="6-18-02-04", required_level=3)
    job_at(1.0, title="要四级证", required_certificate_id="6-18-02-04", required_level=4)
    assert sorted(titles(jobs_for_person(person=welder))) == ["可投", "要四级证"]
    KeyGroupTag.objects.create(person=welder, group="hard_to_employ", start=TODAY)
    assert "公益岗" in titles(jobs_for_person(person=welder))


def test_the_three_km_circle_and_bad_radii(welder):
    job_at(2.5, title="圈内")
    job_at(3.5, title="圈外")
    assert titles(jobs_for_person(person=welder, radius_km=3)) == ["圈内"]
    for radius in (0, -1, 10_000):
        with pytest.raises(MatchingError, match="距离范围"):
            jobs_for_person(person=welder, radius_km=radius)
    welder.lat = welder.lng = None
    with pytest.raises(MatchingError, match="坐标"):
        jobs_for_person(person=welder, radius_km=3)
    assert titles(jobs_for_person(person=welder))  # without a limit, still ranked


def test_a_person_without_wishes_still_gets_ranked_jobs(db):
    person = PersonFactory(
        lat=HOME[0],
        lng=HOME[1],
        education="60",
        birth_date=dt.date(1992, 2, 2),
        id_number=make_resident_id("341282", dt.date(1992, 2, 2), 123),
    )
    job_at(0.5, title="近")
    job_at(9.0, title="远")
    ranked = jobs_for_person(person=person)
    assert titles(ranked) == ["近", "远"]
    assert not any(r.startswith("职业") for r in ranked[0].match.reasons)


def test_the_index_follows_changes_without_a_rebuild(welder):
    first = job_at(1.0, title="第一个")
    assert titles(jobs_for_person(person=welder)) == ["第一个"]
    generation = cache.get(GENERATION_KEY)
    job_at(0.5, title="新岗位")
    assert titles(jobs_for_person(person=welder)) == ["新岗位", "第一个"]
    first.status = JobStatus.FILLED
    first.save()
    assert titles(jobs_for_person(person=welder)) == ["新岗位"]
    assert cache.get(GENERATION_KEY) == generation  # no rebuild was needed


def test_candidates_are_ranked_and_scoped(welder, staff):
    other = PersonFactory(
        community_id="341282002001",
        lat=HOME[0],
        lng=HOME[1],
        education="70",
        birth_date=dt.date(1990, 1, 1),
        id_number=make_resident_id("341282", dt.date(1990, 1, 1), 123),
    )
    other.wish_occupations.set(["6-18-01-01"])  # same 中类
    job = job_at(1.0, title="焊工")
    everyone = candidates_for_job(job=job)
    assert [r.obj for r in everyone] == [welder, other]
    assert everyone[1].match.reasons[0] == "职业对口(同中类)"
    assert everyone[0].match.reasons[1] == "距岗位1公里"
    clerk = staff("community_staff", "341282001001")
    assert [r.obj for r in candidates_for_job(job=job, user=clerk)] == [welder]


def test_public_welfare_posts_go_only_to_the_hard_to_employ(welder):
    KeyGroupTag.objects.create(person=welder, group="hard_to_employ", start=TODAY)
    plain = PersonFactory(
        lat=HOME[0],
        lng=HOME[1],
        education="70",
        birth_date=dt.date(1980, 3, 3),
        id_number=make_resident_id("341282", dt.date(1980, 3, 3), 123),
    )
    post = job_at(1.0, title="保洁公益岗", kind="public_welfare", occupation_id="4-07-05-01")
    assert [r.obj for r in candidates_for_job(job=post)] == [welder]
    assert [r.obj for r in candidates_for_job(job=post, group="hard_to_employ")] == [welder]
    assert plain in [r.obj for r in candidates_for_job(job=job_at(1.0))]  # an ordinary job
    with pytest.raises(MatchingError):
        candidates_for_job(job=post, group="astronauts")


def test_the_index_forgets_deleted_people(welder):
    job = job_at(1.0)
    assert [r.obj for r in candidates_for_job(job=job)] == [welder]
    Certificate.objects.filter(person=welder).delete()
    welder.delete()
    assert candidates_for_job(job=job) == []


def test_a_row_deleted_behind_the_index_is_skipped_not_a_crash(welder):
    """A deletion the index was not told of (raw SQL, a restore) must not break a page."""
    from django.db import connection

    gone = job_at(1.0, title="已删除")
    kept = job_at(2.0, title="还在")
    assert titles(jobs_for_person(person=welder)) == ["已删除", "还在"]
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM jobs_job WHERE id = %s", [gone.pk])
    assert titles(jobs_for_person(person=welder)) == [kept.title]
    ranked = candidates_for_job(job=kept)
    assert [r.obj.pk for r in ranked] == [welder.pk]
    with connection.cursor() as cursor:
        for table in ("people_person_wish_occupations", "people_certificate"):
            cursor.execute(f"DELETE FROM {table} WHERE person_id = %s", [welder.pk])
        cursor.execute("DELETE FROM people_person WHERE id = %s", [welder.pk])
    assert candidates_for_job(job=kept) == []


def test_skills_in_the_text_lift_a_job_and_say_so(db):
    person = seeker(
        "李焊工",
        dt.date(1986, 6, 6),
        wishes=["6-18-02-04"],
        skills="氩弧焊、二氧化碳保护焊",
        seq=321,
    )
    job_at(1.0, title="焊工", skills="", description="")
    job_at(1.0, title="焊工(氩弧焊)", skills="熟练氩弧焊", description="不锈钢管道焊接")
    ranked = jobs_for_person(person=person)
    assert titles(ranked) == ["焊工(氩弧焊)", "焊工"]
    best, other = ranked[0].match, ranked[1].match
    assert best.components["text"] > other.components["text"]
    assert "技能相符:氩弧焊、焊工" in best.reasons  # the terms that weigh most, first
    assert not any("氩弧焊" in r for r in other.reasons)
    # and the other way: the job finds the people whose skills its text names
    candidates = candidates_for_job(job=ranked[0].obj)
    assert any(r.startswith("技能相符:氩弧焊") for r in candidates[0].match.reasons)
