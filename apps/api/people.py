"""People, their registrations and service records, matching, and employers: the
staff's registries through the API. Each list and record comes from the same scoped
selectors as the pages (``people_in_scope``, ``employers_in_scope``, ``jobs_in_scope``),
identifiers come masked, and every call that reads a person is in the access log."""

# (no `from __future__ import annotations` here: ninja reads these annotations as types)
import datetime as dt

from django.utils import timezone
from ninja import Field, Query, Router

from apps.accounts.scoping import user_scope_prefix
from apps.employers.models import Employer
from apps.employers.selectors import employer_detail, employer_list
from apps.jobs.selectors import job_detail
from apps.matching.services import MatchingError, candidates_for_job, jobs_for_person
from apps.people.models import KeyGroup, LabourStatus, Person, Registration
from apps.people.selectors import person_detail, person_list
from apps.services.models import ServiceRecord
from jiuye.identifiers import mask_mobile, mask_resident_id

from .core import (
    ERRORS,
    ApiError,
    Key,
    Out,
    Params,
    choice_param,
    home_province,
    log_read,
    paged,
    region_param,
)
from .jobs import Coded, JobOut, job_out

router = Router(tags=["人员与单位 People and employers"])


class PersonOut(Out):
    id: int
    name: str
    id_number: str = Field(description="公民身份号码(脱敏) resident ID, masked")
    phone: str = Field(description="手机号(脱敏) mobile, masked")
    gender: str
    birth_date: dt.date
    community: Coded | None
    labour_status: str
    status_since: dt.date
    education: str
    key_groups: list[str] = Field(description="现属重点群体 key groups in force")
    updated_at: dt.datetime


def person_out(p: Person, groups: list[str]) -> dict:
    return {
        "id": p.pk,
        "name": p.name,
        "id_number": mask_resident_id(p.id_number),
        "phone": mask_mobile(p.phone) if p.phone else "",
        "gender": p.gender,
        "birth_date": p.birth_date,
        "community": {"code": p.community_id, "name": p.community.name} if p.community_id else None,
        "labour_status": p.labour_status,
        "status_since": p.status_since,
        "education": p.education,
        "key_groups": groups,
        "updated_at": timezone.localtime(p.updated_at),
    }


def _groups(pks) -> dict[int, list[str]]:
    from apps.people.models import KeyGroupTag

    out: dict[int, list[str]] = {}
    for pk, group in KeyGroupTag.objects.filter(person_id__in=pks, end__isnull=True).values_list(
        "person_id", "group"
    ):
        out.setdefault(pk, []).append(group)
    return out


class PersonPage(Out):
    items: list[PersonOut]
    next: str | None


class PeopleQuery(Params):
    q: str = Field("", max_length=64, description="姓名、完整身份证号或手机号 name, ID or mobile")
    community: str = Field("", max_length=64, description="社区或街道:代码或名称 code or name")
    status: str = Field("", max_length=16, description="劳动状态 labour status")
    group: str = Field("", max_length=32, description="重点群体 key group")
    cursor: str | None = Field(
        None, max_length=200, description="上一页返回的next the previous page's next"
    )
    limit: int = Field(20, ge=1, le=100, description="每页条数 items a page")


def _scope_prefix(request) -> str:
    prefix = user_scope_prefix(request.user)
    if prefix is None:
        raise ApiError(403, "forbidden", "账号未设置管辖区域,请联系管理员", "No region set")
    return prefix


@router.get("/people", response={200: PersonPage, **ERRORS}, auth=Key("people:read"))
def list_people(request, params: Query[PeopleQuery]):
    """人员 The people of your region (名单), by id; identifiers masked."""
    prefix = _scope_prefix(request)
    place = region_param(params.community, "community", home_province(prefix))
    qs = person_list(
        user=request.user,
        q=params.q,
        status=choice_param(params.status, LabourStatus.choices, "status"),
        group=choice_param(params.group, KeyGroup.choices, "group"),
        community=place.scope_prefix if place else "",
    )
    groups: dict[int, list[str]] = {}

    def read(rows):
        log_read(request, rows, "人员列表")
        groups.update(_groups([p.pk for p in rows]))

    return paged(qs, params, lambda p: person_out(p, groups.get(p.pk, [])), read)


