"""In Chromium: a leader signs in and lands on the dashboard: ECharts draws the trend and
Leaflet the streets (both vendored, nothing from the internet), the plan's targets and the
open warnings are there with their why, an employer's name carrying markup stays text,
and a figure opens its list with names masked. A screenshot is kept."""

import datetime as dt

import pytest
from django.utils import timezone

from apps.indicators.targets import load
from apps.monitoring.models import MonitoredEnterprise, MonthlyReport
from apps.monitoring.services import scan
from apps.people.registration import register
from apps.people.tests.factories import EmployerFactory, PersonFactory

pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True)]
XSS = "裁员厂<img src=x onerror=alert(1)>"


@pytest.fixture
def city(live_city, staff):
    load()
    staff("leader", "341282", username="leader")
    county = staff("county_staff", "341282")
    firm = EmployerFactory(region_id="341282001001", name=XSS)
    today = timezone.localdate()
    for i in range(3):
        p = PersonFactory(
            name=f"赵就业{i}",
            community_id="341282001001",
            labour_status="inactive",
            birth_date=dt.date(1990, 1, 1),
        )
        register(
            user=county,
            person=p,
            kind="employment",
            employer=firm,
            day=today - dt.timedelta(days=i),
        )
    month = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    before = (month - dt.timedelta(days=1)).replace(day=1)
    e = MonitoredEnterprise.objects.create(employer=firm, since=before, baseline=200)
    MonthlyReport.objects.create(enterprise=e, month=before, headcount=200, channel="staff")
    MonthlyReport.objects.create(
        enterprise=e, month=month, headcount=140, reduced=60, reason="economic", channel="staff"
    )
    scan(month, "341282")


def test_the_leader_reads_the_dashboard(live_server, city, page, tmp_path):
    dialogs, blocked = [], []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on(
        "console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None
    )
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "leader")
    page.fill("input[name=password]", "pw-for-tests-only")
    page.click("main button[type=submit]")
    page.wait_for_url("**/dashboard/")
    page.wait_for_selector("#trend[data-ready='3'] canvas")
    page.wait_for_selector("#region-map[data-ready]")
    assert page.locator("#region-map path.leaflet-interactive").count() >= 2  # the streets
    assert "3人" in page.locator("#headline").inner_text()
    targets = page.locator("#target-table").inner_text()
    # every target of 002 is counted now (fairs and brands are recorded), each row shown
    assert "界首市就业促进行动方案" in targets and "举办招聘会场次" in targets
    assert "“阜阳名小吃”带动就业" in targets and "平台不能计算" not in targets
    warnings = page.locator("#warning-table").inner_text()
    assert XSS in warnings and "劳动合同法第四十一条" in warnings
    assert page.locator("#warning-table img").count() == 0
    page.screenshot(path=str(tmp_path / "leader-dashboard.png"), full_page=True)
    page.click("#headline >> text=城镇新增就业人数")
    names = page.locator("#behind").inner_text()
    assert "赵*" in names and "赵就业" not in names
    assert dialogs == [] and blocked == []
