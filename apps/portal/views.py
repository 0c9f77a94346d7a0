"""The three ports' pages. Views parse input, call one selector or service, render."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from apps.accounts.downloads import send_export
from apps.accounts.models import Role
from apps.accounts.requests import client_ip
from apps.accounts.scoping import in_scope, region_prefix_q
from apps.employers.models import Employer
from apps.employers.selectors import employer_detail, employer_list, employers_in_scope
from apps.imports.models import ImportJob
from apps.imports.registry import get_spec
from apps.imports.services import ImportRerunError, create_import, enqueue_import, rerun_import
from apps.jobs.models import Job, JobStatus, WelfarePlacement
from apps.jobs.selectors import job_detail, job_list, jobs_in_scope
from apps.jobs.welfare import WelfareError, welfare_year
from apps.jobs.welfare import leave as welfare_leave
from apps.jobs.welfare import place as welfare_place
from apps.jobs.welfare import renew as welfare_renew
from apps.matching.applications import ApplicationError, apply, decide, put_forward, withdraw
from apps.matching.circles import (
    CircleError,
    circle_report,
    outside_workbook,
    report_workbook,
    residents_outside_service,
)
from apps.matching.index import SEEKING_STATUSES
from apps.matching.models import Application, Offer, Push
from apps.matching.push import create_push, run_push
from apps.matching.services import MatchingError, candidates_for_job, jobs_for_person
from apps.matching.tasks import run_push_task
from apps.people.crosscheck import CrossCheckError, run_check
from apps.people.crosscheck import decide as decide_proposal
from apps.people.models import (
    ContributionCheck,
    JobKind,
    KeyGroup,
    LabourStatus,
    Person,
    Registration,
    ZeroEmploymentAlert,
)
from apps.people.registration import RegistrationError, end_registration, register
from apps.people.selectors import (
    household_members,
    people_in_scope,
    person_detail,
    person_list,
    status_counts,
)
from apps.people.services import open_person_file
from apps.policies.selectors import unclaimed
from apps.regions.selectors import city_prefix
from apps.services.exports import ledger_workbook, promise_workbook
from apps.services.models import PlanStep, ServiceKind
from apps.services.selectors import ledger, promise_dashboard, timeline
from apps.services.services import (
    ServiceError,
    add_step,
    complete_step,
    open_plan,
    record_service,
)
from apps.taxonomy.models import Industry
from jiuye.background import run_after_commit
from jiuye.exports import CSV, XLSX, csv_bytes

from .access import back_office, clerk_only, scope_or_refuse
from .forms import (
    ImportForm,
    OnlineUnemploymentForm,
    PushForm,
    RegistrationForm,
    ServiceForm,
)

PAGE_SIZE = 50


def _page(request, qs):
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


@login_required
def home(request):
    user = request.user
    if user.role == Role.WORKER:
        person = user.person
        return render(
            request,
            "portal/worker_home.html",
            {
                "person": person,
                "unclaimed": unclaimed(f"P{person.pk}", person.community_id or "")
                if person
                else [],
            },
        )
    if user.role == Role.EMPLOYER:
        employer = user.employer
        jobs = (
            Job.objects.filter(employer=employer).select_related("occupation") if employer else []
        )
        return render(
            request,
            "portal/employer_home.html",
            {
                "employer": employer,
                "jobs": jobs,
                "unclaimed": unclaimed(f"E{employer.pk}", employer.region_id) if employer else [],
            },
        )
    if not user.is_back_office:
        raise PermissionDenied
    counts = status_counts(user=user)
    return render(
        request,
        "portal/home.html",
        {
            "status_counts": [
                (label, counts.get(value, 0)) for value, label in LabourStatus.choices
            ],
            "people_total": sum(counts.values()),
            "employers_total": employers_in_scope(user).count(),
            "open_jobs": jobs_in_scope(user).filter(status=JobStatus.OPEN).count(),
        },
    )


@back_office
def people(request):
    g = request.GET
    qs = person_list(
        user=request.user,
        q=g.get("q", ""),
        status=g.get("status", ""),
        group=g.get("group", ""),
        community=g.get("community", ""),
    )
    return render(
        request,
        "portal/people/list.html",
        {
            "page": _page(request, qs),
            "statuses": LabourStatus.choices,
            "groups": KeyGroup.choices,
        },
    )


def _render_person(request, pk: int, reveal: bool):
    try:
        person = open_person_file(user=request.user, pk=pk, ip=client_ip(request), reveal=reveal)
    except Person.DoesNotExist:
        raise Http404("没有这个人员,或不在您的管辖区域内") from None
    staff = request.user.is_clerk
    return render(
        request,
        "portal/people/detail.html",
        {
            "person": person,
            "reveal": reveal,
            "members": household_members(user=request.user, person=person),
            "timeline": timeline(person),
            "service_form": ServiceForm() if staff else None,
            "registration_form": RegistrationForm() if staff else None,
            "plan": person.plans.filter(closed_on__isnull=True).prefetch_related("steps").first(),
            "service_kinds": ServiceKind.choices,
            "today": timezone.localdate(),
            "registrations": person.registrations.select_related("employer", "office"),
        },
    )


@back_office
def person_file(request, pk: int):
    return _render_person(request, pk, reveal=False)


@back_office
@require_POST
def person_reveal(request, pk: int):
    return _render_person(request, pk, reveal=True)


def _person_in_scope(request, pk: int) -> Person:
    try:
        return person_detail(user=request.user, pk=pk)
    except Person.DoesNotExist:
        raise Http404("没有这个人员,或不在您的管辖区域内") from None


@back_office
@require_POST
def person_service(request, pk: int):
    """Record a service to a person (guidance, referral, a visit …) from their file."""
    clerk_only(request)
    person = _person_in_scope(request, pk)
    form = ServiceForm(request.POST)
    if form.is_valid():
        try:
            record_service(user=request.user, person=person, **form.cleaned_data)
            messages.success(request, "已登记服务")
        except ServiceError as exc:
            messages.error(request, str(exc))
    else:
        messages.error(request, "服务类型无效")
    return redirect("portal:person", pk=pk)


@back_office
@require_POST
def person_register(request, pk: int):
    """Employment or unemployment registration at the counter, from the person's file."""
    clerk_only(request)
    person = _person_in_scope(request, pk)
    form = RegistrationForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            messages.error(request, f"{form.fields[field].label}:{'；'.join(errors)}")
        return redirect("portal:person", pk=pk)
    data = form.cleaned_data
    try:
        r = register(
            user=request.user,
            person=person,
            kind=data["kind"],
            day=data["day"],
            basis=data["basis"],
            employer=data["employer"],
        )
        messages.success(request, f"已办理{r.get_kind_display()}")
    except RegistrationError as exc:
        messages.error(request, str(exc))
    return redirect("portal:person", pk=pk)


