"""The matching pages: a worker's jobs for me, a job's candidates for staff and for the
employer that posted it."""

import datetime as dt

import pytest

from apps.accounts.models import User
from apps.people.tests.factories import JobFactory, seeker
from apps.regions.geo import offset_km

TODAY = dt.date.today()
HOME = (33.262, 115.371)


pytestmark = pytest.mark.usefixtures("fresh_matching_index")


@pytest.fixture
def city(db):
    worker = seeker(
        "王焊工",
        dt.date(1988, 8, 8),
        wishes=["6-18-02-04"],
        wish_max_distance_km=5,
        certificate=("6-18-02-04", "焊工", 4),
    )
    near = JobFactory(
        title="东城焊工",
        valid_from=TODAY,
        valid_to=TODAY + dt.timedelta(days=30),
        lat=offset_km(*HOME, 1.2, 0)[0],
        lng=HOME[1],
    )
    far = JobFactory(
        title="远郊焊工",
        valid_from=TODAY,
        valid_to=TODAY + dt.timedelta(days=30),
        lat=offset_km(*HOME, 8, 0)[0],
        lng=HOME[1],
    )
    return {"worker": worker, "near": near, "far": far}


def login(client, role, **extra):
    user = User.objects.create_user(f"u-{role}", password="x", role=role, **extra)
    client.force_login(user)
    return user


def test_a_worker_sees_jobs_for_them_with_reasons(client, city):
    login(client, "worker", person=city["worker"])
    page = client.get("/my/jobs/").content.decode()
    assert page.index("东城焊工") < page.index("远郊焊工")
    assert "职业对口(同职业)" in page and "距家1.2公里" in page and "持有焊工四级证书" in page
    circle = client.get("/my/jobs/?within=circle").content.decode()
    assert "东城焊工" in circle and "远郊焊工" not in circle
    own = client.get("/my/jobs/?within=own").content.decode()  # 5 km
    assert "东城焊工" in own and "远郊焊工" not in own
    bad = client.get("/my/jobs/?within=km&km=10000").content.decode()
    assert "距离范围应大于0" in bad


def test_staff_see_ranked_candidates_of_their_region(client, city, staff):
    user = staff("community_staff", "341282001001")
    client.force_login(user)
    page = client.get(f"/jobs/{city['near'].pk}/candidates/").content.decode()
    assert "王焊工" in page and "距岗位1.2公里" in page
    only_hard = client.get(f"/jobs/{city['near'].pk}/candidates/?group=hard_to_employ")
    assert "王焊工" not in only_hard.content.decode()


def test_an_employer_sees_masked_candidates_for_its_own_posting_only(client, city):
    login(client, "employer", employer=city["near"].employer)
    page = client.get(f"/my/postings/{city['near'].pk}/candidates/").content.decode()
    assert "王**" in page and "王焊工" not in page
    assert client.get(f"/my/postings/{city['far'].pk}/candidates/").status_code == 404
    assert client.get(f"/jobs/{city['near'].pk}/candidates/").status_code == 403


def test_only_workers_with_a_file_get_jobs_for_me(client, city):
    login(client, "worker")
    assert client.get("/my/jobs/").status_code == 403


def test_a_blacklisted_employer_sees_no_candidates_and_staff_cannot_refer(client, city, staff):
    employer = city["near"].employer
    employer.blacklisted, employer.blacklist_reason = True, "拖欠农民工工资"
    employer.blacklist_from = dt.date.today() - dt.timedelta(days=3)
    employer.save()
    login(client, "employer", employer=employer)
    page = client.get(f"/my/postings/{city['near'].pk}/candidates/").content.decode()
    assert "王**" not in page and "不能为其岗位推荐或邀约人员" in page
    assert "欠薪黑名单:不推荐人选" in client.get("/my/postings/").content.decode()
    client.force_login(staff("community_staff", "341282001001"))
    page = client.get(f"/jobs/{city['near'].pk}/candidates/").content.decode()
    assert "王焊工" in page and "/put-forward/" not in page
