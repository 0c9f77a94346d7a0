"""Labour cooperation and labour brand pages, for staff (leaders read, names masked)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from apps.accounts.models import Role
from apps.employers.selectors import employers_in_scope
from apps.people.selectors import people_in_scope
from apps.portal.access import back_office, clerk_only, region_named, scope_or_refuse
from apps.portal.inputs import date_field, int_field, pk_of
from apps.portal.pages import paginate
from apps.regions.models import Region
from apps.taxonomy.models import Occupation
from jiuye.identifiers import mask_name, mask_resident_id

from .models import BrandBusiness, BrandMember, Dispatch, Partner
from .selectors import (
    brand_progress,
    brands_in_scope,
    dispatch_figures,
    dispatches_in_scope,
    partners_in_scope,
)
from .services import (
    CooperationError,
    add_brand,
    add_business,
    add_member,
    add_partner,
    check,
    dispatch,
    end_business,
)


def _date(value, field):
    return date_field(value, field, CooperationError)


def _person(request):
    person = (
        people_in_scope(request.user)
        .filter(id_number=request.POST.get("id_number", "").strip().upper())
        .first()
    )
    if person is None:
        raise CooperationError("公民身份号码:本辖区没有这个人员")
    return person


def _occupation(code: str, required: bool):
    code = (code or "").strip()
    found = Occupation.objects.filter(code=code).first() if code.count("-") == 3 else None
    if found is None and (required or code):
        raise CooperationError("职业:请填写职业分类大典的细类代码(如4-03-02-01)")
    return found


def _partner_region(code: str):
    code = (code or "").strip()
    found = Region.objects.filter(code=code).first() if code else None
    if code and found is None:
        raise CooperationError(f"协作地区:区划代码“{code}”不存在")
    return found


@back_office
def board(request):
    """Partners, and the people sent out to work with them (有组织劳务输出)."""
    scope_or_refuse(request)
    if request.method == "POST":
        clerk_only(request)
        p = request.POST
        try:
            if p.get("action") == "partner":
                add_partner(
                    user=request.user,
                    region=region_named(request.user, p.get("region", ""), CooperationError),
                    name=p.get("name", ""),
                    kind=p.get("kind", ""),
                    agreed_on=_date(p.get("agreed_on"), "签约日期"),
                    partner_region=_partner_region(p.get("partner_region", "")),
                    contact=p.get("contact", ""),
                )
                messages.success(request, "已登记协作方")
            elif p.get("action") == "dispatch":
                partner = partners_in_scope(request.user).filter(pk=pk_of(p.get("partner"))).first()
                if partner is None:
                    raise CooperationError("协作方:请选择本辖区的协作方")
                brand = brands_in_scope(request.user).filter(pk=pk_of(p.get("brand"))).first()
                dispatch(
                    user=request.user,
                    partner=partner,
                    person=_person(request),
                    workplace=p.get("workplace", ""),
                    left_on=_date(p.get("left_on"), "输出日期"),
                    occupation=_occupation(p.get("occupation", ""), required=False),
                    brand=brand,
                )
                messages.success(request, "已登记劳务输出")
            else:
                raise CooperationError("请选择要办理的事项")
        except CooperationError as e:
            messages.error(request, str(e))
        return redirect("cooperation:board")
    today = timezone.localdate()
    qs = dispatches_in_scope(request.user).order_by("-left_on", "-pk")
    status = request.GET.get("status", "")
    if status in Dispatch.Status.values:
        qs = qs.filter(status=status)
    page = paginate(request, qs)
    leader = request.user.role == Role.LEADER
    return render(
        request,
        "cooperation/board.html",
        {
            "partners": partners_in_scope(request.user),
            "kinds": Partner.Kind.choices,
            "statuses": Dispatch.Status.choices,
            "brands": brands_in_scope(request.user),
            "page": page,
            "rows": [(d, mask_name(d.person.name) if leader else d.person.name) for d in page],
            "figures": dispatch_figures(dispatches_in_scope(request.user), today.year),
            "year": today.year,
            "clerk": request.user.is_clerk,
        },
    )


@back_office
def dispatch_detail(request, pk: int):
    scope_or_refuse(request)
    row = dispatches_in_scope(request.user).filter(pk=pk).first()
    if row is None:
        raise Http404("没有这条劳务输出记录,或不在您的管辖区域内")
    if request.method == "POST":
        clerk_only(request)
        try:
            check(
                user=request.user,
                row=row,
                status=request.POST.get("status", ""),
                day=_date(request.POST.get("day"), "核实日期"),
            )
            messages.success(request, "已更新")
        except CooperationError as e:
            messages.error(request, str(e))
        return redirect("cooperation:dispatch", pk=row.pk)
    leader = request.user.role == Role.LEADER
    return render(
        request,
        "cooperation/dispatch.html",
        {
            "d": row,
            "name": mask_name(row.person.name) if leader else row.person.name,
            "id_number": mask_resident_id(row.person.id_number),
            "statuses": Dispatch.Status.choices,
            "today": timezone.localdate(),
            "clerk": request.user.is_clerk,
        },
    )


@back_office
def brands(request):
    """The region's labour brands, each against its targets."""
    scope_or_refuse(request)
    if request.method == "POST":
        clerk_only(request)
        p = request.POST
        try:
            brand = add_brand(
                user=request.user,
                region=region_named(request.user, p.get("region", ""), CooperationError),
                name=p.get("name", ""),
                occupation=_occupation(p.get("occupation", ""), required=True),
                description=p.get("description", ""),
                target_year=_optional_int(p.get("target_year"), "目标年度"),
                target_businesses=_optional_int(p.get("target_businesses"), "经营主体目标"),
                target_jobs=_optional_int(p.get("target_jobs"), "带动就业目标"),
            )
        except CooperationError as e:
            messages.error(request, str(e))
            return redirect("cooperation:brands")
        messages.success(request, f"已登记劳务品牌“{brand.name}”")
        return redirect("cooperation:brand", pk=brand.pk)
    today = timezone.localdate()
    rows = [(b, brand_progress(b, today)) for b in brands_in_scope(request.user).order_by("name")]
    return render(
        request, "cooperation/brands.html", {"rows": rows, "clerk": request.user.is_clerk}
    )


