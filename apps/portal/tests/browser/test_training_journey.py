"""In Chromium at phone size (390×844): a migrant worker with a voucher finds the welding
class the city is short of, enrols with the voucher; the school keeps the register and
passes them; the worker sees the certificate (its QR code drawn, the page verifiable by
anyone) and the lifelong record with the class, the certificate, the voucher and the
subsidy filed. Screenshots at each step; no page scrolls sideways."""

import datetime as dt

import pytest
from django.utils import timezone

from apps.accounts.models import User
from apps.people.models import KeyGroupTag
from apps.people.tests.factories import EmployerFactory, JobFactory, PersonFactory
from apps.regions.models import Region
from apps.taxonomy.models import Occupation
from apps.training.services import add_institution, create_course, issue_vouchers

pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
PASSWORD = "pw-for-tests-only"
WELDER = "6-18-02-04"


@pytest.fixture
def town(live_city, staff):
    clerk = staff("county_staff", "341282")
    school = add_institution(
        user=clerk,
        employer=EmployerFactory(name="界首市技工学校", region_id="341282001001"),
        kind="technical_school",
        may_evaluate=True,
        approved_on=dt.date(2025, 1, 1),
        approvals=[(WELDER, 3)],
    )
    User.objects.create_user("技校", password=PASSWORD, role="employer", employer=school.employer)
    JobFactory(occupation_id=WELDER, headcount=15)  # welders wanted, nobody seeking
    today = timezone.localdate()
    create_course(
        user=clerk,
        institution=school,
        title="焊工(四级)培训班",
        kind="skill",
        occupation=Occupation.objects.get(code=WELDER),
        level=4,
        start=today,
        end=today + dt.timedelta(days=20),
        hours=120,
        capacity=30,
        community=Region.objects.get(code="341282001001"),
    )
    worker = PersonFactory(name="李农工", community_id="341282001001", lat=33.267, lng=115.375)
    KeyGroupTag.objects.create(person=worker, group="migrant_worker", start=dt.date(2024, 1, 1))
    User.objects.create_user("李农工", password=PASSWORD, role="worker", person=worker)
    issue_vouchers(user=clerk, region_prefix="341282", year=today.year)
    return worker


def sign_in(page, url, username):
    page.context.clear_cookies()
    page.goto(f"{url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state()


def no_sideways(page) -> None:
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"], page.url


def test_a_worker_trains_and_gets_a_verifiable_certificate(live_server, town, page, tmp_path):
    url = live_server.url
    blocked = []
    page.on(
        "console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None
    )
    page.set_viewport_size(PHONE)
    shots = iter(range(1, 20))

    def shot(name):
        no_sideways(page)
        page.screenshot(path=str(tmp_path / f"{next(shots):02d}-{name}.png"), full_page=True)

    sign_in(page, url, "李农工")
    page.click("text=找培训")
    card = page.locator("#courses .course-card").first
    assert "焊工(四级)培训班" in card.inner_text() and "本地紧缺" in card.inner_text()
    assert "培训券" in page.locator("main").inner_text()
    shot("courses")
    card.locator("a").click()
    assert page.locator("#enrol-form input[name=voucher]").is_checked()
    shot("course")
    page.click("#enrol-form button")
    assert "您已报名本班" in page.locator("#enrolled").inner_text()
    assert "使用培训券" in page.locator("#enrolled").inner_text()
    shot("enrolled")

    sign_in(page, url, "技校")
    page.goto(f"{url}/training/manage/")
    page.click("#courses >> text=焊工(四级)培训班")
    assert "李农工" in page.locator("#roster").inner_text()
    page.click("#attendance button[type=submit]")
    page.locator("form.completion button[value=pass]").first.click()
    message = page.locator("main").inner_text()
    assert "已颁发证书" in message and "培训补贴申请" in message
    shot("roster")

    sign_in(page, url, "李农工")
    page.click("text=我的培训")
    record = page.locator("main").inner_text()
    for text in ("焊工(四级)培训班", "结业(合格)", "1/1", "焊工四级/中级工", "已使用", "1200"):
        assert text in record, text
    shot("record")
    page.click("#certificates a")
    # the QR code is drawn (an SVG the page loads from the platform, not inline)
    page.wait_for_load_state("load")
    drawn = page.evaluate("document.querySelector('img.qr').naturalWidth")
    assert drawn > 0, page.evaluate("document.querySelector('img.qr').src")
    assert "四级/中级工" in page.locator("#certificate").inner_text()
    shot("certificate")
    page.click("text=在线核验")
    assert "核验通过" in page.locator("#verdict").inner_text()
    shot("verified")
    assert blocked == []
