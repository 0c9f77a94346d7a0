"""What every operation of the API shares: who is calling (a key with scopes), the rate
limit, the one error body, cursors, place and occupation filters, idempotent writes,
and the access log of personal data read."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import functools
import hashlib
import json
import logging
import time
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, JsonResponse
from django.utils import timezone
from ninja import Header, Schema, Status
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError
from ninja.renderers import NinjaJSONEncoder
from ninja.security import HttpBearer
from ninja.throttling import BaseThrottle
from pydantic import BaseModel as Out  # answers: plain pydantic, no ORM getter
from pydantic import field_validator
from pydantic_core import PydanticCustomError

from apps.accounts.models import AccessEntry
from apps.accounts.requests import client_ip
from apps.accounts.services import record_access, record_taking
from apps.portal.inputs import hidden_characters
from apps.regions.models import Region
from apps.regions.selectors import UnknownPlace, place
from apps.taxonomy.models import Occupation

from . import tokens
from .models import ApiToken, IdempotentWrite

log = logging.getLogger(__name__)


# --- What a client sends ------------------------------------------------------------------
class Params(Schema):
    """A request's parameters or body: no text holding control characters (a NUL byte
    breaks PostgreSQL) or bidirectional overrides, in any field."""

    @field_validator("*", mode="before")
    @classmethod
    def _visible(cls, value):
        if isinstance(value, str) and hidden_characters(value, lines=True):
            raise PydanticCustomError("hidden_characters", "holds control characters")
        return value


# --- The one error body ---------------------------------------------------------------
class ErrorDetail(Out):
    code: str
    message: str  # 中文
    message_en: str
    field: str | None = None


class ErrorOut(Out):
    error: ErrorDetail


ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 429: ErrorOut}
WRITE_ERRORS = {**ERRORS, 409: ErrorOut, 422: ErrorOut}


class ApiError(Exception):
    """A request answered with an error: its status, a code a client can branch on, the
    message in Chinese and in English, and the field it is about."""

    def __init__(self, status: int, code: str, message: str, english: str, field=None):
        super().__init__(message)
        self.status, self.code, self.message, self.english, self.field = (
            status,
            code,
            message,
            english,
            field,
        )


def error_response(
    status: int, code: str, message: str, english: str, field: str | None = None
) -> JsonResponse:
    body = {"code": code, "message": message, "message_en": english, "field": field}
    return JsonResponse({"error": body}, status=status, json_dumps_params={"ensure_ascii": False})


# status → (code, Chinese, English) for answers the API's own handlers did not write
_SAID = {
    400: ("invalid", "请求不合法", "Bad request"),
    401: ("unauthenticated", "缺少有效的接口令牌", "A valid API key is missing"),
    403: ("forbidden", "无权访问", "Forbidden"),
    404: ("not_found", "没有这个接口或记录", "Not found"),
    405: ("method_not_allowed", "该接口不支持此请求方法", "Method not allowed"),
    413: ("too_large", "请求体过大", "Request too large"),
    500: ("server_error", "服务器内部错误,已记录", "Internal error (logged)"),
}


def said_for(status: int, detail: bytes | str = "") -> tuple[str, str, str]:
    """(code, Chinese, English) for an error status the API's own handlers did not word."""
    code, message, english = _SAID.get(status, ("error", "请求未能完成", "The request failed"))
    detail = detail.decode(errors="replace") if isinstance(detail, bytes) else detail
    if status == 400 and "parse" in detail.lower():
        message, english = "请求体不是合法的JSON", "The body is not valid JSON"
    return code, message, english


# pydantic's error types, said in Chinese
_ZH = {
    "missing": "缺少该参数",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "float_parsing": "应为数字",
    "bool_parsing": "应为true或false",
    "datetime_parsing": "应为ISO 8601日期时间",
    "datetime_from_date_parsing": "应为ISO 8601日期时间",
    "date_parsing": "应为ISO 8601日期(YYYY-MM-DD)",
    "date_from_datetime_parsing": "应为ISO 8601日期(YYYY-MM-DD)",
    "string_too_long": "过长",
    "string_too_short": "过短",
    "greater_than_equal": "过小",
    "greater_than": "过小",
    "less_than_equal": "过大",
    "less_than": "过大",
    "literal_error": "不是可选的值",
    "enum": "不是可选的值",
    "json_invalid": "不是合法的JSON",
    "model_attributes_type": "应为JSON对象",
    "dict_type": "应为JSON对象",
    "string_type": "应为字符串",
    "list_type": "应为列表",
    "string_pattern_mismatch": "格式不对",
    "hidden_characters": "含有不可见的控制字符",
}


