"""Shared employment pages (共享用工): an enterprise posts idle workers or a shortage, sees
the offers that suit its request and proposes; the lending side accepts and records who
went and when they came back; staff see and broker their region's postings."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from apps.accounts.models import Role
from apps.employers.selectors import employers_in_scope
from apps.portal.inputs import date_field, int_field, pk_of
from apps.taxonomy.models import Occupation
from jiuye.identifiers import mask_name, mask_resident_id

from .models import Agreement, Posting
from .selectors import agreements_in_scope, offers_for, postings_in_scope
from .services import (
    SharingError,
    came_back,
    close,
    committed,
    decide,
    lend,
    post,
    propose,
)


def _date(value, field: str) -> dt.date:
    return date_field(value, field, SharingError)


def _viewer(request):
    """(the employer of an enterprise account, whether back office) or refuse."""
    user = request.user
    if user.role == Role.EMPLOYER:
        if user.employer_id is None:
            raise PermissionDenied("单位注册尚待核验")
        return user.employer, False
    if user.is_back_office:
        return None, True
    raise PermissionDenied("仅限用人单位和经办人员")


def _postings(request):
    employer, _ = _viewer(request)
    if employer is not None:
        return Posting.objects.filter(employer=employer).select_related("employer", "occupation")
    return postings_in_scope(request.user)


def _agreements(request):
    employer, _ = _viewer(request)
    if employer is not None:
        return Agreement.objects.filter(Q(offer__employer=employer) | Q(request__employer=employer))
    return agreements_in_scope(request.user)


@login_required
def board(request):
    """Offers and requests (the viewer's own, or the region's) and the agreements."""
    employer, office = _viewer(request)
    if request.method == "POST":
        p = request.POST
        try:
            if employer is None:
                if not request.user.is_clerk:
                    raise PermissionDenied("仅限经办人员")
                code = p.get("credit_code", "").strip().upper()
                employer = employers_in_scope(request.user).filter(credit_code=code).first()
                if employer is None:
                    raise SharingError("统一社会信用代码:本辖区没有这家单位")
            occupation = Occupation.objects.filter(code=p.get("occupation", "").strip()).first()
            posting = post(
                user=request.user,
                side=p.get("side", ""),
                employer=employer,
                occupation=occupation,
                headcount=int_field(p.get("headcount", ""), "人数", SharingError),
                start=_date(p.get("start", ""), "开始日期"),
                end=_date(p.get("end", ""), "结束日期"),
                note=p.get("note", ""),
            )
        except SharingError as e:
            messages.error(request, str(e))
            return _board(request, status=400)
        messages.success(request, "已发布")
        return redirect("sharing:posting", pk=posting.pk)
    return _board(request)


def _board(request, status: int = 200):
    postings = _postings(request).order_by("-posted_at", "-pk")[:100]
    agreements = (
        _agreements(request)
        .select_related("offer__employer", "request__employer", "offer__occupation")
        .order_by("-created_at", "-pk")[:100]
    )
    return render(
        request,
        "sharing/board.html",
        {
            "postings": postings,
            "agreements": agreements,
            "sides": Posting.Side.choices,
            "office": request.user.role != Role.EMPLOYER,
            "clerk": request.user.is_clerk,
            "form": request.POST if request.method == "POST" else {},
        },
        status=status,
    )


def _posting_or_404(request, pk: int) -> Posting:
    found = _postings(request).filter(pk=pk).first()
    if found is None:
        raise Http404("没有这条共享用工信息,或不是您的")
    return found


@login_required
def posting(request, pk: int):
    """A posting; for a request, the offers that suit it and a proposal to one."""
    item = _posting_or_404(request, pk)
    if request.method == "POST":
        p = request.POST
        try:
            if p.get("action") == "close":
                close(user=request.user, posting=item)
                messages.success(request, "已关闭")
            elif p.get("action") == "propose":
                agreement = propose(
                    user=request.user,
                    request=item,
                    offer_id=pk_of(p.get("offer")),
                    headcount=int_field(p.get("headcount", ""), "人数", SharingError),
                    start=_date(p.get("start", ""), "开始日期"),
                    end=_date(p.get("end", ""), "结束日期"),
                )
                messages.success(request, "已提出,待出借方确认")
                return redirect("sharing:agreement", pk=agreement.pk)
            else:
                raise SharingError("请选择要办理的事项")
        except SharingError as e:
            messages.error(request, str(e))
        return redirect("sharing:posting", pk=item.pk)
    is_request = item.side == Posting.Side.REQUEST
    return render(
        request,
        "sharing/posting.html",
        {
            "item": item,
            "left": item.headcount - committed(item),
            "acts": request.user.role == Role.EMPLOYER or request.user.is_clerk,
            "fits": offers_for(item) if is_request and item.status == "open" else [],
            "agreements": (item.borrowed if is_request else item.lent).select_related(
                "offer__employer", "request__employer"
            ),
        },
    )


@login_required
def agreement(request, pk: int):
    """An agreement: the lending side accepts or declines, records the workers lent (by
    ID) and their return; both sides and staff see who went where."""
    found = _agreements(request).filter(pk=pk).first()
    if found is None:
        raise Http404("没有这份共享用工协议,或不是您的")
    found = Agreement.objects.select_related(
        "offer__employer", "request__employer", "offer__occupation"
    ).get(pk=found.pk)
    if request.method == "POST":
        p = request.POST
        try:
            action = p.get("action", "")
            if action in ("accept", "decline"):
                decide(user=request.user, agreement=found, accept=action == "accept")
                messages.success(request, "已确认" if action == "accept" else "已拒绝")
            elif action == "lend":
                row = lend(
                    user=request.user,
                    agreement=found,
                    id_number=p.get("id_number", ""),
                    start=_date(p.get("start", ""), "借出日期"),
                    end=_date(p.get("end", ""), "约定返回日期"),
                )
                messages.success(request, f"已登记{mask_name(row.person.name)}借出")
            elif action == "returned":
                row = found.workers.filter(pk=pk_of(p.get("secondment"))).first()
                if row is None:
                    raise SharingError("没有这条借出记录")
                came_back(
                    user=request.user,
                    secondment=row,
                    day=_date(p.get("returned_on", ""), "实际返回日期"),
                )
                messages.success(request, "已登记返回")
            else:
                raise SharingError("请选择要办理的事项")
        except SharingError as e:
            messages.error(request, str(e))
        return redirect("sharing:agreement", pk=found.pk)
    user = request.user
    lender = (user.role == Role.EMPLOYER and user.employer_id == found.offer.employer_id) or (
        user.is_clerk and found.offer.employer in employers_in_scope(user)
    )
    leader = user.role == Role.LEADER
    workers = [
        (
            w,
            mask_name(w.person.name) if leader else w.person.name,
            mask_resident_id(w.person.id_number),
        )
        for w in found.workers.select_related("person").order_by("start", "pk")
    ]
    return render(
        request,
        "sharing/agreement.html",
        {
            "a": found,
            "lender": lender,
            "staff": user.role != Role.EMPLOYER,
            "workers": workers,
            "full": len(workers) >= found.headcount,
            "today": timezone.localdate(),
        },
    )