@back_office
@require_POST
def registration_end(request, pk: int):
    clerk_only(request)
    registration = Registration.objects.select_related("person").filter(pk=pk).first()
    if registration is None or not in_scope(request.user, registration.person.community_id):
        raise Http404("没有这条登记,或不在您的管辖区域内")
    try:
        end_registration(
            user=request.user, registration=registration, reason=request.POST.get("reason", "")
        )
        messages.success(request, "已注销登记")
    except RegistrationError as exc:
        messages.error(request, str(exc))
    return redirect("portal:person", pk=registration.person_id)


@login_required
def my_registration(request):
    """Unemployment registration online (网上办理) for the worker themselves."""
    person = request.user.person
    if request.user.role != Role.WORKER or person is None:
        raise PermissionDenied("请使用已关联人员信息的劳动者账号")
    form = OnlineUnemploymentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            register(
                user=request.user,
                person=person,
                kind=Registration.Kind.UNEMPLOYMENT,
                basis=form.cleaned_data["basis"],
                channel=Registration.Channel.ONLINE,
            )
            messages.success(request, "失业登记已办理,可在“为我推荐的岗位”查看适合的岗位")
            return redirect("portal:my_registration")
        except RegistrationError as exc:
            form.add_error(None, str(exc))
    return render(
        request,
        "portal/people/my_registration.html",
        {"form": form, "registrations": person.registrations.select_related("office")},
    )


