"""An employer publishes its own jobs (一点发布、全市共享): publish, edit, pause, resume,
renew and close. A job is public (the board, the matching index) while it is open and
valid; every change is audited and reaches the matching index at its next query (the
index reads what changed since by ``updated_at``)."""

from __future__ import annotations

import datetime as dt
import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.accounts.models import Role, User
from apps.accounts.permissions import posting_refusal
from apps.accounts.services import diff_fields, record_audit
from apps.regions.geo import h3_cell
from apps.regions.models import Region, RegionLevel
from apps.regions.selectors import city_prefix

from .models import Job, JobStatus

EDITABLE = (
    "title",
    "occupation_id",
    "kind",
    "headcount",
    "wage_min",
    "wage_max",
    "education_min",
    "age_min",
    "age_max",
    "skills",
    "certificates",
    "required_certificate_id",
    "required_level",
    "description",
    "region_id",
    "valid_from",
    "valid_to",
)
MAX_VALIDITY_DAYS = 366  # a posting is renewed at least yearly, so stale ones lapse
MAX_START_DAYS = 90  # a posting is published for work that starts soon


class PublishingError(ValueError):
    """A field's own error: ``field`` names it (None: the whole form)."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def _employer_of(user: User):
    if user.role != Role.EMPLOYER or user.employer_id is None:
        raise PublishingError("只有已通过核验的用人单位账号可以发布岗位")
    return user.employer


def check(values: dict, employer) -> dict:
    """The job's values as they may be stored; each problem names its field."""
    if values["wage_min"] > values["wage_max"]:
        raise PublishingError("月薪上限不能低于下限", "wage_max")
    if values.get("age_min") and values.get("age_max") and values["age_min"] > values["age_max"]:
        raise PublishingError("最高年龄不能低于最低年龄", "age_max")
    if values["valid_to"] < values["valid_from"]:
        raise PublishingError("有效期止不能早于有效期起", "valid_to")
    if (values["valid_to"] - values["valid_from"]).days > MAX_VALIDITY_DAYS:
        raise PublishingError(f"有效期最长{MAX_VALIDITY_DAYS}天,到期可续期", "valid_to")
    if values["valid_to"] < timezone.localdate():
        raise PublishingError("有效期止已过", "valid_to")
    if (values["valid_from"] - timezone.localdate()).days > MAX_START_DAYS:
        raise PublishingError(f"有效期起最晚为今后{MAX_START_DAYS}天内", "valid_from")
    region = Region.objects.filter(
        code=values["region_id"], level__gte=RegionLevel.TOWNSHIP
    ).first()
    if region is None:
        raise PublishingError("请选择工作地点所在的街道(乡镇)或社区", "region_id")
    if city_prefix(region.code) != city_prefix(employer.region_id):
        raise PublishingError("工作地点须在单位所在市内", "region_id")
    if values.get("required_level") and not values.get("required_certificate_id"):
        raise PublishingError("要求证书等级时须选择证书职业", "required_certificate_id")
    return {
        **values,
        "lat": region.lat,
        "lng": region.lng,
        "h3": region.h3 or h3_cell(region.lat, region.lng),
    }


STORED = (*EDITABLE, "lat", "lng", "h3")  # what check() gives: the form's and the place's


def _new(user: User, employer, values: dict, action: str, **identity) -> Job:
    job = Job.objects.create(
        employer=employer,
        status=JobStatus.OPEN,
        **identity,
        **{k: values.get(k) for k in STORED},
    )
    record_audit(actor=user, action=action, obj=job, changes={"title": job.title})
    return job


def _rewrite(user: User, job: Job, values: dict, action: str, **also) -> Job:
    changes = diff_fields(job, {k: values.get(k) for k in EDITABLE} | also)
    for key in STORED:
        setattr(job, key, values.get(key))
    for key, value in also.items():
        setattr(job, key, value)
    job.save()
    record_audit(actor=user, action=action, obj=job, changes=changes)
    return job


@transaction.atomic
def publish(*, user: User, values: dict) -> Job:
    employer = _employer_of(user)
    values = check(values, employer)
    reference = f"W{timezone.localdate():%Y%m%d}{secrets.token_hex(3).upper()}"
    return _new(user, employer, values, "job_published", reference=reference)


def own_job(user: User, pk: int) -> Job | None:
    """The employer's own posting, or None (as for none at all)."""
    if user.role != Role.EMPLOYER or user.employer_id is None:
        return None
    return Job.objects.filter(pk=pk, employer_id=user.employer_id).first()


@transaction.atomic
def edit(*, user: User, job: Job, values: dict) -> Job:
    employer = _employer_of(user)
    if job.employer_id != employer.pk:
        raise PublishingError("只能修改本单位的岗位")
    return _rewrite(user, job, check(values, employer), "job_edited")


