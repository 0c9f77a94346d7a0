"""Jobs: the search of the open jobs, one job (also as schema.org JobPosting), the open
job feed (snapshot and changes), and postings shared into the platform by employers'
HR software and partner platforms."""

# (no `from __future__ import annotations` here: ninja reads these annotations as types)

import datetime as dt
import functools
import re

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from ninja import Field, Query, Router, Status

from apps.accounts.permissions import posting_refusal
from apps.accounts.scoping import region_prefix_q
from apps.employers.models import Employer
from apps.jobs import feed, publishing
from apps.jobs.board import filtered, job_posting, open_jobs
from apps.jobs.forms import PostingForm
from apps.jobs.models import Job
from apps.people.models import JobKind
from apps.regions.models import Region, RegionLevel
from jiuye.identifiers import IdentifierError, validate_credit_code

from .core import (
    ERRORS,
    IDEMPOTENCY_KEY,
    WRITE_ERRORS,
    ApiError,
    Key,
    Out,
    Params,
    after_id,
    choice_param,
    cursor_id,
    cursor_time,
    decode_cursor,
    encode_cursor,
    home_province,
    idempotent,
    next_cursor,
    occupation_param,
    region_param,
    sane_time,
)

router = Router(tags=["岗位 Jobs"])


class Coded(Out):
    code: str
    name: str


class EmployerRef(Out):
    name: str
    credit_code: str
    on_blacklist: bool = Field(
        description="列入欠薪黑名单(平台不推荐、不推送其岗位;订阅中没有这些岗位) on the "
        "wage-arrears blacklist: the feed leaves its jobs out"
    )


class JobOut(Out):
    id: int
    title: str
    occupation: Coded
    kind: str = Field(description="regular, part_time, gig, internship, public_welfare …")
    kind_name: str
    status: str
    headcount: int
    wage_min: int = Field(description="月薪下限(元) monthly wage, yuan")
    wage_max: int
    education_min: str = Field(description="GB/T 4658 学历代码, '' when none")
    age_min: int | None
    age_max: int | None
    skills: str
    certificates: str
    description: str
    employer: EmployerRef
    place: Coded
    county: Coded | None
    lat: float | None
    lng: float | None
    valid_from: dt.date
    valid_to: dt.date
    updated_at: dt.datetime
    url: str


KIND_NAMES = dict(JobKind.choices)
KINDS = ", ".join(f"{k} ({v})" for k, v in JobKind.choices)


def _board_url(request: HttpRequest) -> str:
    """The public page of job 0, once a request (each job's replaces the 0)."""
    if not hasattr(request, "_board_url"):
        request._board_url = request.build_absolute_uri(reverse("jobs:board_job", args=[0]))
    return request._board_url


@functools.lru_cache(maxsize=4096)
def county_of(code: str) -> dict | None:
    """The county (区县) a place lies in, by its code's first six digits (the division
    list does not change while the platform runs)."""
    found = Region.objects.filter(code=code[:6], level=RegionLevel.COUNTY).values("code", "name")
    return dict(found[0]) if found else None


def job_out(request: HttpRequest, job: Job) -> dict:
    """A job as the API gives it: public data only (no contact person or phone)."""
    region = job.region
    county = county_of(region.code)
    return {
        "id": job.pk,
        "title": job.title,
        "occupation": {"code": job.occupation_id, "name": job.occupation.name},
        "kind": job.kind,
        "kind_name": KIND_NAMES.get(job.kind, job.kind),
        "status": job.status,
        "headcount": job.headcount,
        "wage_min": job.wage_min,
        "wage_max": job.wage_max,
        "education_min": job.education_min,
        "age_min": job.age_min,
        "age_max": job.age_max,
        "skills": job.skills,
        "certificates": job.certificates,
        "description": job.description,
        "employer": {
            "name": job.employer.name,
            "credit_code": job.employer.credit_code,
            "on_blacklist": job.employer.on_blacklist(),
        },
        "place": {"code": region.code, "name": region.name},
        "county": county,
        "lat": job.lat,
        "lng": job.lng,
        "valid_from": job.valid_from,
        "valid_to": job.valid_to,
        "updated_at": timezone.localtime(job.updated_at),
        "url": _board_url(request).replace("/0/", f"/{job.pk}/"),
    }