class Certificate(Out):
    name: str
    occupation: str | None
    level: int | None
    issued_on: dt.date | None


class Tag(Out):
    group: str
    start: dt.date
    end: dt.date | None


class PersonDetailOut(PersonOut):
    skills: str
    major: str
    graduation_year: int | None
    wish_occupations: list[str]
    wish_min_wage: int | None
    certificates: list[Certificate]
    key_group_history: list[Tag]


def _person(request, person_id: int) -> Person:
    return person_detail(user=request.user, pk=person_id)


@router.get(
    "/people/{int:person_id}", response={200: PersonDetailOut, **ERRORS}, auth=Key("people:read")
)
def get_person(request, person_id: int):
    """一个人的档案 One person's file (identifiers masked)."""
    p = _person(request, person_id)
    log_read(request, [p], "人员档案")
    tags = list(p.tags.all())
    return {
        **person_out(p, [t.group for t in tags if t.end is None]),
        "skills": p.skills,
        "major": p.major,
        "graduation_year": p.graduation_year,
        "wish_occupations": [o.code for o in p.wish_occupations.all()],
        "wish_min_wage": p.wish_min_wage,
        "certificates": [
            {
                "name": c.name,
                "occupation": c.occupation_id,
                "level": c.level,
                "issued_on": c.issued_on,
            }
            for c in p.certificates.all()
        ],
        "key_group_history": [{"group": t.group, "start": t.start, "end": t.end} for t in tags],
    }


class RegistrationOut(Out):
    id: int
    kind: str
    registered_on: dt.date
    basis: str
    employer: str | None
    channel: str
    contract_end: dt.date | None
    ended_on: dt.date | None
    end_reason: str


@router.get(
    "/people/{int:person_id}/registrations",
    response={200: list[RegistrationOut], **ERRORS},
    auth=Key("services:read"),
)
def person_registrations(request, person_id: int):
    """就业失业登记 A person's employment and unemployment registrations."""
    p = _person(request, person_id)
    log_read(request, [p], "就业失业登记")
    rows = (
        Registration.objects.filter(person=p).select_related("employer").order_by("-registered_on")
    )
    return [
        {
            "id": r.pk,
            "kind": r.kind,
            "registered_on": r.registered_on,
            "basis": r.basis,
            "employer": r.employer.name if r.employer_id else None,
            "channel": r.channel,
            "contract_end": r.contract_end,
            "ended_on": r.ended_on,
            "end_reason": r.end_reason,
        }
        for r in rows
    ]


class ServiceOut(Out):
    id: int
    kind: str
    kind_name: str
    at: dt.datetime
    outcome: str
    job_id: int | None


@router.get(
    "/people/{int:person_id}/services",
    response={200: list[ServiceOut], **ERRORS},
    auth=Key("services:read"),
)
def person_services(request, person_id: int):
    """服务记录 The services delivered to a person (政策宣传, 职业指导, 岗位推荐 …)."""
    p = _person(request, person_id)
    log_read(request, [p], "服务记录")
    rows = ServiceRecord.objects.filter(person=p).order_by("-at", "-pk")[:500]
    return [
        {
            "id": s.pk,
            "kind": s.kind,
            "kind_name": s.get_kind_display(),
            "at": timezone.localtime(s.at),
            "outcome": s.outcome,
            "job_id": s.job_id,
        }
        for s in rows
    ]


class Reasoned(Out):
    score: float
    reasons: list[str] = Field(description="推荐理由 why it was matched")
    distance_km: float | None


class JobMatch(Reasoned):
    job: JobOut


class PersonMatch(Reasoned):
    person: PersonOut


class JobsForPerson(Out):
    person: PersonOut
    items: list[JobMatch]


class CandidatesForJob(Out):
    job: JobOut
    items: list[PersonMatch]


class Radius(Params):
    radius_km: float | None = Field(None, gt=0, le=200)
    limit: int = Field(20, ge=1, le=50, description="每页条数 items a page")


