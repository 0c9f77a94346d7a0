"""The one scoping helper: every selector that returns people, employers or jobs passes its
queryset through ``scope_queryset`` so a staff member sees only their region."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from .models import ROLE_SCOPE_LEVEL, Role, User

# Codes are digits, so every code starting with a prefix sorts between prefix and prefix+"~".
# A range (not LIKE) keeps the region index usable on SQLite and PostgreSQL alike.
_AFTER_DIGITS = "~"


def region_prefix_q(field: str, prefix: str) -> Q:
    return Q(**{f"{field}__gte": prefix, f"{field}__lt": prefix + _AFTER_DIGITS})


def user_scope_prefix(user: User) -> str | None:
    """The region-code prefix a user may see: '' for everything, None for nothing."""
    if not user.is_authenticated or not user.is_active:
        return None
    if user.role == Role.ADMIN or user.is_superuser:
        return ""
    if user.role in ROLE_SCOPE_LEVEL or user.role == Role.LEADER:
        return user.scope_region.scope_prefix if user.scope_region_id else None
    return None


def scope_queryset(qs: QuerySet, user: User, region_field: str) -> QuerySet:
    """Restrict ``qs`` to rows whose ``region_field`` (a region code) lies in the user's scope."""
    prefix = user_scope_prefix(user)
    if prefix is None:
        return qs.none()
    if prefix == "":
        return qs
    return qs.filter(region_prefix_q(region_field, prefix))


def in_scope(user: User, region_code: str) -> bool:
    prefix = user_scope_prefix(user)
    return prefix is not None and region_code.startswith(prefix)
