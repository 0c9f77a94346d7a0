"""Recording applications, interviews and hires from both sides (求职申请、邀约面试、录用).

Who may do what: a worker applies to an open job and withdraws; an employer invites
people to its own postings and decides on them; staff refer people of their region
(职业介绍) and decide on jobs of their region. A hire that fills the job's headcount marks
the job filled, which the matching index sees at its next query. Every write is audited."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from apps.accounts.models import Role, User
from apps.accounts.permissions import may_change
from apps.accounts.services import record_audit
from apps.jobs.models import Job, JobStatus
from apps.people.models import Person
from apps.regions.selectors import city_prefix

from .index import SEEKING_STATUSES, blacklist_exempt
from .models import Application, Offer

Stage, Source = Application.Stage, Application.Source


class ApplicationError(ValueError):
    """An application step that is not allowed; the message says why, in Chinese."""


def _open_job(job: Job) -> None:
    today = timezone.localdate()
    if job.status != JobStatus.OPEN or not job.valid_from <= today <= job.valid_to:
        raise ApplicationError(f"岗位“{job.title}”已停止招聘")


def _may_decide(user: User, job: Job) -> bool:
    if user.role == Role.EMPLOYER:
        return bool(user.employer_id) and job.employer_id == user.employer_id
    return may_change(user, stored=job.region_id)


def _audit(user: User, action: str, application: Application, **changes) -> None:
    record_audit(actor=user, action=action, obj=application, changes=changes)


def apply(*, user: User, job: Job) -> Application:
    """The worker applies (from jobs for me, or from a pushed offer). Applying twice
    returns the same application; a withdrawn one is reopened."""
    person = user.person if user.role == Role.WORKER else None
    if person is None:
        raise ApplicationError("只有关联了人员档案的劳动者可以申请岗位")
    _open_job(job)
    with transaction.atomic():
        offered = Offer.objects.filter(person=person, job=job)
        now = timezone.now()
        application, created = Application.objects.select_for_update().get_or_create(
            person=person,
            job=job,
            defaults={
                "source": Source.OFFER if offered.exists() else Source.WORKER,
                "stage": Stage.APPLIED,
                "created_by": user,
                "confirmed_at": now,
            },
        )
        if not created and application.stage == Stage.WITHDRAWN:
            application.stage, application.created_at = Stage.APPLIED, now
            application.confirmed_at = now
            application.save(update_fields=["stage", "created_at", "confirmed_at"])
        elif not created and application.confirmed_at is None:  # accepting an invitation
            application.confirmed_at = now
            application.save(update_fields=["confirmed_at"])
            _audit(user, "accept_invitation", application, stage=[application.stage] * 2)
            return application
        elif not created:
            return application
        offered.update(status=Offer.Status.APPLIED)
        _audit(user, "apply", application, stage=[None, application.stage])
    return application


def barred_reason(job: Job) -> str:
    """Why nobody may be put forward to this job ('' when they may): its employer is on
    the wage-arrears blacklist today and its region is not exempt. The candidates pages
    ask this too."""
    if job.employer.on_blacklist() and not blacklist_exempt(job.region_id):
        return f"该单位已列入欠薪黑名单({job.employer.blacklist_reason}),不能为其岗位推荐或邀约人员"
    return ""


def put_forward(*, user: User, job: Job, person: Person) -> Application:
    """An employer invites a person to interview for its own job, or staff refer a person
    of their region (职业介绍): new, or an application moved on to the interview."""
    _open_job(job)
    barred = barred_reason(job)
    if barred:
        raise ApplicationError(barred)
    # A job is shared city-wide (一点发布、全市共享): its candidates are the city's people, as
    # the candidates page and the push find them, whoever puts them forward.
    same_city = city_prefix(person.community_id) == city_prefix(job.region_id)
    if user.role == Role.EMPLOYER:
        if not _may_decide(user, job):
            raise ApplicationError("只能为本单位的岗位邀约面试")
        # employers reach people who are looking for work, as the candidates page shows
        # them, not anyone in the registry
        seeking = person.labour_status in SEEKING_STATUSES or person.wish_occupations.exists()
        if not same_city or not seeking:
            raise ApplicationError("只能邀约本市有求职意向的人员")
        source, stage = Source.EMPLOYER, Stage.INTERVIEW
    elif user.is_clerk:
        if not may_change(user, stored=person.community_id):
            raise ApplicationError("只能推荐本辖区的人员")
        if not same_city:
            raise ApplicationError("只能推荐到本市的岗位")
        # A referral (职业介绍) is made for someone who asked for work at the counter: it
        # stands as their consent, so only for a person looking for work.
        seeking = person.labour_status in SEEKING_STATUSES or person.wish_occupations.exists()
        if not seeking:
            raise ApplicationError("该人员目前没有求职意向,不能推荐")
        source, stage = Source.STAFF, Stage.APPLIED
    else:
        raise ApplicationError("无权推荐或邀约")
    now = timezone.now()
    with transaction.atomic():
        application, created = Application.objects.select_for_update().get_or_create(
            person=person,
            job=job,
            defaults={
                "source": source,
                "stage": stage,
                "created_by": user,
                "interview_at": now if stage == Stage.INTERVIEW else None,
                # staff refer a person who asked them; an invitation waits for the person
                "confirmed_at": now if source == Source.STAFF else None,
            },
        )
        if created:
            _audit(user, "put_forward", application, stage=[None, stage])
            return application
        if application.stage not in Application.OPEN_STAGES:
            raise ApplicationError(f"该人员对这个岗位已是“{application.get_stage_display()}”")
        if stage == Stage.INTERVIEW and application.stage == Stage.APPLIED:
            application.stage, application.interview_at = Stage.INTERVIEW, now
            application.save(update_fields=["stage", "interview_at"])
            _audit(user, "invite", application, stage=[Stage.APPLIED, Stage.INTERVIEW])
    return application


def decide(*, user: User, application: Application, hired: bool) -> Application:
    """The employer (or staff for a job of their region) hires or turns down."""
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        job = Job.objects.select_for_update().get(pk=application.job_id)
        if not _may_decide(user, job):
            raise ApplicationError("无权处理这个岗位的申请")
        if application.stage not in Application.OPEN_STAGES:
            raise ApplicationError(f"这份申请已是“{application.get_stage_display()}”")
        if hired and application.confirmed_at is None:
            # A hire registers employment: never on an employer's invitation alone, whoever
            # records it.
            raise ApplicationError("求职者尚未接受面试邀约,接受后才能录用")
        old = application.stage
        application.stage = Stage.HIRED if hired else Stage.REJECTED
        application.decided_at = timezone.now()
        application.save(update_fields=["stage", "decided_at"])
        _audit(user, "decide", application, stage=[old, application.stage])
        if hired:
            _register_hire(user, application, job)
            hires = Application.objects.filter(job=job, stage=Stage.HIRED).count()
            if hires >= job.headcount and job.status == JobStatus.OPEN:
                job.status = JobStatus.FILLED
                job.save(update_fields=["status", "updated_at"])
                record_audit(
                    actor=user, action="filled", obj=job, changes={"status": ["open", "filled"]}
                )
    return application


def _register_hire(user: User, application: Application, job: Job) -> None:
    """A hire is employment: register it with the hiring employer (ending an unemployment
    registration). If a rule refuses (age, scope …) the hire stands and the reason is
    kept on the application for staff to follow up."""
    from apps.people.models import Registration
    from apps.people.registration import RegistrationError, register

    try:
        with transaction.atomic():
            register(
                user=user,
                person=Person.objects.get(pk=application.person_id),
                kind=Registration.Kind.EMPLOYMENT,
                employer=job.employer,
            )
    except RegistrationError as exc:
        application.note = f"就业登记未办理:{exc}"[:255]
        application.save(update_fields=["note"])


def withdraw(*, user: User, application: Application) -> Application:
    if user.role != Role.WORKER or application.person_id != user.person_id:
        raise ApplicationError("只能撤回本人的申请")
    if application.stage not in Application.OPEN_STAGES:
        raise ApplicationError(f"这份申请已是“{application.get_stage_display()}”,不能撤回")
    old = application.stage
    application.stage = Stage.WITHDRAWN
    application.save(update_fields=["stage"])
    _audit(user, "withdraw", application, stage=[old, Stage.WITHDRAWN])
    return application
