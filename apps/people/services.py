"""The people app owns the labour-resource registry (劳动力资源信息库). Writes: opening a
person's file (always access-logged) and revealing their identifiers."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from apps.accounts.models import AccessEntry, User
from apps.accounts.services import record_access

from .models import Person
from .selectors import person_detail


def open_person_file(*, user: User, pk: int, ip: str | None = None, reveal: bool = False) -> Person:
    """Fetch a person's file within the user's scope and log the view (个人信息保护法).
    ``reveal`` shows the full ID and phone number, for roles allowed to, and is logged apart."""
    if reveal and not user.can_reveal_identifiers:
        raise PermissionDenied("您的角色不能查看完整证件号码")
    person = person_detail(user=user, pk=pk)
    purpose = AccessEntry.Purpose.REVEAL if reveal else AccessEntry.Purpose.VIEW
    record_access(viewer=user, person=person, purpose=purpose, ip=ip)
    return person