def install_handlers(api) -> None:
    @api.exception_handler(ApiError)
    def _api_error(request, exc: ApiError):
        return error_response(exc.status, exc.code, exc.message, exc.english, exc.field)

    @api.exception_handler(ValidationError)
    def _invalid(request, exc: ValidationError):
        first = exc.errors[0] if exc.errors else {}
        loc = [str(p) for p in first.get("loc", ())]
        # ("body", "posting", "title") → "title": the body's own name is not the client's
        loc = loc[2:] if loc[:1] == ["body"] and len(loc) > 2 else loc[1:]
        field = ".".join(loc) or None
        kind = first.get("type", "")
        return error_response(
            400,
            "invalid",
            f"参数“{field}”{_ZH.get(kind, '不合法')}" if field else "请求不合法",
            f"{field}: {first.get('msg', 'invalid')}" if field else "Invalid request",
            field,
        )

    @api.exception_handler(AuthenticationError)
    def _unauthenticated(request, exc):
        response = error_response(
            401,
            "unauthenticated",
            "缺少有效的接口令牌(Authorization: Bearer …),或令牌已吊销、过期",
            "A valid API key is missing (Authorization: Bearer …), revoked or expired",
        )
        response["WWW-Authenticate"] = "Bearer"
        return response

    @api.exception_handler(Throttled)
    def _throttled(request, exc):
        return error_response(
            429,
            "rate_limited",
            "调用过于频繁,请按Retry-After所示秒数后再试",
            "Too many requests: retry after the seconds in Retry-After",
        )

    @api.exception_handler(Http404)
    @api.exception_handler(ObjectDoesNotExist)
    def _missing(request, exc):
        return error_response(404, "not_found", "没有这条记录,或不在您的范围内", "Not found")

    @api.exception_handler(PermissionDenied)
    def _denied(request, exc):
        return error_response(403, "forbidden", str(exc) or "无权访问", "Forbidden")

    @api.exception_handler(HttpError)
    def _http(request, exc: HttpError):
        return error_response(exc.status_code, *said_for(exc.status_code, str(exc)))

    @api.exception_handler(Exception)
    def _server_error(request, exc):
        log.exception("API error on %s", request.path)
        return error_response(
            500, "server_error", "服务器内部错误,已记录", "Internal error (logged)"
        )


# --- Who is calling --------------------------------------------------------------------
class Key(HttpBearer):
    """A key with the scope an operation needs; the request then acts as the key's
    holder (``request.user``), so the pages' own scope decisions apply."""

    def __init__(self, scope: str):
        if scope not in tokens.SCOPES:
            raise ValueError(f"unknown scope {scope}")
        self.scope = scope
        super().__init__()

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        found = tokens.authenticate(token)
        if found is None:
            return None
        if self.scope not in found.scopes:
            zh, en, _ = tokens.SCOPES[self.scope]
            raise ApiError(
                403,
                "scope",
                f"该令牌没有“{self.scope}”({zh})权限",
                f"This key lacks the scope '{self.scope}' ({en})",
            )
        request.user = found.holder
        request.api_token = found
        return found