@back_office
def ledgers(request):
    """Real-name ledgers (实名制台账) of the key groups, by region, status and time unserved."""
    g = request.GET
    group = g.get("group") or KeyGroup.GRADUATE
    if group not in KeyGroup.values:
        raise Http404("未知的重点群体")
    try:
        unserved = int(g["unserved"]) if g.get("unserved") else None
    except ValueError:
        unserved = None
    people = ledger(
        user=request.user,
        group=group,
        status=g.get("status", ""),
        community=g.get("community", ""),
        unserved_days=unserved,
    )
    label = KeyGroup(group).label
    if g.get("format") == "xlsx":
        content = ledger_workbook(f"{label}实名制台账", people)
        return send_export(
            request,
            content=content,
            filename=f"ledger-{group}.xlsx",
            content_type=XLSX,
            resource=f"{label}实名制台账",
            filters={k: g.get(k) for k in ("group", "status", "community", "unserved")},
            rows=len(people),
            person_ids=[p.pk for p in people],
        )
    return render(
        request,
        "portal/services/ledger.html",
        {
            "page": _page(request, people),
            "groups": KeyGroup.choices,
            "statuses": LabourStatus.choices,
            "group": group,
            "label": label,
        },
    )


@back_office
def crosschecks(request):
    """Social-insurance cross-check (社保数据比对): upload a contribution file, then decide
    each proposal."""
    clerk_only(request)
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, "请选择缴费数据文件")
        else:
            import tempfile

            suffix = Path(upload.name).suffix.lower()
            with tempfile.NamedTemporaryFile(suffix=suffix) as tmp:
                for chunk in upload.chunks():
                    tmp.write(chunk)
                tmp.flush()
                try:
                    check = run_check(user=request.user, path=tmp.name, filename=upload.name)
                    return redirect("portal:crosscheck", pk=check.pk)
                except CrossCheckError as exc:
                    messages.error(request, str(exc))
    checks = ContributionCheck.objects.filter(created_by=request.user)
    return render(request, "portal/people/crosschecks.html", {"page": _page(request, checks)})


@back_office
def crosscheck(request, pk: int):
    clerk_only(request)
    check = ContributionCheck.objects.filter(pk=pk, created_by=request.user).first()
    if check is None:
        raise Http404("没有这次比对")
    if request.method == "POST":
        proposal = check.proposals.filter(pk=request.POST.get("proposal")).first()
        if proposal is None:
            raise Http404("没有这条建议")
        try:
            decide_proposal(
                user=request.user, proposal=proposal, confirm=request.POST.get("confirm") == "1"
            )
        except CrossCheckError as exc:
            messages.error(request, str(exc))
        return redirect("portal:crosscheck", pk=pk)
    proposals = check.proposals.select_related("person__community")
    return render(
        request, "portal/people/crosscheck.html", {"check": check, "proposals": proposals}
    )


@back_office
@require_POST
def person_plan(request, pk: int):
    """Open the person's assistance plan (一人一策) or add a step to it."""
    clerk_only(request)
    person = _person_in_scope(request, pk)
    post = request.POST
    try:
        plan = person.plans.filter(closed_on__isnull=True).first()
        if plan is None:
            plan = open_plan(user=request.user, person=person, goal=post.get("goal", ""))
        if post.get("description"):
            try:
                due = dt.date.fromisoformat(post.get("due", ""))
            except ValueError:
                raise ServiceError("计划完成日期格式应为 2026-12-01") from None
            add_step(
                user=request.user,
                plan=plan,
                kind=post.get("kind", ""),
                description=post["description"],
                due=due,
            )
        messages.success(request, "帮扶计划已更新")
    except ServiceError as exc:
        messages.error(request, str(exc))
    return redirect("portal:person", pk=pk)


