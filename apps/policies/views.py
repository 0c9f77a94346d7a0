"""Pages of policies and subsidies: the public lists (政策清单、服务清单、经办机构清单) and
明白卡; the applicant's "my subsidies"; staff sweeps, reviews, payment batches and funds."""

from __future__ import annotations

import datetime as dt
import math

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from apps.accounts.downloads import send_export
from apps.accounts.scoping import in_scope, scope_queryset
from apps.employers.models import Employer
from apps.people.models import Person
from apps.portal.access import back_office, clerk_only, scope_or_refuse
from apps.regions.models import Region, RegionLevel
from jiuye.background import run_after_commit
from jiuye.exports import XLSX, workbook

from . import selectors
from .models import Entitlement, PaymentBatch, SubsidyApplication, Sweep
from .rules import catalog
from .rules.system import RulesError
from .services import (
    PolicyError,
    apply_from_entitlement,
    assess,
    create_batch,
    pay_batch,
    review,
    review_refusal,
    submit,
    withdraw,
)
from .sweeps import SweepError, base_sweep, compare, create_sweep, notify, run_sweep
from .tasks import run_sweep_task

PAGE_SIZE = 50


def _region(request) -> str:
    """The region the public lists show: asked for, else the user's own, else the city's."""
    asked = request.GET.get("region", "").strip()
    if asked:
        if asked.isdigit() and len(asked) >= 6 and Region.objects.filter(code=asked).exists():
            return asked
        messages.error(request, f"区域:{asked} 不是有效的县级及以下行政区划代码,已显示默认区域")
    user = request.user
    if user.is_authenticated:
        if user.person_id and user.person.community_id:
            return user.person.community_id
        if user.employer_id:
            return user.employer.region_id
        if user.scope_region_id and len(user.scope_region_id) >= 6:
            return user.scope_region_id
    return settings.PUBLIC_REGION


def _today() -> dt.date:
    return timezone.localdate()


def policy_list(request):
    region = _region(request)
    include_expired = request.GET.get("expired") == "1"
    return render(
        request,
        "policies/list.html",
        {
            "region": region,
            "region_name": selectors.region_name(region[:6]),
            "region_choices": selectors.region_choices(region),
            "cards": selectors.policy_list(region, _today(), include_expired=include_expired),
            "include_expired": include_expired,
        },
    )


def _card(request, code: str):
    try:
        spec = catalog.get(code)
    except RulesError:
        raise Http404("没有这项政策") from None
    region = _region(request)
    card = selectors.policy_card(spec, region, _today())
    if not card["applies"]:
        raise Http404("本地区未实施该政策")
    return region, card


def policy_detail(request, code: str):
    region, card = _card(request, code)
    return render(
        request,
        "policies/detail.html",
        {
            "region": region,
            "region_name": selectors.region_name(region[:6]),
            "region_choices": selectors.region_choices(region),
            "card": card,
            "offices": selectors.offices(region)[:20],
        },
    )


def policy_print(request, code: str):
    """The one-page 明白卡 to print and hand out."""
    region, card = _card(request, code)
    return render(
        request,
        "policies/card.html",
        {
            "region_name": selectors.region_name(region[:6]),
            "region_choices": selectors.region_choices(region),
            "card": card,
            "offices": selectors.offices(region).filter(kind__in=["centre", "township"])[:6],
            "today": _today(),
        },
    )


def service_list(request):
    region = _region(request)
    return render(
        request,
        "policies/services.html",
        {
            "region": region,
            "region_name": selectors.region_name(region[:6]),
            "region_choices": selectors.region_choices(region),
            "services": selectors.service_list(),
        },
    )


def office_list(request):
    region = _region(request)
    return render(
        request,
        "policies/offices.html",
        {
            "region": region,
            "region_name": selectors.region_name(region[:6]),
            "region_choices": selectors.region_choices(region),
            "offices": selectors.offices(region),
        },
    )


# --- The applicant ----------------------------------------------------------------------


def _my_subject(user):
    if user.person_id:
        return user.person, f"P{user.person_id}", "person"
    if user.employer_id:
        return user.employer, f"E{user.employer_id}", "enterprise"
    raise PermissionDenied("您的账号尚未关联人员或用人单位")


def _error(request, exc: PolicyError) -> None:
    messages.error(request, " ".join([exc.message, *exc.errors]))


