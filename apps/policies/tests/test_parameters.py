"""The parameter files are checked before any rule runs: each error names the file, the
parameter and the date; the catalog names only variables and parameters that exist."""

import shutil

import pytest

from apps.policies.rules import PARAMETERS_DIR, REGIONS_DIR
from apps.policies.rules.catalog import check_catalog, in_force, policies, validity
from apps.policies.rules.system import RulesError, build_system, overlay_prefix, region_overlays


@pytest.fixture
def rules_copy(tmp_path):
    params, regions = tmp_path / "parameters", tmp_path / "regions"
    shutil.copytree(PARAMETERS_DIR, params)
    shutil.copytree(REGIONS_DIR, regions)
    return params, regions


@pytest.mark.parametrize("region", ["", "341282", "130629", "110101"])
def test_catalog_names_existing_variables_of_its_entity(region):
    check_catalog(build_system(region))


def test_region_overlays_apply_broadest_first(tmp_path):
    assert overlay_prefix("341200") == "3412"
    assert overlay_prefix("340000") == "34"
    assert [p.name for p in region_overlays("341282001001")] == ["jieshou.yaml"]
    assert [p.name for p in region_overlays("130632")] == ["xiongan.yaml"]  # 安新县
    assert region_overlays("110101") == []
    for name, code in (("b_city.yaml", "341200"), ("a_county.yaml", "341282")):
        (tmp_path / name).write_text(f'regions: ["{code}"]\nparameters: {{}}\n', encoding="utf-8")
    assert [p.name for p in region_overlays("341282001", tmp_path)] == [
        "b_city.yaml",
        "a_county.yaml",
    ]


def test_policies_apply_where_their_region_sets_them():
    import datetime

    jieshou, xiongan = build_system("341282"), build_system("130638")
    startup = policies()["startup_subsidy"]
    assert not in_force(startup, jieshou, datetime.date(2026, 1, 1))
    assert in_force(startup, xiongan, datetime.date(2026, 1, 1))
    stabilisation = policies()["stabilisation_subsidy"]
    spans = validity(stabilisation, jieshou).periods
    assert spans == [(datetime.date(2022, 1, 1), datetime.date(2022, 12, 31))]


def test_a_date_gap_in_an_overlay_is_refused(rules_copy):
    params, regions = rules_copy
    (regions / "jieshou.yaml").write_text(
        'regions: ["341282"]\nparameters:\n'
        "  temporary_post_award.amount_per_person:\n"
        "    2022-01-01: 3000\n    2023-01-01: null\n    2024-01-01: 3500\n",
        encoding="utf-8",
    )
    with pytest.raises(RulesError) as err:
        build_system("341282", params, regions)
    message = str(err.value)
    assert "jieshou.yaml" in message and "temporary_post_award.amount_per_person" in message
    assert "2023-01-01" in message and "2024-01-01" in message and "空档" in message


def test_a_negative_amount_is_refused_in_overlays_and_base_files(rules_copy):
    params, regions = rules_copy
    (regions / "xiongan.yaml").write_text(
        'regions: ["130629"]\nparameters:\n  startup_subsidy.amount:\n    2022-01-01: -10000\n',
        encoding="utf-8",
    )
    with pytest.raises(
        RulesError,
        match=r"xiongan.yaml: 参数 startup_subsidy.amount 在 2022-01-01 的值 -10000 为负数",
    ):
        build_system("130629", params, regions)
    text = (params / "internship_subsidy.yaml").read_text(encoding="utf-8")
    (params / "internship_subsidy.yaml").write_text(
        text.replace("value: 1100", "value: -1100"), encoding="utf-8"
    )
    with pytest.raises(RulesError, match=r"internship_subsidy.*monthly.*-1100.*负数"):
        build_system("", params, regions)