@back_office
@require_POST
def plan_step_done(request, pk: int):
    clerk_only(request)
    step = PlanStep.objects.select_related("plan__person").filter(pk=pk).first()
    if step is None or not in_scope(request.user, step.plan.person.community_id):
        raise Http404("没有这个步骤")
    try:
        complete_step(user=request.user, step=step, outcome=request.POST.get("outcome", ""))
        messages.success(request, "已完成并记入服务记录")
    except ServiceError as exc:
        messages.error(request, str(exc))
    return redirect("portal:person", pk=step.plan.person_id)


@back_office
def welfare(request):
    """Public-welfare posts (公益性岗位): the year against the plan, who holds a post, place,
    renew, exit."""
    user = request.user
    prefix = scope_or_refuse(request)
    staff = user.is_clerk
    if request.method == "POST":
        clerk_only(request)
        post = request.POST
        try:
            if post.get("action") == "place":
                person = people_in_scope(user).filter(id_number=post.get("id_number", "").upper())
                job = jobs_in_scope(user).filter(pk=post.get("job") or 0).first()
                if not person.exists() or job is None:
                    raise WelfareError("请填写本辖区人员的身份证号并选择岗位")
                welfare_place(user=user, job=job, person=person.get())
                messages.success(request, "已安置")
            else:
                placement = WelfarePlacement.objects.select_related("person", "job").filter(
                    pk=post.get("placement") or 0, person__in=people_in_scope(user)
                )
                placement = placement.first()
                if placement is None:  # none, or not the clerk's: one answer
                    raise WelfareError("没有这条安置记录,或不在您的管辖区域内")
                if post.get("action") == "renew":
                    welfare_renew(user=user, placement=placement)
                    messages.success(request, "已续签")
                else:
                    welfare_leave(user=user, placement=placement, reason=post.get("reason", ""))
                    messages.success(request, "已退出")
        except WelfareError as exc:
            messages.error(request, str(exc))
        return redirect("portal:welfare")
    holding = WelfarePlacement.objects.filter(exited_on__isnull=True).select_related(
        "person__community", "job"
    )
    if prefix:
        holding = holding.filter(region_prefix_q("person__community_id", prefix))
    posts = jobs_in_scope(user).filter(kind=JobKind.PUBLIC_WELFARE, status=JobStatus.OPEN)
    return render(
        request,
        "portal/jobs/welfare.html",
        {
            "year": welfare_year(prefix),
            "page": _page(request, holding.order_by("end", "id")),
            "posts": posts.order_by("title")[:200] if staff else [],
            "soon": timezone.localdate() + dt.timedelta(days=30),
            "staff": staff,
        },
    )


@back_office
def promises(request):
    """The promise dashboard (服务承诺): who is still owed what, where, for how long."""
    prefix = scope_or_refuse(request)
    if request.GET.get("format") == "xlsx":
        board = promise_dashboard(prefix, everyone=True)
        return send_export(
            request,
            content=promise_workbook(board),
            filename="promises.xlsx",
            content_type=XLSX,
            resource="服务承诺待兑现名单",
            filters={"region": prefix},
            rows=len(board.owed),
            person_ids=[o.person_id for o in board.owed],
        )
    try:
        number = max(1, int(request.GET.get("page", 1)))
    except ValueError:
        number = 1
    board = promise_dashboard(prefix, page=number, per_page=PAGE_SIZE)
    page = Paginator(range(board.total_owed), PAGE_SIZE).get_page(number)
    names = dict(
        Person.objects.filter(pk__in=[o.person_id for o in board.owed]).values_list("pk", "name")
    )
    families = ZeroEmploymentAlert.objects.filter(cleared_on__isnull=True).select_related(
        "household", "community"
    )
    if prefix:
        families = families.filter(region_prefix_q("community_id", prefix))
    return render(
        request,
        "portal/services/promises.html",
        {
            "board": board,
            "page": page,
            "names": names,
            "families": families[:50],
            "families_open": families.count(),
            "today": timezone.localdate(),
        },
    )


