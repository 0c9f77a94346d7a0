"""The proactive identification: every policy in force over the whole registry at once,
the same answers as assessing each subject alone, gainers and losers when a parameter
changes, notices sent once."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from apps.matching.models import OutboundMessage
from apps.policies.models import Sweep
from apps.policies.rules import catalog
from apps.policies.services import PolicyError, assess, subject_info
from apps.policies.sweeps import (
    SUBJECT_PREFIX,
    SweepError,
    base_sweep,
    compare,
    create_sweep,
    notify,
    run_sweep,
)

pytestmark = pytest.mark.django_db


def sweep(user=None, prefix="341282", year=2026, overrides=None) -> Sweep:
    s = create_sweep(user=user, region_prefix=prefix, year=year, overrides=overrides)
    return run_sweep(s.pk)


def found(s: Sweep) -> dict:
    return {(e.policy, e.subject_key): e for e in s.entitlements.all()}


def test_the_sweep_finds_each_entitled_subject_with_amount_and_reasons(city):
    s = sweep()
    assert s.status == Sweep.Status.DONE, s.error
    got = {k: e.amount for k, e in found(s).items()}
    c = city
    assert got == {
        ("training_subsidy", f"P{c['migrant'].pk}"): Decimal(1200),  # 四级证书
        ("job_seeking_subsidy", f"P{c['graduate'].pk}"): Decimal(1000),
        ("social_insurance_subsidy", f"E{c['factory'].pk}"): Decimal(9 * 700),  # Apr–Dec
        # no 公益性岗位补贴: the factory hired them into an ordinary job, not a welfare post
        ("internship_subsidy", f"E{c['office'].pk}"): Decimal(3 * 1100),  # Oct–Dec
        # the 2026 hire into a temporary special post is not paid: the award is 2022's
        ("full_employment_community_award", "C341282001001"): Decimal(6000),
    }
    reasons = found(s)[("training_subsidy", f"P{c['migrant'].pk}")].reasons
    assert "属培训补贴对象(脱贫劳动力、农民工、失业人员、毕业年度高校毕业生等)" in reasons
    assert "本年度取得证书数:1" in reasons
    entry = found(s)[("social_insurance_subsidy", f"E{c['factory'].pk}")]
    assert entry.region_code == "341282001001" and entry.employer_id == c["factory"].pk
    assert s.counts["training_subsidy"] == 1


def test_2022_sweep_applies_the_2022_policies_with_the_cap(city):
    got = {k: e.amount for k, e in found(sweep(year=2022)).items()}
    assert got[("stabilisation_subsidy", f"E{city['restaurant'].pk}")] == Decimal(500000)
    assert got[("retention_training_aid", f"E{city['sme'].pk}")] == Decimal(40 * 500)
    # 002 三.(五): the post's locality is paid for the one placed who was unemployed, and
    # no employer (the blacklisted one that employs them included)
    assert got[("temporary_post_award", "C341282001002")] == Decimal(3000)
    assert not any(p == "temporary_post_award" and k.startswith("E") for p, k in got)
    # Expired in 2023: no longer found.
    policies_2023 = {p for p, _ in found(sweep(year=2023))}
    assert not policies_2023 & {"stabilisation_subsidy", "retention_training_aid"}


def test_the_sweep_equals_assessing_each_subject_alone(city, rongcheng_graduate):
    """The vectorised sweep and the one-subject check (what an application runs) agree on
    every subject and every policy in force."""
    for prefix, year in (("341282", 2026), ("341282", 2022), ("130629", 2026)):
        s = sweep(prefix=prefix, year=year)
        hits = {k: e.amount for k, e in found(s).items()}
        subjects = [
            *[p for p in city.values() if hasattr(p, "id_number")],
            rongcheng_graduate,
            *[e for e in city.values() if hasattr(e, "credit_code")],
            city["community"],
        ]
        for subject in subjects:
            kind, subject_id, region = subject_info(subject)
            if not region.startswith(prefix):
                continue
            for spec in catalog.policies().values():
                try:
                    a = assess(spec.code, subject, year)
                except PolicyError:
                    continue  # another kind of subject, or not in force here
                key = (spec.code, f"{SUBJECT_PREFIX[kind]}{subject_id}")
                assert hits.get(key, Decimal(0)) == a.amount, (prefix, year, key)


def test_the_startup_subsidy_is_found_in_xiongan_only(city, rongcheng_graduate):
    s = sweep(prefix="130629", year=2026)
    entry = found(s)[("startup_subsidy", f"P{rongcheng_graduate.pk}")]
    assert entry.amount == Decimal(10000)
    assert entry.reasons == [
        "毕业学年及毕业5年内的高校毕业生创业",
        "本年度初次创办经营实体",
        "高校毕业年份:2021",
    ]
    # The same facts in 界首市: the policy does not apply there.
    rongcheng_graduate.community_id = "341282001001"
    rongcheng_graduate.save()
    with pytest.raises(PolicyError, match="本地区\\(341282\\)未实施该政策"):
        assess("startup_subsidy", rongcheng_graduate, 2026)


def test_changing_a_parameter_shows_who_gains_and_who_loses(city):
    official = sweep()
    trial = sweep(
        overrides={
            # The county raises the level-4 standard and stops the job-seeking subsidy.
            "training_subsidy.amount_by_level.level_4": {"2026-01-01": 1500},
            "job_seeking_subsidy.amount": {"2026-01-01": None},
        }
    )
    assert trial.trial and base_sweep(trial) == official
    diff = compare(trial, official)
    assert [(c.policy, c.before, c.after) for c in diff["changed"]] == [
        ("training_subsidy", Decimal(1200), Decimal(1500))
    ]
    assert [(c.policy, c.subject_key) for c in diff["lost"]] == [
        ("job_seeking_subsidy", f"P{city['graduate'].pk}")
    ]
    assert diff["gained"] == []
    # The stabilisation threshold widened in a 2022 trial: the SME (5% layoffs, small) was
    # already in; a hard-hit SME with 8% layoffs gains.
    from apps.people.tests.factories import EmployerFactory
    from apps.policies.models import EmployerYear

    shop = EmployerFactory(name="零售店", region_id="341282001002", industry_id="52")
    EmployerYear.objects.create(
        employer=shop, year=2022, insured_employees=92, headcount_start=100, headcount_end=92
    )
    base = sweep(year=2022)
    wider = sweep(
        year=2022, overrides={"stabilisation_subsidy.max_layoff_rate": {"2022-01-01": 0.1}}
    )
    assert [(c.policy, c.subject_key, c.after) for c in compare(wider, base)["gained"]] == [
        ("stabilisation_subsidy", f"E{shop.pk}", Decimal(92 * 500))
    ]


def test_bad_sweep_requests_are_refused(city):
    with pytest.raises(SweepError, match="区域"):
        create_sweep(user=None, region_prefix="", year=2026)
    with pytest.raises(SweepError, match="年度"):
        create_sweep(user=None, region_prefix="341282", year=1990)
    with pytest.raises(SweepError, match="试算参数.*没有名为 nothing.here 的参数"):
        create_sweep(
            user=None,
            region_prefix="341282",
            year=2026,
            overrides={"nothing.here": {"2026-01-01": 1}},
        )


def test_notices_go_to_the_persons_found_once(city):
    s = sweep()
    assert notify(s, region_prefix="341282002") == 1  # a 西城 clerk: 西城's only
    assert notify(s) == 4  # every other entitlement, marked notified
    messages = OutboundMessage.objects.filter(person__in=[city["migrant"], city["graduate"]])
    assert messages.count() == 2
    assert "职业培训补贴" in messages.get(person=city["migrant"]).text
    assert notify(s) == 0 and OutboundMessage.objects.count() == 2
    trial = sweep(overrides={"job_seeking_subsidy.amount": {"2026-01-01": 2000}})
    with pytest.raises(SweepError, match="试算结果不通知"):
        notify(trial)
    assert dt.date.today()  # the sweep's year is explicit, never today's


def test_a_street_sweep_counts_employees_living_elsewhere_but_finds_only_its_residents(city):
    west = {k: e.amount for k, e in found(sweep(prefix="341282002")).items()}
    office = f"E{city['office'].pk}"
    assert west[("internship_subsidy", office)] == Decimal(3300)  # the intern lives in 东城
    assert ("training_subsidy", f"P{city['migrant'].pk}") not in west  # a 东城 resident
    east = {k: e.amount for k, e in found(sweep(prefix="341282001")).items()}
    assert east[("social_insurance_subsidy", f"E{city['factory'].pk}")] == Decimal(6300)
    assert ("training_subsidy", f"P{city['migrant'].pk}") in east
    assert not any(key.startswith("E") and key != f"E{city['factory'].pk}" for _, key in east)


def test_old_sweeps_are_pruned_but_applications_keep_their_reasons(city, settings):
    from apps.accounts.models import User
    from apps.policies.services import apply_from_entitlement

    settings.POLICY_SWEEPS_KEPT = 2
    first = sweep()
    clerk = User.objects.create_user(
        "c", password="x", role="county_staff", scope_region_id="341282"
    )
    application = apply_from_entitlement(first.entitlements.get(policy="training_subsidy"), clerk)
    second, third = sweep(), sweep()
    trials = [
        sweep(overrides={"job_seeking_subsidy.amount": {"2026-01-01": 900}}) for _ in range(3)
    ]
    assert set(Sweep.objects.values_list("pk", flat=True)) == {
        second.pk,
        third.pk,
        trials[1].pk,
        trials[2].pk,
    }
    application.refresh_from_db()
    assert application.entitlement is None and "本年度取得证书数:1" in application.reasons
    assert base_sweep(third) == second