def _reasoned(match) -> dict:
    return {
        "score": round(match.score, 4),
        "reasons": match.reasons,
        "distance_km": None if match.distance_km is None else round(match.distance_km, 2),
    }


@router.get(
    "/people/{int:person_id}/jobs",
    response={200: JobsForPerson, **ERRORS},
    auth=Key("matching:read"),
)
def jobs_for(request, person_id: int, params: Query[Radius]):
    """人岗匹配:为一个人推荐岗位 Open jobs for a person, best first, with the reasons."""
    p = _person(request, person_id)
    log_read(request, [p], "人岗匹配")
    try:
        ranked = jobs_for_person(person=p, radius_km=params.radius_km, k=params.limit)
    except MatchingError as exc:
        raise ApiError(400, "invalid", str(exc), "Cannot match as asked", "radius_km") from None
    return {
        "person": person_out(p, list(_groups([p.pk]).get(p.pk, []))),
        "items": [{"job": job_out(request, r.obj), **_reasoned(r.match)} for r in ranked],
    }


class CandidatesQuery(Radius):
    group: str = Field("", max_length=32, description="只看某重点群体 only one key group")


@router.get(
    "/jobs/{int:job_id}/candidates",
    response={200: CandidatesForJob, **ERRORS},
    auth=Key("matching:read"),
)
def candidates_for(request, job_id: int, params: Query[CandidatesQuery]):
    """人岗匹配:为一个岗位推荐人选 People of your region for a job of your region, best
    first, with the reasons (identifiers masked)."""
    job = job_detail(user=request.user, pk=job_id)
    try:
        ranked = candidates_for_job(
            job=job,
            user=request.user,
            group=choice_param(params.group, KeyGroup.choices, "group"),
            radius_km=params.radius_km,
            k=params.limit,
        )
    except MatchingError as exc:
        raise ApiError(400, "invalid", str(exc), "Cannot match as asked") from None
    log_read(request, [r.obj for r in ranked], "岗位推荐人选")
    groups = _groups([r.obj.pk for r in ranked])
    return {
        "job": job_out(request, job),
        "items": [
            {"person": person_out(r.obj, groups.get(r.obj.pk, [])), **_reasoned(r.match)}
            for r in ranked
        ],
    }


# --- Employers ----------------------------------------------------------------------------
class EmployerOut(Out):
    id: int
    credit_code: str
    name: str
    industry: str
    size: str
    employees: int
    region: Coded
    address: str
    contact_phone: str = Field(description="联系电话(脱敏) masked")
    is_key_enterprise: bool
    blacklisted: bool
    updated_at: dt.datetime


def employer_out(e: Employer) -> dict:
    return {
        "id": e.pk,
        "credit_code": e.credit_code,
        "name": e.name,
        "industry": e.industry_id,
        "size": e.size,
        "employees": e.employees,
        "region": {"code": e.region_id, "name": e.region.name},
        "address": e.address,
        "contact_phone": mask_mobile(e.contact_phone) if e.contact_phone else "",
        "is_key_enterprise": e.is_key_enterprise,
        "blacklisted": e.blacklisted,
        "updated_at": timezone.localtime(e.updated_at),
    }


class EmployerPage(Out):
    items: list[EmployerOut]
    next: str | None


class EmployersQuery(Params):
    q: str = Field("", max_length=64, description="名称或统一社会信用代码 name or credit code")
    cursor: str | None = Field(
        None, max_length=200, description="上一页返回的next the previous page's next"
    )
    limit: int = Field(20, ge=1, le=100, description="每页条数 items a page")


@router.get("/employers", response={200: EmployerPage, **ERRORS}, auth=Key("employers:read"))
def list_employers(request, params: Query[EmployersQuery]):
    """用人单位 The employers of your region, by id."""
    _scope_prefix(request)
    qs = employer_list(user=request.user, q=params.q).select_related("region")
    return paged(qs, params, employer_out)


@router.get(
    "/employers/{int:employer_id}",
    response={200: EmployerOut, **ERRORS},
    auth=Key("employers:read"),
)
def get_employer(request, employer_id: int):
    """一个用人单位 One employer of your region (its contact phone masked)."""
    return employer_out(employer_detail(user=request.user, pk=employer_id))