@back_office
def employers(request):
    g = request.GET
    qs = employer_list(
        user=request.user, q=g.get("q", ""), industry=g.get("industry", ""), flag=g.get("flag", "")
    )
    sections = Industry.objects.filter(section__isnull=True)
    return render(
        request, "portal/employers/list.html", {"page": _page(request, qs), "sections": sections}
    )


@back_office
def employer(request, pk: int):
    try:
        obj = employer_detail(user=request.user, pk=pk)
    except Employer.DoesNotExist:
        raise Http404("没有这个单位,或不在您的管辖区域内") from None
    jobs = job_list(user=request.user, employer=obj.pk)
    return render(request, "portal/employers/detail.html", {"employer": obj, "jobs": jobs})


@back_office
def jobs(request):
    g = request.GET
    qs = job_list(
        user=request.user, q=g.get("q", ""), kind=g.get("kind", ""), status=g.get("status", "")
    )
    return render(
        request,
        "portal/jobs/list.html",
        {
            "page": _page(request, qs),
            "kinds": JobKind.choices,
            "statuses": JobStatus.choices,
        },
    )


@back_office
def job(request, pk: int):
    try:
        obj = job_detail(user=request.user, pk=pk)
    except Job.DoesNotExist:
        raise Http404("没有这个岗位,或不在您的管辖区域内") from None
    return render(request, "portal/jobs/detail.html", {"job": obj})


def _radius(request, person=None) -> tuple[str, float | None]:
    """The distance switch: 3-km circle (三公里就业圈), the worker's own limit, or none."""
    from django.conf import settings

    mode = request.GET.get("within", "")
    if mode == "circle":
        return mode, settings.MATCHING["circle_km"]
    if mode == "own" and person is not None and person.wish_max_distance_km:
        return mode, person.wish_max_distance_km
    if mode == "km":
        try:
            return mode, float(request.GET.get("km", ""))
        except ValueError:
            return mode, -1.0  # reported as a bad radius
    return "", None


@login_required
def my_jobs(request):
    """Jobs for me (为我推荐): the worker's ranked jobs with reasons."""
    person = request.user.person
    if request.user.role != Role.WORKER or person is None:
        raise PermissionDenied("请使用已关联人员信息的劳动者账号")
    mode, radius = _radius(request, person)
    error, ranked = "", []
    try:
        ranked = jobs_for_person(person=person, radius_km=radius)
    except MatchingError as exc:
        error = str(exc)
    return render(
        request,
        "portal/matching/my_jobs.html",
        {
            "person": person,
            "ranked": ranked,
            "mode": mode,
            "error": error,
            "radius": radius,
            "stages": _job_stages(person.pk, (r.obj.pk for r in ranked)),
        },
    )


def _candidates_page(request, job, *, masked: bool):
    mode, radius = _radius(request)
    group = request.GET.get("group", "")
    error, ranked = "", []
    try:
        ranked = candidates_for_job(job=job, user=request.user, group=group, radius_km=radius)
    except MatchingError as exc:
        error = str(exc)
    return render(
        request,
        "portal/matching/candidates.html",
        {
            "job": job,
            "ranked": ranked,
            "mode": mode,
            "error": error,
            "masked": masked,
            "groups": KeyGroup.choices,
            "group": group,
            "stages": _person_stages(job, (r.obj.pk for r in ranked)),
            "may_put_forward": request.user.role != Role.LEADER,
        },
    )


@back_office
def job_candidates(request, pk: int):
    try:
        obj = job_detail(user=request.user, pk=pk)
    except Job.DoesNotExist:
        raise Http404("没有这个岗位,或不在您的管辖区域内") from None
    return _candidates_page(request, obj, masked=False)


@login_required
def my_candidates(request, pk: int):
    """An employer's own posting: candidates from the city, names masked; the public
    employment service makes the introduction."""
    if request.user.role != Role.EMPLOYER or request.user.employer_id is None:
        raise PermissionDenied("仅限用人单位账号")
    obj = Job.objects.filter(pk=pk, employer_id=request.user.employer_id).first()
    if obj is None:
        raise Http404("没有这个岗位")
    return _candidates_page(request, obj, masked=True)