class PerKeyRate(BaseThrottle):
    """A fixed window of a minute per key (its ``rate_per_minute``), counted in the
    cache: one increment a request (Redis in a deployment, shared by every worker)."""

    def allow_request(self, request: HttpRequest) -> bool:
        token = getattr(request, "api_token", None)
        if token is None:
            return True
        window = int(time.time() // 60)
        key = f"api-rate:{token.digest[:20]}:{window}"
        try:
            count = cache.incr(key)  # one round trip once the window has its counter
        except ValueError:
            count = 1 if cache.add(key, 1, 90) else cache.incr(key)
        return count <= token.rate_per_minute

    def wait(self) -> float:
        return 60 - time.time() % 60


# --- Cursors -------------------------------------------------------------------------
def encode_cursor(state: dict) -> str:
    raw = json.dumps(state, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str | None, keys: tuple[str, ...]) -> dict | None:
    if not cursor:
        return None
    try:
        state = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if not isinstance(state, dict) or set(state) != set(keys):
            raise ValueError
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise ApiError(
            400, "invalid", "游标不合法:请使用上一页返回的next", "Invalid cursor", "cursor"
        ) from None
    return state


def cursor_id(value) -> int:
    """An id a cursor carries (what a client sends back is checked, like any input)."""
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value < 2**63:
        raise ApiError(400, "invalid", "游标不合法", "Invalid cursor", "cursor")
    return value


EARLIEST = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


def sane_time(value: dt.datetime | None) -> bool:
    """A time with its zone, from 2000 to a day from now (far dates overflow the
    conversions, and no change of the platform lies there)."""
    return (
        value is not None
        and value.tzinfo is not None
        and EARLIEST <= value <= timezone.now() + dt.timedelta(days=1)
    )


def cursor_time(value) -> dt.datetime:
    """A time a cursor carries, with its zone."""
    try:
        found = dt.datetime.fromisoformat(value)
    except (TypeError, ValueError):
        found = None
    if not sane_time(found):
        raise ApiError(400, "invalid", "游标不合法", "Invalid cursor", "cursor")
    return found


def after_id(cursor: str | None) -> int:
    state = decode_cursor(cursor, ("a",))
    return 0 if state is None else cursor_id(state["a"])


def paged(qs, params, out: Callable, read: Callable | None = None) -> dict:
    """A page of ``qs`` by id after ``params.cursor``: ``params.limit`` rows as ``out``
    gives each, and the next page's cursor (``read`` sees the rows first: the access
    log)."""
    rows = list(qs.filter(pk__gt=after_id(params.cursor)).order_by("pk")[: params.limit])
    if read is not None:
        read(rows)
    return {"items": [out(r) for r in rows], "next": next_cursor(rows, params.limit)}


def next_cursor(rows: list, limit: int, key: Callable = lambda r: r.pk) -> str | None:
    return encode_cursor({"a": key(rows[-1])}) if len(rows) == limit else None


# --- Filters by code or name ------------------------------------------------------------
# The division list and the classification change only when reference data is loaded
# (offline, with a restart): a place or occupation found is kept in the process.
_place = functools.lru_cache(maxsize=4096)(place)


@functools.lru_cache(maxsize=4096)
def _occupation_exists(code: str) -> bool:
    return Occupation.objects.filter(code=code).exists()


def home_province(prefix: str = "") -> str:
    """Where names are looked for: the viewer's province, or the platform's."""
    return (prefix or settings.PUBLIC_REGION)[:2]


def region_param(value: str | None, field: str, within: str = "") -> Region | None:
    if not value:
        return None
    try:
        return _place(value.strip(), within)
    except UnknownPlace as exc:
        raise ApiError(400, "unknown_code", str(exc), exc.english, field) from None


def occupation_param(value: str | None, field: str = "occupation") -> str:
    """An occupation by its code in the national classification or its exact name."""
    if not value:
        return ""
    value = value.strip()
    if value[:1].isdigit():
        if not _occupation_exists(value):
            raise ApiError(
                400,
                "unknown_code",
                f"职业分类中没有代码“{value}”",
                f"No occupation has the code '{value}'",
                field,
            )
        return value
    codes = list(Occupation.objects.filter(name=value).values_list("code", flat=True)[:3])
    if not codes:
        raise ApiError(
            400,
            "unknown_code",
            f"职业分类中没有名为“{value}”的职业",
            f"No occupation is named '{value}'",
            field,
        )
    if len(codes) > 1:
        raise ApiError(
            400,
            "unknown_code",
            f"“{value}”不止一个职业,请用代码",
            f"'{value}' names several occupations: give the code",
            field,
        )
    return codes[0]


def choice_param(value: str | None, choices, field: str) -> str:
    if not value:
        return ""
    allowed = dict(choices)
    if value not in allowed:
        listed = ", ".join(allowed)
        raise ApiError(
            400,
            "unknown_code",
            f"“{field}”没有“{value}”这一项(可选:{listed})",
            f"Unknown {field} '{value}' (one of: {listed})",
            field,
        )
    return value


# --- The access log --------------------------------------------------------------------
def log_read(request: HttpRequest, people, what: str) -> None:
    """Every call that reads a person is in the access log (个人信息访问日志): one entry
    for one person; for a list, one entry for the call and one for each person."""
    people = list(people)
    request.people_read = [*getattr(request, "people_read", ()), *(p.pk for p in people)]
    resource = f"接口 {request.method} {request.path} {what}"
    if len(people) == 1:
        record_access(
            viewer=request.user,
            person=people[0],
            purpose=AccessEntry.Purpose.VIEW,
            ip=client_ip(request),
            resource=resource,
        )
    elif people:
        record_taking(
            viewer=request.user,
            purpose=AccessEntry.Purpose.VIEW,
            resource=resource,
            filters={k: v for k, v in request.GET.items() if k != "cursor"},
            rows=len(people),
            person_ids=[p.pk for p in people],
            ip=client_ip(request),
        )


# --- Idempotent writes -------------------------------------------------------------------
IDEMPOTENCY_KEY = Header(
    None,
    alias="Idempotency-Key",
    max_length=128,
    description="幂等键:重发时带同一个键,只执行一次 sent again with the same key, done once",
)


def idempotent(view):
    """A write sent with an ``Idempotency-Key`` header is done once: the same key and
    body again get the first answer (status and body) without doing it again; the same
    key with another body is refused (422). The key is claimed before the write, in the
    write's own transaction: a second request with it waits until the first commits and
    is then answered as the first was; a write that fails leaves no claim."""

    @wraps(view)
    def run(request, *args, **kwargs):
        key = request.headers.get("Idempotency-Key", "")
        if not key:
            return view(request, *args, **kwargs)
        if len(key) > 128 or not key.isprintable():
            raise ApiError(
                400,
                "invalid",
                "Idempotency-Key应为不超过128个可见字符",
                "Idempotency-Key must be at most 128 printable characters",
                "Idempotency-Key",
            )
        token = request.api_token
        body = hashlib.sha256(request.body).hexdigest()
        said = f"{request.method} {request.path}"[:300]
        # a key is remembered for a day
        IdempotentWrite.objects.filter(
            token=token, created_at__lt=timezone.now() - dt.timedelta(days=1)
        ).delete()
        with transaction.atomic():
            try:
                with transaction.atomic():
                    claim = IdempotentWrite.objects.create(
                        token=token, key=key, request=said, body_digest=body, status=0, response={}
                    )
            except IntegrityError:  # taken (and committed) by an earlier request
                claim = None
            if claim is not None:
                status, response = _answer(view(request, *args, **kwargs))
                claim.status, claim.response = status, response
                claim.people = sorted(set(getattr(request, "people_read", ())))
                claim.save(update_fields=["status", "response", "people"])
                return Status(status, response)
        earlier = IdempotentWrite.objects.get(token=token, key=key)
        if earlier.request != said or earlier.body_digest != body:
            raise ApiError(
                422,
                "idempotency_key_reused",
                "该Idempotency-Key已用于另一个请求",
                "This Idempotency-Key was used for another request",
                "Idempotency-Key",
            )
        if earlier.people:  # the first answer named people: reading it again is a read
            from apps.people.models import Person

            log_read(request, Person.objects.filter(pk__in=earlier.people), "重放")
        return Status(earlier.status, earlier.response)

    return run


def _answer(result) -> tuple[int, dict]:
    status, body = (
        (result.status_code, result.value) if isinstance(result, Status) else (200, result)
    )
    if hasattr(body, "model_dump"):
        body = body.model_dump(mode="json")
    return status, json.loads(json.dumps(body, cls=NinjaJSONEncoder))