@login_required
def my_subsidies(request):
    subject, key, kind = _my_subject(request.user)
    year = _today().year
    if request.method == "POST":
        try:
            if request.POST.get("action") == "withdraw":
                application = SubsidyApplication.objects.filter(
                    pk=request.POST.get("application") or 0, subject_key=key
                ).first()
                if application is None:
                    raise PolicyError("没有这条申请")
                withdraw(application, request.user)
                messages.success(request, "已撤回")
            else:
                claim_year = int(request.POST.get("year") or year)
                entitlement = Entitlement.objects.filter(
                    pk=request.POST.get("entitlement") or 0, subject_key=key, sweep__trial=False
                ).first()
                application = submit(
                    code=request.POST.get("policy", ""),
                    subject=subject,
                    year=claim_year,
                    user=request.user,
                    entitlement=entitlement,
                )
                messages.success(
                    request, f"已提交申请,核定金额{application.amount:,.2f}元,等待初审"
                )
        except PolicyError as exc:
            _error(request, exc)
        except ValueError:
            messages.error(request, "年度:请填写四位年份")
        return redirect("policies:mine")
    region = subject.community_id if kind == "person" else subject.region_id
    claims = selectors.live_claims(key)
    found = []
    for row in selectors.found_for(key, region or ""):
        spec = catalog.policies().get(row.policy)
        if spec:
            found.append(
                {
                    "row": row,
                    "spec": spec,
                    "claim": claims.get((row.policy, spec.claim_key(row.sweep.year))),
                }
            )
    open_policies = [
        c
        for c in selectors.policy_list(region or settings.PUBLIC_REGION, _today())
        if c["spec"].entity == kind
    ]
    return render(
        request,
        "policies/mine.html",
        {
            "subject": subject,
            "found": found,
            "applications": SubsidyApplication.objects.filter(subject_key=key).prefetch_related(
                "reviews"
            ),
            "policies": open_policies,
            "year": year,
            "names": {c: s.name for c, s in catalog.policies().items()},
        },
    )


@login_required
def my_check(request, code: str):
    """Whether the applicant is entitled: the rules run for them now, with the conditions
    that hold and those that do not (an htmx fragment)."""
    subject, _, _ = _my_subject(request.user)
    try:
        result = assess(code, subject, int(request.GET.get("year") or _today().year))
        error = None
    except (PolicyError, ValueError) as exc:
        result, error = None, str(exc)
    return render(request, "policies/_check.html", {"result": result, "error": error})


# --- Staff -------------------------------------------------------------------------------


def _page(request, qs):
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


def _overrides(post) -> dict:
    path = post.get("param", "").strip()
    if not path:
        return {}
    value = post.get("value", "").strip()
    start = post.get("start", "").strip() or f"{post.get('year')}-01-01"
    if value in ("", "无", "null"):
        return {path: {start: None}}
    try:
        number = float(value)
    except ValueError:
        number = math.nan
    if not math.isfinite(number):
        raise SweepError(f"试算参数:取值“{value}”不是数值")
    return {path: {start: int(number) if number.is_integer() else number}}


@back_office
def sweeps(request):
    prefix = scope_or_refuse(request)
    if request.method == "POST":
        clerk_only(request)
        post = request.POST
        region = post.get("region", "").strip() or prefix
        try:
            if not in_scope(request.user, region):
                raise SweepError("区域:只能识别本辖区")
            sweep = create_sweep(
                user=request.user,
                region_prefix=region,
                year=int(post.get("year") or _today().year),
                overrides=_overrides(post),
            )
        except SweepError as exc:
            messages.error(request, str(exc))
            return redirect("policies:sweeps")
        except ValueError:
            messages.error(request, "年度:请填写四位年份")
            return redirect("policies:sweeps")
        run_after_commit(run_sweep_task, run_sweep, sweep.pk)
        return redirect("policies:sweep", pk=sweep.pk)
    qs = Sweep.objects.all()
    if prefix:  # sweeps of the user's region, inside it, or of a region containing it
        around = [prefix[:k] for k in (2, 4, 6, 9, 12) if k < len(prefix)]
        qs = qs.filter(Q(region_prefix__startswith=prefix) | Q(region_prefix__in=around))
    return render(
        request,
        "policies/sweeps.html",
        {
            "page": _page(request, qs),
            "prefix": prefix,
            "year": _today().year,
            "names": {c: s.name for c, s in catalog.policies().items()},
        },
    )


def _sweep(request, pk: int) -> Sweep:
    prefix = scope_or_refuse(request)
    sweep = Sweep.objects.filter(pk=pk).first()
    if sweep is None or not (
        sweep.region_prefix.startswith(prefix) or prefix.startswith(sweep.region_prefix)
    ):
        raise Http404("没有这次识别,或不在您的管辖区域内")
    return sweep


