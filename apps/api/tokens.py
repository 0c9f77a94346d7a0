"""Issuing, checking and revoking API keys, and what each scope allows.

A scope names a group of operations (``people:read``); a key carries some of them. Which
scopes a key may carry depends on its holder's role: a scope that would let a holder see
nothing (a partner organisation reading people) is refused when the key is issued, and
what a scope lets the holder see is still decided by the holder's role and region (the
selectors' ``*_in_scope``), never by the key."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import time

from django.db import transaction
from django.utils import timezone

from apps.accounts.models import STAFF_ROLES, Role, User
from apps.accounts.services import record_audit

from .models import ApiToken

BACK_OFFICE = {*STAFF_ROLES, Role.LEADER, Role.ADMIN}
ANYONE = {*Role}

# scope → (what it allows, in Chinese and English; the holder roles that may carry it)
SCOPES: dict[str, tuple[str, str, set]] = {
    "jobs:read": ("查询招聘中的岗位", "Search the open jobs", ANYONE),
    "feed:read": ("岗位数据订阅(快照和变更)", "The open job feed (snapshot, changes)", ANYONE),
    "jobs:write": (
        "发布和关闭岗位",
        "Publish and close job postings",
        {Role.EMPLOYER, Role.PARTNER},
    ),
    "people:read": ("查询本区域人员实名信息", "Read the people of one's region", BACK_OFFICE),
    "matching:read": ("人岗匹配", "Jobs for a person, candidates for a job", BACK_OFFICE),
    "employers:read": ("查询本区域用人单位", "Read the employers of one's region", BACK_OFFICE),
    "services:read": (
        "查询就业失业登记和服务记录",
        "Read registrations and service records",
        BACK_OFFICE,
    ),
    "subsidies:read": (
        "查询补贴应享、申请和审核",
        "Read subsidy entitlements, applications and reviews",
        BACK_OFFICE,
    ),
    "subsidies:review": (
        "审核补贴申请",
        "Review subsidy applications",
        {*STAFF_ROLES, Role.ADMIN},
    ),
    "indicators:read": ("查询统计指标", "Read the plan's indicators", BACK_OFFICE),
    "training:read": ("查询培训课程", "Read the training courses", ANYONE),
    "fairs:read": ("查询招聘会", "Read the recruitment fairs", ANYONE),
    "gigs:read": ("查询零工", "Read the day jobs of the gig stations", ANYONE),
    "monitoring:read": ("查询失业动态监测", "Read the layoff monitoring", BACK_OFFICE),
}
PREFIX = "jy_"
USED_EVERY = 60  # seconds: the last-used time is written at most once a minute per key


class TokenError(ValueError):
    pass


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def scope_refusal(holder: User, scopes: list[str]) -> str | None:
    for scope in scopes:
        if scope not in SCOPES:
            return f"未知的权限范围“{scope}”"
        if holder.role not in SCOPES[scope][2]:
            return f"{holder.get_role_display()}账号不能持有“{scope}”({SCOPES[scope][0]})"
    if not scopes:
        return "请至少选择一项权限范围"
    return None


@transaction.atomic
def issue(
    *,
    holder: User,
    name: str,
    scopes: list[str],
    by: User | None,
    rate_per_minute: int = 600,
    expires_at: dt.datetime | None = None,
) -> tuple[ApiToken, str]:
    """A new key for ``holder``: the token and its secret (shown once, never stored)."""
    refusal = scope_refusal(holder, scopes)
    if refusal:
        raise TokenError(refusal)
    if not holder.is_active:
        raise TokenError("该账号已停用")
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        name=name,
        holder=holder,
        scopes=sorted(set(scopes)),
        prefix=secret[:10],
        digest=digest(secret),
        rate_per_minute=rate_per_minute,
        created_by=by,
        expires_at=expires_at,
    )
    record_audit(actor=by, action="api_token_issued", obj=token, changes={"scopes": token.scopes})
    return token, secret


def revoke(token: ApiToken, by: User | None) -> None:
    if token.revoked_at is None:
        ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
        record_audit(actor=by, action="api_token_revoked", obj=token)
    _known.pop(token.digest, None)


# Keys this process checked lately: digest → (token, until when it may be trusted). A
# revoked key (or one whose holder was deactivated) stops working here at once, and in
# the other processes within KNOWN_FOR seconds; the API answers without a database
# query for the key on each call (bench/api.py).
KNOWN_FOR = 10.0
_known: dict[str, tuple[ApiToken, float]] = {}
_written: dict[str, float] = {}  # digest → when this process last wrote its last use


def authenticate(secret: str) -> ApiToken | None:
    """The live key with this secret (not revoked, not expired, its holder active)."""
    if not secret.startswith(PREFIX) or len(secret) > 100:
        return None
    key = digest(secret)
    clock = time.monotonic()
    token, until = _known.get(key, (None, 0.0))
    if until < clock:
        token = (
            ApiToken.objects.select_related("holder__scope_region")
            .filter(digest=key, revoked_at__isnull=True)
            .first()
        )
        if token is None or not token.holder.is_active:
            _known.pop(key, None)
            return None
        if len(_known) > 10_000:
            _known.clear()
        _known[key] = (token, clock + KNOWN_FOR)
    now = timezone.now()
    if token.expires_at is not None and token.expires_at <= now:
        return None
    if clock - _written.get(key, -USED_EVERY) >= USED_EVERY:
        _written[key] = clock
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
