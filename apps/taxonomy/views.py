"""The classification as people search it: type “焊” or “电工” and pick an occupation."""

from __future__ import annotations

from django.db.models import Q
from django.shortcuts import render

from .mapping import suggest
from .models import Occupation

LIMIT = 20


def occupation_options(request):
    """Occupations whose name or code contains the words typed, most specific first: the
    options of a typeahead (a public list, no personal data)."""
    # the typed words, under whichever name the input has (htmx sends the input's own)
    q = next(iter(request.GET.values()), "").strip()[:32]
    found = []
    if q:
        found = list(
            Occupation.objects.filter(Q(name__contains=q) | Q(code__startswith=q))
            .filter(replaced_by__isnull=True)
            .order_by("-level", "code")
            .values("code", "name", "level")[:LIMIT]
        )
    if len(q) >= 2 and len(found) < LIMIT:
        # what the words mean when no name holds them: 氩弧焊 → 焊工, 拼多多运营 → 电子商务师
        seen = {o["code"] for o in found}
        found += [
            {"code": s.code, "name": s.name}
            for s in suggest(q, k=LIMIT - len(found))
            if s.code not in seen
        ]
    return render(request, "taxonomy/_occupation_options.html", {"found": found})
