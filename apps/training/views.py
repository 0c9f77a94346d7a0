"""Training pages. Workers: the courses that suit them, a course's page (enrol, with a
voucher), their lifelong record and certificates. Institutions (their employer accounts)
and staff: institutions on record, opening classes, the roster (enrol by ID, attendance,
completion), vouchers, training demand. Anyone: a certificate's verification and the
bureau's public key."""

from __future__ import annotations

import datetime as dt
import io

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from apps.accounts.models import Role
from apps.accounts.permissions import change_refusal, is_owner
from apps.accounts.requests import client_ip
from apps.accounts.scoping import in_scope, region_prefix_q, scope_queryset
from apps.employers.models import Employer
from apps.employers.selectors import employers_in_scope
from apps.people.models import Certificate, KeyGroup, Person
from apps.people.selectors import people_in_scope
from apps.people.services import open_person_file
from apps.portal.access import back_office, clerk_only, region_asked, scope_or_refuse
from apps.portal.inputs import date_field, int_field
from apps.portal.pages import paginate
from apps.regions.models import Region, RegionLevel
from apps.taxonomy.models import SkillLevel
from jiuye.identifiers import mask_name

from . import signing
from .models import Attendance, Course, Enrolment, Institution, Voucher
from .selectors import (
    courses_for,
    courses_in_scope,
    institutions_in_scope,
    live_voucher,
    open_courses,
    training_demand,
    training_record,
    with_places,
)
from .services import (
    TrainingError,
    add_institution,
    complete,
    create_course,
    enrol,
    issue_vouchers,
    record_attendance,
    runs,
    withdraw,
)


def _date(value, field: str) -> dt.date:
    return date_field(value, field, TrainingError)


def _int(value, field: str) -> int:
    return int_field(value, field, TrainingError)


def _is_institution(user) -> bool:
    return (
        user.is_authenticated
        and user.role == Role.EMPLOYER
        and Institution.objects.filter(employer_id=user.employer_id).exists()
    )


# --- workers ------------------------------------------------------------------------------
def courses(request):
    """Open classes: ranked for the signed-in worker (their wishes, shortages near them,
    distance), by start date for everyone else."""
    today = timezone.localdate()
    person = request.user.person if request.user.is_authenticated else None
    if person is not None:
        suggestions = courses_for(person, today)
        rows = [(s.course, s.reasons) for s in suggestions]
    else:
        rows = [(c, []) for c in with_places(open_courses(today)).order_by("start", "pk")[:60]]
    return render(
        request,
        "training/courses.html",
        {
            "rows": rows,
            "person": person,
            "voucher": live_voucher(person, today) if person else None,
        },
    )


def course(request, pk: int):
    """A class's page: what, where, when, places left; a worker enrols here."""
    person = request.user.person if request.user.is_authenticated else None
    if request.method == "POST" and person is None:
        raise PermissionDenied("请以劳动者账号登录后报名")
    found = with_places(
        Course.objects.select_related("institution__employer", "occupation", "community")
    )
    course = found.filter(pk=pk).first()
    if course is None or (
        course.status == Course.Status.CANCELLED and not _may_manage(request.user, course)
    ):
        raise Http404("没有这个培训班")
    if request.method == "POST":
        try:
            enrol(
                user=request.user,
                course=course,
                person=person,
                voucher_code=request.POST.get("voucher", ""),
            )
            messages.success(request, f"已报名{course}")
        except TrainingError as e:
            messages.error(request, str(e))
        return redirect("training:course", pk=pk)
    mine = (
        Enrolment.objects.filter(course=course, person=person, status__in=Enrolment.LIVE).first()
        if person
        else None
    )
    labels = dict(KeyGroup.choices)
    return render(
        request,
        "training/course.html",
        {
            "course": course,
            "groups": [labels.get(g, g) for g in course.groups],
            "mine": mine,
            "person": person,
            "voucher": live_voucher(person, timezone.localdate()) if person else None,
            "may_manage": _may_manage(request.user, course),
        },
    )


