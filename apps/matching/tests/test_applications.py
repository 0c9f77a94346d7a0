"""Applications, interviews and hires from both sides: who may do what, each step once,
and a hire that fills the headcount closes the job for matching at once."""

import datetime as dt

import pytest

from apps.accounts.models import AuditEntry, User
from apps.jobs.models import JobStatus
from apps.matching.applications import ApplicationError, apply, decide, put_forward, withdraw
from apps.matching.models import Application, Offer
from apps.matching.services import jobs_for_person
from apps.people.tests.factories import EmployerFactory, JobFactory, PersonFactory, seeker

pytestmark = pytest.mark.usefixtures("fresh_matching_index")
TODAY = dt.date.today()


@pytest.fixture
def job(db):
    return JobFactory(
        headcount=1,
        valid_from=TODAY,
        valid_to=TODAY + dt.timedelta(days=30),
        lat=33.262,
        lng=115.371,
    )


@pytest.fixture
def worker(db):
    person = seeker("王焊工", dt.date(1988, 8, 8), wishes=["6-18-02-04"])
    return User.objects.create_user("w", password="x", role="worker", person=person)


@pytest.fixture
def boss(job):
    return User.objects.create_user("e", password="x", role="employer", employer=job.employer)


def test_a_worker_applies_once_and_the_pushed_offer_is_marked(job, worker):
    Offer.objects.create(person=worker.person, job=job, score=0.9)
    first = apply(user=worker, job=job)
    assert (first.stage, first.source) == ("applied", "offer")
    assert apply(user=worker, job=job).pk == first.pk
    assert Application.objects.count() == 1
    assert Offer.objects.get().status == "applied"
    assert AuditEntry.objects.filter(action="apply", object_id=str(first.pk)).count() == 1


def test_nobody_applies_to_a_closed_job_and_only_workers_apply(job, worker, boss):
    job.status = JobStatus.CLOSED
    job.save()
    with pytest.raises(ApplicationError, match="已停止招聘"):
        apply(user=worker, job=job)
    job.status, job.valid_to = JobStatus.OPEN, TODAY - dt.timedelta(days=1)
    job.valid_from = TODAY - dt.timedelta(days=5)
    job.save()
    with pytest.raises(ApplicationError, match="已停止招聘"):
        apply(user=worker, job=job)
    with pytest.raises(ApplicationError, match="劳动者"):
        apply(user=boss, job=job)


def test_an_employer_invites_to_its_own_jobs_only(job, worker, boss):
    application = put_forward(user=boss, job=job, person=worker.person)
    assert (application.stage, application.source) == ("interview", "employer")
    other = JobFactory(employer=EmployerFactory(), valid_from=TODAY)
    with pytest.raises(ApplicationError, match="本单位"):
        put_forward(user=boss, job=other, person=worker.person)
    # an application moves on to the interview
    applied = apply(user=worker, job=JobFactory(employer=job.employer, valid_from=TODAY))
    moved = put_forward(user=boss, job=applied.job, person=worker.person)
    assert moved.pk == applied.pk and moved.stage == "interview" and moved.interview_at


def test_staff_refer_people_of_their_region_only(job, staff):
    clerk = staff("township_staff", "341282001")
    mine = PersonFactory(community_id="341282001002")
    theirs = PersonFactory(community_id="341282002001")
    assert put_forward(user=clerk, job=job, person=mine).source == "staff"
    with pytest.raises(ApplicationError, match="本辖区"):
        put_forward(user=clerk, job=job, person=theirs)


def test_a_hire_that_fills_the_headcount_takes_the_job_out_of_matching(job, worker, boss):
    assert [r.obj.pk for r in jobs_for_person(person=worker.person)] == [job.pk]
    application = apply(user=worker, job=job)
    decide(user=boss, application=application, hired=True)
    application.refresh_from_db()
    job.refresh_from_db()
    assert application.stage == "hired" and application.decided_at is not None
    assert job.status == JobStatus.FILLED
    assert jobs_for_person(person=worker.person) == []
    with pytest.raises(ApplicationError, match="已录用"):
        decide(user=boss, application=application, hired=False)
    with pytest.raises(ApplicationError, match="不能撤回"):
        withdraw(user=worker, application=application)