def _optional_int(value, field: str):
    return int_field(value, field, CooperationError) if str(value or "").strip() else None


@back_office
def brand(request, pk: int):
    """A brand: its businesses (add, record one leaving) and its members (add by ID)."""
    scope_or_refuse(request)
    found = brands_in_scope(request.user).filter(pk=pk).first()
    if found is None:
        raise Http404("没有这个劳务品牌,或不在您的管辖区域内")
    if request.method == "POST":
        clerk_only(request)
        p = request.POST
        try:
            action = p.get("action", "")
            if action == "business":
                employer = None
                if p.get("credit_code", "").strip():
                    employer = (
                        employers_in_scope(request.user)
                        .filter(credit_code=p.get("credit_code", "").strip().upper())
                        .first()
                    )
                    if employer is None:
                        raise CooperationError("统一社会信用代码:本辖区没有这家单位")
                add_business(
                    user=request.user,
                    brand=found,
                    name=p.get("name", "") or (employer.name if employer else ""),
                    region=region_named(request.user, p.get("region", ""), CooperationError),
                    jobs=int_field(p.get("jobs"), "带动就业人数", CooperationError),
                    registered_on=_date(p.get("registered_on"), "纳入日期"),
                    employer=employer,
                )
                messages.success(request, "已纳入经营主体")
            elif action == "end":
                row = BrandBusiness.objects.filter(brand=found, pk=pk_of(p.get("business"))).first()
                if row is None:
                    raise CooperationError("没有这个经营主体")
                end_business(user=request.user, row=row, day=_date(p.get("day"), "退出日期"))
                messages.success(request, "已登记退出")
            elif action == "member":
                add_member(user=request.user, brand=found, person=_person(request))
                messages.success(request, "已加入品牌从业人员")
            else:
                raise CooperationError("请选择要办理的事项")
        except CooperationError as e:
            messages.error(request, str(e))
        return redirect("cooperation:brand", pk=found.pk)
    today = timezone.localdate()
    leader = request.user.role == Role.LEADER
    members = BrandMember.objects.filter(brand=found).select_related("person").order_by("-pk")
    return render(
        request,
        "cooperation/brand.html",
        {
            "brand": found,
            "p": brand_progress(found, today),
            "businesses": BrandBusiness.objects.filter(brand=found)
            .select_related("region")
            .order_by("-registered_on", "-pk")[:200],
            "members": [
                (m, mask_name(m.person.name) if leader else m.person.name) for m in members[:200]
            ],
            "clerk": request.user.is_clerk,
            "today": today,
        },
    )