@login_required
@require_POST
def withdraw_enrolment(request, pk: int):
    enrolment = (
        Enrolment.objects.select_related("course__institution", "person").filter(pk=pk).first()
    )
    if enrolment is None or not (
        is_owner(request.user, person_id=enrolment.person_id)
        or _may_manage(request.user, enrolment.course)
        or change_refusal(request.user, stored=enrolment.person.community_id) is None
    ):
        raise Http404("没有这条报名记录")
    try:
        withdraw(user=request.user, enrolment=enrolment)
        messages.success(request, "已退出该培训班")
    except TrainingError as e:
        messages.error(request, str(e))
    return redirect("training:course", pk=enrolment.course_id)


@login_required
def my_record(request):
    """The worker's own lifelong training record (终身职业技能培训电子档案)."""
    person = request.user.person
    if person is None:
        raise PermissionDenied("您的账号尚未关联人员信息")
    return render(
        request,
        "training/record.html",
        {"record": training_record(person), "own": True, "today": timezone.localdate()},
    )


@back_office
def person_record(request, pk: int):
    """A person's training record for staff of their region (logged as a view of the file)."""
    try:
        person = open_person_file(user=request.user, pk=pk, ip=client_ip(request))
    except Person.DoesNotExist:
        raise Http404("没有这个人员,或不在您的管辖区域内") from None
    return render(
        request,
        "training/record.html",
        {"record": training_record(person), "own": False, "today": timezone.localdate()},
    )


# --- certificates -------------------------------------------------------------------------
def _certificate_or_404(request, pk: int) -> Certificate:
    cert = Certificate.objects.select_related("person", "occupation").filter(pk=pk).first()
    user = request.user
    if cert is None or not (
        is_owner(user, person_id=cert.person_id)
        or (
            user.is_authenticated
            and user.is_back_office
            and in_scope(user, cert.person.community_id or "")
        )
    ):
        raise Http404("没有这张证书")
    return cert


@login_required
def certificate(request, pk: int):
    cert = _certificate_or_404(request, pk)
    token = signing.token_of(cert) if signing.signable(cert) else ""
    return render(
        request,
        "training/certificate.html",
        {
            "cert": cert,
            "token": token,
            "facts": signing.verify(token) if token else signing.facts_of(cert),
        },
    )


@login_required
def certificate_qr(request, pk: int):
    cert = _certificate_or_404(request, pk)
    if not signing.signable(cert):
        raise Http404("该证书没有核验码")
    url = request.build_absolute_uri(reverse("training:verify")) + "?c=" + signing.token_of(cert)
    out = io.BytesIO()
    segno.make(url, error="m").save(out, kind="svg", scale=4, title="证书核验二维码")
    return HttpResponse(out.getvalue(), content_type="image/svg+xml")


def verify(request):
    """Check a certificate's code against the bureau's key (no lookup needed); say also
    whether the number is on the platform's record."""
    token = request.GET.get("c", "").strip()
    facts = error = None
    on_record = False
    if token:
        try:
            facts = signing.verify(token[:4000])
            number = facts.get("no") or ""
            on_record = bool(number) and Certificate.objects.filter(number=number).exists()
        except signing.VerificationError as e:
            error = str(e)
    return render(
        request,
        "training/verify.html",
        {
            "token": token,
            "facts": facts,
            "error": error,
            "on_record": on_record,
            "kid": signing.key_id(),
        },
    )


def public_key(request):
    response = HttpResponse(signing.public_key_pem(), content_type="application/x-pem-file")
    response["Content-Disposition"] = (
        f'attachment; filename="jiuye-certificates-{signing.key_id()}.pem"'
    )
    return response


# --- institutions and classes -------------------------------------------------------------
def _may_manage(user, course: Course) -> bool:
    return user.is_authenticated and runs(user, course.institution)


def _institution_or_404(request, pk: int) -> Institution:
    found = institutions_in_scope(request.user).filter(pk=pk).first()
    if found is None:
        raise Http404("没有这家培训机构,或不在您的管辖区域内")
    return found


