"""Pages of the people app: transfers between regions (人员转移)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from apps.portal.access import back_office, clerk_only

from . import transfers
from .models import Transfer


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