# action → (statuses it applies to, the status it leaves)
MOVES = {
    "pause": ((JobStatus.OPEN,), JobStatus.PAUSED),
    "resume": ((JobStatus.PAUSED,), JobStatus.OPEN),
    "close": ((JobStatus.OPEN, JobStatus.PAUSED, JobStatus.FILLED), JobStatus.CLOSED),
    "renew": ((JobStatus.OPEN, JobStatus.PAUSED, JobStatus.CLOSED, JobStatus.FILLED), None),
}


def share(*, user: User, reference: str, employer, values: dict) -> tuple[Job, bool]:
    """Publish a posting under the sender's own identifier, or update the one it already
    sent under it (一点发布: a partner platform or an employer's HR software sends its
    postings again and again; each is stored once). An employer's identifier is the job's
    reference; a partner's is kept beside the job. Returns the job and whether it is
    new. A posting updated is open again (its sender says it is current)."""
    refusal = posting_refusal(user, employer=employer, region=values["region_id"])
    if refusal:
        raise PublishingError(refusal)
    values = check(values, employer)
    try:
        with transaction.atomic():
            return _share(user, reference, employer, values)
    except IntegrityError:  # the same identifier sent twice at once: the other one won
        raise PublishingError("同一编号的岗位正在提交,请稍后重试", "reference") from None


def _share(user: User, reference: str, employer, values: dict) -> tuple[Job, bool]:
    if user.role == Role.PARTNER:
        mine = Job.objects.filter(partner=user, partner_ref=reference)
    else:
        mine = Job.objects.filter(employer=employer, reference=reference)
    job = mine.select_for_update().first()
    if job is None:
        if user.role == Role.PARTNER:
            own = f"P{timezone.localdate():%Y%m%d}{secrets.token_hex(4).upper()}"
            identity = {"reference": own, "partner": user, "partner_ref": reference}
        else:
            identity = {"reference": reference}
        return _new(user, employer, values, "job_shared", **identity), True
    if job.employer_id != employer.pk:
        raise PublishingError("该编号已用于另一单位的岗位", "reference")
    return _rewrite(user, job, values, "job_shared", status=JobStatus.OPEN), False


def shared_job(user: User, reference: str) -> Job | None:
    """The posting ``user`` sent under its own identifier, or None."""
    if user.role == Role.PARTNER:
        return Job.objects.filter(partner=user, partner_ref=reference).first()
    if user.role == Role.EMPLOYER and user.employer_id is not None:
        return Job.objects.filter(employer_id=user.employer_id, reference=reference).first()
    return None


def _manages(user: User, job: Job) -> bool:
    """The employer's own job, or the posting a partner shared."""
    if user.role == Role.PARTNER:
        return job.partner_id == user.pk
    return (
        user.role == Role.EMPLOYER
        and user.employer_id is not None
        and job.employer_id == user.employer_id
    )


@transaction.atomic
def change(*, user: User, job: Job, action: str, days: int = 30) -> Job:
    """Pause, resume, close, or renew (extend the validity by ``days`` from today or from
    its end, whichever is later, and reopen)."""
    if user.role != Role.PARTNER:
        _employer_of(user)
    job = Job.objects.select_for_update().get(pk=job.pk)
    if not _manages(user, job):
        raise PublishingError("只能管理本单位的岗位")
    if action not in MOVES:
        raise PublishingError("未知的操作")
    allowed, to = MOVES[action]
    if job.status not in allowed:
        raise PublishingError(f"岗位当前为“{job.get_status_display()}”,不能{ACTION_LABELS[action]}")
    old = {"status": job.status, "valid_to": str(job.valid_to)}
    if action == "renew":
        if not 1 <= days <= 180:
            raise PublishingError("续期天数应为1到180天", "days")
        today = timezone.localdate()
        start = max(today, job.valid_to)
        if (start - today).days + days > MAX_VALIDITY_DAYS:
            raise PublishingError(f"续期后有效期最长至今后{MAX_VALIDITY_DAYS}天,到期前再续", "days")
        job.valid_to = start + dt.timedelta(days=days)
        job.status = JobStatus.OPEN
    else:
        job.status = to
    job.save(update_fields=["status", "valid_to", "updated_at"])
    record_audit(
        actor=user,
        action=f"job_{action}",
        obj=job,
        changes={
            "status": [old["status"], job.status],
            "valid_to": [old["valid_to"], str(job.valid_to)],
        },
    )
    return job


ACTION_LABELS = {"pause": "暂停", "resume": "恢复", "close": "关闭", "renew": "续期"}
