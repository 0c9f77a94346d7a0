"""Plan targets: the repository's files load whole (every seed, every target with its
region, years, unit and kind); a bad file is refused naming the file and the entry, and
nothing stored changes; each target is judged on track or behind at a date, exactly at
its threshold."""

import datetime as dt
from pathlib import Path

import pytest

from apps.indicators.definitions import INDICATORS
from apps.indicators.models import PlanTarget
from apps.indicators.targets import TargetFileError, evaluate, load, targets_for
from apps.people.registration import register
from apps.people.tests.factories import EmployerFactory, PersonFactory

pytestmark = pytest.mark.django_db


def test_every_seed_loads_with_its_targets():
    assert load() == PlanTarget.objects.count() > 50
    by_file = {t.source_file: t.region_codes for t in PlanTarget.objects.all()}
    assert by_file == {
        "000_leshan.yaml": ["511100"],
        "001_xizang.yaml": ["540000"],
        "002_jieshou.yaml": ["341282"],
        "003_zaozhuang.yaml": ["370400"],
        "004_xiongan.yaml": ["130638", "130629", "130632"],
    }
    leshan = PlanTarget.objects.get(source_file="000_leshan.yaml", indicator="new_urban_jobs")
    assert (leshan.comparison, leshan.value, leshan.scope, leshan.start_year, leshan.end_year) == (
        ">",
        200000,
        "total",
        2021,
        2025,
    )
    binding = PlanTarget.objects.filter(source_file="000_leshan.yaml", kind="binding")
    assert set(binding.values_list("indicator", flat=True)) == {
        "schooling_years",
        "unemployment_insured",
        "injury_insured",
    }
    # a target the platform cannot compute is kept, never dropped
    assert PlanTarget.objects.filter(indicator="surveyed_unemployment_rate").count() == 4
    assert not INDICATORS["surveyed_unemployment_rate"].computed


COMMON = "clause: 一, quote: 原文, comparison: '>=', value: 1, scope: total, kind: expected"
BAD = f"""plan: 测试规划
region: {{name: 测试, codes: ["341282", "999999"]}}
years: [2021, 2025]
targets:
  - {{indicator: new_urban_jobs, label: 好的, unit: 人, {COMMON}}}
  - {{indicator: made_up, label: 编造的指标, unit: 人, {COMMON}}}
  - {{indicator: reemployed, label: 单位不对, unit: "%", {COMMON}}}
  - indicator: reemployed
    label: 年度颠倒
    clause: 四
    quote: 坏
    comparison: "=>"
    value: -3
    unit: 人
    scope: sometimes
    kind: expected
    years: [2025, 2021]
"""


def test_a_bad_file_is_refused_entry_by_entry_and_nothing_changes(tmp_path: Path):
    load()
    before = PlanTarget.objects.count()
    (tmp_path / "bad.yaml").write_text(BAD, encoding="utf-8")
    with pytest.raises(TargetFileError) as e:
        load(tmp_path)
    message = str(e.value)
    assert "bad.yaml:region 的区划代码“999999”不在区划库中" in message
    assert "bad.yaml 第2个目标(编造的指标):指标“made_up”不存在" in message
    assert "第3个目标(单位不对):unit“%”与指标单位“人”不符" in message
    for problem in ("comparison“=>”", "scope“sometimes”", "value“-3”", "years"):
        assert problem in message.split("第4个目标")[1]
    assert "第1个目标" not in message
    assert PlanTarget.objects.count() == before


def _target(**kw) -> PlanTarget:
    fields = dict(
        plan="测试",
        source_file="t.yaml",
        clause="一",
        quote="q",
        region_name="界首市",
        region_codes=["341282"],
        label="l",
        unit="人",
        kind="expected",
        start_year=2026,
        end_year=2026,
    )
    return PlanTarget(**{**fields, **kw})


@pytest.fixture
def two_jobs(staff):
    """Three new jobs in 界首市 in 2026 (01-10, 02-20, 08-01), one person registered
    unemployed (from 01-05)."""
    county = staff("county_staff", "341282")
    firm = EmployerFactory(region_id="341282001001")
    for day in (dt.date(2026, 1, 10), dt.date(2026, 2, 20), dt.date(2026, 8, 1)):
        p = PersonFactory(
            community_id="341282001001", labour_status="inactive", birth_date=dt.date(1990, 1, 1)
        )
        register(user=county, person=p, kind="employment", employer=firm, day=day)
    p = PersonFactory(
        community_id="341282001002", labour_status="inactive", birth_date=dt.date(1990, 1, 1)
    )
    register(user=county, person=p, kind="unemployment", basis="residence", day=dt.date(2026, 1, 5))