@login_required
def my_offers(request):
    """The worker's inbox of pushed jobs (岗位推送); opening it marks them read."""
    person = request.user.person
    if request.user.role != Role.WORKER or person is None:
        raise PermissionDenied("请使用已关联人员信息的劳动者账号")
    offers = list(Offer.objects.filter(person=person).select_related("job__employer"))
    Offer.objects.filter(person=person, status=Offer.Status.SENT).update(status=Offer.Status.READ)
    return render(request, "portal/matching/my_offers.html", {"offers": offers})


@back_office
def pushes(request):
    clerk_only(request)
    form = PushForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            push = create_push(user=request.user, **form.cleaned_data)
        except MatchingError as exc:
            form.add_error(None, str(exc))
        else:
            run_after_commit(run_push_task, run_push, push.pk)
            return redirect("portal:push", pk=push.pk)
    items = Push.objects.all()
    if request.user.role != Role.ADMIN:
        items = items.filter(created_by=request.user)
    return render(
        request, "portal/matching/pushes.html", {"form": form, "page": _page(request, items)}
    )


def _own_push(request, pk: int) -> Push:
    clerk_only(request)
    return _own(request, Push, pk, "没有这个送岗任务")


@back_office
def push_detail(request, pk: int):
    push = _own_push(request, pk)
    names = dict(
        Person.objects.filter(
            pk__in=[p for p, _ in push.report.get("none_people", [])]
        ).values_list("pk", "name")
    )
    return render(request, "portal/matching/push.html", {"push": push, "names": names})


@back_office
def push_progress(request, pk: int):
    return render(request, "portal/matching/_push_progress.html", {"push": _own_push(request, pk)})


def _own(request, model, pk: int, missing: str):
    """A record the user created (administrators: any), else 404."""
    obj = model.objects.filter(pk=pk).first()
    if obj is None or not (request.user.role == Role.ADMIN or obj.created_by_id == request.user.pk):
        raise Http404(missing)
    return obj


def _own_import(request, pk: int) -> ImportJob:
    return _own(request, ImportJob, pk, "没有这个导入任务")


@back_office
def imports(request):
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = create_import(
            kind=form.cleaned_data["kind"], file=upload, filename=upload.name, user=request.user
        )
        enqueue_import(job)
        return redirect("portal:import", pk=job.pk)
    jobs = ImportJob.objects.all()
    if request.user.role != Role.ADMIN:
        jobs = jobs.filter(created_by=request.user)
    page = _page(request, jobs)
    for job in page:
        job.check_alive()
    return render(request, "portal/imports/list.html", {"form": form, "page": page})


@back_office
def import_detail(request, pk: int):
    job = _own_import(request, pk)
    job.check_alive()
    spec = get_spec(job.kind)
    return render(request, "portal/imports/detail.html", {"job": job, "spec": spec})


@back_office
def import_progress(request, pk: int):
    job = _own_import(request, pk)
    job.check_alive()
    return render(request, "portal/imports/_progress.html", {"job": job})


@back_office
@require_POST
def import_rerun(request, pk: int):
    """Run an interrupted import again, from the same stored file."""
    job = _own_import(request, pk)
    job.check_alive()
    try:
        rerun_import(job, user=request.user)
        messages.success(request, "已重新开始导入")
    except ImportRerunError as exc:
        messages.error(request, str(exc))
    return redirect("portal:import", pk=pk)


@back_office
def import_template(request, kind: str):
    try:
        spec = get_spec(kind)
    except KeyError:
        raise Http404 from None
    header = [f"{c.header}*" if c.required else c.header for c in spec.columns]
    response = HttpResponse(csv_bytes(header, []), content_type=CSV)
    response["Content-Disposition"] = f'attachment; filename="template-{kind}.csv"'
    return response


# --- communities' circles (三公里就业圈, 15分钟服务圈, 充分就业社区) ----------------------------
def _circle_args(request) -> tuple[str | None, str | None]:
    return request.GET.get("radius") or None, request.GET.get("walk") or None


