"""Entrepreneurship pages: staff register startups and their loans, incubators and the
mentor pool; a founder sees their own startups and loans and asks for a mentor."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from apps.accounts.models import Role
from apps.accounts.permissions import change_refusal
from apps.accounts.scoping import scope_queryset
from apps.employers.selectors import employers_in_scope
from apps.people.selectors import people_in_scope
from apps.policies.models import SubsidyApplication
from apps.portal.access import back_office, clerk_only, scope_or_refuse
from apps.portal.inputs import date_field, int_field
from apps.portal.pages import paginate
from apps.regions.models import Region, RegionLevel
from apps.taxonomy.models import Industry
from jiuye.identifiers import mask_name, validate_mobile

from .models import GuaranteeLoan, Incubator, Mentor, MentorRequest, Project, Startup, Tenancy
from .selectors import incubators_in_scope, loan_totals, loans_in_scope, startups_in_scope
from .services import (
    StartupError,
    add_project,
    admit,
    ask_mentor,
    assign,
    close_request,
    interest_subsidy,
    issue_loan,
    jobs_created,
    leave,
    projects_for,
    register_startup,
    settle_loan,
    show_interest,
    suggest_mentors,
)


def _date(value, field: str) -> dt.date:
    return date_field(value, field, StartupError)


def _int(value, field: str) -> int:
    return int_field(value, field, StartupError)


@back_office
def startups(request):
    scope_or_refuse(request)
    if request.method == "POST":
        clerk_only(request)
        post = request.POST
        try:
            employer = (
                employers_in_scope(request.user)
                .filter(credit_code=post.get("credit_code", "").strip().upper())
                .first()
            )
            if employer is None:
                raise StartupError("统一社会信用代码:本辖区没有这家单位,请先登记用人单位")
            founder = (
                people_in_scope(request.user)
                .filter(id_number=post.get("id_number", "").strip().upper())
                .first()
            )
            if founder is None:
                raise StartupError("创办人公民身份号码:本辖区没有这个人员")
            startup = register_startup(
                user=request.user,
                employer=employer,
                founder=founder,
                origin=post.get("origin", ""),
                founded_on=_date(post.get("founded_on", ""), "成立日期"),
            )
        except StartupError as e:
            messages.error(request, str(e))
            return _startups_page(request, status=400)
        messages.success(request, f"已登记创业主体{startup}")
        return redirect("startups:startup", pk=startup.pk)
    return _startups_page(request)


def _startups_page(request, status: int = 200):
    qs = startups_in_scope(request.user).order_by("-founded_on", "-pk")
    origin = request.GET.get("origin", "")
    if origin in Startup.Origin.values:
        qs = qs.filter(origin=origin)
    return render(
        request,
        "startups/startups.html",
        {
            "page": paginate(request, qs),
            "origins": Startup.Origin.choices,
            "masked": request.user.role == Role.LEADER,
            "form": request.POST if request.method == "POST" else {},
        },
        status=status,
    )


def _startup_or_404(request, pk: int) -> Startup:
    found = startups_in_scope(request.user).filter(pk=pk).first()
    if found is None:
        raise Http404("没有这个创业主体,或不在您的管辖区域内")
    return found


@back_office
def startup(request, pk: int):
    s = _startup_or_404(request, pk)
    if request.method == "POST":
        clerk_only(request)
        try:
            _startup_action(request, s)
        except StartupError as e:
            messages.error(request, str(e))
        return redirect("startups:startup", pk=pk)
    requests = list(s.requests.select_related("mentor"))
    return render(
        request,
        "startups/startup.html",
        {
            "s": s,
            "founder_name": mask_name(s.founder.name)
            if request.user.role == Role.LEADER
            else s.founder.name,
            "jobs": jobs_created(s),
            "loans": [(loan, interest_subsidy(loan)) for loan in s.loans.order_by("-issued_on")],
            "tenancies": s.tenancies.select_related("incubator").order_by("-start"),
            "subsidies": SubsidyApplication.objects.filter(
                policy="startup_subsidy", person_id=s.founder_id
            ),
            "requests": [(r, suggest_mentors(r) if r.status == "open" else []) for r in requests],
            "incubators": incubators_in_scope(request.user).order_by("name"),
            "may_change": change_refusal(request.user, stored=s.employer.region_id) is None,
            "today": timezone.localdate(),
        },
    )


def _startup_action(request, s: Startup) -> None:
    post, user = request.POST, request.user
    action = post.get("action", "")
    if action == "loan":
        issue_loan(
            user=user,
            borrower=s.founder,
            startup=s,
            bank=post.get("bank", ""),
            amount=post.get("amount", ""),
            term_months=_int(post.get("term_months"), "贷款期限"),
            rate=post.get("rate", ""),
            subsidised_share=post.get("subsidised_share", ""),
            issued_on=_date(post.get("issued_on", ""), "放款日期"),
        )
        messages.success(request, "已登记贷款")
    elif action in ("repaid", "overdue"):
        loan = s.loans.filter(pk=_int(post.get("loan"), "贷款")).first()
        if loan is None:
            raise StartupError("没有这笔贷款")
        settle_loan(user=user, loan=loan, status=action, day=_date(post.get("day", ""), "日期"))
        messages.success(request, "已登记")
    elif action == "admit":
        incubator = (
            incubators_in_scope(user).filter(pk=_int(post.get("incubator"), "孵化基地")).first()
        )
        if incubator is None:
            raise StartupError("孵化基地:请选择本辖区的孵化基地")
        admit(
            user=user,
            incubator=incubator,
            startup=s,
            start=_date(post.get("start", ""), "入驻日期"),
        )
        messages.success(request, f"已入驻{incubator}")
    elif action == "leave":
        tenancy = s.tenancies.filter(pk=_int(post.get("tenancy"), "入驻记录")).first()
        if tenancy is None:
            raise StartupError("没有这条入驻记录")
        leave(user=user, tenancy=tenancy, end=_date(post.get("end", ""), "出孵日期"))
        messages.success(request, "已出孵")
    elif action == "ask":
        ask_mentor(user=user, startup=s, topic=post.get("topic", ""))
        messages.success(request, "已提出需求")
    elif action == "assign":
        req = s.requests.filter(pk=_int(post.get("request"), "需求")).first()
        mentor = Mentor.objects.filter(pk=_int(post.get("mentor"), "导师")).first()
        if req is None or mentor is None:
            raise StartupError("没有这条需求或这位导师")
        assign(user=user, request=req, mentor=mentor)
        messages.success(request, f"已指派导师{mentor}")
    elif action == "close":
        req = s.requests.filter(pk=_int(post.get("request"), "需求")).first()
        if req is None:
            raise StartupError("没有这条需求")
        close_request(user=user, request=req, outcome=post.get("outcome", ""))
        messages.success(request, "已办结")
    else:
        raise StartupError("未知的操作")


@back_office
def loans(request):
    scope_or_refuse(request)
    qs = loans_in_scope(request.user)
    status = request.GET.get("status", "")
    if status in GuaranteeLoan.Status.values:
        qs = qs.filter(status=status)
    return render(
        request,
        "startups/loans.html",
        {
            "page": paginate(request, qs.order_by("-issued_on", "-pk")),
            "totals": loan_totals(qs),
            "statuses": GuaranteeLoan.Status.choices,
            "masked": request.user.role == Role.LEADER,
        },
    )


@back_office
def incubators(request):
    prefix = scope_or_refuse(request)
    if request.method == "POST":
        clerk_only(request)
        try:
            community = Region.objects.filter(
                code=request.POST.get("community", "").strip(), level=RegionLevel.COMMUNITY
            ).first()
            if community is None or not community.code.startswith(prefix):
                raise StartupError("所在社区(村):请填写本辖区的社区(村)代码")
            level = request.POST.get("level", "")
            if level not in Incubator.Level.values:
                raise StartupError("级别:请选择")
            capacity = _int(request.POST.get("capacity"), "可入驻主体数")
            if not 0 < capacity <= 10000:
                raise StartupError("可入驻主体数:须在1–10000之间")
            name = request.POST.get("name", "").strip()
            if not name:
                raise StartupError("名称:请填写")
            Incubator.objects.create(
                name=name[:128],
                level=level,
                community=community,
                address=request.POST.get("address", "").strip()[:255],
                capacity=capacity,
            )
            messages.success(request, f"已登记{name}")
        except StartupError as e:
            messages.error(request, str(e))
        return redirect("startups:incubators")
    return render(
        request,
        "startups/incubators.html",
        {
            "page": paginate(request, incubators_in_scope(request.user).order_by("name")),
            "levels": Incubator.Level.choices,
            "tenants": Tenancy.objects.filter(
                end__isnull=True, incubator__in=incubators_in_scope(request.user)
            ).select_related("startup__employer", "incubator"),
        },
    )


@back_office
def mentors(request):
    """The mentor pool, shared across regions (000: 共享创业导师库), and its open requests."""
    scope_or_refuse(request)
    if request.method == "POST":
        clerk_only(request)
        try:
            name = request.POST.get("name", "").strip()
            expertise = request.POST.get("expertise", "").strip()
            if not name or not expertise:
                raise StartupError("姓名和擅长领域:请填写")
            phone = request.POST.get("phone", "").strip()
            if phone:
                try:
                    phone = validate_mobile(phone)
                except ValueError as e:
                    raise StartupError(f"电话:{e}") from None
            region = request.user.scope_region or Region.objects.filter(level=1).first()
            mentor = Mentor.objects.create(
                name=name[:64],
                expertise=expertise[:255],
                organisation=request.POST.get("organisation", "").strip()[:128],
                phone=phone,
                region=region,
            )
            mentor.industries.set(
                Industry.objects.filter(code__in=request.POST.getlist("industries"))
            )
            messages.success(request, f"已入库导师{mentor}")
        except StartupError as e:
            messages.error(request, str(e))
        return redirect("startups:mentors")
    return render(
        request,
        "startups/mentors.html",
        {
            "page": paginate(
                request,
                Mentor.objects.filter(active=True).prefetch_related("industries").order_by("name"),
            ),
            "sections": Industry.objects.filter(section__isnull=True).order_by("code"),
            "open": MentorRequest.objects.filter(
                status="open", startup__in=startups_in_scope(request.user)
            ).select_related("startup__employer"),
            "show_phone": request.user.is_clerk,
        },
    )


@login_required
def mine(request):
    """A founder's own startups and loans; asking the mentor pool for help."""
    person = request.user.person if request.user.role == Role.WORKER else None
    if person is None:
        raise PermissionDenied("仅限劳动者本人")
    own = list(Startup.objects.filter(founder=person).select_related("employer"))
    if request.method == "POST":
        chosen = next((s for s in own if str(s.pk) == request.POST.get("startup")), None)
        if chosen is None:
            raise Http404("没有这个创业主体")
        try:
            ask_mentor(user=request.user, startup=chosen, topic=request.POST.get("topic", ""))
            messages.success(request, "已提出需求,导师指派后会通知您")
        except StartupError as e:
            messages.error(request, str(e))
        return redirect("startups:mine")
    return render(
        request,
        "startups/mine.html",
        {
            "startups": [(s, jobs_created(s), s.requests.select_related("mentor")) for s in own],
            "loans": [(loan, interest_subsidy(loan)) for loan in person.startup_loans.all()],
        },
    )