def test_a_yearly_figure_is_judged_against_the_share_of_the_year_gone(two_jobs):
    # On 2026-07-01 (182 of 365 days gone), a yearly target of 4 expects 4 × 182/365 ≈ 1.99:
    # 2 new jobs is on track; a target of 5 expects 2.49: behind.
    july = dt.date(2026, 7, 1)
    ok = evaluate(
        _target(indicator="new_employment", comparison=">=", value=4, scope="yearly"),
        ["341282"],
        july,
        2026,
    )
    assert (ok.actual, round(ok.expected, 2), ok.status) == (2, round(4 * 182 / 365, 2), "on_track")
    late = evaluate(
        _target(indicator="new_employment", comparison=">=", value=5, scope="yearly"),
        ["341282"],
        july,
        2026,
    )
    assert late.status == "behind"
    # read after the year: the whole year, met or not met
    done = evaluate(
        _target(indicator="new_employment", comparison=">=", value=3, scope="yearly"),
        ["341282"],
        dt.date(2027, 2, 1),
        2026,
    )
    assert (done.end, done.status) == (dt.date(2026, 12, 31), "met")
    missed = evaluate(
        _target(indicator="new_employment", comparison=">", value=3, scope="yearly"),
        ["341282"],
        dt.date(2027, 2, 1),
        2026,
    )
    assert missed.status == "not_met"  # exactly at the threshold of a strict ">" is not met


def test_a_level_is_met_exactly_at_its_threshold(two_jobs):
    # registered unemployment rate at the end of 2026: 1 of 4 = 25 %
    day = dt.date(2027, 1, 10)

    def judged(comparison, value):
        target = _target(
            indicator="registered_unemployment_rate",
            comparison=comparison,
            value=value,
            unit="%",
            scope="level",
        )
        return evaluate(target, ["341282"], day, 2026)

    assert judged("<=", 25).actual == 25
    assert judged("<=", 25).status == "met"
    assert judged("<", 25).status == "not_met"
    assert judged("<=", 24.99).status == "not_met"
    # during the year a level is on track or behind, not yet met
    assert (
        evaluate(
            _target(
                indicator="registered_unemployment_rate",
                comparison="<=",
                value=25,
                unit="%",
                scope="level",
            ),
            ["341282"],
            dt.date(2026, 9, 1),
            2026,
        ).status
        == "on_track"
    )


def test_a_target_the_platform_cannot_compute_says_so(two_jobs):
    p = evaluate(
        _target(
            indicator="surveyed_unemployment_rate", comparison="<", value=6, unit="%", scope="level"
        ),
        ["341282"],
        dt.date(2026, 7, 1),
        2026,
    )
    assert (p.status, p.actual, p.status_label) == ("not_computed", None, "平台不能计算")
    assert "劳动力调查" in p.note


def test_a_leader_sees_the_targets_of_regions_in_scope_only():
    load()
    assert {t.source_file for t, _ in targets_for("341282")} == {"002_jieshou.yaml"}
    assert {t.source_file for t, _ in targets_for("1306")} == {"004_xiongan.yaml"}
    assert len({t.source_file for t, _ in targets_for("")}) == 5
    assert targets_for("341226") == []


def test_judged_together_or_one_by_one_the_same(two_jobs):
    from apps.indicators.targets import evaluate_all
    from apps.policies.models import CommunityCertification

    load()
    CommunityCertification.objects.create(
        community_id="341282001001", year=2025, certified_on=dt.date(2025, 6, 30)
    )
    pairs = targets_for("341282")
    day = dt.date(2026, 9, 1)
    together = evaluate_all(pairs, day, 2026)
    alone = [evaluate(t, p, day, 2026) for t, p in pairs]
    assert [(p.actual, p.expected, p.status, p.note) for p in together] == [
        (p.actual, p.expected, p.status, p.note) for p in alone
    ]
    assert any(p.actual for p in together)  # not vacuous: the 2025 certification counts


def test_a_period_before_any_record_is_no_data_not_missed(two_jobs):
    # the registry's first registration is of 2026: a 2025 level read as 0 is "no data"
    target = _target(
        indicator="new_employment",
        comparison=">=",
        value=5,
        scope="yearly",
        start_year=2025,
        end_year=2025,
    )
    p = evaluate(target, ["341282"], dt.date(2026, 9, 1), 2025)
    assert (p.status, p.actual) == ("no_data", None)