class JobPage(Out):
    items: list[JobOut]
    next: str | None = Field(description="下一页的游标 the cursor of the next page, or null")


class JobSearch(Params):
    q: str = Field("", max_length=100, description="关键词 words (title, skills, description)")
    occupation: str = Field("", max_length=64, description="职业代码或名称 code or name")
    region: str = Field("", max_length=64, description="工作地点:区划代码或名称 code or name")
    kind: str = Field("", max_length=24, description=f"用工形式 kind of work: {KINDS}")
    wage: int | None = Field(None, ge=0, le=1_000_000, description="最低月薪 lowest wage")
    cursor: str | None = Field(
        None, max_length=200, description="上一页返回的next the previous page's next"
    )
    limit: int = Field(20, ge=1, le=100, description="每页条数 items a page")


@router.get("/jobs", response={200: JobPage, **ERRORS}, auth=Key("jobs:read"))
def search_jobs(request, filters: Query[JobSearch]):
    """招聘中的岗位 The open jobs matching every filter, by id (a cursor pages through
    them). A place or occupation may be given by its code or its name; an unknown one
    is a 400 naming it, never an empty list."""
    area = region_param(filters.region, "region", home_province())
    qs, _ = filtered(
        q=filters.q,
        occupation=occupation_param(filters.occupation),
        area=area.scope_prefix if area else "",
        wage=filters.wage,
        kind=choice_param(filters.kind, JobKind.choices, "kind"),
    )
    rows = feed.page(qs, after_id(filters.cursor), filters.limit)
    return {
        "items": [job_out(request, j) for j in rows],
        "next": next_cursor(rows, filters.limit),
    }


def _open_job(pk: int) -> Job:
    return open_jobs().select_related(*feed.FIELDS).get(pk=pk)


@router.get("/jobs/{int:job_id}", response={200: JobOut, **ERRORS}, auth=Key("jobs:read"))
def get_job(request, job_id: int):
    """一个招聘中的岗位 One open job (404 once it is closed, expired or deleted)."""
    return job_out(request, _open_job(job_id))


@router.get("/jobs/{int:job_id}/jobposting", response={200: dict, **ERRORS}, auth=Key("jobs:read"))
def get_job_posting(request, job_id: int):
    """岗位的schema.org格式 The job as schema.org JobPosting (JSON-LD), as its public page
    carries it."""
    job = _open_job(job_id)
    return job_posting(job, request.build_absolute_uri(reverse("jobs:board_job", args=[job.pk])))


# --- The open job feed ----------------------------------------------------------------
class SnapshotPage(Out):
    items: list[JobOut]
    next: str | None
    as_of: dt.datetime = Field(
        description="快照时间:读完快照后从此时起读变更 read the changes since this time"
    )


class SnapshotQuery(Params):
    cursor: str | None = Field(
        None, max_length=200, description="上一页返回的next the previous page's next"
    )
    limit: int = Field(100, ge=1, le=500, description="每页条数 items a page")


@router.get("/feed/snapshot", response={200: SnapshotPage, **ERRORS}, auth=Key("feed:read"))
def feed_snapshot(request, params: Query[SnapshotQuery]):
    """岗位订阅快照 Every job of the feed (open, and not of an employer on the wage-arrears
    blacklist), page by page; keep ``as_of`` of the first page and read
    ``/feed/changes?since=as_of`` afterwards."""
    state = decode_cursor(params.cursor, ("a", "t"))
    if state is None:
        after, as_of = 0, feed.now_with_lag()
    else:
        after, as_of = cursor_id(state["a"]), cursor_time(state["t"])
    rows = feed.snapshot(after, params.limit)
    return {
        "items": [job_out(request, j) for j in rows],
        "next": encode_cursor({"a": rows[-1].pk, "t": as_of.isoformat()})
        if len(rows) == params.limit
        else None,
        "as_of": timezone.localtime(as_of),
    }


class ChangeOut(Out):
    id: int
    change: str = Field(description="upsert: 新增或更新 added or changed; remove: 下架 removed")
    job: JobOut | None


class ChangePage(Out):
    items: list[ChangeOut]
    next: str | None
    until: dt.datetime = Field(
        description="本批变更截至:next为空时,下次从此时起读 the next since, once next is null"
    )


