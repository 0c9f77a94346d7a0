"""In Chromium at phone size (390×844): at a gig station a newcomer signs up (name, ID,
phone, a password, what they can do, then the code) and lands on the week's gigs, the
nearest first; takes tomorrow's job; the poster sees them on the gig. Screenshots at each
step; no page scrolls sideways."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from apps.accounts.models import User
from apps.gigs.services import post_gig
from apps.people.tests.factories import EmployerFactory
from apps.regions.models import Region, ServiceStation
from jiuye.identifiers import make_resident_id

pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
PASSWORD = "pw-for-tests-only"


@pytest.fixture
def station(live_city, settings):
    settings.SHOW_CODES = True  # no SMS gateway here: the code is shown, as in the demo
    station = ServiceStation.objects.create(
        code="GIG-B1",
        name="东城零工驿站",
        kind="gig",
        region=Region.objects.get(code="341282001001"),
        address="人民路1号",
        lat=33.262,
        lng=115.371,
        h3="x",
    )
    shop = EmployerFactory(name="东城物流园", region_id="341282001001")
    owner = User.objects.create_user("物流园", password=PASSWORD, role="employer", employer=shop)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    post_gig(
        user=owner,
        station=station,
        task="搬运装卸",
        place="东城物流园3号库",
        day=tomorrow,
        starts=dt.time(8),
        ends=dt.time(17),
        pay="220",
        pay_unit="day",
        headcount=2,
    )
    return station


def test_sign_up_at_the_station_and_take_a_gig(live_server, station, page, tmp_path):
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

    page.goto(f"{url}/gig/stations/{station.pk}/join/")
    shot("join")
    page.fill("input[name=name]", "周零工")
    page.fill("input[name=id_number]", make_resident_id("341282", dt.date(1985, 3, 3), 555))
    page.fill("input[name=phone]", "13812345678")
    page.fill("input[name=password1]", "Gig-pass-2026!")
    page.fill("input[name=password2]", "Gig-pass-2026!")
    page.fill("input[name=skills]", "搬运、瓦工")
    page.click("#join-form button[type=submit]")
    page.wait_for_load_state()
    code = re.search(r"\d{6}", page.locator("#demo-code").inner_text()).group(0)
    page.fill("input[name=code]", code)
    shot("code")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    assert page.url.endswith("/gig/")
    card = page.locator("#gigs .gig-card").first
    assert "搬运装卸" in card.inner_text() and "220" in card.inner_text()
    shot("gigs")
    card.locator("a").click()
    page.wait_for_load_state()
    page.click("#take-form button")
    page.wait_for_load_state()
    assert "接单成功" in page.locator(".messages").inner_text()
    assert "已接单" in page.content()
    shot("taken")

    # the poster sees who took it
    page.context.clear_cookies()
    page.goto(f"{url}/accounts/login/")
    page.fill("input[name=username]", "物流园")
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    page.goto(f"{url}/gig/post/")
    page.click("#posted a")
    page.wait_for_load_state()
    assert "周零工" in page.locator("#takes").inner_text()
    shot("poster")
    assert blocked == []
