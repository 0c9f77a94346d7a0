"""Apply → first review → second review → payment batch → paid, with an audit trail; never
twice for the same subject, policy and period; clear refusals for bad requests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from apps.accounts.models import AuditEntry, User
from apps.policies.models import Payment, Review, SubsidyApplication
from apps.policies.services import (
    PolicyError,
    apply_from_entitlement,
    create_batch,
    pay_batch,
    review,
    submit,
    withdraw,
)
from apps.policies.sweeps import create_sweep, run_sweep

pytestmark = pytest.mark.django_db
Status = SubsidyApplication.Status


@pytest.fixture
def clerks(staff):
    return {
        "a": staff("township_staff", "341282001", "初审甲"),
        "a2": staff("county_staff", "341282", "复审乙"),
        "b": staff("township_staff", "341282002", "西城丙"),
    }


def worker_of(person):
    return User.objects.create_user(
        username=f"w{person.pk}", password="x", role="worker", person=person
    )


def approved(code, subject, year, clerks):
    app = submit(code=code, subject=subject, year=year, user=clerks["a2"])
    review(
        app.pk,
        user=clerks["a"] if app.region_code.startswith("341282001") else clerks["b"],
        approve=True,
        seen="submitted",
    )
    return review(app.pk, user=clerks["a2"], approve=True, seen="first_approved")


def test_a_worker_applies_and_two_reviewers_approve_then_it_is_paid_once(city, clerks):
    worker = worker_of(city["migrant"])
    app = submit(code="training_subsidy", subject=city["migrant"], year=2026, user=worker)
    assert (app.status, app.amount, app.channel) == (Status.SUBMITTED, Decimal(1200), "self")
    assert "本年度取得证书数:1" in app.reasons
    review(app.pk, user=clerks["a"], approve=True, note="材料齐全", seen="submitted")
    with pytest.raises(PolicyError, match="复审须由初审以外的人员进行"):
        review(app.pk, user=clerks["a"], approve=True, seen="first_approved")
    street_colleague = User.objects.create_user(
        "街道同事", password="x", role="township_staff", scope_region_id="341282001"
    )
    with pytest.raises(PolicyError, match="复审须由县级及以上经办人员进行"):
        review(app.pk, user=street_colleague, approve=True, seen="first_approved")
    review(app.pk, user=clerks["a2"], approve=True, seen="first_approved")
    app.refresh_from_db()
    assert app.status == Status.APPROVED
    assert list(app.reviews.values_list("level", "reviewer__username")) == [
        (1, "初审甲"),
        (2, "复审乙"),
    ]
    batch = create_batch(user=clerks["a2"], application_ids=[app.pk], region_prefix="341282")
    assert batch.total == Decimal(1200)
    pay_batch(batch, user=clerks["a2"], paid_on=dt.date(2026, 11, 20), reference="GK2026-0001")
    app.refresh_from_db()
    assert app.status == Status.PAID and app.payment.paid_on == dt.date(2026, 11, 20)
    with pytest.raises(PolicyError, match="已确认支付,不能重复支付"):
        pay_batch(batch, user=clerks["a2"], paid_on=dt.date(2026, 11, 21), reference="again")
    with pytest.raises(PolicyError, match="已列入其他支付批次"):
        create_batch(user=clerks["a2"], application_ids=[app.pk], region_prefix="341282")
    with pytest.raises(PolicyError, match="2026年已有申请"):
        submit(code="training_subsidy", subject=city["migrant"], year=2026, user=clerks["a"])
    actions = list(
        AuditEntry.objects.filter(object_id=str(app.pk), model="policies.SubsidyApplication")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["提交补贴申请", "初审通过", "复审通过"]


def test_a_once_only_subsidy_cannot_be_claimed_again_in_another_year(city, clerks):
    approved("retention_training_aid", city["sme"], 2022, clerks)
    # The rules refuse it (the enterprise has had it) before the database would.
    with pytest.raises(
        PolicyError, match="未满足:此前未享受过留工培训补助\\(同一企业只能享受一次\\)"
    ):
        submit(code="retention_training_aid", subject=city["sme"], year=2022, user=clerks["b"])
    # Once approved, the rules see it too: the next sweep no longer lists the SME.
    s = run_sweep(create_sweep(user=None, region_prefix="341282", year=2022).pk)
    assert not s.entitlements.filter(policy="retention_training_aid").exists()


def test_a_withdrawn_or_rejected_application_frees_the_claim(city, clerks):
    worker = worker_of(city["graduate"])
    app = submit(code="job_seeking_subsidy", subject=city["graduate"], year=2026, user=worker)
    withdraw(app, worker)
    app2 = submit(code="job_seeking_subsidy", subject=city["graduate"], year=2026, user=worker)
    with pytest.raises(PolicyError, match="不通过时须说明理由"):
        review(app2.pk, user=clerks["a"], approve=False, seen="submitted")
    review(app2.pk, user=clerks["a"], approve=False, note="学籍证明缺失", seen="submitted")
    app2.refresh_from_db()
    assert app2.status == Status.REJECTED
    with pytest.raises(PolicyError, match="当前状态为“未通过”,不能审核"):
        review(app2.pk, user=clerks["a2"], approve=True, seen="rejected")
    assert submit(code="job_seeking_subsidy", subject=city["graduate"], year=2026, user=worker)


def test_an_ineligible_or_expired_or_foreign_claim_is_refused_with_the_reason(
    city, clerks, rongcheng_graduate
):
    with pytest.raises(PolicyError) as err:
        submit(code="training_subsidy", subject=city["nobody"], year=2026, user=clerks["b"])
    assert "不符合享受条件" in str(err.value)
    assert err.value.errors == [
        "未满足:属培训补贴对象(脱贫劳动力、农民工、失业人员、毕业年度高校毕业生等)",
        "未满足:本年度经培训取得职业资格/技能等级证书",
    ]
    # Every condition holds but there is nothing to pay: said so, not an empty list.
    from apps.policies.models import EmployerYear

    EmployerYear.objects.filter(employer=city["restaurant"]).update(insured_employees=0)
    with pytest.raises(PolicyError) as err:
        submit(
            code="stabilisation_subsidy", subject=city["restaurant"], year=2022, user=clerks["a"]
        )
    assert err.value.errors == ["按规定计算的金额为0元(如参保职工人数、安置人数为0)"]
    with pytest.raises(PolicyError, match="该政策已于2022-12-31到期,2023年不能申请"):
        submit(
            code="stabilisation_subsidy", subject=city["restaurant"], year=2023, user=clerks["a"]
        )
    with pytest.raises(PolicyError, match="本地区\\(341282\\)未实施该政策"):
        submit(code="apprenticeship_subsidy", subject=city["factory"], year=2026, user=clerks["a"])
    with pytest.raises(PolicyError, match="该政策面向用人单位"):
        submit(code="stabilisation_subsidy", subject=city["migrant"], year=2022, user=clerks["a"])
    with pytest.raises(PolicyError, match="没有代码为 nonsense 的政策"):
        submit(code="nonsense", subject=city["migrant"], year=2026, user=clerks["a"])
    assert not SubsidyApplication.objects.exists()


def test_region_scope_holds_for_applying_reviewing_and_paying(city, clerks):
    other = worker_of(city["graduate"])
    with pytest.raises(PolicyError, match="无权为该对象申请"):
        submit(code="training_subsidy", subject=city["migrant"], year=2026, user=other)
    with pytest.raises(PolicyError, match="无权为该对象申请"):  # 西城 staff, 东城 person
        submit(code="training_subsidy", subject=city["migrant"], year=2026, user=clerks["b"])
    app = submit(code="training_subsidy", subject=city["migrant"], year=2026, user=clerks["a"])
    with pytest.raises(PolicyError, match="只有本区域的经办人员可以审核"):
        review(app.pk, user=clerks["b"], approve=True, seen="submitted")
    review(app.pk, user=clerks["a"], approve=True, seen="submitted")
    review(app.pk, user=clerks["a2"], approve=True, seen="first_approved")
    with pytest.raises(PolicyError) as err:
        create_batch(user=clerks["b"], application_ids=[app.pk], region_prefix="341282002")
    # 西城 staff cannot tell another street's application from none at all
    assert err.value.errors == [f"申请#{app.pk}:不存在,或不在您的管辖区域内"]
    with pytest.raises(PolicyError, match="区域须在本人管辖范围内"):
        create_batch(user=clerks["b"], application_ids=[app.pk], region_prefix="34")


def test_a_batch_with_an_unapproved_application_names_each_and_creates_nothing(city, clerks):
    ok = approved("training_subsidy", city["migrant"], 2026, clerks)
    pending = submit(
        code="job_seeking_subsidy", subject=city["graduate"], year=2026, user=clerks["a"]
    )
    with pytest.raises(PolicyError) as err:
        create_batch(
            user=clerks["a2"], application_ids=[ok.pk, pending.pk, 999999], region_prefix="341282"
        )
    assert err.value.errors == [
        f"申请#{pending.pk}:状态为“待初审”,未审核通过",
        "申请#999999:不存在,或不在您的管辖区域内",
    ]
    assert not Payment.objects.exists()
    ok.refresh_from_db()
    assert ok.status == Status.APPROVED


def test_staff_turn_a_sweep_finding_into_an_application_in_one_action(city, clerks):
    s = run_sweep(create_sweep(user=clerks["a2"], region_prefix="341282", year=2026).pk)
    finding = s.entitlements.get(policy="social_insurance_subsidy")
    app = apply_from_entitlement(finding, clerks["a"])
    assert (app.channel, app.amount, app.employer_id) == (
        "sweep",
        finding.amount,
        city["factory"].pk,
    )
    assert app.entitlement == finding
    with pytest.raises(PolicyError, match="已有申请"):
        apply_from_entitlement(finding, clerks["a2"])


def test_a_review_stored_twice_at_one_level_is_refused_by_the_database(city, clerks):
    app = submit(code="training_subsidy", subject=city["migrant"], year=2026, user=clerks["a"])
    Review.objects.create(application=app, level=1, approve=True, reviewer=clerks["a"])
    # The status moved first (compare-and-set), then the review row collides: nothing stays.
    with pytest.raises(PolicyError, match="已被他人审核"):
        review(app.pk, user=clerks["a2"], approve=True, seen="submitted")
    app.refresh_from_db()
    assert app.status == Status.SUBMITTED
