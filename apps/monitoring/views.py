"""Monitoring pages: the monitored enterprises with who has not reported (and chasing
them), an enterprise's series and reports (staff report on its behalf or correct), the
employer's own monthly report, and the warnings with their why and handling."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from apps.accounts.models import Role
from apps.accounts.permissions import change_refusal
from apps.employers.models import Employer
from apps.portal.access import back_office, region_asked, scope_or_refuse
from apps.portal.inputs import int_field
from apps.portal.pages import paginate

from .models import Level, MonitoredEnterprise, MonthlyReport, Warning
from .selectors import due_month, enterprises_in_scope, warnings_in_scope, with_report_of
from .services import MonitoringError, add_enterprise, handle, parse_month, submit_report


def _int(value, field: str) -> int:
    return int_field(value, field, MonitoringError)


def _submit(request, enterprise: MonitoredEnterprise) -> bool:
    try:
        submit_report(
            user=request.user,
            enterprise=enterprise,
            month=parse_month(request.POST.get("month", "")),
            headcount=_int(request.POST.get("headcount"), "月末从业人数"),
            reduced=_int(request.POST.get("reduced") or 0, "本月减少人数"),
            reason=request.POST.get("reason", ""),
            correct=request.POST.get("correct") == "1",
        )
    except MonitoringError as e:
        messages.error(request, str(e))
        return False
    messages.success(request, "已报送")
    return True


@back_office
def enterprises(request):
    scope_or_refuse(request)
    today = timezone.localdate()
    try:
        month = parse_month(request.GET["month"]) if request.GET.get("month") else due_month(today)
    except MonitoringError as e:
        raise Http404(str(e)) from None
    qs = with_report_of(enterprises_in_scope(request.user).filter(until__isnull=True), month)
    missing = qs.filter(reported=False)
    shown = missing if request.GET.get("missing") == "1" else qs
    return render(
        request,
        "monitoring/enterprises.html",
        {
            "page": paginate(request, shown.order_by("reported", "employer__name")),
            "month": month,
            "total": qs.count(),
            "missing": missing.count(),
            "may_change": request.user.is_clerk,
        },
    )


def _enterprise_or_404(request, pk: int) -> MonitoredEnterprise:
    enterprise = enterprises_in_scope(request.user).filter(pk=pk).first()
    if enterprise is None:
        raise Http404("没有这家监测企业,或不在您的管辖区域内")
    return enterprise


@back_office
def enterprise(request, pk: int):
    enterprise = _enterprise_or_404(request, pk)
    failed = request.method == "POST" and not _submit(request, enterprise)
    if request.method == "POST" and not failed:
        return redirect("monitoring:enterprise", pk=pk)
    reports = list(
        enterprise.reports.select_related("submitted_by").order_by("-month", "-submitted_at")
    )
    current = sorted((r for r in reports if r.replaced_at is None), key=lambda r: r.month)
    return render(
        request,
        "monitoring/enterprise.html",
        {
            "enterprise": enterprise,
            "reports": reports,
            "series": {
                "months": [r.month.strftime("%Y-%m") for r in current],
                "headcount": [r.headcount for r in current],
                "reduced": [r.reduced for r in current],
            },
            "reasons": MonthlyReport.Reason.choices,
            "due": due_month(timezone.localdate()),
            "may_change": change_refusal(request.user, stored=enterprise.employer.region_id)
            is None,
            "form": request.POST if failed else {},  # a refused report keeps what was typed
        },
        status=400 if failed else 200,
    )


@back_office
@require_POST
def remind(request, pk: int):
    """Chase an enterprise that has not reported (催报): counted and dated."""
    enterprise = _enterprise_or_404(request, pk)
    refusal = change_refusal(request.user, stored=enterprise.employer.region_id)
    if refusal:
        raise PermissionDenied(refusal)
    enterprise.reminded_at = timezone.now()
    enterprise.reminders += 1
    enterprise.save(update_fields=["reminded_at", "reminders"])
    messages.success(request, f"已记录对{enterprise.employer.name}的催报")
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = ""  # only back to a page of the platform
    return redirect(back or "monitoring:enterprises")


@back_office
def add(request):
    """Take an employer of the region into monitoring (纳入失业动态监测)."""
    if not request.user.is_clerk:
        raise PermissionDenied("仅限经办人员")
    if request.method == "POST":
        code = request.POST.get("credit_code", "").strip().upper()
        employer = Employer.objects.filter(credit_code=code).first()
        try:
            if employer is None or change_refusal(request.user, stored=employer.region_id):
                # the same answer whether the code exists elsewhere or nowhere
                raise MonitoringError("统一社会信用代码:本辖区没有这个代码的单位")
            enterprise = add_enterprise(
                user=request.user,
                employer=employer,
                since=parse_month(request.POST.get("since", "")),
                baseline=_int(request.POST.get("baseline"), "建档期从业人数"),
            )
        except MonitoringError as e:
            messages.error(request, str(e))
        else:
            messages.success(request, f"已将{employer.name}纳入监测")
            return redirect("monitoring:enterprise", pk=enterprise.pk)
    return render(request, "monitoring/add.html", {"month": due_month(timezone.localdate())})


@login_required
def own_report(request):
    """The employer's own monthly report (企业网上报送)."""
    if request.user.role != Role.EMPLOYER or not request.user.employer_id:
        raise PermissionDenied("仅限用人单位")
    enterprise = MonitoredEnterprise.objects.filter(
        employer_id=request.user.employer_id, until__isnull=True
    ).first()
    failed = request.method == "POST" and enterprise and not _submit(request, enterprise)
    if request.method == "POST" and enterprise and not failed:
        return redirect("monitoring:own_report")
    reports = enterprise.reports.order_by("-month", "-submitted_at")[:36] if enterprise else []
    return render(
        request,
        "monitoring/own_report.html",
        {
            "enterprise": enterprise,
            "reports": reports,
            "reasons": MonthlyReport.Reason.choices,
            "due": due_month(timezone.localdate()),
            "form": request.POST if failed else {},
        },
        status=400 if failed else 200,
    )


