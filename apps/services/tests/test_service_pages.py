"""The service pages: a clerk records a service on a person's file and sees it on the
timeline; the promise dashboard shows who is owed what and exports it."""

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from apps.people.models import KeyGroupTag
from apps.people.tests.factories import PersonFactory
from apps.services.models import ServiceRecord


@pytest.fixture
def migrant(db):
    person = PersonFactory(name="农民工甲", community_id="341282001001")
    KeyGroupTag.objects.create(person=person, group="migrant_worker", start=dt.date(2026, 9, 1))
    return person


def test_a_clerk_records_a_service_and_the_timeline_shows_it(client, staff, migrant):
    clerk = staff("community_staff", "341282001001")
    client.force_login(clerk)
    response = client.post(
        f"/people/{migrant.pk}/services/", {"kind": "guidance", "outcome": "已做职业指导"}
    )
    assert response.status_code == 302
    record = ServiceRecord.objects.get()
    assert (record.person, record.kind, record.by) == (migrant, "guidance", clerk)
    page = client.get(f"/people/{migrant.pk}/").content.decode()
    assert "职业指导" in page and "已做职业指导" in page


def test_leaders_cannot_record_services(client, staff, migrant):
    client.force_login(staff("leader", "341282"))
    assert client.post(f"/people/{migrant.pk}/services/", {"kind": "call"}).status_code == 403
    assert not ServiceRecord.objects.exists()


def test_the_dashboard_lists_who_is_owed_and_exports(client, staff, migrant):
    client.force_login(staff("township_staff", "341282001"))
    page = client.get("/promises/")
    text = page.content.decode()
    assert "农民工就业服务“1+3+1”" in text and "农民工甲" in text and "适合的岗位信息 3" in text
    response = client.get("/promises/?format=xlsx")
    book = load_workbook(io.BytesIO(response.content))
    rows = list(book["待兑现名单"].iter_rows(values_only=True))
    assert rows[1][0] == "农民工甲" and migrant.id_number not in rows[1][1]
    assert rows[1][4] == "职业指导1次、适合的岗位信息3次、培训项目1次"


def test_the_ledger_filters_by_time_unserved_and_exports(client, staff, migrant):
    served = PersonFactory(name="农民工乙", community_id="341282001002")
    KeyGroupTag.objects.create(person=served, group="migrant_worker", start=dt.date(2026, 9, 1))
    ServiceRecord.objects.create(person=served, kind="call")
    elsewhere = PersonFactory(name="农民工丙", community_id="341282002001")
    KeyGroupTag.objects.create(person=elsewhere, group="migrant_worker", start=dt.date(2026, 9, 1))
    client.force_login(staff("township_staff", "341282001"))
    page = client.get("/ledgers/?group=migrant_worker").content.decode()
    assert "农民工甲" in page and "农民工乙" in page and "农民工丙" not in page
    page = client.get("/ledgers/?group=migrant_worker&unserved=30").content.decode()
    assert "农民工甲" in page and "农民工乙" not in page  # served today
    response = client.get("/ledgers/?group=migrant_worker&format=xlsx")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:4] == ("序号", "姓名", "性别", "公民身份号码")
    assert [r[1] for r in rows[1:]] == ["农民工甲", "农民工乙"]
    assert rows[1][11] == "从未服务" and "*" in rows[1][3]


def test_the_dashboard_counts_open_zero_employment_families(client, staff):
    from apps.people.households import sync_zero_employment
    from apps.people.models import Household

    home = Household.objects.create(number="ZF-0001", community_id="341282001001")
    PersonFactory(household=home, labour_status="unemployed", community_id="341282001001")
    far = Household.objects.create(number="ZF-0002", community_id="341282002001")
    PersonFactory(household=far, labour_status="unemployed", community_id="341282002001")
    sync_zero_employment()
    client.force_login(staff("township_staff", "341282001"))
    page = client.get("/promises/").content.decode()
    assert "未清零 1 户" in page and "ZF-0001" in page and "ZF-0002" not in page
