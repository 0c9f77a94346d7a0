"""The pages as people use them: the public lists and 明白卡, the applicant's page, and the
staff's sweep → application → two reviews → batch → paid → funds, within region scope."""

from __future__ import annotations

import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from apps.accounts.models import User
from apps.policies.models import Payment, SubsidyApplication, Sweep

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


def test_anyone_reads_the_policy_list_of_a_region_and_prints_a_card(client, city):
    page = client.get(reverse("policies:list"), {"region": "341282"}).content.decode()
    assert "界首市" in page and "职业培训补贴" in page and "“三公里”充分就业社区奖补" in page
    assert "一次性稳定就业补贴" not in page  # expired at the end of 2022
    assert "一次性创业补贴" not in page  # a 雄安 policy
    expired = client.get(reverse("policies:list"), {"region": "341282", "expired": "1"})
    assert "一次性稳定就业补贴" in expired.content.decode() and "已到期" in expired.content.decode()
    card = client.get(
        reverse("policies:card", args=["stabilisation_subsidy"]), {"region": "341282"}
    )
    text = card.content.decode()
    assert card.status_code == 200 and "政策明白卡" in text
    assert "500,000元" in text and "2022年12月31日" in text
    xiongan = client.get(reverse("policies:detail", args=["startup_subsidy"]), {"region": "130629"})
    assert "10,000元" in xiongan.content.decode()
    assert (
        client.get(
            reverse("policies:detail", args=["startup_subsidy"]), {"region": "341282"}
        ).status_code
        == 404
    )
    bad = client.get(reverse("policies:list"), {"region": "99x"}, follow=True).content.decode()
    assert "区域:99x 不是有效的县级及以下行政区划代码" in bad
    assert "免费" in client.get(reverse("policies:services")).content.decode()
    assert client.get(reverse("policies:offices")).status_code == 200


def test_a_worker_sees_what_was_found_and_applies_in_one_click(
    client, city, staff, django_capture_on_commit_callbacks
):
    worker = User.objects.create_user(
        username="w", password="x", role="worker", person=city["migrant"]
    )
    admin = staff("county_staff", "341282", "县级")
    with django_capture_on_commit_callbacks(execute=True):
        login(client, admin).post(reverse("policies:sweeps"), {"region": "341282", "year": "2026"})
    sweep = Sweep.objects.get()
    login(client, worker)
    assert "平台为您找到 1 项可享受的补贴" in client.get(reverse("portal:home")).content.decode()
    page = client.get(reverse("policies:mine")).content.decode()
    assert "职业培训补贴" in page and "一键申请" in page and "本年度取得证书数:1" in page
    entitlement = sweep.entitlements.get(person=city["migrant"])
    client.post(
        reverse("policies:mine"),
        {"policy": "training_subsidy", "year": "2026", "entitlement": entitlement.pk},
    )
    application = SubsidyApplication.objects.get()
    assert (application.amount, application.channel, application.entitlement) == (
        1200,
        "sweep",
        entitlement,
    )
    page = client.get(reverse("policies:mine")).content.decode()
    assert "已申请:待初审" in page
    assert "可享受的补贴" not in client.get(reverse("portal:home")).content.decode()
    check = client.get(reverse("policies:check", args=["job_seeking_subsidy"]), {"year": "2026"})
    assert "暂不符合" in check.content.decode() and "毕业年度高校毕业生" in check.content.decode()
    # Another person's entitlement cannot be used.
    other = sweep.entitlements.get(person=city["graduate"])
    response = client.post(
        reverse("policies:mine"),
        {"policy": "job_seeking_subsidy", "year": "2026", "entitlement": other.pk},
        follow=True,
    )
    assert "不符合享受条件" in response.content.decode()


