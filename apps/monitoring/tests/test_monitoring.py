"""Unemployment monitoring: monthly reports (bad input refused naming the field, a month
never counted twice, a correction keeping history), warnings that fire exactly at their
thresholds and not one below, the statute's mass-layoff test, a seasonal change point,
and the handling of warnings, each inside the region."""

import datetime as dt
from decimal import Decimal

import numpy as np
import pytest

from apps.accounts.models import User
from apps.monitoring.models import MonitoredEnterprise, MonthlyReport, Warning, WarningRule
from apps.monitoring.services import (
    MonitoringError,
    add_enterprise,
    change_points,
    handle,
    scan,
    submit_report,
)
from apps.people.tests.factories import EmployerFactory

pytestmark = pytest.mark.django_db
A1, B1 = "341282001001", "341282002001"
M = dt.date(2026, 6, 1)


@pytest.fixture
def county(staff):
    return staff("county_staff", "341282")


def monitored(
    county, region=A1, baseline=200, since=dt.date(2026, 1, 1), **kw
) -> MonitoredEnterprise:
    return add_enterprise(
        user=county,
        employer=EmployerFactory(region_id=region, **kw),
        since=since,
        baseline=baseline,
    )


def report(user, e, month, headcount, reduced=0, reason="", **kw):
    return submit_report(
        user=user,
        enterprise=e,
        month=month,
        headcount=headcount,
        reduced=reduced,
        reason=reason or ("contract_end" if reduced else ""),
        **kw,
    )


def test_a_month_is_reported_once_and_a_correction_keeps_history(county):
    e = monitored(county)
    report(county, e, M, 195, 5)
    with pytest.raises(MonitoringError, match="月份:2026-06已报送"):
        report(county, e, M, 190, 10)
    report(county, e, M, 190, 10, correct=True)
    rows = list(MonthlyReport.objects.filter(enterprise=e, month=M).order_by("submitted_at"))
    assert [(r.headcount, r.replaced_at is None) for r in rows] == [(195, False), (190, True)]


@pytest.mark.parametrize(
    "month, headcount, reduced, reason, message",
    [
        (M, -1, 0, "", "月末从业人数"),
        (M, 2_000_000, 0, "", "月末从业人数"),
        (M, 2001, 0, "", "是上次报送200人的10倍"),
        (M, 150, 400, "economic", "本月减少人数:400人多于"),
        (M, 150, 5, "", "减员原因:本月有减员"),
        (M, 150, 5, "made_up", "减员原因"),
        (dt.date(2025, 12, 1), 150, 0, "", "自2026-01起纳入监测"),
        (dt.date(2099, 1, 1), 150, 0, "", "尚未结束"),
    ],
)
def test_bad_reports_are_refused_naming_the_field(
    county, month, headcount, reduced, reason, message
):
    e = monitored(county)
    with pytest.raises(MonitoringError, match=message):
        submit_report(
            user=county,
            enterprise=e,
            month=month,
            headcount=headcount,
            reduced=reduced,
            reason=reason,
        )
    assert not MonthlyReport.objects.exists()


def test_who_may_report(county, staff):
    e = monitored(county)
    other_firm = EmployerFactory(region_id=A1)
    boss = User.objects.create_user(
        "boss", password="pw-123456-x", role="employer", employer=other_firm
    )
    with pytest.raises(MonitoringError, match="只能报送本单位"):
        report(boss, e, M, 190)
    with pytest.raises(MonitoringError, match="管辖范围"):
        report(staff("county_staff", "341226"), e, M, 190)
    own = User.objects.create_user(
        "own", password="pw-123456-x", role="employer", employer=e.employer
    )
    assert report(own, e, M, 190).channel == "employer"
    with pytest.raises(MonitoringError, match="已在监测中"):
        add_enterprise(user=county, employer=e.employer, since=M, baseline=10)


def _levels(month=M):
    return {(w.signal, w.scope, w.key): w.level for w in Warning.objects.filter(month=month)}


def test_an_enterprise_warning_fires_exactly_at_its_threshold(county):
    # default enterprise rule: 5 / 10 / 20 / 30 % of the month before, from 50 people
    at = monitored(county, baseline=200)
    below = monitored(county, baseline=200)
    small = monitored(county, baseline=40)
    report(county, at, M, 190, 10)  # 10 of 200 = 5.00 %: blue
    report(county, below, M, 191, 9)  # 4.5 %: nothing
    report(county, small, M, 20, 20)  # 50 % but fewer than 50 people: not rated
    levels = _levels()
    assert levels[("threshold", "enterprise", str(at.employer_id))] == "blue"
    assert ("threshold", "enterprise", str(below.employer_id)) not in levels
    assert ("threshold", "enterprise", str(small.employer_id)) not in levels
    w = Warning.objects.get(key=str(at.employer_id), signal="threshold")
    assert "由200人降至190人" in w.reason and "5.00%" in w.reason and w.threshold == Decimal(5)
    assert w.drivers[0]["lost"] == 10


def test_a_regions_own_rule_wins_and_groups_net_out(county):
    WarningRule.objects.create(
        region_prefix="341282",
        scope="region",
        blue=Decimal("0.5"),
        yellow=1,
        orange=2,
        red=3,
        min_base=100,
    )
    grew = monitored(county, region=A1, baseline=300)
    shrank = monitored(county, region=B1, baseline=300)
    report(county, grew, M, 303)
    report(county, shrank, M, 294, 6)  # county: 600 → 597 = 0.50 % net: blue by 341282's rule
    levels = _levels()
    assert levels[("threshold", "region", "341282")] == "blue"
    assert ("threshold", "region", "341282001") not in levels  # that street grew
    w = Warning.objects.get(scope="region", key="341282")
    assert [d["name"] for d in w.drivers] == [shrank.employer.name]


