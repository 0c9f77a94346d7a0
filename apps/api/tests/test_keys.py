"""Who may call the API: keys with scopes, hashed, revocable, rate-limited; one error
body; postings shared by partners deduplicated; writes idempotent; unknown codes and
names refused by name."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone

from apps.accounts.models import AuditEntry, Role, User
from apps.api import tokens
from apps.api.models import ApiToken
from apps.jobs.models import Job
from apps.people.tests.factories import EmployerFactory, JobFactory

pytestmark = pytest.mark.django_db


def _error(response, status: int) -> dict:
    assert response.status_code == status, response.content
    body = response.json()["error"]
    assert body["message"] and body["message_en"] and body["code"]
    return body


def test_a_key_is_kept_hashed_and_stops_working_when_revoked(client, partner):
    token, secret = tokens.issue(holder=partner, name="省平台", scopes=["jobs:read"], by=None)
    assert secret not in json.dumps(list(ApiToken.objects.values()), default=str)
    assert token.digest == tokens.digest(secret) and token.last_used_at is None
    headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    assert client.get("/api/jobs", **headers).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None
    tokens.revoke(token, by=None)
    response = client.get("/api/jobs", **headers)
    assert _error(response, 401)["code"] == "unauthenticated"
    assert response["WWW-Authenticate"] == "Bearer"
    assert AuditEntry.objects.filter(action="api_token_revoked", object_id=str(token.pk)).exists()


def test_no_key_a_wrong_key_an_expired_key(client, partner):
    assert _error(client.get("/api/jobs"), 401)
    assert _error(client.get("/api/jobs", HTTP_AUTHORIZATION="Bearer jy_nonsense"), 401)
    token, secret = tokens.issue(holder=partner, name="t", scopes=["jobs:read"], by=None)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now())
    assert _error(client.get("/api/jobs", HTTP_AUTHORIZATION=f"Bearer {secret}"), 401)


def test_a_scope_the_key_lacks_is_refused_naming_it(client, key, partner):
    body = _error(client.get("/api/feed/snapshot", **key(partner, "jobs:read")), 403)
    assert "feed:read" in body["message"] and "feed:read" in body["message_en"]


def test_scopes_a_holder_could_not_use_are_refused_when_issued(partner, staff):
    with pytest.raises(tokens.TokenError, match="people:read"):
        tokens.issue(holder=partner, name="t", scopes=["people:read"], by=None)
    with pytest.raises(tokens.TokenError, match="未知"):
        tokens.issue(holder=partner, name="t", scopes=["everything"], by=None)
    clerk = staff("county_staff", "341282")
    with pytest.raises(tokens.TokenError):
        tokens.issue(holder=clerk, name="t", scopes=["jobs:write"], by=None)


def test_over_the_rate_the_answer_is_429_with_retry_after(client, key, partner):
    headers = key(partner, "jobs:read", rate=3)
    codes = [client.get("/api/jobs", **headers).status_code for _ in range(4)]
    assert codes[:3] == [200, 200, 200]
    response = client.get("/api/jobs", **headers)
    assert _error(response, 429)["code"] == "rate_limited"
    assert 1 <= int(response["Retry-After"]) <= 60


def test_unknown_codes_and_names_are_a_400_naming_them(client, key, partner):
    headers = key(partner, "jobs:read")
    body = _error(client.get("/api/jobs", {"region": "341299"}, **headers), 400)
    assert body["field"] == "region" and "341299" in body["message"]
    body = _error(client.get("/api/jobs", {"region": "不存在县"}, **headers), 400)
    assert "不存在县" in body["message"]
    body = _error(client.get("/api/jobs", {"occupation": "9-99-99-99"}, **headers), 400)
    assert body["field"] == "occupation"
    body = _error(client.get("/api/jobs", {"kind": "forever"}, **headers), 400)
    assert body["field"] == "kind"
    body = _error(client.get("/api/jobs", {"limit": "many"}, **headers), 400)
    assert body["field"] == "limit"


def test_jobs_are_found_by_place_names_as_by_codes(client, key, partner):
    today = timezone.localdate()
    dates = {"valid_from": today, "valid_to": today + dt.timedelta(days=5)}
    here = JobFactory(region_id="341282001001", **dates)  # 界首市
    there = JobFactory(employer=EmployerFactory(region_id="341226"), **dates)  # 颍上县
    headers = key(partner, "jobs:read")
    by_code = client.get("/api/jobs", {"region": "341282"}, **headers).json()
    by_name = client.get("/api/jobs", {"region": "界首市"}, **headers).json()
    assert [j["id"] for j in by_code["items"]] == [j["id"] for j in by_name["items"]] == [here.pk]
    by_job_name = client.get("/api/jobs", {"occupation": "焊工"}, **headers).json()
    assert {j["id"] for j in by_job_name["items"]} == {here.pk, there.pk}
    one = client.get(f"/api/jobs/{here.pk}/jobposting", **headers).json()
    assert one["@type"] == "JobPosting" and one["hiringOrganization"]["name"] == here.employer.name


def test_pages_follow_the_cursor_without_repeats(client, key, partner):
    today = timezone.localdate()
    made = {
        JobFactory(valid_from=today, valid_to=today + dt.timedelta(days=5)).pk for _ in range(5)
    }
    headers = key(partner, "jobs:read")
    seen, cursor = [], None
    while True:
        body = client.get(
            "/api/jobs", {"limit": 2, **({"cursor": cursor} if cursor else {})}, **headers
        ).json()
        seen += [j["id"] for j in body["items"]]
        cursor = body["next"]
        if not cursor:
            break
    assert sorted(seen) == sorted(made) and len(seen) == len(set(seen))


def _posting(**changes) -> dict:
    today = timezone.localdate()
    return {
        "title": "电焊工",
        "occupation": "6-18-02-04",
        "kind": "regular",
        "headcount": 2,
        "wage_min": 5000,
        "wage_max": 7000,
        "region": "341282001",
        "valid_from": today.isoformat(),
        "valid_to": (today + dt.timedelta(days=30)).isoformat(),
        **changes,
    }


def _put(client, reference, body, headers, **extra):
    return client.put(
        f"/api/postings/{reference}",
        json.dumps(body),
        content_type="application/json",
        **headers,
        **extra,
    )


def test_a_partner_shares_a_posting_once_whatever_it_resends(client, key, partner):
    employer = EmployerFactory()
    headers = key(partner, "jobs:write", "jobs:read")
    first = _put(client, "AH-2026-0001", _posting(employer=employer.credit_code), headers)
    assert first.status_code == 201, first.content
    again = _put(
        client, "AH-2026-0001", _posting(employer=employer.credit_code, wage_min=5500), headers
    )
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    assert Job.objects.filter(partner=partner, partner_ref="AH-2026-0001").count() == 1
    assert Job.objects.get(pk=first.json()["id"]).wage_min == 5500
    # closed: it leaves the open jobs
    closed = client.delete("/api/postings/AH-2026-0001", **headers)
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    assert client.get(f"/api/jobs/{first.json()['id']}", **headers).status_code == 404


def test_a_partner_posts_only_in_the_region_it_serves_for_registered_employers(
    client, key, partner
):
    headers = key(partner, "jobs:write")
    far = EmployerFactory(region_id="340102")  # 合肥, outside 阜阳
    unknown = EmployerFactory.build().credit_code
    # another region's employer reads exactly as one registered nowhere
    elsewhere = _error(
        _put(client, "X1", _posting(employer=far.credit_code, region="340102"), headers), 400
    )
    nowhere = _error(_put(client, "X2", _posting(employer=unknown, region="340102"), headers), 400)
    assert elsewhere["field"] == nowhere["field"] == "employer"
    assert elsewhere["message"].replace(far.credit_code, "#") == nowhere["message"].replace(
        unknown, "#"
    )
    # within its region, the workplace must be in the employer's county
    ours = EmployerFactory()
    body = _error(
        _put(client, "X5", _posting(employer=ours.credit_code, region="341226"), headers), 400
    )
    assert body["field"] == "region" and "县" in body["message"]
    # an employer on the wage-arrears blacklist: its jobs are not shared
    listed = EmployerFactory(
        blacklisted=True, blacklist_reason="欠薪", blacklist_from=dt.date(2026, 1, 1)
    )
    body = _error(_put(client, "X6", _posting(employer=listed.credit_code), headers), 403)
    assert "黑名单" in body["message"]
    typo = EmployerFactory().credit_code[:-1] + "0"
    body = _error(_put(client, "X3", _posting(employer=typo), headers), 400)
    assert body["field"] == "employer"
    body = _error(_put(client, "X4", _posting(), headers), 400)
    assert body["field"] == "employer"
    assert not Job.objects.filter(partner=partner).exists()


def test_an_employers_key_posts_its_own_jobs_by_its_own_reference(client, key):
    employer = EmployerFactory()
    boss = User.objects.create_user(username="hr-system", role=Role.EMPLOYER, employer=employer)
    other = EmployerFactory()
    headers = key(boss, "jobs:write")
    made = _put(client, "HR-17", _posting(employer=other.credit_code), headers)
    assert made.status_code == 201
    job = Job.objects.get(pk=made.json()["id"])
    assert job.employer == employer and job.reference == "HR-17"  # its own, never another's
    body = _error(_put(client, "HR-18", _posting(wage_min=9000, wage_max=8000), headers), 400)
    assert body["field"] == "wage_max"
    body = _error(_put(client, "HR-19", _posting(region="340102001"), headers), 400)
    assert body["field"] == "region"


def test_a_write_sent_again_with_its_idempotency_key_is_done_once(client, key, partner):
    employer = EmployerFactory()
    headers = key(partner, "jobs:write")
    body = _posting(employer=employer.credit_code)
    first = _put(client, "K1", body, headers, HTTP_IDEMPOTENCY_KEY="abc-1")
    assert first.status_code == 201
    Job.objects.filter(pk=first.json()["id"]).update(wage_min=100)  # changed since
    replayed = _put(client, "K1", body, headers, HTTP_IDEMPOTENCY_KEY="abc-1")
    assert replayed.status_code == 201 and replayed.json() == first.json()
    assert Job.objects.get(pk=first.json()["id"]).wage_min == 100  # not done again
    other = _put(client, "K1", {**body, "headcount": 9}, headers, HTTP_IDEMPOTENCY_KEY="abc-1")
    assert _error(other, 422)["code"] == "idempotency_key_reused"


def test_an_administrator_issues_a_key_in_the_admin_and_sees_it_once(client, partner):
    admin = User.objects.create_superuser("root", password="pw-for-tests-only", role="admin")
    client.force_login(admin)
    response = client.post(
        "/admin/api/apitoken/add/",
        {
            "name": "省平台岗位共享",
            "holder": partner.pk,
            "scopes": ["feed:read", "jobs:write"],
            "rate_per_minute": 600,
        },
        follow=True,
    )
    token = ApiToken.objects.get(name="省平台岗位共享")
    shown = [str(m) for m in response.context["messages"]]
    secret = next(m.split(":", 1)[1] for m in shown if "接口令牌" in m)
    assert tokens.digest(secret) == token.digest and token.created_by == admin
    assert (
        client.get("/api/feed/snapshot", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 200
    )
    # a scope the holder could not use is refused in the form
    refused = client.post(
        "/admin/api/apitoken/add/",
        {"name": "x", "holder": partner.pk, "scopes": ["people:read"], "rate_per_minute": 60},
    )
    assert refused.status_code == 200 and "people:read" in refused.content.decode()
    assert ApiToken.objects.count() == 1


def test_every_error_under_api_has_the_one_body(client, key, partner):
    headers = key(partner, "jobs:write", "jobs:read", "feed:read")
    assert _error(client.post("/api/jobs", **headers), 405)["code"] == "method_not_allowed"
    assert _error(client.get("/api/", **headers), 404)["code"] == "not_found"
    assert _error(client.get("/api/no/such/thing", **headers), 404)
    broken = client.put("/api/postings/J1", "{bad", content_type="application/json", **headers)
    assert "JSON" in _error(broken, 400)["message"]
    # a NUL byte (PostgreSQL refuses it) or a bidi override in any parameter: named back
    for params in ({"region": "界首\x00市"}, {"q": "焊\u202e工"}):
        assert _error(client.get("/api/jobs", params, **headers), 400)["field"] in params
    # times far off are refused, not overflowed
    for since in ("0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-10:00"):
        far = client.get("/api/feed/changes", {"since": since}, **headers)
        assert _error(far, 400)["field"] == "since"


def test_hidden_characters_are_refused_in_a_posting(client, key):
    employer = EmployerFactory()
    boss = User.objects.create_user(username="hr-2", role=Role.EMPLOYER, employer=employer)
    headers = key(boss, "jobs:write")
    for title in ("电焊工\u0007", "电焊工\u202e反向"):
        body = _error(_put(client, "HC-1", _posting(title=title), headers), 400)
        assert body["field"] == "title"
    assert not Job.objects.filter(reference="HC-1").exists()


def test_a_refused_write_leaves_its_idempotency_key_free(client, key, partner):
    employer = EmployerFactory()
    headers = key(partner, "jobs:write")
    wrong = _posting(employer=employer.credit_code, wage_min=9000, wage_max=8000)
    assert _put(client, "K9", wrong, headers, HTTP_IDEMPOTENCY_KEY="k-9").status_code == 400
    right = _posting(employer=employer.credit_code)
    assert _put(client, "K9", right, headers, HTTP_IDEMPOTENCY_KEY="k-9").status_code == 201
