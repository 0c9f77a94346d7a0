"""Pages of the services app: services and plans recorded from a person's file, the promise
dashboard and the real-name ledgers."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from apps.accounts.downloads import send_export
from apps.accounts.scoping import in_scope, region_prefix_q
from apps.people.models import (
    KeyGroup,
    LabourStatus,
    Person,
    ZeroEmploymentAlert,
)
from apps.people.views import person_or_404
from apps.portal.access import back_office, clerk_only, scope_or_refuse
from apps.portal.pages import PAGE_SIZE, paginate
from jiuye.exports import XLSX

from .exports import ledger_workbook, promise_workbook
from .forms import ServiceForm
from .models import PlanStep
from .selectors import ledger, promise_dashboard
from .services import (
    ServiceError,
    add_step,
    complete_step,
    open_plan,
    record_service,
)


@back_office
@require_POST
def person_service(request, pk: int):
    """Record a service to a person (guidance, referral, a visit …) from their file."""
    clerk_only(request)
    person = person_or_404(request, pk)
    form = ServiceForm(request.POST)
    if form.is_valid():
        try:
            record_service(user=request.user, person=person, **form.cleaned_data)
            messages.success(request, "已登记服务")
        except ServiceError as exc:
            messages.error(request, str(exc))
    else:
        messages.error(request, "服务类型无效")
    return redirect("people:person", pk=pk)


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
        "services/ledger.html",
        {
            "page": paginate(request, people),
            "groups": KeyGroup.choices,
            "statuses": LabourStatus.choices,
            "group": group,
            "label": label,
        },
    )


@back_office
@require_POST
def person_plan(request, pk: int):
    """Open the person's assistance plan (一人一策) or add a step to it."""
    clerk_only(request)
    person = person_or_404(request, pk)
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
    return redirect("people:person", pk=pk)


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
    return redirect("people:person", pk=step.plan.person_id)


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
        "services/promises.html",
        {
            "board": board,
            "page": page,
            "names": names,
            "families": families[:50],
            "families_open": families.count(),
            "today": timezone.localdate(),
        },
    )