def test_the_statutes_mass_layoff(county):
    big = monitored(county, baseline=300)
    nineteen = monitored(county, baseline=300)
    tenth = monitored(county, baseline=50)
    quits = monitored(county, baseline=300)
    report(county, big, M, 280, 20, "economic")  # 20 people
    report(county, nineteen, M, 281, 19, "economic")  # 19 and 6.3 %
    report(county, tenth, M, 45, 5, "economic")  # 10 % of 50
    report(county, quits, M, 270, 30, "resigned")  # people leaving is not a layoff
    levels = _levels()
    layoff = {k[2] for k in levels if k[0] == "mass_layoff"}
    assert layoff == {str(big.employer_id), str(tenth.employer_id)}


def test_a_correction_that_removes_the_cause_closes_the_warning(county):
    e = monitored(county, baseline=200)
    report(county, e, M, 150, 50)
    assert _levels()[("threshold", "enterprise", str(e.employer_id))] == "orange"  # 25 %
    report(county, e, M, 199, 1, correct=True)
    w = Warning.objects.get(signal="threshold", scope="enterprise", key=str(e.employer_id))
    assert w.status == "closed" and "更正" in w.notes[-1]["note"]


def _history(county, wave: bool) -> MonitoredEnterprise:
    """30 months of a seasonal series (down in Jan-Feb, back in March), with or without a
    fall of 8 % a month over the last three."""
    employer = EmployerFactory(region_id=A1)
    e = MonitoredEnterprise.objects.create(
        employer=employer, since=dt.date(2024, 1, 1), baseline=1000
    )
    rng = np.random.default_rng(3)
    level, month = 1000.0, dt.date(2024, 1, 1)
    rows = []
    for i in range(30):
        season = {1: -0.03, 2: -0.02, 3: 0.05}.get(month.month, 0.0)
        level *= 1 + season + rng.normal(0.001, 0.003)
        if wave and i >= 27:
            level *= 0.92
        rows.append(
            MonthlyReport(enterprise=e, month=month, headcount=round(level), channel="staff")
        )
        month = (month + dt.timedelta(days=32)).replace(day=1)
    MonthlyReport.objects.bulk_create(rows)
    return e, rows[-1].month


def test_a_change_point_after_seasonal_adjustment(county):
    e, last = _history(county, wave=True)
    found = change_points(last, "341282")
    key = ("change_point", "region", "341282")
    assert key in found
    assert "2026年04月起转为持续下降" in found[key]["reason"]  # the wave's first month
    assert found[key]["level"] == "red"  # about 22 % down
    MonthlyReport.objects.all().delete()
    MonitoredEnterprise.objects.all().delete()
    e, last = _history(county, wave=False)
    assert change_points(last, "341282") == {}  # the Spring Festival dip is season, not news


def test_staff_handle_a_warning_in_their_region_only(county, staff):
    e = monitored(county, baseline=200)
    report(county, e, M, 150, 50)
    w = Warning.objects.get(signal="threshold", scope="enterprise")
    with pytest.raises(MonitoringError, match="管辖范围"):
        handle(user=staff("county_staff", "341226"), warning=w, action="acknowledge")
    handle(user=county, warning=w, action="acknowledge")
    with pytest.raises(MonitoringError, match="处理说明"):
        handle(user=county, warning=w, action="close")
    handle(user=county, warning=w, action="act", note="上门走访,落实稳岗返还")
    handle(user=county, warning=w, action="close", note="企业恢复生产")
    w.refresh_from_db()
    assert w.status == "closed" and [n["action"] for n in w.notes] == [
        "acknowledge",
        "act",
        "close",
    ]
    with pytest.raises(MonitoringError, match="已关闭"):
        handle(user=county, warning=w, action="act", note="x")
    assert scan(M, "341282")  # a scan keeps a closed warning closed
    w.refresh_from_db()
    assert w.status == "closed"


def test_a_missed_month_is_bridged_not_compared_with_the_baseline(county):
    e = monitored(county, baseline=300)
    report(county, e, dt.date(2026, 4, 1), 200)  # the firm had shrunk long before
    # May not reported; June unchanged at 200: no fall, no warning
    report(county, e, M, 200)
    assert not Warning.objects.filter(month=M).exists()


def test_the_month_under_way_and_absurd_months_are_refused(county):
    from django.utils import timezone

    from apps.monitoring.services import parse_month

    e = monitored(county, baseline=200)
    with pytest.raises(MonitoringError, match="尚未结束"):
        report(county, e, timezone.localdate().replace(day=1), 190)
    for bad in ("2026-02-30", "0001-01", "2026-13", "abc"):
        with pytest.raises(MonitoringError, match="格式不对"):
            parse_month(bad)
    with pytest.raises(MonitoringError, match="纳入监测月份"):
        add_enterprise(
            user=county, employer=EmployerFactory(region_id=A1), since=dt.date(1, 1, 1), baseline=10
        )


def test_a_group_is_rated_over_all_its_enterprises_not_the_first_to_report(county):
    # ten firms of one industry report May; in June only the one that shrank has reported
    firms = [monitored(county, baseline=100) for _ in range(10)]
    for e in firms:
        report(county, e, dt.date(2026, 5, 1), 100)
    report(county, firms[0], M, 70, 30, "economic")
    industry = [w for w in Warning.objects.filter(month=M) if w.scope == "industry"]
    # 30 of 1,000 (3 %) for the industry: yellow, not the 30 % of the one firm alone
    assert [(w.level, w.value) for w in industry] == [("yellow", Decimal("3.00"))]
