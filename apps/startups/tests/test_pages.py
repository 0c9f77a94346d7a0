"""The entrepreneurship pages as staff and a founder use them."""

import datetime as dt

import pytest

from apps.accounts.models import User
from apps.people.tests.factories import EmployerFactory, PersonFactory
from apps.startups.models import (
    GuaranteeLoan,
    Incubator,
    Mentor,
    MentorRequest,
    Project,
    ProjectInterest,
    Startup,
)

pytestmark = pytest.mark.django_db


def test_staff_register_a_startup_its_loan_incubator_and_mentor(client, staff):
    clerk = staff("county_staff", "341282")
    founder = PersonFactory(name="张创业")
    shop = EmployerFactory(name="界首小吃店", region_id="341282001001", industry_id="62")
    client.force_login(clerk)
    bad = client.post(
        "/startups/",
        {
            "credit_code": shop.credit_code,
            "id_number": "X",
            "origin": "graduate",
            "founded_on": "2025-05-01",
        },
    )
    assert bad.status_code == 400 and "本辖区没有这个人员" in bad.content.decode()
    assert f'value="{shop.credit_code}"' in bad.content.decode()
    client.post(
        "/startups/",
        {
            "credit_code": shop.credit_code,
            "id_number": founder.id_number,
            "origin": "graduate",
            "founded_on": "2025-05-01",
        },
    )
    startup = Startup.objects.get(employer=shop)
    url = f"/startups/{startup.pk}/"
    too_much = client.post(
        url,
        {
            "action": "loan",
            "bank": "农商银行",
            "amount": "300000",
            "term_months": "36",
            "rate": "3.45",
            "subsidised_share": "50",
            "issued_on": "2026-06-01",
        },
        follow=True,
    ).content.decode()
    assert "最高200,000元" in too_much and not GuaranteeLoan.objects.exists()
    client.post(
        url,
        {
            "action": "loan",
            "bank": "农商银行",
            "amount": "150000",
            "term_months": "24",
            "rate": "3.45",
            "subsidised_share": "50",
            "issued_on": "2026-06-01",
        },
    )
    assert GuaranteeLoan.objects.get(borrower=founder).due_on == dt.date(2028, 6, 1)
    client.post(
        "/startups/incubators/",
        {"name": "界首双创园", "level": "county", "community": "341282001001", "capacity": "10"},
    )
    hub = Incubator.objects.get(name="界首双创园")
    client.post(url, {"action": "admit", "incubator": hub.pk, "start": "2026-07-01"})
    client.post(
        "/startups/mentors/", {"name": "李导师", "expertise": "餐饮连锁", "industries": ["H"]}
    )
    client.post(url, {"action": "ask", "topic": "第二家门店怎么选址"})
    request = MentorRequest.objects.get(startup=startup)
    page = client.get(url).content.decode()
    assert "熟悉该行业" in page and "界首双创园" in page and "150000" in page
    client.post(url, {"action": "assign", "request": request.pk, "mentor": Mentor.objects.get().pk})
    request.refresh_from_db()
    assert request.status == "assigned"

    # the founder sees it and asks for more help
    User.objects.create_user("张创业", password="pw-x-123456", role="worker", person=founder)
    client.force_login(User.objects.get(username="张创业"))
    mine = client.get("/startups/mine/").content.decode()
    assert "界首小吃店" in mine and "李导师" in mine and "150000" in mine
    client.post("/startups/mine/", {"startup": startup.pk, "topic": "申请创业补贴要准备什么"})
    assert MentorRequest.objects.filter(startup=startup).count() == 2

    # a leader reads the founder's name masked
    client.force_login(staff("leader", "341282", "领导"))
    assert "张**" in client.get("/startups/").content.decode()
    assert "张创业" not in client.get(url).content.decode()


def test_the_project_pool_for_would_be_founders(client, staff):
    clerk = staff("county_staff", "341282")
    client.force_login(clerk)
    client.post(
        "/startups/projects/",
        {
            "action": "add",
            "title": "界首小吃加盟店",
            "industry": "H",
            "region": "341282",
            "summary": "门店加盟,总部统一培训和供货,适合返乡人员",
            "investment": "80000",
            "jobs": "3",
        },
    )
    bad = client.post(
        "/startups/projects/",
        {"action": "add", "title": "空", "industry": "H", "region": "340102", "summary": "太短"},
        follow=True,
    ).content.decode()
    assert "本辖区" in bad
    project = Project.objects.get()
    client.logout()
    assert "界首小吃加盟店" in client.get("/startups/projects/").content.decode()  # public
    worker = PersonFactory(name="想创业的人")
    User.objects.create_user("想创业", password="pw-x-123456", role="worker", person=worker)
    client.force_login(User.objects.get(username="想创业"))
    client.post("/startups/projects/", {"action": "interest", "project": project.pk})
    again = client.post(
        "/startups/projects/", {"action": "interest", "project": project.pk}, follow=True
    ).content.decode()
    assert "已登记过" in again and ProjectInterest.objects.filter(person=worker).count() == 1
    client.force_login(clerk)
    assert "想创业的人" in client.get("/startups/projects/").content.decode()