def test_staff_take_a_finding_through_two_reviews_into_a_paid_batch_and_the_funds(
    client, city, staff, django_capture_on_commit_callbacks
):
    first = staff("township_staff", "341282001", "初审")
    second = staff("county_staff", "341282", "复审")
    with django_capture_on_commit_callbacks(execute=True):
        login(client, second).post(reverse("policies:sweeps"), {"region": "341282", "year": "2026"})
    sweep = Sweep.objects.get()
    detail = client.get(reverse("policies:sweep", args=[sweep.pk])).content.decode()
    assert "东城制造厂" in detail and "社会保险补贴(吸纳就业困难人员)" in detail
    finding = sweep.entitlements.get(policy="social_insurance_subsidy")
    login(client, first).post(
        reverse("policies:sweep", args=[sweep.pk]), {"entitlement": finding.pk}
    )
    application = SubsidyApplication.objects.get()
    client.post(
        reverse("policies:reviews"),
        {
            "application": application.pk,
            "action": "approve",
            "note": "材料齐全",
            "seen": "submitted",
        },
    )
    same = client.post(
        reverse("policies:reviews") + "?status=first_approved",
        {"application": application.pk, "action": "approve", "seen": "first_approved"},
        follow=True,
    )
    assert "复审须由初审以外的人员进行" in same.content.decode()
    login(client, second).post(
        reverse("policies:reviews"),
        {"application": application.pk, "action": "approve", "seen": "first_approved"},
    )
    application.refresh_from_db()
    assert application.status == "approved"
    response = client.post(
        reverse("policies:batches"), {"application": [application.pk], "region": "341282"}
    )
    batch_url = response["Location"]
    client.post(batch_url, {"paid_on": "2026-11-20", "reference": "GK-1"})
    assert Payment.objects.get().paid_on.isoformat() == "2026-11-20"
    sheet = client.get(batch_url, {"format": "xlsx"})
    assert sheet["Content-Disposition"].endswith('.xlsx"') and "东城制造厂" in str(
        list(load_workbook(io.BytesIO(sheet.content)).worksheets[0].values)
    )
    from decimal import Decimal

    from apps.policies.models import FundBudget

    FundBudget.objects.create(
        year=2026, region_id="341282", policy="social_insurance_subsidy", amount=Decimal(100000)
    )
    funds = client.get(reverse("policies:funds"), {"year": "2026"}).content.decode()
    funds = funds.replace(",", "")  # grouping follows the locale
    assert "93700" in funds  # the budget less what was paid
    assert "社会保险补贴(吸纳就业困难人员)" in funds and "6300" in funds
    xlsx = client.get(reverse("policies:funds"), {"year": "2026", "format": "xlsx"})
    book = load_workbook(io.BytesIO(xlsx.content))
    row = next(
        r
        for r in book.worksheets[0].iter_rows(values_only=True)
        if r[2] == "社会保险补贴(吸纳就业困难人员)"
    )
    assert row[1] == "341282" and row[4 + 10] == 6300 and row[16] == 6300  # November, total


def test_region_scope_holds_on_the_staff_pages(
    client, city, staff, django_capture_on_commit_callbacks
):
    east = staff("township_staff", "341282001", "东城")
    west = staff("township_staff", "341282002", "西城")
    with django_capture_on_commit_callbacks(execute=True):
        login(client, east).post(
            reverse("policies:sweeps"), {"region": "341282001", "year": "2026"}
        )
    sweep = Sweep.objects.get()
    assert sweep.region_prefix == "341282001"
    refused = client.post(
        reverse("policies:sweeps"), {"region": "341282", "year": "2026"}, follow=True
    )
    assert "只能识别本辖区" in refused.content.decode()
    login(client, west)
    assert client.get(reverse("policies:sweep", args=[sweep.pk])).status_code == 404
    worker = User.objects.create_user(
        username="w2", password="x", role="worker", person=city["nobody"]
    )
    login(client, worker)
    assert client.get(reverse("policies:reviews")).status_code == 403
    text = client.get(reverse("policies:mine")).content.decode()
    assert re.search("暂未发现您可享受的补贴", text)


def test_an_employer_applies_for_its_own_subsidy(
    client, city, staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        login(client, staff("county_staff", "341282", "县级")).post(
            reverse("policies:sweeps"), {"region": "341282", "year": "2026"}
        )
    owner = User.objects.create_user(
        username="e", password="x", role="employer", employer=city["office"]
    )
    login(client, owner)
    page = client.get(reverse("policies:mine")).content.decode()
    assert "就业见习补贴" in page
    listed = page.split("可申请的政策")[1]
    assert "职业培训补贴" not in listed  # a person's policy
    assert "临时性专项岗位一次性奖补" not in listed  # paid to the post's locality (002 三.(五))
    client.post(reverse("policies:mine"), {"policy": "internship_subsidy", "year": "2026"})
    application = SubsidyApplication.objects.get()
    assert (application.employer, application.amount, application.channel) == (
        city["office"],
        3300,
        "self",
    )


def test_staff_try_a_parameter_and_see_who_gains_and_loses(
    client, city, staff, django_capture_on_commit_callbacks
):
    login(client, staff("county_staff", "341282", "县级"))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("policies:sweeps"), {"region": "341282", "year": "2026"})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("policies:sweeps"),
            {
                "region": "341282",
                "year": "2026",
                "param": "job_seeking_subsidy.amount",
                "value": "",
            },
        )
    trial = Sweep.objects.get(trial=True)
    assert trial.overrides == {"job_seeking_subsidy.amount": {"2026-01-01": None}}
    page = client.get(response["Location"]).content.decode()
    assert re.search(r"失去享受 <b>1</b>", page) and "求职创业补贴" in page
    bad = client.post(
        reverse("policies:sweeps"),
        {
            "region": "341282",
            "year": "2026",
            "param": "job_seeking_subsidy.amount",
            "value": "很多",
        },
        follow=True,
    )
    assert "试算参数:取值“很多”不是数值" in bad.content.decode()
    nan = client.post(
        reverse("policies:sweeps"),
        {"region": "341282", "year": "2026", "param": "job_seeking_subsidy.amount", "value": "nan"},
        follow=True,
    )
    assert "试算参数:取值“nan”不是数值" in nan.content.decode()
    assert Sweep.objects.count() == 2


