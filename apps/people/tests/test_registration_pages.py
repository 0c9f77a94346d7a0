"""Registration pages: a clerk registers unemployment and then employment from a person's
file; a worker registers online; errors come back as messages, nothing half-done."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from apps.accounts.models import User
from apps.people.models import Registration, StatusProposal
from apps.people.tests.factories import EmployerFactory, PersonFactory

TODAY = timezone.localdate()


@pytest.fixture
def person(db):
    return PersonFactory(
        name="登记人",
        community_id="341282001001",
        labour_status="inactive",
        birth_date=dt.date(1990, 5, 5),
        gender="M",
    )


def test_a_clerk_registers_from_the_file(client, staff, person):
    client.force_login(staff("community_staff", "341282001001"))
    url = f"/people/{person.pk}/registrations/"
    client.post(url, {"kind": "unemployment", "basis": "household"})
    person.refresh_from_db()
    assert person.labour_status == "unemployed"
    page = client.get(f"/people/{person.pk}/").content.decode()
    assert "失业登记" in page and "户籍地" in page
    employer = EmployerFactory()
    client.post(url, {"kind": "employment", "employer": employer.credit_code})
    person.refresh_from_db()
    assert person.labour_status == "employed"
    assert Registration.objects.get(kind="unemployment").end_reason == "就业"


def test_errors_come_back_and_nothing_is_recorded(client, staff, person):
    client.force_login(staff("community_staff", "341282001001"))
    url = f"/people/{person.pk}/registrations/"
    response = client.post(
        url, {"kind": "employment", "employer": "91341282MA00000000"}, follow=True
    )
    assert "没有统一社会信用代码为91341282MA00000000的单位" in response.content.decode()
    response = client.post(url, {"kind": "unemployment"}, follow=True)
    assert "须注明登记依据" in response.content.decode()
    assert not Registration.objects.exists()


def test_a_worker_registers_online(client, person):
    worker = User.objects.create_user("w", password="x", role="worker", person=person)
    client.force_login(worker)
    client.post("/my/registration/", {"basis": "residence"})
    r = Registration.objects.get()
    assert (r.kind, r.channel, r.basis) == ("unemployment", "online", "residence")
    page = client.post("/my/registration/", {"basis": "residence"}).content.decode()
    assert "不能重复登记" in page
    assert Registration.objects.count() == 1


def test_a_clerk_uploads_a_contribution_file_and_confirms(client, staff, person):
    person.labour_status = "unemployed"
    person.save()
    employer = EmployerFactory()
    clerk = staff("community_staff", "341282001001")
    client.force_login(clerk)
    content = (
        "公民身份号码,缴费单位统一社会信用代码,缴费月份\n"
        f"{person.id_number},{employer.credit_code},2026-10\n"
        ",,202613\n"
    )
    upload = SimpleUploadedFile("缴费.csv", content.encode("gbk"), content_type="text/csv")
    response = client.post("/crosschecks/", {"file": upload})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "登记失业但正在缴纳社保" in page and "缴费月份" in page  # the bad row, named
    person.refresh_from_db()
    assert person.labour_status == "unemployed"  # nothing changes before confirming
    proposal = StatusProposal.objects.get()
    client.post(response["Location"], {"proposal": proposal.pk, "confirm": "1"})
    person.refresh_from_db()
    assert person.labour_status == "employed"
