"""The training pages as their users use them: a worker finds and joins a class with a
voucher, the institution keeps the register and passes them, the certificate verifies;
staff put an institution on record, enrol people by ID and issue vouchers."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from apps.accounts.models import AccessEntry
from apps.people.models import Certificate
from apps.people.tests.factories import EmployerFactory, JobFactory, PersonFactory
from apps.training.models import Course, Enrolment, Institution, Voucher

from .conftest import WELDER

pytestmark = pytest.mark.django_db


def test_a_worker_finds_joins_completes_and_verifies(
    client, school, school_account, migrant, county_clerk
):
    today = timezone.localdate()
    # the city is short of welders: postings and no seekers
    JobFactory(occupation_id=WELDER, headcount=12)
    client.force_login(school_account)
    page = client.post(
        f"/training/institutions/{school.pk}/",
        {
            "title": "焊工(四级)订单班",
            "kind": "skill",
            "mode": "open",
            "approval": school.approvals.get().pk,
            "level": "4",
            "start": today.isoformat(),
            "end": (today + dt.timedelta(days=30)).isoformat(),
            "hours": "120",
            "capacity": "20",
            "community": "341282001001",
            "subsidised": "1",
        },
    )
    course = Course.objects.get(title="焊工(四级)订单班")
    assert page.status_code == 302 and page["Location"] == f"/training/courses/{course.pk}/roster/"

    client.force_login(county_clerk)
    client.post("/training/vouchers/", {"region": "341282", "year": today.year})
    voucher = Voucher.objects.get(person=migrant)

    client.force_login(migrant.user_account)
    listing = client.get("/training/").content.decode()
    assert "焊工(四级)订单班" in listing and "本地紧缺" in listing and voucher.code in listing
    client.post(f"/training/courses/{course.pk}/", {"voucher": voucher.code})
    enrolment = Enrolment.objects.get(person=migrant, course=course)
    assert enrolment.voucher == voucher
    assert "您已报名本班" in client.get(f"/training/courses/{course.pk}/").content.decode()

    client.force_login(school_account)
    roster = client.get(f"/training/courses/{course.pk}/roster/").content.decode()
    assert migrant.name in roster
    client.post(
        f"/training/courses/{course.pk}/roster/",
        {"action": "attendance", "day": today.isoformat()},  # absent: nobody ticked
    )
    # the day's register opens as recorded, so a second submit does not undo it
    again = client.get(f"/training/courses/{course.pk}/roster/?day={today}").content.decode()
    assert f'name="present" value="{migrant.pk}" aria-label' in again and "0/1" in again
    client.post(
        f"/training/courses/{course.pk}/roster/",
        {"action": "attendance", "day": today.isoformat(), "present": [migrant.pk]},
    )
    done = client.post(
        f"/training/courses/{course.pk}/roster/",
        {"action": "pass", "enrolment": enrolment.pk, "day": today.isoformat()},
        follow=True,
    ).content.decode()
    cert = Certificate.objects.get(person=migrant)
    assert cert.number in done and "培训补贴申请" in done

    client.force_login(migrant.user_account)
    record = client.get("/training/record/").content.decode()
    for text in ("焊工(四级)订单班", "1/1", cert.number, voucher.code, "1200"):
        assert text in record, text
    page = client.get(f"/certificates/{cert.pk}/").content.decode()
    token = re.search(r'id="token">([^<]+)<', page).group(1)
    qr = client.get(f"/certificates/{cert.pk}/qr.svg")
    assert qr["Content-Type"] == "image/svg+xml" and b"<svg" in qr.content

    client.logout()  # anyone verifies, without an account
    ok = client.get("/certificates/verify/", {"c": token}).content.decode()
    assert "核验通过" in ok and "四级/中级工" in ok
    forged = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    assert "核验不通过" in client.get("/certificates/verify/", {"c": forged}).content.decode()
    key = client.get("/certificates/key/")
    assert key.content.startswith(b"-----BEGIN PUBLIC KEY-----")


def test_staff_put_an_institution_on_record_and_enrol_by_id(client, county_clerk, staff):
    employer = EmployerFactory(name="界首民办培训学校")
    client.force_login(county_clerk)
    bad = client.post(
        "/training/institutions/",
        {
            "credit_code": employer.credit_code,
            "kind": "private_school",
            "approved_on": "2026-01-01",
            "approvals": "9-99-99-99 3",
        },
    )
    assert bad.status_code == 400 and "不在职业分类大典中" in bad.content.decode()
    assert 'value="2026-01-01"' in bad.content.decode()  # what was typed stays
    client.post(
        "/training/institutions/",
        {
            "credit_code": employer.credit_code,
            "kind": "private_school",
            "approved_on": "2026-01-01",
            "approvals": f"{WELDER} 4",
        },
    )
    institution = Institution.objects.get(employer=employer)
    today = timezone.localdate()
    course = Course.objects.create(
        institution=institution,
        title="焊工初级班",
        kind="skill",
        occupation_id=WELDER,
        level=5,
        start=today,
        end=today + dt.timedelta(days=10),
        hours=40,
        community_id="341282001001",
        capacity=5,
    )
    person = PersonFactory(name="代报名者")
    client.post(
        f"/training/courses/{course.pk}/roster/", {"action": "enrol", "id_number": person.id_number}
    )
    assert Enrolment.objects.filter(course=course, person=person, channel="staff").exists()
    # a person of another county is not found by a clerk of this one
    far = PersonFactory(community_id="341282002001")
    client.force_login(staff("community_staff", "341282001001"))
    page = client.post(
        f"/training/courses/{course.pk}/roster/",
        {"action": "enrol", "id_number": far.id_number},
        follow=True,
    ).content.decode()
    assert "本辖区没有这个人员" in page
    # staff opening a person's training record is logged as a view of the file
    client.force_login(county_clerk)
    assert client.get(f"/training/people/{person.pk}/").status_code == 200
    assert AccessEntry.objects.filter(person=person, viewer=county_clerk).exists()


def test_the_demand_page_shows_shortages_and_the_training_targets(client, staff):
    JobFactory(occupation_id=WELDER, headcount=9)
    client.force_login(staff("county_staff", "341282"))
    page = client.get("/training/demand/").content.decode()
    assert "6-18" in page and "农民工职业技能培训人次" in page
