"""In Chromium: a worker checks a subsidy and applies; two reviewers approve it at two
levels; the county pays it in a batch; the worker sees it paid; the fund shows it."""

import datetime as dt

import pytest

from apps.accounts.models import User
from apps.people.models import Certificate, KeyGroupTag
from apps.people.tests.factories import PersonFactory
from apps.regions.models import Region

pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True)]
YEAR = dt.date.today().year
PASSWORD = "pw-for-tests-only"


@pytest.fixture
def people(live_city):
    worker = PersonFactory(name="李农民工", community_id="341282001001")
    KeyGroupTag.objects.create(person=worker, group="migrant_worker", start=dt.date(2020, 1, 1))
    Certificate.objects.create(
        person=worker,
        occupation_id="6-18-02-04",
        name="焊工",
        level=4,
        issued_on=dt.date(YEAR, 1, 15),
    )
    User.objects.create_user("w", password=PASSWORD, role="worker", person=worker)
    User.objects.create_user(
        "r1",
        password=PASSWORD,
        role="township_staff",
        scope_region=Region.objects.get(code="341282001"),
    )
    User.objects.create_user(
        "r2", password=PASSWORD, role="county_staff", scope_region=Region.objects.get(code="341282")
    )


def sign_in(page, url, username):
    page.context.clear_cookies()
    page.goto(f"{url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")


def test_apply_review_twice_pay(live_server, people, page, tmp_path):
    url = live_server.url
    page.goto(f"{url}/policies/?region=341282")
    assert "职业培训补贴" in page.locator("#policies").inner_text()

    sign_in(page, url, "w")
    page.click("text=我的补贴")
    page.locator("#policies .card", has_text="职业培训补贴").locator("text=看看我是否符合").click()
    result = page.locator("#check-training_subsidy")
    result.locator("text=可享受").wait_for()
    assert "1200" in result.inner_text().replace(",", "")  # grouping follows the locale
    result.locator("button", has_text="申请").click()
    assert "待初审" in page.locator("#applications").inner_text()
    page.screenshot(path=str(tmp_path / "worker.png"))

    sign_in(page, url, "r1")
    page.click("text=政策补贴")
    row = page.locator("#queue tr", has_text="职业培训补贴")
    row.locator("input[name=note]").fill("证书核验无误")
    row.locator("button", has_text="初审通过").click()
    assert "待复审" in page.locator(".messages").inner_text()

    sign_in(page, url, "r2")
    page.goto(f"{url}/subsidies/reviews/?status=first_approved")
    page.locator("#queue tr", has_text="职业培训补贴").locator(
        "button", has_text="复审通过"
    ).click()
    assert "已审核待支付" in page.locator(".messages").inner_text()
    page.click("text=支付批次")
    page.click("text=生成支付批次")
    assert "合计1,200.00元" in page.locator(".messages").inner_text()
    page.fill("input[name=reference]", "GK-0001")
    page.click("text=确认已支付")
    assert "已确认支付" in page.locator(".messages").inner_text()
    page.click("text=资金使用")
    assert "1200" in page.locator("#by-policy").inner_text().replace(",", "")

    sign_in(page, url, "w")
    page.goto(f"{url}/my/subsidies/")
    assert "已支付" in page.locator("#applications").inner_text()
    assert "初审:通过(证书核验无误)" in page.locator("#applications").inner_text()
