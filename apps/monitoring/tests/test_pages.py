"""Monitoring pages as staff, employers and leaders use them."""

import datetime as dt

import pytest
from django.utils import timezone

from apps.accounts.models import User
from apps.monitoring.models import MonitoredEnterprise, MonthlyReport, Warning
from apps.monitoring.selectors import due_month
from apps.monitoring.services import add_enterprise
from apps.people.tests.factories import EmployerFactory

pytestmark = pytest.mark.django_db
DUE = due_month(timezone.localdate())


@pytest.fixture
def firms(staff):
    county = staff("county_staff", "341282")
    made = []
    for name in ("按时报送厂", "迟迟不报厂"):
        e = add_enterprise(
            user=county,
            employer=EmployerFactory(name=name, region_id="341282001001"),
            since=DUE - dt.timedelta(days=200),
            baseline=300,
        )
        made.append(e)
    return county, made


def test_staff_see_who_has_not_reported_and_chase_them(client, firms):
    county, (on_time, late) = firms
    client.force_login(county)
    response = client.post(
        f"/monitoring/{on_time.pk}/",
        {"month": DUE.strftime("%Y-%m"), "headcount": "240", "reduced": "60", "reason": "economic"},
    )
    assert response.status_code == 302
    page = client.get("/monitoring/?missing=1").content.decode()
    assert "迟迟不报厂" in page and "按时报送厂" not in page and "未报送 1 家" in page
    client.post(f"/monitoring/{late.pk}/remind/")
    late.refresh_from_db()
    assert late.reminders == 1
    # the 60 people laid off raised warnings the dashboard shows to the leader
    assert Warning.objects.filter(key=str(on_time.employer_id), signal="mass_layoff").exists()
    client.force_login(
        User.objects.create_user(
            "领导", password="pw-123456-x", role="leader", scope_region=county.scope_region
        )
    )
    dashboard = client.get("/dashboard/").content.decode()
    assert "按时报送厂" in dashboard and "劳动合同法第四十一条" in dashboard
    # a leader reads, and cannot chase or report
    assert client.post(f"/monitoring/{late.pk}/remind/").status_code == 403
    client.post(f"/monitoring/{late.pk}/", {"month": DUE.strftime("%Y-%m"), "headcount": "1"})
    assert not MonthlyReport.objects.filter(enterprise=late).exists()


def test_an_employer_reports_its_own_month_and_corrects_it(client, firms):
    _, (firm, _) = firms
    boss = User.objects.create_user(
        "厂长", password="pw-123456-x", role="employer", employer=firm.employer
    )
    client.force_login(boss)
    month = DUE.strftime("%Y-%m")
    client.post(
        "/monitoring/report/",
        {"month": month, "headcount": "290", "reduced": "10", "reason": "contract_end"},
    )
    again = client.post("/monitoring/report/", {"month": month, "headcount": "280"}, follow=True)
    assert "已报送" in again.content.decode() and "更正" in again.content.decode()
    client.post("/monitoring/report/", {"month": month, "headcount": "285", "correct": "1"})
    reports = MonthlyReport.objects.filter(enterprise=firm).order_by("submitted_at")
    assert [(r.headcount, r.replaced_at is None) for r in reports] == [(290, False), (285, True)]
    page = client.get("/monitoring/report/").content.decode()
    assert "已被更正" in page
    # an employer that is not monitored is told so
    other = User.objects.create_user(
        "别家",
        password="pw-123456-x",
        role="employer",
        employer=EmployerFactory(region_id="341282001001"),
    )
    client.force_login(other)
    assert "未纳入失业动态监测" in client.get("/monitoring/report/").content.decode()
    assert not MonitoredEnterprise.objects.filter(employer=other.employer).exists()


def test_chasing_goes_back_only_to_a_page_of_the_platform(client, firms):
    county, (_, late) = firms
    client.force_login(county)
    for target in ("https://evil.example/", "//evil.example/", "javascript:alert(1)"):
        response = client.post(f"/monitoring/{late.pk}/remind/", {"next": target})
        assert response.status_code == 302 and response["Location"] == "/monitoring/"
    response = client.post(f"/monitoring/{late.pk}/remind/", {"next": "/monitoring/?missing=1"})
    assert response["Location"] == "/monitoring/?missing=1"


def test_a_refused_report_keeps_what_was_typed(client, firms):
    clerk, (firm, _) = firms
    client.force_login(clerk)
    month = DUE.strftime("%Y-%m")
    # people left but no reason given: refused, and the figures stay in the form
    page = client.post(
        f"/monitoring/{firm.pk}/", {"month": month, "headcount": "55", "reduced": "3"}
    )
    html = page.content.decode()
    assert page.status_code == 400 and "主要减员原因" in html
    assert 'name="headcount" min="0" value="55"' in html
    assert 'name="reduced" min="0" value="3"' in html
    assert not MonthlyReport.objects.filter(enterprise=firm).exists()