@back_office
def warnings(request):
    scope_or_refuse(request)
    qs = warnings_in_scope(request.user)
    status = request.GET.get("status", "active")
    if status == "active":
        qs = qs.exclude(status=Warning.Status.CLOSED)
    elif status in Warning.Status.values:
        qs = qs.filter(status=status)
    level = request.GET.get("level")
    if level in Level.values:
        qs = qs.filter(level=level)
    return render(
        request,
        "monitoring/warnings.html",
        {
            "page": paginate(request, qs.order_by("-month", "-id")),
            "status": status,
            "statuses": Warning.Status.choices,
            "level": level or "",
            "levels": Level.choices,
        },
    )


@back_office
def warning(request, pk: int):
    warning = warnings_in_scope(request.user).filter(pk=pk).first()
    if warning is None:
        raise Http404("没有这条预警,或不在您的管辖区域内")
    if request.method == "POST":
        try:
            handle(
                user=request.user,
                warning=warning,
                action=request.POST.get("action", ""),
                note=request.POST.get("note", ""),
            )
        except MonitoringError as e:
            messages.error(request, str(e))
        else:
            messages.success(request, f"预警状态:{warning.get_status_display()}")
        return redirect("monitoring:warning", pk=pk)
    actions = {"acknowledge": "确认", "act": "处置", "close": "关闭"}
    notes = []
    for n in warning.notes:
        try:
            at = timezone.localtime(dt.datetime.fromisoformat(n.get("at", "")))
        except ValueError:
            at = None
        notes.append(
            {
                "at": at,
                "by": n.get("by") or "系统",
                "action": actions.get(n.get("action", ""), "自动关闭"),
                "note": n.get("note", ""),
            }
        )
    return render(
        request,
        "monitoring/warning.html",
        {
            "warning": warning,
            "notes": notes,
            "may_change": change_refusal(request.user, stored=warning.region_code) is None,
            "month_end": (warning.month + dt.timedelta(days=32)).replace(day=1)
            - dt.timedelta(days=1),
        },
    )