def _manager(view):
    """Back office, or an institution's own account."""

    @login_required
    def wrapper(request, *args, **kwargs):
        if not (request.user.is_back_office or _is_institution(request.user)):
            raise PermissionDenied("仅限经办人员和培训机构")
        return view(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


@_manager
def manage(request):
    """The classes a member of staff or an institution runs or oversees."""
    if request.user.is_back_office:
        scope_or_refuse(request)
    qs = with_places(courses_in_scope(request.user)).order_by("-start", "-pk")
    status, today = request.GET.get("status", ""), timezone.localdate()
    if status == "ended":
        qs = qs.filter(end__lt=today)
    elif status == Course.Status.OPEN:
        qs = qs.filter(status=status, end__gte=today)
    elif status in Course.Status.values:
        qs = qs.filter(status=status)
    return render(
        request,
        "training/manage.html",
        {
            "page": paginate(request, qs),
            "statuses": Course.Status.choices,
            "institutions": institutions_in_scope(request.user)[:50],
        },
    )


@back_office
def institutions(request):
    prefix = scope_or_refuse(request)
    if request.method == "POST":
        clerk_only(request)
        try:
            employer = (
                employers_in_scope(request.user)
                .filter(credit_code=request.POST.get("credit_code", "").strip().upper())
                .first()
            )
            if employer is None:
                raise TrainingError("统一社会信用代码:本辖区没有这家单位,请先登记用人单位")
            approvals = []
            for n, line in enumerate(request.POST.get("approvals", "").splitlines(), start=1):
                if not line.strip():
                    continue
                code, _, level = line.replace(",", " ").replace(",", " ").partition(" ")
                approvals.append((code.strip(), _int(level or 0, f"核准职业第{n}行的等级")))
            institution = add_institution(
                user=request.user,
                employer=employer,
                kind=request.POST.get("kind", ""),
                may_evaluate=request.POST.get("may_evaluate") == "1",
                approved_on=_date(request.POST.get("approved_on", ""), "备案日期"),
                approvals=approvals,
                address=request.POST.get("address", ""),
            )
        except TrainingError as e:
            messages.error(request, str(e))
            return render(
                request,
                "training/institutions.html",
                _institutions_context(request, prefix),
                status=400,
            )
        messages.success(request, f"{institution}已备案")
        return redirect("training:institution", pk=institution.pk)
    return render(request, "training/institutions.html", _institutions_context(request, prefix))


def _institutions_context(request, prefix: str) -> dict:
    return {
        "page": paginate(request, institutions_in_scope(request.user).order_by("employer__name")),
        "kinds": Institution.Kind.choices,
        "levels": SkillLevel.choices,
        "may_add": request.user.is_clerk,
        "form": request.POST if request.method == "POST" else {},
    }


@_manager
def institution(request, pk: int):
    """An institution's approvals and classes; opening a class."""
    inst = _institution_or_404(request, pk)
    may_run = runs(request.user, inst)
    if request.method == "POST":
        if not may_run:
            raise PermissionDenied("只有该培训机构或其所在地经办人员可以开班")
        try:
            course = create_course(
                user=request.user, institution=inst, **_course_fields(request, inst)
            )
        except TrainingError as e:
            messages.error(request, str(e))
            return render(
                request,
                "training/institution.html",
                _institution_context(request, inst, may_run),
                status=400,
            )
        messages.success(request, f"已开设{course}")
        return redirect("training:roster", pk=course.pk)
    return render(
        request, "training/institution.html", _institution_context(request, inst, may_run)
    )


def _course_fields(request, inst: Institution) -> dict:
    post = request.POST
    kind = post.get("kind", "")
    approval = None
    if kind != Course.Kind.STARTUP:
        approval = (
            inst.approvals.select_related("occupation")
            .filter(pk=_int(post.get("approval") or 0, "培训职业"))
            .first()
        )
        if approval is None:
            raise TrainingError("培训职业:请选择本机构核准的职业")
    community = Region.objects.filter(
        code=post.get("community", ""), level=RegionLevel.COMMUNITY
    ).first()
    if community is None:
        raise TrainingError("培训地点:请选择社区(村)")
    employer = None
    if post.get("employer_code"):
        employer = Employer.objects.filter(
            credit_code=post["employer_code"].strip().upper()
        ).first()
        if employer is None:
            raise TrainingError("订单单位:平台上没有这个统一社会信用代码的单位")
    return {
        "title": post.get("title", ""),
        "kind": kind,
        "mode": post.get("mode") or Course.Mode.OPEN,
        "occupation": approval.occupation if approval else None,
        "level": post.get("level") if kind != Course.Kind.STARTUP else None,
        "employer": employer,
        "start": _date(post.get("start", ""), "开班日期"),
        "end": _date(post.get("end", ""), "结业日期"),
        "hours": _int(post.get("hours") or 0, "课时"),
        "community": community,
        "address": post.get("address", ""),
        "capacity": _int(post.get("capacity") or 0, "招生人数"),
        "subsidised": post.get("subsidised") == "1",
        "groups": post.getlist("groups"),
    }


def _institution_context(request, inst: Institution, may_run: bool) -> dict:
    return {
        "inst": inst,
        "approvals": inst.approvals.select_related("occupation").order_by("occupation_id"),
        "courses": with_places(inst.courses.select_related("occupation", "community")).order_by(
            "-start"
        )[:100],
        "may_run": may_run,
        "kinds": Course.Kind.choices,
        "modes": Course.Mode.choices,
        "levels": SkillLevel.choices,
        "groups": KeyGroup.choices,
        "communities": Region.objects.filter(
            region_prefix_q("code", inst.region_code[:6]), level=RegionLevel.COMMUNITY
        )
        .order_by("code")
        .values_list("code", "name"),
        "form": request.POST if request.method == "POST" else {},
        "form_groups": request.POST.getlist("groups") if request.method == "POST" else [],
    }


@_manager
def roster(request, pk: int):
    """A class's roster: enrol a person by ID (staff), the day's attendance, completion."""
    course = courses_in_scope(request.user).filter(pk=pk).first()
    if course is None:
        raise Http404("没有这个培训班,或不在您的管辖区域内")
    may_run = runs(request.user, course.institution)
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            answer = _roster_action(request, course, action, may_run)
        except TrainingError as e:
            messages.error(request, str(e))
            answer = None
        return answer or redirect("training:roster", pk=pk)
    today = timezone.localdate()
    try:
        day = dt.date.fromisoformat(request.GET.get("day", "")) if request.GET.get("day") else None
    except ValueError:
        day = None
    day = day or min(max(today, course.start), course.end)
    enrolments = list(
        course.enrolments.select_related("person", "voucher", "evaluation__certificate")
        .annotate(
            days=Count("attendance"),
            present_days=Count("attendance", filter=Q(attendance__present=True)),
        )
        .order_by("status", "person__name")
    )
    # the day's register as recorded (a day not yet recorded starts with everyone present)
    recorded = dict(
        Attendance.objects.filter(enrolment__course=course, day=day).values_list(
            "enrolment_id", "present"
        )
    )
    for e in enrolments:
        # the class's own institution and staff of the person's region see the name; a
        # leader, or staff overseeing a class that takes people of other regions, do not
        e.shown_name = (
            e.person.name
            if is_owner(request.user, employer_id=course.institution.employer_id)
            or (
                request.user.role != Role.LEADER
                and in_scope(request.user, e.person.community_id or "")
            )
            else mask_name(e.person.name)
        )
        e.present_on_day = recorded.get(e.pk, True)
    return render(
        request,
        "training/roster.html",
        {
            "course": course,
            "enrolments": enrolments,
            "live": sum(1 for e in enrolments if e.status in Enrolment.LIVE),
            "may_run": may_run,
            "may_enrol": request.user.is_clerk,
            "today": today,
            "day": day,
            "day_recorded": bool(recorded),
        },
    )


def _roster_action(request, course: Course, action: str, may_run: bool) -> None:
    post = request.POST
    if action == "enrol":
        person = (
            people_in_scope(request.user)
            .filter(id_number=post.get("id_number", "").strip().upper())
            .first()
        )
        if person is None:
            raise TrainingError("公民身份号码:本辖区没有这个人员")
        enrol(user=request.user, course=course, person=person, voucher_code=post.get("voucher", ""))
        messages.success(request, f"已为{person.name}报名")
        return
    if not may_run:
        raise PermissionDenied("只有该培训机构或其所在地经办人员可以登记考勤和结业")
    if action == "attendance":
        ids = {_int(v, "学员") for v in post.getlist("present")}
        everyone = set(
            course.enrolments.filter(status=Enrolment.Status.ENROLLED).values_list(
                "person_id", flat=True
            )
        )
        n = record_attendance(
            user=request.user,
            course=course,
            day=_date(post.get("day", ""), "日期"),
            present=ids,
            absent=everyone - ids,
        )
        messages.success(request, f"已登记{n}人的考勤")
        return redirect(f"{reverse('training:roster', args=[course.pk])}?day={post.get('day')}")
    elif action in ("pass", "fail"):
        enrolment = course.enrolments.filter(pk=_int(post.get("enrolment"), "报名")).first()
        if enrolment is None:
            raise TrainingError("该学员不在本班")
        done = complete(
            user=request.user,
            enrolment=enrolment,
            passed=action == "pass",
            day=_date(post.get("day", ""), "结业日期"),
            note=post.get("note", ""),
        )
        text = f"{enrolment.person.name}:{enrolment.get_status_display()}"
        if done.certificate:
            text += f",已颁发证书{done.certificate.number}"
        if done.subsidy_note:
            text += f";{done.subsidy_note}"
        messages.success(request, text)
    else:
        raise TrainingError("未知的操作")


@back_office
def vouchers(request):
    """Vouchers of the region; a county's staff issue the year's vouchers by rule."""
    prefix = scope_or_refuse(request)
    today = timezone.localdate()
    if request.method == "POST":
        clerk_only(request)
        try:
            n = issue_vouchers(
                user=request.user,
                region_prefix=request.POST.get("region", prefix).strip(),
                year=_int(request.POST.get("year") or today.year, "年度"),
            )
            messages.success(request, f"已发放{n}张培训券")
        except TrainingError as e:
            messages.error(request, str(e))
        return redirect("training:vouchers")
    qs = scope_queryset(
        Voucher.objects.select_related("person", "enrolment__course"),
        request.user,
        "person__community_id",
    )
    state = request.GET.get("state", "")
    if state == "issued":
        qs = qs.filter(status=Voucher.Status.ISSUED, expires_on__gte=today)
    elif state == "redeemed":
        qs = qs.filter(status=Voucher.Status.REDEEMED)
    elif state == "expired":
        qs = qs.filter(status=Voucher.Status.ISSUED, expires_on__lt=today)
    return render(
        request,
        "training/vouchers.html",
        {
            "page": paginate(request, qs.order_by("-issued_on", "-pk")),
            "today": today,
            "prefix": prefix,
            "masked": request.user.role == Role.LEADER,
        },
    )


@back_office
def demand(request):
    """Training demand: shortage occupations beside the places in open classes, and the
    training counts against the plan's targets."""
    prefix = scope_or_refuse(request)
    region = region_asked(request, prefix)
    today = timezone.localdate()
    from apps.indicators.targets import evaluate_all, targets_for

    codes = {
        "trainings",
        "subsidised_trainings",
        "migrant_trainings",
        "startup_trainings",
        "certificates_issued",
        "high_skill_certificates",
    }
    own = region.scope_prefix
    pairs = [(t, p) for t, p in targets_for(own) if t.indicator in codes]
    progress = evaluate_all(pairs, today, today.year)  # only the training targets counted
    return render(
        request,
        "training/demand.html",
        {
            "region": region,
            "rows": training_demand(own, today)[:40],
            "progress": progress,
            "today": today,
        },
    )