def projects(request):
    """The project pool (创业项目库): anyone browses it; a worker registers interest; staff
    add projects and see who is interested in their region's."""
    user = request.user
    person = user.person if user.is_authenticated and user.role == Role.WORKER else None
    clerk = user.is_authenticated and user.is_clerk
    if request.method == "POST":
        if not user.is_authenticated:
            return redirect(f"/accounts/login/?next={request.path}")
        try:
            if request.POST.get("action") == "interest":
                if person is None:
                    raise StartupError("请以劳动者账号登录后登记意向")
                project = Project.objects.filter(
                    pk=_int(request.POST.get("project"), "项目"), active=True
                ).first()
                if project is None:
                    raise StartupError("没有这个项目")
                show_interest(user=user, project=project)
                messages.success(request, f"已登记对“{project}”的意向,工作人员会与您联系")
            elif clerk and request.POST.get("action") == "add":
                region = (
                    scope_queryset(Region.objects.all(), user, "code")
                    .filter(code=request.POST.get("region", "").strip())
                    .first()
                )
                if region is None:
                    raise StartupError("适合区域:请填写本辖区的区划代码")
                industry = Industry.objects.filter(code=request.POST.get("industry", "")).first()
                if industry is None:
                    raise StartupError("行业:请选择")
                add_project(
                    user=user,
                    title=request.POST.get("title", ""),
                    industry=industry,
                    region=region,
                    summary=request.POST.get("summary", ""),
                    investment=_int(request.POST.get("investment"), "参考投资额"),
                    jobs=_int(request.POST.get("jobs") or 1, "可带动就业"),
                    source=request.POST.get("source", ""),
                )
                messages.success(request, "已入库")
            elif clerk:
                raise StartupError("未知的操作")
            else:
                raise PermissionDenied("仅限经办人员")
        except StartupError as e:
            messages.error(request, str(e))
        return redirect("startups:projects")
    interested = set()
    if person:
        interested = set(person.project_interests.values_list("project_id", flat=True))
    interests = []
    if clerk:
        from .models import ProjectInterest

        interests = scope_queryset(
            ProjectInterest.objects.select_related("project", "person"),
            user,
            "person__community_id",
        ).order_by("-at")[:50]
    prefix = user.scope_region.code if clerk and user.scope_region_id else ""
    return render(
        request,
        "startups/projects.html",
        {
            "projects": projects_for(person, prefix)[:100],
            "interested": interested,
            "person": person,
            "clerk": clerk,
            "interests": interests,
            "sections": Industry.objects.filter(section__isnull=True).order_by("code"),
            "region_code": prefix,
        },
    )
