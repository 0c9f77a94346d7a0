"""The public job board: anyone searches the open jobs by words, occupation, area, wage,
kind and distance; a job's page carries it as schema.org JobPosting and asks a visitor
to sign in to apply, returning them to the job."""

import datetime as dt
import json
import re

import pytest
from django.utils import timezone

from apps.accounts.models import User
from apps.people.tests.factories import EmployerFactory, JobFactory, PersonFactory

TODAY = timezone.localdate()


@pytest.fixture
def jobs(db):
    east = EmployerFactory(name="东城焊接厂", region_id="341282001001")
    west = EmployerFactory(name="西城超市", region_id="341282002001")
    valid = {"valid_from": TODAY - dt.timedelta(days=1), "valid_to": TODAY + dt.timedelta(days=30)}
    return {
        "welder": JobFactory(
            employer=east,
            title="电焊工",
            description="持焊工证优先",
            wage_min=6000,
            wage_max=8000,
            region_id="341282001001",
            lat=33.267,
            lng=115.375,
            **valid,
        ),
        "cashier": JobFactory(
            employer=west,
            title="收银员",
            occupation_id="4-01-02-01",
            kind="part_time",
            wage_min=3000,
            wage_max=3500,
            region_id="341282002001",
            lat=33.255,
            lng=115.352,
            **valid,
        ),
        "closed": JobFactory(employer=east, title="已关闭的焊工岗位", status="closed", **valid),
        "paused": JobFactory(employer=east, title="暂停的焊工岗位", status="paused", **valid),
        "expired": JobFactory(
            employer=east,
            title="过期的焊工岗位",
            valid_from=TODAY - dt.timedelta(days=90),
            valid_to=TODAY - dt.timedelta(days=1),
        ),
    }


def titles(response) -> list[str]:
    return [h.job.title for h in response.context["page"]]


def test_anyone_sees_the_open_jobs_only(client, jobs):
    response = client.get("/board/")
    assert response.status_code == 200
    assert sorted(titles(response)) == ["收银员", "电焊工"]
    data = json.loads(
        re.search(r'id="board-data"[^>]*>(.*?)</script>', response.content.decode()).group(1)
    )
    assert {j["title"] for j in data["jobs"]} == {"收银员", "电焊工"}


def test_search_by_words_area_kind_wage_and_distance(client, jobs):
    assert titles(client.get("/board/", {"q": "焊工证"})) == ["电焊工"]
    assert titles(client.get("/board/", {"area": "341282002"})) == ["收银员"]
    assert titles(client.get("/board/", {"kind": "part_time"})) == ["收银员"]
    assert titles(client.get("/board/", {"wage": "5000"})) == ["电焊工"]
    # an occupation, or any level above it, finds the jobs under it
    for code in ("6-18-02-04", "6-18-02", "6-18", "6"):
        assert titles(client.get("/board/", {"occupation": code})) == ["电焊工"], code
    assert titles(client.get("/board/", {"occupation": "4-01"})) == ["收银员"]
    # words that name an occupation find its jobs whatever their titles say
    assert titles(client.get("/board/", {"q": "氩弧焊"})) == ["电焊工"]
    near = client.get("/board/", {"near": "341282001001", "km": "1"})
    assert titles(near) == ["电焊工"]
    bad = client.get("/board/", {"km": "-3", "near": "341282001001"})
    assert "km" in bad.context["form"].errors


def test_a_jobs_page_carries_it_as_json_ld_and_asks_a_visitor_to_sign_in(client, jobs):
    job = jobs["welder"]
    page = client.get(f"/board/{job.pk}/").content.decode()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    posting = json.loads(block.group(1))
    assert posting["@type"] == "JobPosting" and posting["title"] == "电焊工"
    assert posting["baseSalary"]["value"]["minValue"] == 6000
    assert posting["hiringOrganization"]["name"] == "东城焊接厂"
    assert f"/accounts/login/?next=/board/{job.pk}/" in page
    assert client.get(f"/board/{jobs['closed'].pk}/").status_code == 404


def test_markup_in_a_title_cannot_leave_the_json_ld(client, jobs):
    job = jobs["welder"]
    job.title = "焊工</script><script>alert(1)</script>"
    job.save()
    page = client.get(f"/board/{job.pk}/").content.decode()
    assert "<script>alert(1)" not in page
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1)
    assert json.loads(block)["title"] == job.title


def test_a_worker_applies_from_the_board_and_comes_back_to_the_job(client, jobs):
    person = PersonFactory()
    worker = User.objects.create_user(
        "w", password="pw-for-tests-only", role="worker", person=person
    )
    job = jobs["welder"]
    login = client.post(
        f"/accounts/login/?next=/board/{job.pk}/",
        {"username": "w", "password": "pw-for-tests-only", "next": f"/board/{job.pk}/"},
    )
    assert login.status_code == 302 and login["Location"] == f"/board/{job.pk}/"
    applied = client.post(f"/jobs/{job.pk}/apply/", {"next": f"/board/{job.pk}/"})
    assert applied["Location"] == f"/board/{job.pk}/"
    assert job.applications.get().person == worker.person
    assert "已申请" in client.get(f"/board/{job.pk}/").content.decode()


def test_a_job_placed_only_by_its_area_says_so(client, jobs, staff):
    from apps.regions.models import Region

    area = Region.objects.get(code="341282001001")
    centre = JobFactory(
        employer=jobs["welder"].employer,
        title="只知社区的岗位",
        region_id=area.code,
        lat=area.lat,
        lng=area.lng,
        valid_from=TODAY,
        valid_to=TODAY + dt.timedelta(days=30),
    )
    assert 'id="area-centre"' in client.get(f"/board/{centre.pk}/").content.decode()
    assert 'id="area-centre"' not in client.get(f"/board/{jobs['cashier'].pk}/").content.decode()
    # and a person whose place is their community's centre, on the file staff open
    person = PersonFactory(community=area, lat=area.lat, lng=area.lng)
    client.force_login(staff("community_staff", area.code))
    assert 'id="area-centre"' in client.get(f"/people/{person.pk}/").content.decode()
