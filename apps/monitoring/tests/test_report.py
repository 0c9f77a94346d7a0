"""The quarterly monitoring report: the page, its PDF and its Excel tables hold the same
numbers, counted by hand from a small quarter."""

import datetime as dt
import io

import openpyxl
import pypdf
import pytest

from apps.monitoring.models import MonitoredEnterprise, MonthlyReport
from apps.monitoring.services import scan
from apps.people.tests.factories import EmployerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def quarter(staff):
    """Two enterprises over 2026 Q3: a factory (制造业) falls from 200 to 150 posts with an
    economic layoff in September; a restaurant grows from 100 to 104."""
    factory = EmployerFactory(region_id="341282001001", name="监测机械厂", industry_id="34")
    restaurant = EmployerFactory(region_id="341282002001", name="监测饭店", industry_id="62")
    months = [dt.date(2026, m, 1) for m in (6, 7, 8, 9)]
    for employer, figures, reduced, reason in (
        (factory, [200, 198, 196, 150], [0, 2, 2, 46], ["", "resigned", "resigned", "economic"]),
        (restaurant, [100, 101, 103, 104], [0, 1, 0, 0], ["", "resigned", "", ""]),
    ):
        e = MonitoredEnterprise.objects.create(
            employer=employer, since=dt.date(2026, 1, 1), baseline=figures[0]
        )
        for month, headcount, n, why in zip(months, figures, reduced, reason, strict=True):
            MonthlyReport.objects.create(
                enterprise=e,
                month=month,
                headcount=headcount,
                reduced=n,
                reason=why,
                channel="staff",
            )
    for month in months[1:]:
        scan(month, "341282")
    return staff("leader", "341282")


def test_page_pdf_and_tables_hold_the_same_numbers(client, quarter):
    client.force_login(quarter)
    query = "?year=2026&quarter=3"
    page = client.get("/reports/quarterly/" + query).content.decode()
    summary = "本季度监测企业 2 家,上季末岗位 300 个,本季末 254 个,增减 -46 个;本季报告减员 51 人。"
    assert summary in page
    assert "岗位流失率 15.33%" in page  # 46 of 300
    assert "界首市2026年第3季度失业动态监测分析报告" in page
    assert 'src="data:image/svg+xml;base64,' in page  # the chart, drawn on the server

    response = client.get("/reports/quarterly/" + query + "&format=pdf")
    assert response["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(response.content)).pages)
    flat = text.replace("\n", "").replace(" ", "")
    assert "界首市2026年第3季度失业动态监测分析报告" in flat
    assert summary.replace(" ", "") in flat
    assert "制造业1200150-505025.00%" in flat  # 1 firm, 200 → 150, −50, 50 left, 25 %
    assert "经济性裁员46" in flat

    book = openpyxl.load_workbook(
        io.BytesIO(client.get("/reports/quarterly/" + query + "&format=xlsx").content)
    )
    industries = {r[0]: r for r in book["表1 按行业"].iter_rows(min_row=2, values_only=True)}
    assert industries["制造业"][1:6] == (1, 200, 150, -50, 50)
    assert industries["合计"][1:6] == (2, 300, 254, -46, 51)
    assert industries["合计"][6] == 15.33
    warnings = list(book["表4 预警"].iter_rows(min_row=2, values_only=True))
    # 46 of 196 in September: orange (20–30 %), and the statute's mass layoff
    assert {row[1] for row in warnings if row[2] == "监测机械厂"} == {"橙色"}


def test_a_quarter_not_begun_or_another_region_is_refused(client, quarter):
    client.force_login(quarter)
    assert client.get("/reports/quarterly/?year=2099&quarter=1").status_code == 404
    assert client.get("/reports/quarterly/?year=2026&quarter=5").status_code == 404
    assert client.get("/reports/quarterly/?region=341226").status_code == 403
