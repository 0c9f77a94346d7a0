"""Chromium for the browser tests: Debian's /usr/bin/chromium, never a downloaded browser."""

import pytest

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


@pytest.fixture
def page():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield browser.new_page(viewport={"width": 1280, "height": 900}, accept_downloads=True)
        browser.close()