class ChangesQuery(Params):
    since: str | None = Field(
        None,
        max_length=40,
        description="ISO 8601, with its time zone (2026-12-03T08:00:00+08:00; in a URL the + "
        "is %2B)",
    )
    cursor: str | None = Field(
        None, max_length=200, description="上一页返回的next the previous page's next"
    )
    limit: int = Field(100, ge=1, le=500, description="每页条数 items a page")


@router.get("/feed/changes", response={200: ChangePage, **ERRORS}, auth=Key("feed:read"))
def feed_changes(request, params: Query[ChangesQuery]):
    """岗位变更 What changed since a time: each job added or changed, as it is now, and
    each job that left the open jobs (closed, paused, filled, expired or deleted) as a
    removal. Page with ``next``; when it is null, keep ``until`` as the next ``since``."""
    state = decode_cursor(params.cursor, ("a", "s", "u"))
    if state is not None:
        after, since, until = (
            cursor_id(state["a"]),
            cursor_time(state["s"]),
            cursor_time(state["u"]),
        )
    else:
        if params.since is None:
            raise ApiError(400, "invalid", "请给出since或cursor", "Give since or cursor", "since")
        since = _since(params.since)
        after, until = 0, feed.now_with_lag()
        if since > until:
            since = until
    page = feed.changes(since, until, after, params.limit)
    return {
        "items": [
            {
                "id": c.job_id,
                "change": "upsert" if c.job else "remove",
                "job": job_out(request, c.job) if c.job else None,
            }
            for c in page
        ],
        "next": encode_cursor(
            {"a": page[-1].job_id, "s": since.isoformat(), "u": until.isoformat()}
        )
        if len(page) == params.limit
        else None,
        "until": timezone.localtime(until),
    }


def _since(text: str) -> dt.datetime:
    try:
        found = dt.datetime.fromisoformat(text)
    except ValueError:
        found = None
    if sane_time(found):
        return found
    hint = (
        "URL中的+须写作%2B"
        if " " in text.strip()
        else "须带时区,如2026-12-03T08:00:00+08:00,且在2000年至今之间"
    )
    english = (
        "a + in a URL is written %2B"
        if " " in text.strip()
        else "ISO 8601 with its zone (2026-12-03T08:00:00+08:00), from 2000 to now"
    )
    raise ApiError(400, "invalid", f"since:{hint}", f"since: {english}", "since")


# --- Postings shared into the platform --------------------------------------------------
class PostingIn(Params):  # (the values of PostingForm, by name)
    employer: str | None = Field(
        None,
        max_length=18,
        description="用人单位统一社会信用代码(合作机构发布时必填) the employer's credit code "
        "(partners only; an employer's own key posts for itself)",
    )
    title: str = Field(max_length=128)
    occupation: str = Field(max_length=64, description="职业代码或名称 code or name")
    kind: str = Field(max_length=24, description=f"用工形式 kind of work: {KINDS}")
    headcount: int = Field(ge=1, le=100000)
    wage_min: int = Field(ge=0, le=1_000_000)
    wage_max: int = Field(ge=0, le=1_000_000)
    education_min: str = Field("", max_length=2)
    age_min: int | None = Field(None, ge=16, le=70)
    age_max: int | None = Field(None, ge=16, le=70)
    skills: str = Field("", max_length=255)
    certificates: str = Field("", max_length=255)
    description: str = Field("", max_length=4000)
    region: str = Field(max_length=64, description="工作地点(街道或社区)代码或名称")
    valid_from: dt.date
    valid_to: dt.date


REFERENCE = r"[A-Za-z0-9_.:-]{1,32}"