@back_office
def sweep_detail(request, pk: int):
    sweep = _sweep(request, pk)
    if request.method == "POST":
        clerk_only(request)
        try:
            if request.POST.get("action") == "notify":
                told = notify(sweep, region_prefix=scope_or_refuse(request))
                messages.success(request, f"已通知{told}个对象")
            else:
                entitlement = scope_queryset(sweep.entitlements.all(), request.user, "region_code")
                entitlement = entitlement.filter(pk=request.POST.get("entitlement") or 0).first()
                if entitlement is None:
                    raise PolicyError("没有这条识别结果,或不在您的管辖区域内")
                application = apply_from_entitlement(entitlement, request.user)
                messages.success(request, f"已转为申请#{application.pk},等待初审")
        except (PolicyError, SweepError) as exc:
            messages.error(request, str(exc))
        return redirect(request.get_full_path())
    entitlements = scope_queryset(
        sweep.entitlements.select_related("person", "employer", "community"),
        request.user,
        "region_code",
    )
    policy = request.GET.get("policy", "")
    if policy:
        entitlements = entitlements.filter(policy=policy)
    page = _page(request, entitlements)
    claims = {
        (a.policy, a.subject_key): a
        for a in SubsidyApplication.objects.filter(
            status__in=SubsidyApplication.LIVE,
            subject_key__in=[e.subject_key for e in page],
        )
    }
    rows = [(e, claims.get((e.policy, e.subject_key))) for e in page]
    base = base_sweep(sweep)
    diff = (
        compare(sweep, base, scope_or_refuse(request))
        if base and sweep.status == Sweep.Status.DONE
        else None
    )
    return render(
        request,
        "policies/sweep.html",
        {
            "sweep": sweep,
            "summary": selectors.sweep_summary(sweep, request.user),
            "page": page,
            "rows": rows,
            "policy": policy,
            "base": base,
            "diff": {k: v[:200] for k, v in diff.items()} if diff else None,
            "diff_counts": {k: len(v) for k, v in diff.items()} if diff else None,
            "names": {c: s.name for c, s in catalog.policies().items()},
        },
    )


@back_office
def sweep_progress(request, pk: int):
    return render(
        request, "policies/_sweep_status.html", {"sweep": _sweep(request, pk), "polled": True}
    )


@back_office
def reviews(request):
    """The review queue (初审、复审) of the user's region, and applying on someone's behalf."""
    scope_or_refuse(request)
    if request.method == "POST":
        clerk_only(request)
        post = request.POST
        try:
            if post.get("action") == "apply":
                subject = _subject_by_identifier(request, post.get("identifier", ""))
                application = submit(
                    code=post.get("policy", ""),
                    subject=subject,
                    year=int(post.get("year") or _today().year),
                    user=request.user,
                )
                messages.success(request, f"已代为申请#{application.pk}")
            else:
                # Not there and not in scope read the same.
                pk = int(post.get("application") or 0)
                if not selectors.applications_in_scope(request.user).filter(pk=pk).exists():
                    raise SubsidyApplication.DoesNotExist
                application = review(
                    pk,
                    user=request.user,
                    approve=post.get("action") == "approve",
                    seen=post.get("seen", ""),
                    note=post.get("note", ""),
                )
                messages.success(
                    request, f"申请#{application.pk}:{application.get_status_display()}"
                )
        except PolicyError as exc:
            _error(request, exc)
        except (ValueError, SubsidyApplication.DoesNotExist):
            messages.error(request, "申请:没有这条申请(或不在您的管辖区域内),或年度不是四位年份")
        return redirect(request.get_full_path())
    status = request.GET.get("status", SubsidyApplication.Status.SUBMITTED)
    qs = selectors.applications_in_scope(request.user).filter(status=status)
    if request.GET.get("policy"):
        qs = qs.filter(policy=request.GET["policy"])
    page = _page(request, qs.prefetch_related("reviews__reviewer"))
    reviewable = {
        a.pk
        for a in page
        if not review_refusal(request.user, a, {r.reviewer_id for r in a.reviews.all()})
    }
    return render(
        request,
        "policies/reviews.html",
        {
            "page": page,
            "reviewable": reviewable,
            "status": status,
            "statuses": SubsidyApplication.Status.choices,
            "policies": catalog.policies().values(),
            "names": {c: s.name for c, s in catalog.policies().items()},
            "specs": catalog.policies(),
            "year": _today().year,
        },
    )


