"""Helpers every domain's pages share: pagination and records a user made."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404

from apps.accounts.models import Role

PAGE_SIZE = 50


def paginate(request, qs, per_page: int = PAGE_SIZE):
    return Paginator(qs, per_page).get_page(request.GET.get("page"))


def own_or_404(request, model, pk: int, missing: str):
    """A record the user created (administrators: any), else 404."""
    obj = model.objects.filter(pk=pk).first()
    if obj is None or not (request.user.role == Role.ADMIN or obj.created_by_id == request.user.pk):
        raise Http404(missing)
    return obj