@login_required
def layoffs(request):
    """Mass-layoff reports: the region's (staff, leaders) or the employer's own, and a new
    report (the employer itself, or staff for an employer of their region)."""
    from .models import LayoffCase
    from .services import open_layoff

    user = request.user
    if user.role == Role.EMPLOYER and user.employer_id:
        cases = LayoffCase.objects.filter(employer_id=user.employer_id)
    elif user.is_back_office:
        scope_or_refuse(request)
        from apps.accounts.scoping import scope_queryset

        cases = scope_queryset(LayoffCase.objects.all(), user, "employer__region_id")
    else:
        raise PermissionDenied("仅限经办人员、领导和用人单位")
    may_file = user.is_clerk or user.role == Role.EMPLOYER
    if request.method == "POST":
        if not may_file:
            raise PermissionDenied("领导账号只能查看")
        if user.role == Role.EMPLOYER:
            employer = user.employer
        else:
            code = request.POST.get("credit_code", "").strip().upper()
            employer = Employer.objects.filter(credit_code=code).first()
        try:
            if employer is None or (
                user.role != Role.EMPLOYER and change_refusal(user, stored=employer.region_id)
            ):
                raise MonitoringError("统一社会信用代码:本辖区没有这个代码的单位")
            try:
                day = dt.date.fromisoformat(request.POST.get("reported_on", ""))
            except ValueError:
                raise MonitoringError("报告日期:格式应为 2026-03-01") from None
            case = open_layoff(
                user=user,
                employer=employer,
                reported_on=day,
                staff_before=_int(request.POST.get("staff_before"), "裁员前职工总数"),
                planned=_int(request.POST.get("planned"), "拟裁减人数"),
                plan=request.POST.get("plan", ""),
            )
        except MonitoringError as e:
            messages.error(request, str(e))
        else:
            messages.success(request, "已登记规模裁员报告")
            if user.role == Role.EMPLOYER:
                return redirect("monitoring:layoffs")
            return redirect("monitoring:layoff", pk=case.pk)
    return render(
        request,
        "monitoring/layoffs.html",
        {
            "page": paginate(
                request, cases.select_related("employer").order_by("-reported_on", "-id")
            ),
            "may_file": may_file,
            "today": timezone.localdate(),
        },
    )


@back_office
def layoff(request, pk: int):
    from apps.accounts.scoping import scope_queryset

    from .models import LayoffCase
    from .services import add_affected, close_layoff

    case = (
        scope_queryset(
            LayoffCase.objects.select_related("employer"), request.user, "employer__region_id"
        )
        .filter(pk=pk)
        .first()
    )
    if case is None:
        raise Http404("没有这份裁员报告,或不在您的管辖区域内")
    if request.method == "POST":
        try:
            if request.POST.get("action") == "close":
                close_layoff(user=request.user, case=case, note=request.POST.get("note", ""))
                messages.success(request, "已结案")
            else:
                added, errors = add_affected(
                    user=request.user,
                    case=case,
                    id_numbers=request.POST.get("id_numbers", "").splitlines(),
                )
                if added:
                    messages.success(request, f"已登记{added}人,并为其建立帮扶计划")
                elif not errors:
                    messages.warning(request, "没有填写公民身份号码")
                for error in errors:
                    messages.error(request, error)
        except MonitoringError as e:
            messages.error(request, str(e))
        return redirect("monitoring:layoff", pk=pk)
    workers = case.workers.select_related("person", "person__community", "assistance")
    return render(
        request,
        "monitoring/layoff.html",
        {
            "case": case,
            "workers": workers,
            "may_change": change_refusal(request.user, stored=case.employer.region_id) is None,
        },
    )


@back_office
def quarterly_report(request):
    """The quarterly monitoring analysis report of a region (HTML, PDF, Excel)."""
    from django.http import HttpResponse
    from django.template.loader import render_to_string

    from apps.accounts.downloads import send_export
    from jiuye.exports import XLSX

    from .report import pdf, quarterly, workbook

    prefix = scope_or_refuse(request)
    today = timezone.localdate()
    region = region_asked(request, prefix)
    current = (today.year, (today.month - 1) // 3 + 1)
    default = (current[0], current[1] - 1) if current[1] > 1 else (current[0] - 1, 4)
    try:
        year = int(request.GET.get("year") or default[0])
        quarter = int(request.GET.get("quarter") or default[1])
    except ValueError:
        raise Http404("年度和季度须为数字") from None
    if not (2000 <= year <= today.year and 1 <= quarter <= 4) or (year, quarter) > current:
        raise Http404("季度须为已开始的季度(1至4)")
    report = quarterly(region, year, quarter, today=today)
    context = {"q": report, "region": region, "years": list(range(today.year, today.year - 6, -1))}
    fmt = request.GET.get("format")
    if fmt == "xlsx":
        return send_export(
            request,
            content=workbook(report),
            filename=f"quarterly-{region.code}-{year}Q{quarter}.xlsx",
            content_type=XLSX,
            resource=report.title,
            filters={"region": region.code, "year": year, "quarter": quarter},
            rows=len(report.industries) + len(report.areas) + len(report.warnings),
        )
    if fmt == "pdf":
        html = render_to_string("monitoring/quarterly_pdf.html", context, request=request)
        response = HttpResponse(pdf(html), content_type="application/pdf")
        response["Content-Disposition"] = (
            f'attachment; filename="quarterly-{region.code}-{year}Q{quarter}.pdf"'
        )
        return response
    return render(request, "monitoring/quarterly.html", context)
