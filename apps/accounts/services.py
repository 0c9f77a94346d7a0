"""The accounts app owns users, roles, region scope and the two logs. Writes that every
app uses: ``record_audit`` (after a write), ``record_access`` (after a view of a file) and
``record_taking`` (after an export or download of personal data)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Model
from django.utils import timezone

from .models import AccessEntry, AuditEntry, User, office_of


def record_audit(
    *,
    actor: User | None,
    action: str,
    obj: Model | None = None,
    model: str = "",
    object_id: str = "",
    changes: dict[str, Any] | None = None,
) -> AuditEntry:
    if obj is not None:
        model, object_id = obj._meta.label, str(obj.pk)
    return AuditEntry.objects.create(
        actor=actor if actor and actor.is_authenticated else None,
        action=action,
        model=model,
        object_id=object_id,
        changes=changes or {},
    )


def diff_fields(obj: Model, values: dict[str, Any]) -> dict[str, list[Any]]:
    """{field: [old, new]} for the values that differ from ``obj``; JSON-friendly."""
    out = {}
    for field, new in values.items():
        old = getattr(obj, field)
        if old != new:
            out[field] = [_plain(old), _plain(new)]
    return out


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def record_access(
    *, viewer: User, person, purpose: str, ip: str | None = None, resource: str = ""
) -> AccessEntry:
    return AccessEntry.objects.create(
        viewer=viewer,
        office=office_of(viewer),
        person=person,
        purpose=purpose,
        ip=ip,
        resource=resource[:200],
    )


def record_taking(
    *,
    viewer: User,
    purpose: str,
    resource: str,
    filters: dict[str, Any] | None = None,
    rows: int,
    person_ids: Iterable[int] = (),
    ip: str | None = None,
) -> None:
    """An export or download: one entry saying what was taken, with which filter and how
    many rows, and one entry for each person it names."""
    from apps.imports.specs import insert_rows

    now = timezone.now()
    common = {
        "at": now,
        "viewer_id": viewer.pk,
        "office": office_of(viewer),
        "purpose": purpose,
        "resource": resource[:200],
        "ip": ip,
    }
    AccessEntry.objects.create(
        **{k: v for k, v in common.items() if k != "at"},
        filters={k: v for k, v in (filters or {}).items() if v not in ("", None)},
        rows=rows,
    )
    insert_rows(
        AccessEntry,
        [{**common, "person_id": pk} for pk in dict.fromkeys(person_ids)],
    )
