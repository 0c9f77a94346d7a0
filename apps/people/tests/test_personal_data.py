"""A person sees who looked at their information (when, which office, why) and downloads
everything the platform holds on them (个人信息保护法 art. 45)."""

import io
import re

import openpyxl
import pytest

from apps.accounts.models import AccessEntry, User
from apps.people.models import KeyGroupTag, StatusChange
from apps.people.tests.factories import PersonFactory
from apps.services.models import ServiceRecord

A1 = "341282001001"


@pytest.fixture
def me(db):
    person = PersonFactory(name="李四", community_id=A1, phone="13812345678")
    KeyGroupTag.objects.create(person=person, group="graduate", start="2026-01-01")
    StatusChange.objects.create(person=person, status="unemployed", since="2026-01-01")
    user = User.objects.create_user("lisi", password="x", role="worker", person=person)
    return person, user


def test_i_see_which_office_looked_at_my_file_and_why(client, staff, me):
    person, user = me
    clerk = staff("township_staff", "341282001", username="王经办")
    client.force_login(clerk)
    client.get(f"/people/{person.pk}/")
    client.get("/ledgers/", {"group": "graduate", "format": "xlsx"})
    client.force_login(user)
    page = client.get("/my/privacy/").content.decode()
    assert "东城街道街道(乡镇)经办人员" in page  # the office, not the member of staff
    assert "查看档案" in page and "导出:高校毕业生实名制台账" in page
    assert "王经办" not in page and "127.0.0.1" not in page


def test_i_download_everything_the_platform_holds_on_me(client, staff, me):
    person, user = me
    clerk = staff("community_staff", A1, username="赵经办")
    ServiceRecord.objects.create(person=person, kind="guidance", by=clerk, outcome="已指导")
    AccessEntry.objects.create(viewer=clerk, person=person, purpose="view", ip="10.9.9.9")
    client.force_login(user)
    response = client.get("/my/privacy/data.xlsx")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    basic = dict(book["基本信息"].iter_rows(values_only=True))
    assert basic["公民身份号码"] == person.id_number and basic["手机号"] == "13812345678"
    assert basic["居住社区"] == "测试01社区(341282001001)"
    sheets = set(book.sheetnames)
    assert {"劳动状态变更", "重点群体标识", "服务记录", "个人信息访问日志"} <= sheets
    services = list(book["服务记录"].iter_rows(values_only=True))
    assert "已指导" in services[1] and "测试01社区社区(村)经办人员" in services[1]
    text = str([list(s.iter_rows(values_only=True)) for s in book.worksheets])
    assert "赵经办" not in text and "10.9.9.9" not in text  # staff by office only
    taken = AccessEntry.objects.filter(person=person, purpose="self")
    assert taken.exists() and taken.first().viewer == user
    # Every column says in Chinese what it holds.
    headers = [c for s in book.worksheets[1:] for c in next(s.iter_rows(values_only=True))]
    assert [h for h in headers if not re.search(r"[\u4e00-\u9fff]", str(h))] == []
    assert [
        r[0]
        for r in book["基本信息"].iter_rows(values_only=True)
        if not re.search(r"[\u4e00-\u9fff]", str(r[0]))
    ] == []


def test_only_the_person_themselves(client, staff, me):
    client.force_login(staff("community_staff", A1))
    assert client.get("/my/privacy/").status_code == 403
    assert client.get("/my/privacy/data.xlsx").status_code == 403
    client.logout()
    assert client.get("/my/privacy/data.xlsx").status_code == 302