def _subject_by_identifier(request, identifier: str):
    """A person by resident ID, an employer by credit code, or a community by its code,
    within the clerk's region."""
    identifier = identifier.strip().upper()
    prefix = scope_or_refuse(request)
    if (
        len(identifier) == 18
        and identifier[:2].isdigit()
        and Person.objects.filter(id_number=identifier).exists()
    ):
        person = Person.objects.get(id_number=identifier)
        if in_scope(request.user, person.community_id or ""):
            return person
    employer = Employer.objects.filter(credit_code=identifier).first()
    if employer and in_scope(request.user, employer.region_id):
        return employer
    # A locality: a community, or a street (the locality of a post recorded at that level).
    community = Region.objects.filter(
        code=identifier, level__in=[RegionLevel.COMMUNITY, RegionLevel.TOWNSHIP]
    ).first()
    if community and community.code.startswith(prefix):
        return community
    raise PolicyError("申请对象:本辖区内没有这个身份证号、统一社会信用代码或社区(街道)代码")


@back_office
def batches(request):
    prefix = scope_or_refuse(request)
    if request.method == "POST":
        clerk_only(request)
        try:
            batch = create_batch(
                user=request.user,
                application_ids=request.POST.getlist("application"),
                region_prefix=request.POST.get("region", "") or prefix,
            )
            messages.success(request, f"已生成支付批次#{batch.pk},合计{batch.total:,.2f}元")
            return redirect("policies:batch", pk=batch.pk)
        except PolicyError as exc:
            _error(request, exc)
        except ValueError:
            messages.error(request, "支付批次:申请编号无效")
        return redirect("policies:batches")
    approved = selectors.applications_in_scope(request.user).filter(
        status=SubsidyApplication.Status.APPROVED, payment__isnull=True
    )
    batches_qs = PaymentBatch.objects.all()
    if prefix:
        batches_qs = batches_qs.filter(region_prefix__startswith=prefix)
    return render(
        request,
        "policies/batches.html",
        {
            "approved": approved.order_by("policy", "id")[:500],
            "batches": _page(request, batches_qs),
            "prefix": prefix,
            "names": {c: s.name for c, s in catalog.policies().items()},
        },
    )


def _batch(request, pk: int) -> PaymentBatch:
    prefix = scope_or_refuse(request)
    batch = PaymentBatch.objects.filter(pk=pk).first()
    if batch is None or not batch.region_prefix.startswith(prefix):
        raise Http404("没有这个支付批次,或不在您的管辖区域内")
    return batch


@back_office
def batch_detail(request, pk: int):
    batch = _batch(request, pk)
    if request.method == "POST":
        clerk_only(request)
        try:
            paid_on = dt.date.fromisoformat(request.POST.get("paid_on", ""))
            pay_batch(
                batch,
                user=request.user,
                paid_on=paid_on,
                reference=request.POST.get("reference", ""),
            )
            messages.success(request, f"支付批次#{batch.pk}已确认支付")
        except PolicyError as exc:
            _error(request, exc)
        except ValueError:
            messages.error(request, "支付日期:请填写 YYYY-MM-DD")
        return redirect("policies:batch", pk=batch.pk)
    payments = batch.payments.select_related(
        "application__person", "application__employer", "application__community"
    ).order_by("id")
    if request.GET.get("format") == "xlsx":
        names = {c: s.name for c, s in catalog.policies().items()}
        rows = [
            [
                p.application_id,
                names.get(p.policy, p.policy),
                p.application.subject_key,
                str(p.application.subject),
                p.region_code,
                float(p.amount),
                str(p.paid_on or ""),
            ]
            for p in payments
        ]
        body = workbook(
            [
                (
                    f"支付批次{batch.pk}",
                    ["申请编号", "政策", "对象标识", "对象", "区域", "金额(元)", "支付日期"],
                    rows,
                )
            ]
        )
        return send_export(
            request,
            content=body,
            filename=f"batch-{batch.pk}.xlsx",
            content_type=XLSX,
            resource=f"补贴支付批次#{batch.pk}",
            rows=len(rows),
            person_ids=[p.application.person_id for p in payments if p.application.person_id],
        )
    return render(
        request,
        "policies/batch.html",
        {
            "batch": batch,
            "payments": payments,
            "names": {c: s.name for c, s in catalog.policies().items()},
            "today": _today(),
        },
    )


@back_office
def funds(request):
    prefix = scope_or_refuse(request)
    try:
        year = int(request.GET.get("year") or _today().year)
    except ValueError:
        year = _today().year
    report = selectors.funds(prefix, year)
    if request.GET.get("format") == "xlsx":
        return send_export(
            request,
            content=selectors.funds_workbook(report),
            filename=f"funds-{year}.xlsx",
            content_type=XLSX,
            resource="就业补贴资金预算与支出",
            filters={"region": prefix, "year": year},
            rows=len(report["rows"]),
        )
    return render(request, "policies/funds.html", {"report": report, "year": year})
