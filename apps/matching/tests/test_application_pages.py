"""The application pages: a worker applies from jobs for me and follows it; the employer
invites, sees its posting's applications (names of people who did not apply masked) and
hires; leaders read, they do not decide."""

import datetime as dt

import pytest
from django.utils import timezone

from apps.accounts.models import User
from apps.matching.models import Application
from apps.people.tests.factories import JobFactory, PersonFactory, seeker

pytestmark = pytest.mark.usefixtures("fresh_matching_index")
TODAY = dt.date.today()


@pytest.fixture
def city(db):
    person = seeker("王焊工", dt.date(1988, 8, 8), wishes=["6-18-02-04"])
    job = JobFactory(title="东城焊工", headcount=2, valid_from=TODAY, lat=33.262, lng=115.371)
    return {
        "worker": User.objects.create_user("w", password="x", role="worker", person=person),
        "boss": User.objects.create_user("e", password="x", role="employer", employer=job.employer),
        "job": job,
        "other": PersonFactory(name="李四"),
    }


def test_a_worker_applies_from_jobs_for_me(client, city):
    client.force_login(city["worker"])
    page = client.get("/my/jobs/")
    assert f'action="/jobs/{city["job"].pk}/apply/"' in page.content.decode()
    response = client.post(f"/jobs/{city['job'].pk}/apply/", {"next": "/my/jobs/"})
    assert response.status_code == 302 and response["Location"] == "/my/jobs/"
    page = client.get("/my/jobs/")
    assert "已申请" in page.content.decode()
    assert "东城焊工" in client.get("/my/applications/").content.decode()


def test_the_employer_invites_reads_and_hires(client, city):
    job = city["job"]
    Application.objects.create(
        person=city["worker"].person,
        job=job,
        source="worker",
        stage="applied",
        confirmed_at=timezone.now(),
    )
    client.force_login(city["boss"])
    client.post(f"/jobs/{job.pk}/put-forward/{city['other'].pk}/")
    page = client.get(f"/jobs/{job.pk}/applications/").content.decode()
    assert "王焊工" in page  # applied: shared their name with the employer
    assert "李**" in page and "李四" not in page  # invited: still masked
    applied = Application.objects.get(person=city["worker"].person)
    client.post(f"/applications/{applied.pk}/decide/", {"hired": "1"})
    applied.refresh_from_db()
    assert applied.stage == "hired"


def test_an_employer_cannot_decide_for_another_employer(client, city, db):
    job = city["job"]
    applied = Application.objects.create(
        person=city["worker"].person, job=job, source="worker", stage="applied"
    )
    stranger = JobFactory()
    intruder = User.objects.create_user(
        "x", password="x", role="employer", employer=stranger.employer
    )
    client.force_login(intruder)
    assert client.get(f"/jobs/{job.pk}/applications/").status_code == 404
    client.post(f"/applications/{applied.pk}/decide/", {"hired": "1"})
    applied.refresh_from_db()
    assert applied.stage == "applied"


def test_leaders_do_not_open_applications(client, city, staff):
    client.force_login(staff("leader", "341282"))
    assert client.get(f"/jobs/{city['job'].pk}/applications/").status_code == 403
