"""In Chromium at phone size (390×844): a welder finds today's fair, registers and opens
their admission code (the QR drawn); at the door a clerk's phone loses the network, scans
the code, an ID and the same code again — kept on the phone — and sends them when the
network returns; a lost answer makes the phone send everything again: two people let in,
counted once each. Screenshots at each step; no page scrolls sideways."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from apps.accounts.models import User
from apps.fairs.models import Attendee, CheckIn
from apps.fairs.services import book_stand, hold_fair, register
from apps.people.tests.factories import EmployerFactory, JobFactory, PersonFactory, seeker
from apps.regions.models import Region

pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
PASSWORD = "pw-for-tests-only"


@pytest.fixture
def fair(live_city, staff):
    clerk = staff("county_staff", "341282")
    clerk.set_password(PASSWORD)
    clerk.username = "门口经办"
    clerk.save()
    today = timezone.localdate()
    fair = hold_fair(
        user=clerk,
        region=Region.objects.get(code="341282"),
        title="春风行动专场招聘会",
        theme="spring",
        mode="on_site",
        venue="界首市人力资源市场",
        held_on=today,
        ends_on=today,
        opens=dt.time(0, 0),
        closes=dt.time(23, 59),
        stands=20,
        groups=[],
    )
    for name, title, occupation in (
        ("小吃店", "厨师", "4-03-02-01"),
        ("机械厂", "电焊工", "6-18-02-04"),
    ):
        shop = EmployerFactory(name=name, region_id="341282001001")
        owner = User.objects.create_user(
            f"u-{name}", password=PASSWORD, role="employer", employer=shop
        )
        job = JobFactory(employer=shop, title=title, occupation_id=occupation)
        book_stand(user=owner, fair=fair, job_ids=[job.pk])
    welder = seeker(
        "赵焊工", dt.date(1990, 5, 1), wishes=["6-18-02-04"], community_id="341282001001"
    )
    User.objects.create_user("赵焊工", password=PASSWORD, role="worker", person=welder)
    walk_in = PersonFactory(name="钱师傅", community_id="341282001001")
    register(user=clerk, fair=fair, person=walk_in)
    return fair, welder, walk_in


def db(read):
    """A read of the database while Playwright's loop runs (Django refuses it there)."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection

    def run():
        try:
            return read()
        finally:
            connection.close()

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(run).result()


def sign_in(page, url, username):
    page.context.clear_cookies()
    page.goto(f"{url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state()


def test_register_show_the_code_and_check_in_with_the_network_cut(
    live_server, fair, page, tmp_path
):
    fair, welder, walk_in = fair
    url = live_server.url
    blocked = []
    page.on(
        "console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None
    )
    page.set_viewport_size(PHONE)
    shots = iter(range(1, 20))

    def shot(name):
        assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"], page.url
        page.screenshot(path=str(tmp_path / f"{next(shots):02d}-{name}.png"), full_page=True)

    # the worker: the fair, the stands that suit a welder first, registration, the code
    sign_in(page, url, "赵焊工")
    page.goto(f"{url}/fairs/")
    page.click("#fairs .fair-card a")
    first_stand = page.locator("#stands .stand-card h3").first.inner_text()
    assert "机械厂" in first_stand
    shot("fair")
    page.click("#register-form button")
    page.wait_for_load_state()
    code = page.locator("#admission-code").inner_text()
    assert db(lambda: Attendee.objects.get(fair=fair, person=welder).code) == code
    assert page.evaluate("document.querySelector('img.qr').naturalWidth") > 0  # the QR drawn
    shot("admission")

    # the door: the network goes; three scans are kept on the phone
    sign_in(page, url, "门口经办")
    page.goto(f"{url}/fairs/{fair.pk}/door/")
    page.context.set_offline(True)
    for typed in (code, walk_in.id_number, code):
        page.fill("#scan", typed)
        page.press("#scan", "Enter")
    expect(page.locator("#door-pending")).to_contain_text("3")
    assert "离线" in page.locator("#door-net").inner_text()
    assert db(CheckIn.objects.count) == 0
    shot("door-offline")

    # the network returns: sent, answered, two people let in, the second scan told apart
    page.context.set_offline(False)
    expect(page.locator("#door-pending")).to_contain_text("全部")
    expect(page.locator("#door-admitted")).to_contain_text("2")
    log = page.locator("#door-log").inner_text()
    assert "此前已签到" in log and log.count("已签到") >= 3
    shot("door-synced")

    # the answers lost: the phone sends every scan again with its own key
    page.evaluate(
        """() => { const k = 'jiuye-door-' + document.getElementById('door').dataset.fair;
        const s = JSON.parse(localStorage.getItem(k));
        s.forEach(x => { x.state = 'pending'; delete x.answer; });
        localStorage.setItem(k, JSON.stringify(s)); }"""
    )
    page.reload()
    expect(page.locator("#door-pending")).to_contain_text("全部")
    assert "已入场 2 人" in page.locator("#door-admitted").inner_text()
    assert db(CheckIn.objects.filter(attendee__fair=fair).count) == 2
    shot("door-resent")
    assert blocked == []
