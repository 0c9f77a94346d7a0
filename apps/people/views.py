"""Pages of the people app: transfers between regions (人员转移), and a person's own view of
who looked at their information and their copy of it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from apps.accounts.downloads import send_export
from apps.accounts.models import AccessEntry, Role
from apps.portal.access import back_office, clerk_only
from jiuye.exports import XLSX

from . import transfers
from .models import Person, Transfer
from .personal_data import access_history, personal_data_workbook


@back_office
def transfer_list(request):
    """Transfers asked of the user's region (to accept or refuse) and those the user's
    region asked of others."""
    clerk_only(request)
    incoming, outgoing = transfers.transfers_for(request.user)
    return render(
        request,
        "people/transfers.html",
        {
            "incoming": incoming,
            "outgoing": Paginator(outgoing, 50).get_page(request.GET.get("page")),
        },
    )


@back_office
@require_POST
def transfer_decide(request, pk: int):
    clerk_only(request)
    incoming, _ = transfers.transfers_for(request.user)
    transfer = incoming.filter(pk=pk).first()
    if transfer is None:  # not there, not pending, or not held by the user's region
        raise Http404("没有这条待处理的转移申请,或不在您的管辖区域内")
    try:
        if request.POST.get("accept") == "1":
            transfers.accept(user=request.user, transfer=transfer)
            messages.success(request, f"已同意转移申请#{transfer.pk},该人员已转入新区域")
        else:
            transfers.refuse(
                user=request.user, transfer=transfer, note=request.POST.get("note", "")
            )
            messages.success(request, f"已拒绝转移申请#{transfer.pk}")
    except transfers.TransferError as exc:
        messages.error(request, str(exc))
    except Transfer.DoesNotExist:
        raise Http404 from None
    return redirect("people:transfers")


def _own_person(request) -> Person:
    person = request.user.person
    if request.user.role != Role.WORKER or person is None:
        raise PermissionDenied("请使用已关联人员信息的劳动者账号")
    return person


@login_required
def my_privacy(request):
    """Who has looked at my information: when, which office, why (the access log)."""
    person = _own_person(request)
    return render(
        request,
        "people/my_privacy.html",
        {"page": Paginator(access_history(person), 50).get_page(request.GET.get("page"))},
    )


@login_required
def my_data(request):
    """A copy of everything the platform holds on me, as an Excel file."""
    person = _own_person(request)
    content = personal_data_workbook(person)
    return send_export(
        request,
        content=content,
        filename="my-personal-data.xlsx",
        content_type=XLSX,
        resource="本人信息副本",
        purpose=AccessEntry.Purpose.SELF,
        rows=1,
        person_ids=[person.pk],
    )