@back_office
def circles(request):
    radius, walk = _circle_args(request)
    shown = {
        "radius": radius or settings.MATCHING["circle_km"],
        "walk": walk or settings.SERVICE_CIRCLE_KM,
    }
    try:
        report = circle_report(scope_or_refuse(request), radius, walk)
    except CircleError as exc:
        return render(
            request, "portal/circles/index.html", {"error": str(exc), **shown}, status=400
        )
    if request.GET.get("format") == "xlsx":
        return send_export(
            request,
            content=report_workbook(report),
            filename="community-circles.xlsx",
            content_type=XLSX,
            resource="社区就业圈与服务圈汇总",
            filters={"radius": radius, "walk": walk},
            rows=len(report.communities),
        )
    located = [c for c in report.communities if c.lat is not None and c.lng is not None]
    return render(
        request,
        "portal/circles/index.html",
        {
            **shown,
            "report": report,
            "map": {
                "tiles": settings.MAP_TILE_URL,
                "radius_m": report.radius_km * 1000,
                "walk_m": report.walk_km * 1000,
                "communities": [
                    {
                        "code": c.code,
                        "name": c.name,
                        "lat": c.lat,
                        "lng": c.lng,
                        "meets": c.meets,
                        "seekers": c.seekers,
                        "openings": c.openings,
                        "outside": c.outside_service,
                    }
                    for c in located
                ],
                "stations": report.stations,
            },
        },
    )


def _community_or_404(request, code: str):
    if not in_scope(request.user, code):
        raise Http404("没有这个社区,或不在您的管辖区域内")
    radius, walk = _circle_args(request)
    try:
        report = circle_report(code, radius, walk)
    except CircleError as exc:
        raise Http404(str(exc)) from None
    if len(code) != 12 or len(report.communities) != 1:
        raise Http404("没有这个社区,或不在您的管辖区域内")
    return report


@back_office
def circle(request, code: str):
    report = _community_or_404(request, code)
    staff = request.user.is_clerk
    outside = None
    if staff:  # names are for the staff who serve them, not for leaders' overviews
        outside = Paginator(
            residents_outside_service(code, code, report.walk_km), PAGE_SIZE
        ).get_page(request.GET.get("page"))
    return render(
        request,
        "portal/circles/community.html",
        {"report": report, "c": report.communities[0], "outside": outside},
    )


@back_office
def circle_outside_export(request, code: str):
    clerk_only(request)
    report = _community_or_404(request, code)
    residents = residents_outside_service(code, code, report.walk_km)
    return send_export(
        request,
        content=outside_workbook(residents, report.walk_km),
        filename=f"outside-service-{code}.xlsx",
        content_type=XLSX,
        resource="服务圈外居民名单",
        filters={"community": code, "walk": report.walk_km},
        rows=len(residents),
        person_ids=[p.pk for p, _ in residents],
    )


# --- applications, interviews, hires -----------------------------------------------------
def _back(request, fallback: str):
    target = request.POST.get("next", "")
    return redirect(target if target.startswith("/") and not target.startswith("//") else fallback)


def _job_stages(person_id: int, job_pks) -> dict[int, str]:
    """job pk → the stage of this person's application to it."""
    rows = Application.objects.filter(person_id=person_id, job_id__in=list(job_pks))
    return {a.job_id: a.get_stage_display() for a in rows}


def _person_stages(job: Job, person_pks) -> dict[int, str]:
    """person pk → the stage of their application to this job."""
    rows = Application.objects.filter(job=job, person_id__in=list(person_pks))
    return {a.person_id: a.get_stage_display() for a in rows}


@login_required
@require_POST
def job_apply(request, pk: int):
    if request.user.role != Role.WORKER or request.user.person_id is None:
        raise PermissionDenied("只有关联了人员档案的劳动者可以申请岗位")
    job = Job.objects.filter(pk=pk).first()
    if job is None:
        raise Http404("没有这个岗位")
    try:
        apply(user=request.user, job=job)
        messages.success(request, f"已申请“{job.title}”,请留意单位的面试邀约")
    except ApplicationError as exc:
        messages.error(request, str(exc))
    return _back(request, "/my/applications/")


