"""The accounts app owns users, roles, region scope and the two logs. Writes that every
app uses: ``record_audit`` (after a write) and ``record_access`` (after a view of a file)."""

from __future__ import annotations

from typing import Any

from django.db.models import Model

from .models import AccessEntry, AuditEntry, User


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


def record_access(*, viewer: User, person, purpose: str, ip: str | None = None) -> AccessEntry:
    return AccessEntry.objects.create(viewer=viewer, person=person, purpose=purpose, ip=ip)
