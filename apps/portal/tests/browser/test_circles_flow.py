"""In Chromium: a county clerk opens the communities' circles, sees the map drawn from the
vendored Leaflet (no tile server, no internet), opens a community and exports the residents
who live outside every 15-minute service circle."""

import io

import pytest
from openpyxl import load_workbook

from apps.people.tests.factories import JobFactory, PersonFactory
from apps.regions.geo import h3_cell, offset_km
from apps.regions.models import Region, ServiceStation

pytestmark = [
    pytest.mark.live,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("fresh_matching_index"),
]


XSS = "东城一站<img src=x onerror=alert(document.domain)>"


@pytest.fixture
def county(live_city, staff):
    staff("county_staff", "341282", username="clerk")
    a1 = Region.objects.get(code="341282001001")
    ServiceStation.objects.create(
        code="S1",
        name=XSS,  # a name imported by an attacker
        kind="community",
        region=a1,
        lat=a1.lat,
        lng=a1.lng,
        h3=h3_cell(a1.lat, a1.lng),
    )
    lat, lng = offset_km(a1.lat, a1.lng, 2.5, 0)
    PersonFactory(name="远站居民", community=a1, lat=lat, lng=lng, h3=h3_cell(lat, lng))
    JobFactory(lat=a1.lat, lng=a1.lng, headcount=5)


def test_a_clerk_reads_the_circles_and_exports_who_is_outside(live_server, county, page):
    url = live_server.url
    dialogs, blocked = [], []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on(
        "console",
        lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.goto(f"{url}/accounts/login/")
    page.fill("input[name=username]", "clerk")
    page.fill("input[name=password]", "pw-for-tests-only")
    page.click("button[type=submit]")
    page.click("nav >> text=就业圈")
    page.wait_for_selector("#circle-map[data-ready='4']")
    # four communities and one station with its 15-minute circle, drawn by Leaflet
    assert page.locator("#circle-map path.leaflet-interactive").count() >= 6
    # The station's name, imported with markup, shows as text and runs nothing.
    box = page.locator('path[stroke="#12b76a"]').first.bounding_box()
    # Inside the circle near its left edge: its centre lies under the community's marker.
    page.mouse.move(box["x"] + box["width"] * 0.1, box["y"] + box["height"] / 2)
    tooltip = page.locator(".leaflet-tooltip")
    tooltip.wait_for()
    assert XSS in tooltip.inner_text() and tooltip.locator("img").count() == 0
    rows = page.locator("#circle-table tr").all_inner_texts()
    assert len(rows) == 5 and "测试01社区" in rows[1]

    page.click("#circle-table >> text=测试01社区")
    assert "远站居民" in page.locator("#outside").inner_text()
    with page.expect_download() as download:
        page.click("text=导出Excel")
    book = load_workbook(io.BytesIO(open(download.value.path(), "rb").read()))
    assert [r[0] for r in book.active.iter_rows(values_only=True)] == ["姓名", "远站居民"]
    assert dialogs == [] and blocked == []  # nothing ran, and the CSP blocked nothing of ours