@login_required
def my_applications(request):
    if request.user.role != Role.WORKER or request.user.person_id is None:
        raise PermissionDenied("请使用已关联人员信息的劳动者账号")
    items = Application.objects.filter(person_id=request.user.person_id).select_related(
        "job__employer"
    )
    return render(request, "portal/matching/my_applications.html", {"items": items})


def _application_or_404(request, pk: int) -> Application:
    """An application the user may act on: their own (worker), one to their own job
    (employer), one to a job of their region (staff); else 404, as for none at all."""
    user = request.user
    found = Application.objects.select_related("job", "person").filter(pk=pk)
    if user.role == Role.WORKER:
        found = found.filter(person_id=user.person_id or 0)
    elif user.role == Role.EMPLOYER:
        found = found.filter(job__employer_id=user.employer_id or 0)
    else:
        found = found.filter(job__in=jobs_in_scope(user))
    application = found.first()
    if application is None:
        raise Http404("没有这份申请,或不在您的管辖范围内")
    return application


@login_required
@require_POST
def application_withdraw(request, pk: int):
    try:
        withdraw(user=request.user, application=_application_or_404(request, pk))
        messages.success(request, "已撤回申请")
    except ApplicationError as exc:
        messages.error(request, str(exc))
    return _back(request, "/my/applications/")


@login_required
@require_POST
def put_forward_view(request, pk: int, person_pk: int):
    """Only jobs and people the user could have found on their pages: an employer's own
    job and the city's job seekers (its candidates); staff, their region's people and
    their city's jobs. Anything else is 404, as for none at all."""
    user = request.user
    jobs, people = Job.objects.all(), people_in_scope(user)
    if user.role == Role.EMPLOYER:
        jobs = jobs.filter(employer_id=user.employer_id or 0)
        job = jobs.filter(pk=pk).first()
        people = Person.objects.filter(
            region_prefix_q("community_id", city_prefix(job.region_id) if job else "-"),
            Q(labour_status__in=SEEKING_STATUSES) | Q(wish_occupations__isnull=False),
        ).distinct()
    elif user.is_clerk:
        scope = scope_or_refuse(request)
        if scope:
            jobs = jobs.filter(region_prefix_q("region_id", city_prefix(scope)))
    else:
        raise PermissionDenied("无权推荐或邀约")
    job = jobs.filter(pk=pk).first()
    person = people.filter(pk=person_pk).first()
    if job is None or person is None:
        raise Http404("没有这个岗位或人员,或不在您的范围内")
    try:
        put_forward(user=request.user, job=job, person=person)
        messages.success(request, "已邀约面试" if request.user.role == Role.EMPLOYER else "已推荐")
    except ApplicationError as exc:
        messages.error(request, str(exc))
    return _back(request, f"/jobs/{pk}/applications/")


@login_required
def job_applications(request, pk: int):
    """A job's applications: the employer of its own posting, or staff of its region."""
    user = request.user
    if user.role == Role.EMPLOYER:
        job = Job.objects.filter(pk=pk, employer_id=user.employer_id).first()
    elif user.is_back_office and user.role != Role.LEADER:
        job = jobs_in_scope(user).filter(pk=pk).first()
    else:
        raise PermissionDenied("无权查看岗位申请")
    if job is None:
        raise Http404("没有这个岗位,或不在您的管辖区域内")
    items = job.applications.select_related("person__community")
    return render(
        request,
        "portal/matching/job_applications.html",
        {
            "job": job,
            "items": items,
            "masked": user.role == Role.EMPLOYER,
            "hired": items.filter(stage=Application.Stage.HIRED).count(),
        },
    )


@login_required
@require_POST
def application_decide(request, pk: int):
    application = _application_or_404(request, pk)
    hired = request.POST.get("hired") == "1"
    try:
        decide(user=request.user, application=application, hired=hired)
        messages.success(request, "已录用" if hired else "已记录未录用")
    except ApplicationError as exc:
        messages.error(request, str(exc))
    return _back(request, f"/jobs/{application.job_id}/applications/")
