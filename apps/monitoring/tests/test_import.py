"""Monthly reports by file: every bad row named with its column, the good rows kept, a
re-run changing nothing, a changed figure kept as a correction, warnings scanned."""

import csv
import datetime as dt
import io

import pytest

from apps.imports.services import create_import, run_import
from apps.monitoring.models import MonitoredEnterprise, MonthlyReport, Warning
from apps.people.tests.factories import EmployerFactory

pytestmark = pytest.mark.django_db
HEADERS = ["统一社会信用代码", "月份", "月末从业人数", "本月减少人数", "主要减员原因"]


def csv_file(rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADERS)
    writer.writerows(rows)
    return buffer.getvalue().encode()


def run(rows, user):
    job = create_import(
        kind="monitoring", file=io.BytesIO(csv_file(rows)), filename="m.csv", user=user
    )
    return run_import(job.pk)


@pytest.fixture
def firms(staff):
    county = staff("county_staff", "341282")
    monitored = EmployerFactory(region_id="341282001001", name="报表厂")
    MonitoredEnterprise.objects.create(employer=monitored, since=dt.date(2026, 1, 1), baseline=200)
    unmonitored = EmployerFactory(region_id="341282001001")
    return county, monitored, unmonitored


def test_monthly_reports_by_file(firms):
    county, firm, other = firms
    code = firm.credit_code
    job = run(
        [
            [code, "2026-08", "200", "0", ""],
            [code, "2026-09", "150", "50", "经济性裁员"],
            [other.credit_code, "2026-09", "80", "0", ""],  # not monitored
            [code, "2026-10", "-5", "0", ""],  # negative
            [code, "2026-10", "2500", "0", ""],  # absurd: over ten times the baseline
            [code, "2025-12", "190", "0", ""],  # before monitoring began
            [code, "2099-01", "190", "0", ""],  # not yet
            [code, "2026-10", "140", "10", ""],  # people left, no reason
            [code, "2026-09", "151", "49", "经济性裁员"],  # the same month twice in a file
        ],
        county,
    )
    assert (job.created_count, job.status) == (2, "partial")
    errors = job.error_file.open("rb").read().decode("utf-8-sig")
    for line in (
        "没有纳入失业动态监测",
        "月末从业人数",
        "倍,请核实",
        "自2026-01起纳入监测",
        "尚未结束",
        "须注明主要原因",
    ):
        assert line in errors
    assert errors.count("\n") == 1 + 7  # a header and the seven refused rows
    reports = MonthlyReport.objects.filter(enterprise__employer=firm, replaced_at__isnull=True)
    assert sorted(reports.values_list("month", "headcount")) == [
        (dt.date(2026, 8, 1), 200),
        (dt.date(2026, 9, 1), 150),
    ]
    # the September fall raised its warnings when the file finished
    assert Warning.objects.filter(key=str(firm.pk), month=dt.date(2026, 9, 1)).exists()

    again = run([[code, "2026-09", "150", "50", "经济性裁员"]], county)
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 1)
    corrected = run([[code, "2026-09", "195", "5", "协商解除"]], county)
    assert corrected.updated_count == 1
    history = MonthlyReport.objects.filter(enterprise__employer=firm, month=dt.date(2026, 9, 1))
    assert sorted((r.headcount, r.replaced_at is None) for r in history) == [
        (150, False),
        (195, True),
    ]
    assert (
        not Warning.objects.filter(key=str(firm.pk), month=dt.date(2026, 9, 1), signal="threshold")
        .exclude(status="closed")
        .exists()
    )  # the correction removed the cause


def test_another_regions_enterprise_is_refused(firms, staff):
    _, firm, _ = firms
    job = run(
        [[firm.credit_code, "2026-09", "150", "50", "经济性裁员"]], staff("county_staff", "341226")
    )
    assert job.created_count == 0
    assert not MonthlyReport.objects.exists()


def test_the_file_checks_what_the_form_checks(firms, staff):
    county, firm, _ = firms
    MonthlyReport.objects.create(
        enterprise=firm.monitoring, month=dt.date(2026, 8, 1), headcount=21, channel="staff"
    )
    job = run([[firm.credit_code, "2026-09", "20", "99999", "经济性裁员"]], county)
    assert job.created_count == 0
    assert "多于上月末21人" in job.error_file.open("rb").read().decode("utf-8-sig")
    # another county's clerk is answered as if the enterprise were not monitored at all
    other = run(
        [[firm.credit_code, "2026-09", "20", "1", "经济性裁员"]], staff("county_staff", "341226")
    )
    text = other.error_file.open("rb").read().decode("utf-8-sig")
    assert "没有纳入失业动态监测" in text and "341282" not in text.split("\n", 1)[1].split(",")[2]