def test_an_overlay_naming_an_unknown_parameter_or_a_bad_date_is_refused(rules_copy):
    params, regions = rules_copy
    head = 'regions: ["341282"]\nparameters:\n'
    (regions / "jieshou.yaml").write_text(
        head + "  startup_subsidy.amout:\n    2022-01-01: 1\n", encoding="utf-8"
    )
    with pytest.raises(RulesError, match="没有名为 startup_subsidy.amout 的参数"):
        build_system("341282", params, regions)
    (regions / "jieshou.yaml").write_text(
        head + "  startup_subsidy.amount:\n    2022-13-01: 1\n", encoding="utf-8"
    )
    with pytest.raises(
        RulesError, match="jieshou.yaml: 不是有效的YAML文件.*month must be in 1..12"
    ):
        build_system("341282", params, regions)
    (regions / "jieshou.yaml").write_text(
        head + "  startup_subsidy.amount:\n    1st May: 1\n", encoding="utf-8"
    )
    with pytest.raises(RulesError, match="startup_subsidy.amount 的日期 '1st May' 不是 YYYY-MM-DD"):
        build_system("341282", params, regions)


def test_what_if_overrides_are_checked_like_files():
    with pytest.raises(RulesError, match="试算参数.*为负数"):
        build_system("341282", overrides={"stabilisation_subsidy.cap": {"2022-01-01": -1}})
    system = build_system("341282", overrides={"stabilisation_subsidy.cap": {"2022-01-01": 300000}})
    assert system.parameters("2022-06-01").stabilisation_subsidy.cap == 300000


def test_a_default_standard_is_flagged_until_the_region_sets_it(rules_copy):
    import datetime

    from apps.policies.selectors import _has_local_default

    params, regions = rules_copy
    spec = policies()["training_subsidy"]
    assert _has_local_default(spec, build_system("341282", params, regions))
    (regions / "jieshou.yaml").write_text(
        'regions: ["341282"]\nparameters:\n'
        + "".join(
            f"  training_subsidy.amount_by_level.level_{k}:\n    2017-10-01: {k * 500}\n"
            for k in range(1, 6)
        )
        + "references:\n"
        + "".join(
            f"  training_subsidy.amount_by_level.level_{k}: 某省职业培训补贴标准\n"
            for k in range(1, 6)
        ),
        encoding="utf-8",
    )
    system = build_system("341282", params, regions)
    assert not _has_local_default(spec, system)
    assert (
        system.parameters(datetime.date(2026, 1, 1)).training_subsidy.amount_by_level.level_4
        == 2000
    )


def test_a_policy_shows_its_own_standards_and_lists_as_one_line():
    import datetime

    from apps.policies.rules.catalog import standards

    system, day = build_system("341282"), datetime.date(2022, 6, 1)
    social = [
        label for label, _, _ in standards(policies()["social_insurance_subsidy"], system, day)
    ]
    assert any("社会保险补贴" in label for label in social)
    assert not any("岗位补贴" in label for label in social)
    rows = dict(
        (label, value)
        for label, value, _ in standards(policies()["stabilisation_subsidy"], system, day)
    )
    assert rows["特困行业"].startswith("餐饮业、零售业、旅行社")


def test_manage_py_check_reports_a_broken_parameter_file(rules_copy):
    from django.core import checks

    from apps.policies.checks import rules_problems

    params, regions = rules_copy
    assert rules_problems(params, regions) == []
    assert not [m for m in checks.run_checks(tags=["policies"]) if m.id == "policies.E001"]
    (regions / "xiongan.yaml").write_text(
        'regions: ["130629"]\nparameters:\n  gig_station_subsidy.max_per_station:\n'
        "    2022-01-01: -1\n",
        encoding="utf-8",
    )
    assert rules_problems(params, regions) == [
        "xiongan.yaml: 参数 gig_station_subsidy.max_per_station 在 2022-01-01 的值 -1 为负数"
    ]


def test_a_regional_value_without_its_source_is_refused(rules_copy):
    """Every amount a region sets names the phrase of the document it comes from."""
    params, regions = rules_copy
    text = (regions / "jieshou.yaml").read_text(encoding="utf-8")
    (regions / "jieshou.yaml").write_text(
        text.replace(
            "  stabilisation_subsidy.amount_per_employee: 002 三.(四)", "  unrelated: 002 三.(四)"
        ),
        encoding="utf-8",
    )
    with pytest.raises(RulesError, match="stabilisation_subsidy.amount_per_employee 缺少依据"):
        build_system("341282", params, regions)
