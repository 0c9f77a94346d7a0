"""Mass-layoff reports: the statute's threshold, a plan required, the affected workers
entered into the registry's services with an assistance plan each, every bad line named
and the good ones kept."""

import datetime as dt

import pytest

from apps.accounts.models import User
from apps.monitoring.models import AffectedWorker
from apps.monitoring.services import MonitoringError, add_affected, close_layoff, open_layoff
from apps.people.tests.factories import EmployerFactory, PersonFactory
from apps.services.models import AssistancePlan
from jiuye.identifiers import make_resident_id

pytestmark = pytest.mark.django_db
PLAN = "依法支付经济补偿,优先推荐到本市同类企业,组织转岗培训"
DAY = dt.date(2026, 11, 20)


@pytest.fixture
def setting(staff):
    county = staff("county_staff", "341282")
    return county, EmployerFactory(region_id="341282001001", name="裁员厂")


@pytest.mark.parametrize(
    "staff_before, planned, plan, message",
    [
        (300, 19, PLAN, "未达到劳动合同法第四十一条规模裁员标准"),  # 19 and 6.3 %
        (100, 0, PLAN, "拟裁减人数"),
        (100, 101, PLAN, "拟裁减人数"),
        (100, 20, "补偿", "人员安置方案"),
    ],
)
def test_a_report_below_the_statute_or_without_a_plan_is_refused(
    setting, staff_before, planned, plan, message
):
    county, firm = setting
    with pytest.raises(MonitoringError, match=message):
        open_layoff(
            user=county,
            employer=firm,
            reported_on=DAY,
            staff_before=staff_before,
            planned=planned,
            plan=plan,
        )


def test_the_affected_enter_the_services_and_bad_lines_are_named(setting, staff):
    county, firm = setting
    case = open_layoff(
        user=county, employer=firm, reported_on=DAY, staff_before=50, planned=5, plan=PLAN
    )  # 10 % of 50
    ours = [PersonFactory(community_id="341282001001") for _ in range(2)]
    from apps.regions.models import Region

    street = Region.objects.filter(parent_id="341226").order_by("code").first()
    theirs = PersonFactory(community_id=street.code)  # another county
    unknown = make_resident_id("341282", dt.date(1990, 1, 1), 77)
    valid = make_resident_id("341282", dt.date(1991, 2, 3), 78)
    wrong = valid[:-1] + ("0" if valid[-1] != "0" else "1")
    lines = [
        ours[0].id_number,
        wrong,  # wrong check digit
        theirs.id_number,
        unknown,
        ours[0].id_number,  # twice
        "",
        ours[1].id_number,
    ]
    added, errors = add_affected(user=county, case=case, id_numbers=lines)
    assert added == 2
    assert [e.split(":")[0] for e in errors] == ["第2行", "第3行", "第4行", "第5行"]
    assert errors[0].startswith("第2行:身份证号校验码错误")
    assert "没有该人员" in errors[1] and "没有该人员" in errors[2]  # elsewhere = nowhere
    assert "已在名单中" in errors[3]
    plans = AssistancePlan.objects.filter(person__in=ours, closed_on__isnull=True)
    assert {p.goal for p in plans} == {"规模裁员安置:裁员厂"}
    assert all(p.steps.count() == 2 for p in plans)
    assert set(AffectedWorker.objects.values_list("person_id", flat=True)) == {p.pk for p in ours}
    # another county's clerk can neither add nor close
    with pytest.raises(MonitoringError, match="管辖范围"):
        add_affected(user=staff("county_staff", "341226"), case=case, id_numbers=[])
    close_layoff(user=county, case=case, note="5人均已再就业")
    with pytest.raises(MonitoringError, match="已结案"):
        add_affected(user=county, case=case, id_numbers=[ours[0].id_number])


def test_an_employer_reports_its_own_layoff_only(client, setting):
    county, firm = setting
    boss = User.objects.create_user("厂长", password="pw-123456-x", role="employer", employer=firm)
    client.force_login(boss)
    response = client.post(
        "/monitoring/layoffs/",
        {"reported_on": str(DAY), "staff_before": "200", "planned": "30", "plan": PLAN},
    )
    assert response.status_code == 302
    assert firm.layoff_cases.count() == 1
    page = client.get("/monitoring/layoffs/").content.decode()
    assert "裁员厂" in page
    other = EmployerFactory(region_id="341282001001", name="别家厂")
    with pytest.raises(MonitoringError, match="只能报告本单位"):
        open_layoff(
            user=boss, employer=other, reported_on=DAY, staff_before=100, planned=30, plan=PLAN
        )