def _poster_employer(request, employer_code: str | None) -> Employer:
    user = request.user
    if user.role == "employer":
        if user.employer_id is None:
            raise ApiError(403, "forbidden", "该账号的单位尚未通过核验", "Employer not verified")
        return user.employer
    if not employer_code:
        raise ApiError(
            400, "invalid", "请给出用人单位的统一社会信用代码", "Give the employer", "employer"
        )
    try:
        code = validate_credit_code(employer_code)
    except IdentifierError as exc:
        raise ApiError(
            400,
            "invalid",
            str(exc),
            f"'{employer_code}' is not a valid unified social credit code",
            "employer",
        ) from None
    # only the employers of the region the partner serves: one answer for another
    # region's and for none (no telling which employers are registered elsewhere)
    served = user.scope_region.scope_prefix if user.scope_region_id else None
    found = (
        Employer.objects.filter(region_prefix_q("region_id", served), credit_code=code).first()
        if served is not None
        else None
    )
    if found is None:
        raise ApiError(
            400,
            "unknown_code",
            f"用人单位“{code}”未在本机构服务区域内的本平台登记单位中:请先办理单位登记核验",
            f"The employer '{code}' is not registered on the platform in the region you serve",
            "employer",
        )
    if found.on_blacklist():
        raise ApiError(
            403,
            "refused",
            "该单位已列入欠薪黑名单,平台不共享其岗位",
            "The employer is on the wage-arrears blacklist: its jobs are not shared",
            "employer",
        )
    return found


@router.put(
    "/postings/{reference}",
    response={200: JobOut, 201: JobOut, **WRITE_ERRORS},
    auth=Key("jobs:write"),
)
@idempotent
def put_posting(
    request, reference: str, posting: PostingIn, idempotency_key: str | None = IDEMPOTENCY_KEY
):
    """发布或更新岗位 Publish a posting under your own identifier, or update the one you
    sent under it before: sending it again never posts it twice. 201 when new."""
    _check_reference(reference)
    employer = _poster_employer(request, posting.employer)
    place = region_param(posting.region, "region", employer.region_id[:4])
    refusal = posting_refusal(request.user, employer=employer, region=place.code)
    if refusal:
        raise ApiError(403, "forbidden", refusal, "Refused: see message", "region")
    form = PostingForm(
        {
            **posting.dict(exclude={"employer", "region", "occupation"}),
            "occupation": occupation_param(posting.occupation),
            "region": place.code,
            "age_min": posting.age_min or "",
            "age_max": posting.age_max or "",
        },
        employer=employer,
    )
    if not form.is_valid():
        field, errors = next(iter(form.errors.as_data().items()))
        message = errors[0].messages[0]
        if field == "region" and errors[0].code == "invalid_choice":
            message = f"工作地点{place.code}不在单位所在县(区)内:请给出其县(区)的街道(乡镇)或社区"
        field = None if field == "__all__" else field
        raise ApiError(400, "invalid", message, f"{field}: invalid value", field)
    try:
        job, new = publishing.share(
            user=request.user, reference=reference, employer=employer, values=form.values()
        )
    except publishing.PublishingError as exc:
        status = 409 if exc.field == "reference" else 403 if exc.field is None else 400
        raise ApiError(status, "refused", str(exc), "Refused: see message", exc.field) from None
    job = Job.objects.select_related(*feed.FIELDS).get(pk=job.pk)
    return Status(201 if new else 200, job_out(request, job))


def _check_reference(reference: str) -> None:
    if not re.fullmatch(REFERENCE, reference):
        raise ApiError(
            400,
            "invalid",
            "岗位编号应为1到32位字母、数字或 _ . : -",
            "The reference is 1–32 letters, digits or _ . : -",
            "reference",
        )


def _own_posting(request, reference: str) -> Job:
    _check_reference(reference)
    job = publishing.shared_job(request.user, reference)
    if job is None:
        raise ApiError(404, "not_found", "没有这个编号的岗位", "No posting has this reference")
    return job


@router.get("/postings/{reference}", response={200: JobOut, **ERRORS}, auth=Key("jobs:write"))
def get_posting(request, reference: str):
    """查看已发布的岗位 A posting you sent, whatever its status."""
    job = _own_posting(request, reference)
    return job_out(request, job)


@router.delete(
    "/postings/{reference}", response={200: JobOut, **WRITE_ERRORS}, auth=Key("jobs:write")
)
@idempotent
def close_posting(request, reference: str, idempotency_key: str | None = IDEMPOTENCY_KEY):
    """停止招聘 Close a posting you sent (it leaves the open jobs and the feed says so)."""
    job = _own_posting(request, reference)
    if job.status != "closed":
        try:
            job = publishing.change(user=request.user, job=job, action="close")
        except publishing.PublishingError as exc:
            raise ApiError(409, "refused", str(exc), "Refused: see message") from None
    job = Job.objects.select_related(*feed.FIELDS).get(pk=job.pk)
    return job_out(request, job)
