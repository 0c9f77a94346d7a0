"""Public-welfare posts (公益性岗位) as the safety net: who may be placed (the groups the
matching reserves these posts for: hard-to-employ people and members of zero-employment
families), placement within the post's headcount, terms of at most a year, renewal within
three years in all (until retirement for people within five years of it), exits, and the
year's count against the plan (002: 390 posts a year)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from apps.accounts.models import User
from apps.accounts.permissions import may_change
from apps.accounts.scoping import region_prefix_q
from apps.accounts.services import record_audit
from apps.people.models import JobKind, KeyGroupTag, Person, Registration
from apps.people.registration import RegistrationError, register

from .models import Job, JobStatus, WelfarePlacement


class WelfareError(ValueError):
    """A placement the rules refuse; the message says which rule, in Chinese."""


def _years_later(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _limit(person: Person, first_start: dt.date) -> dt.date:
    """The last day a person may hold public-welfare posts from their first placement."""
    cfg = settings.WELFARE_POSTS
    retire_age = settings.RETIREMENT_AGE.get(person.gender, 60)
    retirement = _years_later(person.birth_date, retire_age) - dt.timedelta(days=1)
    limit = _years_later(first_start, cfg["max_years"]) - dt.timedelta(days=1)
    if _years_later(first_start, cfg["near_retirement_years"]) > retirement:
        limit = retirement  # near retirement: may stay until it
    return min(limit, retirement)


def _check_staff(user: User, person: Person) -> None:
    if not user.is_clerk:
        raise WelfareError("只有经办人员可以办理公益性岗位安置")
    if not may_change(user, stored=person.community_id):
        raise WelfareError("只能为本辖区的人员办理")


def place(
    *, user: User, job: Job, person: Person, start: dt.date | None = None
) -> WelfarePlacement:
    start = start or timezone.localdate()
    _check_staff(user, person)
    if job.kind != JobKind.PUBLIC_WELFARE:
        raise WelfareError(f"“{job.title}”不是公益性岗位")
    allowed = settings.MATCHING["reserved_kinds"].get(JobKind.PUBLIC_WELFARE, [])
    if not KeyGroupTag.objects.filter(person=person, group__in=allowed, end__isnull=True).exists():
        raise WelfareError("公益性岗位只安置就业困难人员和零就业家庭成员")
    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job.pk)
        if job.status != JobStatus.OPEN:
            raise WelfareError(f"“{job.title}”已不再招用")
        taken = job.placements.filter(exited_on__isnull=True).count()
        if taken >= job.headcount:
            raise WelfareError(f"“{job.title}”{job.headcount}个岗位已满")
        if person.welfare_placements.filter(exited_on__isnull=True).exists():
            raise WelfareError("该人员已在公益性岗位上")
        first = (
            person.welfare_placements.order_by("start").values_list("start", flat=True).first()
            or start
        )
        limit = _limit(person, first)
        if start > limit:
            raise WelfareError(f"公益性岗位安置累计已达上限(至{limit})")
        end = min(start + dt.timedelta(days=settings.WELFARE_POSTS["term_days"] - 1), limit)
        placement = WelfarePlacement.objects.create(
            job=job, person=person, start=start, end=end, created_by=user
        )
        try:
            register(
                user=user,
                person=person,
                kind=Registration.Kind.EMPLOYMENT,
                employer=job.employer,
                day=start,
            )
        except RegistrationError as exc:
            raise WelfareError(f"就业登记未通过:{exc}") from None
        if taken + 1 >= job.headcount:
            job.status = JobStatus.FILLED
            job.save(update_fields=["status", "updated_at"])
        record_audit(actor=user, action="welfare_place", obj=placement, changes={"end": str(end)})
    return placement


def renew(*, user: User, placement: WelfarePlacement) -> WelfarePlacement:
    """Another term, up to the limit."""
    _check_staff(user, placement.person)
    if placement.exited_on:
        raise WelfareError("已退出的安置不能续签")
    first = placement.person.welfare_placements.order_by("start").values_list("start", flat=True)[0]
    limit = _limit(placement.person, first)
    if placement.end >= limit:
        raise WelfareError(f"已达公益性岗位安置期限(至{limit}),不能续签")
    old = placement.end
    placement.end = min(old + dt.timedelta(days=settings.WELFARE_POSTS["term_days"]), limit)
    placement.renewals += 1
    placement.save(update_fields=["end", "renewals"])
    record_audit(
        actor=user,
        action="welfare_renew",
        obj=placement,
        changes={"end": [str(old), str(placement.end)]},
    )
    return placement


def leave(
    *, user: User, placement: WelfarePlacement, reason: str, day: dt.date | None = None
) -> WelfarePlacement:
    """Exit (退出): term over, found another job, …; the post is free again."""
    day = day or timezone.localdate()
    _check_staff(user, placement.person)
    if placement.exited_on:
        raise WelfareError("该安置已退出")
    if not reason.strip():
        raise WelfareError("须注明退出原因")
    with transaction.atomic():
        placement.exited_on, placement.exit_reason = max(day, placement.start), reason.strip()
        placement.save(update_fields=["exited_on", "exit_reason"])
        job = Job.objects.select_for_update().get(pk=placement.job_id)
        if job.status == JobStatus.FILLED and job.valid_to >= day:
            job.status = JobStatus.OPEN
            job.save(update_fields=["status", "updated_at"])
        record_audit(actor=user, action="welfare_exit", obj=placement, changes={"reason": reason})
    return placement


@dataclass
class WelfareYear:
    year: int
    posts: int  # openings of public-welfare posts published this year
    placed: int  # people placed this year
    holding: int  # people on a post now
    expiring: int  # terms ending within 30 days
    target: int


def welfare_year(prefix: str = "", year: int | None = None) -> WelfareYear:
    today = timezone.localdate()
    year = year or today.year
    jobs = Job.objects.filter(kind=JobKind.PUBLIC_WELFARE, valid_from__year=year)
    placements = WelfarePlacement.objects.all()
    if prefix:
        jobs = jobs.filter(region_prefix_q("region_id", prefix))
        placements = placements.filter(region_prefix_q("person__community_id", prefix))
    holding = placements.filter(exited_on__isnull=True)
    return WelfareYear(
        year=year,
        posts=sum(jobs.values_list("headcount", flat=True)),
        placed=placements.filter(start__year=year).count(),
        holding=holding.count(),
        expiring=holding.filter(end__lte=today + dt.timedelta(days=30)).count(),
        target=settings.WELFARE_POSTS["yearly_target"],
    )
