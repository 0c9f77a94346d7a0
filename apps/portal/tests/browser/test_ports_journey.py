"""The platform's own loop, in Chromium at phone size (390×844): an employer signs up and is
verified by the staff of its street, publishes a job; a worker signs up, fills in their
wishes, finds the job on the public board and applies; the employer sees the application
and hires. On every page a worker goes to, nothing is wider than the screen, and axe-core
(vendored for this test only) finds no serious or critical accessibility violation on the
journey's pages. Screenshots are saved beside the test's temporary files."""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.test import override_settings

from jiuye.identifiers import make_credit_code, make_resident_id

pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).parent / "vendor" / "axe-4.14.1.min.js"
PHONE = {"width": 390, "height": 844}
PASSWORD = "a-strong-pw-2026"


@pytest.fixture
def street(live_city, staff):
    staff("township_staff", "341282001", username="street-clerk")


def fits(page) -> None:
    """No element reaches past the screen's right edge (no sideways scrolling)."""
    wide = page.evaluate(
        """() => {
            const w = document.documentElement.clientWidth;
            const out = [];
            for (const el of document.body.querySelectorAll('*')) {
                if (el.closest('.leaflet-container')) continue;  // a map clips its own layers
                const r = el.getBoundingClientRect();
                if (r.width && r.right > w + 1) out.push(el.tagName + ' ' + Math.round(r.right));
            }
            return {scroll: document.documentElement.scrollWidth, w, out: out.slice(0, 5)};
        }"""
    )
    assert wide["scroll"] <= wide["w"] and not wide["out"], (page.url, wide)


def accessible(page) -> None:
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    bad = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert bad == [], (page.url, bad)


def demo_code(page) -> str:
    return re.search(r"(\d{6})", page.locator("#demo-code").inner_text()).group(1)


def pick_occupation(page, name: str, typed: str, code: str) -> None:
    """Type a few characters; the list offers occupations; take the one wanted."""
    page.fill(f"input[name={name}]", typed)
    option = page.locator(f"#options-{name} option[value^='{code} ']")
    option.wait_for(state="attached")
    page.fill(f"input[name={name}]", option.get_attribute("value"))  # as picking it does


def sign_in(page, url, username, password):
    page.goto(f"{url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("main button[type=submit]")


@override_settings(SHOW_CODES=True)
def test_sign_up_publish_find_apply_hire(live_server, street, page, tmp_path):
    url = live_server.url
    page.set_viewport_size(PHONE)
    shot = 0

    def snap(name):
        nonlocal shot
        shot += 1
        page.screenshot(path=str(tmp_path / f"{shot:02d}-{name}.png"), full_page=True)

    # --- an employer signs up ---------------------------------------------------------
    page.goto(f"{url}/accounts/signup/employer/")
    page.fill("input[name=credit_code]", make_credit_code("9", "1", "341282", "MA2TXE01"))
    page.fill("input[name=name]", "东城旅程焊接厂")
    page.select_option("select[name=industry]", "34")
    page.select_option("select[name=size]", "small")
    page.select_option("select[name=region]", "341282001001")
    page.fill("input[name=contact_name]", "钱厂长")
    page.fill("input[name=contact_phone]", "13900006666")
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    page.click("main button[type=submit]")
    page.fill("input[name=code]", demo_code(page))
    page.click("main button[type=submit]")
    assert "待核验" in page.content()
    page.click("text=退出")

    # --- the street's clerk verifies it ------------------------------------------------
    sign_in(page, url, "street-clerk", "pw-for-tests-only")
    page.goto(f"{url}/employers/registrations/")
    page.locator(".card", has_text="东城旅程焊接厂").locator("text=通过核验").click()
    assert "已通过核验" in page.content()
    page.click("text=退出")

    # --- the employer publishes a job ---------------------------------------------------
    sign_in(page, url, "13900006666", PASSWORD)
    page.click("text=发布岗位")
    page.fill("input[name=title]", "旅程电焊工")
    pick_occupation(page, "occupation", "焊", "6-18-02-04")
    page.fill("input[name=headcount]", "2")
    page.fill("input[name=wage_min]", "6000")
    page.fill("input[name=wage_max]", "8000")
    page.select_option("select[name=region]", "341282001001")
    page.fill("textarea[name=description]", "持焊工证优先,包午餐")
    page.click("main button[type=submit]")
    assert "已发布" in page.content() and "旅程电焊工" in page.content()
    page.click("text=退出")

    # --- a worker signs up and says what work they want ----------------------------------
    page.goto(f"{url}/accounts/signup/")
    fits(page)
    accessible(page)
    snap("signup")
    page.fill("input[name=name]", "孙旅程")
    page.fill("input[name=id_number]", make_resident_id("341282", dt.date(1993, 3, 3), 77))
    page.fill("input[name=phone]", "13900007777")
    page.select_option("select[name=community]", "341282001002")
    page.select_option("select[name=labour_status]", "unemployed")
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    page.click("main button[type=submit]")
    fits(page)
    page.fill("input[name=code]", demo_code(page))
    page.click("main button[type=submit]")
    assert page.url.endswith("/my/profile/")
    fits(page)
    accessible(page)
    snap("wizard")
    page.select_option("select[name=education]", "60")
    pick_occupation(page, "wish_1", "焊", "6-18-02-04")
    page.fill("input[name=wish_min_wage]", "5000")
    # Where to work: a point on the map, then a community by name moves the pin there.
    page.wait_for_selector("#place-map[data-ready]")
    page.click("#place-map", position={"x": 120, "y": 90})
    assert page.locator("select[name=work_place]").input_value() == "map"
    assert page.locator("#place-map .leaflet-marker-icon").count() == 1
    page.select_option("select[name=work_place]", "341282001001")
    assert page.locator("input[name=work_lat]").input_value() != ""
    fits(page)
    page.click("main button[type=submit]")
    assert "/my/jobs/" in page.url and "旅程电焊工" in page.locator("#ranked").inner_text()
    fits(page)
    snap("jobs-for-me")

    # --- finds it on the public board and applies ----------------------------------------
    page.click("text=找工作")
    page.fill("input[name=q]", "电焊")
    page.click("form.board-search > button")
    fits(page)
    page.click("text=更多条件")  # the folded conditions fit the phone too
    assert page.locator("select[name=kind]").is_visible()
    fits(page)
    accessible(page)
    snap("board")
    page.click("text=旅程电焊工")
    fits(page)
    accessible(page)
    snap("job")
    page.click("text=申请这个岗位")
    assert "已申请" in page.content()
    for path in (
        "/",
        "/my/applications/",
        "/my/offers/",
        "/my/subsidies/",
        "/my/privacy/",
        "/policies/",
    ):
        page.goto(f"{url}{path}")
        fits(page)
    snap("applications")
    page.click("text=退出")

    # --- the employer sees the application and hires -----------------------------------------
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, url, "13900006666", PASSWORD)
    page.goto(f"{url}/my/postings/")
    page.locator(".card", has_text="旅程电焊工").locator("text=申请与录用").click()
    assert "孙旅程" in page.locator("#job-applications").inner_text()  # they applied: named
    page.locator("#job-applications tr", has_text="孙旅程").locator(
        "button", has_text="录用"
    ).first.click()
    assert "已录用" in page.locator("#job-applications").inner_text()
    snap("hired")