def test_my_page_shows_what_the_latest_sweep_believes(
    client, city, staff, django_capture_on_commit_callbacks
):
    clerk = staff("county_staff", "341282", "县级")
    graduate = User.objects.create_user(
        username="g", password="x", role="worker", person=city["graduate"]
    )
    with django_capture_on_commit_callbacks(execute=True):
        login(client, clerk).post(reverse("policies:sweeps"), {"region": "341282", "year": "2026"})
    assert (
        "求职创业补贴"
        in login(client, graduate)
        .get(reverse("policies:mine"))
        .content.decode()
        .split("我的申请")[0]
    )
    # The family leaves the low-income register; tonight's sweep no longer finds her.
    from apps.people.models import KeyGroupTag

    KeyGroupTag.objects.filter(person=city["graduate"]).update(end="2025-12-31")
    with django_capture_on_commit_callbacks(execute=True):
        login(client, clerk).post(reverse("policies:sweeps"), {"region": "341282", "year": "2026"})
    page = login(client, graduate).get(reverse("policies:mine")).content.decode()
    assert "暂未发现您可享受的补贴" in page


def test_exporting_a_batch_that_names_persons_is_logged(client, city, staff):
    from apps.accounts.models import AccessEntry
    from apps.policies.services import create_batch, review, submit

    first, second = (
        staff("township_staff", "341282001", "初审"),
        staff("county_staff", "341282", "复审"),
    )
    application = submit(code="training_subsidy", subject=city["migrant"], year=2026, user=first)
    review(application.pk, user=first, approve=True, seen="submitted")
    review(application.pk, user=second, approve=True, seen="first_approved")
    batch = create_batch(user=second, application_ids=[application.pk], region_prefix="341282")
    login(client, second).get(reverse("policies:batch", args=[batch.pk]), {"format": "xlsx"})
    entry = AccessEntry.objects.get(person__isnull=False)
    assert (entry.person, entry.viewer, entry.purpose) == (city["migrant"], second, "export")
    summary = AccessEntry.objects.get(person__isnull=True)
    assert (summary.viewer, summary.rows) == (second, 1)
    assert summary.resource == f"补贴支付批次#{batch.pk}"


def test_a_stale_click_never_becomes_the_second_review(client, city, staff):
    """Two staff open the queue of 待初审 at the same moment and both approve: the later
    click saw 待初审, not the first review, and is refused instead of counting as 复审."""
    from apps.policies.models import Review
    from apps.policies.services import submit

    street = staff("township_staff", "341282001", "街道")
    county = staff("county_staff", "341282", "县级")
    application = submit(code="training_subsidy", subject=city["migrant"], year=2026, user=street)
    queue = reverse("policies:reviews")
    for who in (street, county):  # both see the button of the first review
        page = login(client, who).get(queue).content.decode()
        assert "初审通过" in page and 'name="seen" value="submitted"' in page
    click = {"application": application.pk, "action": "approve", "seen": "submitted"}
    login(client, street).post(queue, click)
    stale = login(client, county).post(queue, click, follow=True).content.decode()
    assert "已被他人处理,请刷新" in stale
    application.refresh_from_db()
    assert application.status == "first_approved"
    assert list(Review.objects.values_list("level", "reviewer")) == [(1, street.pk)]
    # The second review is offered to the county reviewer, never to the first reviewer.
    second = queue + "?status=first_approved"
    assert "复审通过" in login(client, county).get(second).content.decode()
    assert "复审通过" not in login(client, street).get(second).content.decode()


def test_the_review_page_lists_what_staff_must_check_by_hand(client, city, staff):
    from apps.policies.services import submit

    clerk = staff("township_staff", "341282001", "核查")
    submit(code="training_subsidy", subject=city["migrant"], year=2026, user=clerk)
    page = login(client, clerk).get(reverse("policies:reviews")).content.decode()
    assert "须人工核查" in page and "证书系经本次培训取得" in page
