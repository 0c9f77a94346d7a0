"""Transfers of people between regions (人员转移).

A record belongs to the region that holds it: staff of another region cannot take it
over by importing it with their own community. Instead a transfer is asked of the
holding region (``request_transfer``), whose staff accept it (``accept``: the person moves
to the new community with their status history, registrations, services and tags, and the
move is audited) or refuse it with a reason (``refuse``)."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from apps.accounts.models import User
from apps.accounts.permissions import change_refusal
from apps.accounts.scoping import region_prefix_q, user_scope_prefix
from apps.accounts.services import record_audit
from apps.regions.models import Region

from .models import Person, Transfer


class TransferError(Exception):
    pass


def request_transfer(
    *,
    user: User,
    person: Person,
    to_region: str,
    address: str = "",
    reason: str = "",
    import_job=None,
) -> Transfer:
    """Ask the holding region to hand ``person`` over to ``to_region`` (in the user's
    scope). One pending transfer per person: a second request returns the first."""
    refusal = change_refusal(user, stored=None, new=to_region)
    if refusal:
        raise TransferError(refusal)
    if person.community_id == to_region:
        raise TransferError("该人员已在此区域")
    pending = Transfer.objects.filter(person=person, status=Transfer.Status.PENDING).first()
    if pending is not None:
        return pending
    try:
        with transaction.atomic():
            transfer = Transfer.objects.create(
                person=person,
                from_region_id=person.community_id,
                to_region_id=to_region,
                address=address[:255],
                reason=reason[:255],
                import_job=import_job,
                requested_by=user,
            )
    except IntegrityError:  # asked at the same moment by someone else
        return Transfer.objects.get(person=person, status=Transfer.Status.PENDING)
    record_audit(
        actor=user,
        action="transfer_requested",
        obj=transfer,
        changes={"person": person.pk, "from": person.community_id, "to": to_region},
    )
    return transfer


def accept(*, user: User, transfer: Transfer) -> Transfer:
    """The holding region hands the person over: community, coordinates and address move;
    the household stays with the family it belongs to."""
    from .households import sync_zero_employment

    with transaction.atomic():
        transfer = _pending_for_holder(user, transfer)
        person = transfer.person
        target = Region.objects.get(code=transfer.to_region_id)
        old = {
            "community_id": person.community_id,
            "household_id": person.household_id,
            "address": person.address,
        }
        person.community_id = target.code
        person.lat, person.lng, person.h3 = target.lat, target.lng, target.h3 or ""
        person.address = transfer.address
        person.household = None
        person.save()
        _decide(transfer, user, Transfer.Status.ACCEPTED, "")
        record_audit(
            actor=user,
            action="transfer_accepted",
            obj=person,
            changes={
                "transfer": transfer.pk,
                **{k: [v, getattr(person, k)] for k, v in old.items()},
            },
        )
        for region in (old["community_id"], target.code):
            sync_zero_employment(region)
    return transfer


def refuse(*, user: User, transfer: Transfer, note: str) -> Transfer:
    if not note.strip():
        raise TransferError("拒绝转移须说明理由")
    with transaction.atomic():
        transfer = _pending_for_holder(user, transfer)
        _decide(transfer, user, Transfer.Status.REFUSED, note.strip())
        record_audit(actor=user, action="transfer_refused", obj=transfer, changes={"note": note})
    return transfer


def _pending_for_holder(user: User, transfer: Transfer) -> Transfer:
    transfer = Transfer.objects.select_for_update().select_related("person").get(pk=transfer.pk)
    if change_refusal(user, stored=transfer.person.community_id):
        raise TransferError("只有该人员所在区域的经办人员可以处理转移申请")
    if transfer.status != Transfer.Status.PENDING:
        raise TransferError(f"该申请{transfer.get_status_display()},请刷新")
    return transfer


def _decide(transfer: Transfer, user: User, status: str, note: str) -> None:
    transfer.status, transfer.note = status, note
    transfer.decided_by, transfer.decided_at = user, timezone.now()
    transfer.save(update_fields=["status", "note", "decided_by", "decided_at"])


def transfers_for(user: User) -> tuple[QuerySet[Transfer], QuerySet[Transfer]]:
    """(incoming: pending transfers of people the user's region holds, outgoing: transfers
    into the user's region)."""
    prefix = user_scope_prefix(user)
    if prefix is None:
        return Transfer.objects.none(), Transfer.objects.none()
    base = Transfer.objects.select_related("person", "from_region", "to_region")
    incoming = base.filter(status=Transfer.Status.PENDING)
    outgoing = base.all()
    if prefix:
        incoming = incoming.filter(region_prefix_q("person__community_id", prefix))
        outgoing = outgoing.filter(
            region_prefix_q("to_region_id", prefix) & ~Q(region_prefix_q("from_region_id", prefix))
        )
    return incoming, outgoing
