"""The leaders' pages: the dashboard shows the region's indicators and its plan's targets,
every figure links to its list, a leader sees names masked, nobody opens another region,
and the Excel table opens with openpyxl holding the page's numbers."""

import datetime as dt
import io
import json
import re

import openpyxl
import pytest
from django.utils import timezone

from apps.indicators.targets import load
from apps.people.registration import register
from apps.people.tests.factories import EmployerFactory, PersonFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def city(staff):
    load()
    county = staff("county_staff", "341282")
    firm = EmployerFactory(region_id="341282001001")
    people = []
    for i, community in enumerate(["341282001001", "341282001002", "341282002001"]):
        p = PersonFactory(
            name=f"王小{i}",
            community_id=community,
            labour_status="inactive",
            birth_date=dt.date(1990, 1, 1),
        )
        register(
            user=county,
            person=p,
            kind="employment",
            employer=firm,
            day=TODAY - dt.timedelta(days=i),
        )
        people.append(p)
    u = PersonFactory(
        name="李失业",
        community_id="341282002001",
        labour_status="inactive",
        birth_date=dt.date(1990, 1, 1),
    )
    register(user=county, person=u, kind="unemployment", basis="residence", day=TODAY)
    return people


def test_the_leader_lands_on_the_dashboard_with_the_plans_targets(client, staff, city):
    leader = staff("leader", "341282")
    client.force_login(leader)
    assert client.get("/")["Location"] == "/dashboard/"
    page = client.get("/dashboard/").content.decode()
    assert "界首市就业形势" in page
    assert "界首市就业促进行动方案" in page and "每年举办招聘会不少于72场次" in page
    # every target of 002 is counted now (fairs and brands are recorded); 003's surveyed
    # unemployment rate is not: said, not dropped
    assert "平台不能计算" not in page
    client.force_login(staff("leader", "370400"))
    other = client.get("/dashboard/?region=370400").content.decode()
    assert "城镇调查失业率" in other and "平台不能计算" in other
    client.force_login(leader)
    # the headline figures: 3 new jobs, 1 registered unemployed, 25 % of 4
    headline = page.split('id="headline"')[1].split("</section>")[0]
    assert re.search(r"<b>3人</b>城镇新增就业人数", headline)
    assert re.search(r"<b>1人</b>城镇登记失业人数", headline)
    assert re.search(r"<b>25.0%</b>城镇登记失业率", headline)
    # the trend and the map reach the page as data, not as script
    trend = json.loads(re.search(r'id="trend-data"[^>]*>(.*?)</script>', page, re.S).group(1))
    # the trend ends with the last month that is over (this month's jobs are not in it yet)
    last_month = (TODAY.replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")
    assert trend["months"][-1] == last_month and len(trend["months"]) == 24
    assert trend["series"][0]["name"] == "城镇新增就业人数"
    regions = json.loads(re.search(r'id="map-data"[^>]*>(.*?)</script>', page, re.S).group(1))
    assert {r["code"] for r in regions["regions"]} >= {"341282001", "341282002"}
    assert "<script>" not in page  # no inline script (the CSP forbids it)


def test_a_figure_links_to_its_list_masked_for_a_leader(client, staff, city):
    client.force_login(staff("leader", "341282"))
    page = client.get("/indicators/new_employment/").content.decode()
    assert page.count("王*") == 3 and "王小0" not in page
    client.force_login(staff("township_staff", "341282001"))
    page = client.get("/indicators/new_employment/").content.decode()
    assert "王小0" in page and "王小1" in page and "王小2" not in page  # another street


def test_nobody_opens_another_region_or_the_back_office_from_outside(client, staff, city):
    client.force_login(staff("leader", "341282"))
    assert client.get("/dashboard/?region=340102").status_code == 403
    assert client.get("/indicators/?region=341226").status_code == 403
    assert client.get("/indicators/new_employment/?region=341226").status_code == 403
    assert client.get("/dashboard/?region=nonsense").status_code == 404
    assert client.get("/indicators/made_up/").status_code == 404
    assert client.get("/indicators/?start=2026-13-01").status_code == 404
    worker = PersonFactory(community_id="341282001001")
    from apps.accounts.models import User

    client.force_login(
        User.objects.create_user("w", password="x-pw-123456", role="worker", person=worker)
    )
    assert client.get("/dashboard/").status_code == 403


def test_the_excel_table_holds_the_pages_numbers(client, staff, city):
    client.force_login(staff("city_staff", "341200"))
    start = TODAY.replace(month=1, day=1)
    response = client.get(f"/indicators/?region=341282&start={start}&end={TODAY}&format=xlsx")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["指标", "单位", "界首市"]
    rows = {r[0]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    streets = header.index(header[3])  # the first street's column
    assert rows["城镇新就业人数"][2] == 3
    assert rows["城镇登记失业人数"][2] == 1
    assert rows["城镇登记失业率"][2] == 25
    assert sum(v or 0 for v in rows["城镇新就业人数"][streets:]) == 3
    assert book.worksheets[1].title == "指标口径"


def test_a_derived_figure_says_how_its_list_makes_it(client, staff, city):
    client.force_login(staff("county_staff", "341282", username="另一位经办"))
    page = client.get("/indicators/new_employment/?of=new_urban_jobs").content.decode()
    explained = page.split('id="explained"')[1].split("</p>")[0]
    assert "城镇新增就业人数 <b>3人</b>" in explained
    assert "城镇新就业人数 3人" in explained and "自然减员人数 0人" in explained