def test_only_the_employer_or_staff_of_the_region_decide(job, worker, staff):
    application = apply(user=worker, job=job)
    outsider = User.objects.create_user(
        "x", password="x", role="employer", employer=EmployerFactory()
    )
    with pytest.raises(ApplicationError, match="无权"):
        decide(user=outsider, application=application, hired=True)
    with pytest.raises(ApplicationError, match="无权"):
        decide(user=staff("township_staff", "341282002"), application=application, hired=True)
    decide(user=staff("township_staff", "341282001"), application=application, hired=False)
    application.refresh_from_db()
    assert application.stage == "rejected"
    job.refresh_from_db()
    assert job.status == JobStatus.OPEN


def test_a_worker_withdraws_their_own_and_may_apply_again(job, worker):
    application = apply(user=worker, job=job)
    someone = User.objects.create_user(
        "w2", password="x", role="worker", person=PersonFactory(name="别人")
    )
    with pytest.raises(ApplicationError, match="本人"):
        withdraw(user=someone, application=application)
    assert withdraw(user=worker, application=application).stage == "withdrawn"
    assert apply(user=worker, job=job).stage == "applied"
    assert Application.objects.count() == 1


def test_an_employer_reaches_only_people_looking_for_work(job, boss):
    settled = PersonFactory(labour_status="employed")
    with pytest.raises(ApplicationError, match="本市有求职意向"):
        put_forward(user=boss, job=job, person=settled)
    assert not Application.objects.exists()


def test_a_hire_registers_the_employment(job, worker, boss):
    from apps.people.models import Registration

    application = apply(user=worker, job=job)
    decide(user=boss, application=application, hired=True)
    person = worker.person
    person.refresh_from_db()
    registration = Registration.objects.get(person=person)
    assert person.labour_status == "employed"
    assert (registration.kind, registration.employer) == ("employment", job.employer)


def accepts(person, job) -> None:
    """The person accepts the invitation, from their own account."""
    user = User.objects.create_user(f"p{person.pk}", password="x", role="worker", person=person)
    apply(user=user, job=job)


def test_a_hire_the_rules_refuse_to_register_stands_with_a_note(job, boss):
    old = seeker("老张", dt.date(1950, 1, 1), wishes=["6-18-02-04"], seq=555)
    application = put_forward(user=boss, job=job, person=old)
    accepts(old, job)
    decide(user=boss, application=application, hired=True)
    application.refresh_from_db()
    assert application.stage == "hired" and "退休年龄" in application.note
    old.refresh_from_db()
    assert old.labour_status == "unemployed"


def test_an_employer_registers_nobody_but_its_own_hires(job, boss):
    from apps.people.registration import RegistrationError, register

    with pytest.raises(RegistrationError, match="用人单位"):
        register(user=boss, person=PersonFactory(), kind="unemployment", basis="residence")
    with pytest.raises(RegistrationError, match="用人单位"):
        register(user=boss, person=PersonFactory(), kind="employment", employer=EmployerFactory())


def test_an_employer_hires_an_invited_person_only_once_they_accept(job, boss, worker):
    """A hire registers employment (ending unemployment): never on the employer's word
    alone."""
    person = worker.person
    application = put_forward(user=boss, job=job, person=person)
    with pytest.raises(ApplicationError, match="尚未接受面试邀约"):
        decide(user=boss, application=application, hired=True)
    person.refresh_from_db()
    assert person.labour_status == "unemployed"
    accepted = apply(user=worker, job=job)
    assert accepted.pk == application.pk and accepted.stage == "interview"
    assert accepted.confirmed_at is not None
    decide(user=boss, application=accepted, hired=True)
    person.refresh_from_db()
    assert person.labour_status == "employed"


def test_staff_cannot_hire_an_invited_person_who_has_not_accepted(job, boss, worker, staff):
    """Consent does not depend on who clicks 录用."""
    application = put_forward(user=boss, job=job, person=worker.person)
    clerk = staff("county_staff", "341282")
    with pytest.raises(ApplicationError, match="尚未接受面试邀约"):
        decide(user=clerk, application=application, hired=True)
    worker.person.refresh_from_db()
    assert worker.person.labour_status == "unemployed"


def test_staff_refer_only_people_looking_for_work(job, staff):
    employed = PersonFactory(labour_status="employed")
    with pytest.raises(ApplicationError, match="没有求职意向"):
        put_forward(user=staff("county_staff", "341282"), job=job, person=employed)
