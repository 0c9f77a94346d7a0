"""Reads of the registry. Every query starts from ``people_in_scope`` so a staff member
only ever sees the people of their own region."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet

from apps.accounts.models import User
from apps.accounts.scoping import region_prefix_q, scope_queryset

from .models import Household, KeyGroupTag, LabourStatus, Person, StatusChange

IN_WORK = (LabourStatus.EMPLOYED, LabourStatus.FLEXIBLE)


def people_in_scope(user: User) -> QuerySet[Person]:
    return scope_queryset(Person.objects.all(), user, "community_id")


def person_list(
    *, user: User, q: str = "", status: str = "", group: str = "", community: str = ""
) -> QuerySet[Person]:
    """Search by name (contains), full resident ID or mobile number; filter by labour status,
    key group and community (code prefix)."""
    qs = people_in_scope(user).select_related("community")
    q = q.strip()
    if q:
        if len(q) == 18:
            qs = qs.filter(id_number=q.upper())
        elif q.isdigit() and len(q) == 11:
            qs = qs.filter(phone=q)
        else:
            qs = qs.filter(name__contains=q)
    if status:
        qs = qs.filter(labour_status=status)
    if group:
        qs = qs.filter(tags__group=group, tags__end__isnull=True).distinct()
    if community:
        qs = qs.filter(region_prefix_q("community_id", community))
    return qs.order_by("community_id", "id")


def person_detail(*, user: User, pk: int) -> Person:
    """One person's file with everything on it; ``Person.DoesNotExist`` outside the scope."""
    return (
        people_in_scope(user)
        .select_related("community__parent", "household")
        .prefetch_related(
            Prefetch("status_history", queryset=StatusChange.objects.order_by("-since", "-id")),
            Prefetch("tags", queryset=KeyGroupTag.objects.order_by("-start")),
            "certificates",
            "wish_occupations",
        )
        .get(pk=pk)
    )


def household_members(*, user: User, person: Person) -> QuerySet[Person]:
    if not person.household_id:
        return Person.objects.none()
    return people_in_scope(user).filter(household_id=person.household_id).exclude(pk=person.pk)


def status_counts(*, user: User) -> dict[str, int]:
    from django.db.models import Count

    rows = people_in_scope(user).values("labour_status").annotate(n=Count("id"))
    return {row["labour_status"]: row["n"] for row in rows}


def zero_employment_households(prefix: str = "") -> QuerySet[Household]:
    """Zero-employment families (零就业家庭) of the households registered in a region: at
    least one member registered unemployed and no member in work (employed or flexible).
    Members outside working age are retired, students or inactive, so they neither make
    nor break it."""
    qs = Household.objects.all()
    if prefix:
        qs = qs.filter(region_prefix_q("community_id", prefix))
    return qs.annotate(
        unemployed=Count("members", filter=Q(members__labour_status=LabourStatus.UNEMPLOYED)),
        working=Count("members", filter=Q(members__labour_status__in=IN_WORK)),
    ).filter(unemployed__gt=0, working=0)


def groups_on(person: Person, day) -> set[str]:
    """The key groups a person belongs to on ``day`` (tags in force that day)."""
    return set(
        KeyGroupTag.objects.filter(person=person, start__lte=day)
        .filter(Q(end__isnull=True) | Q(end__gte=day))
        .values_list("group", flat=True)
    )


def in_force_on(day) -> Q:
    """A registration in force on ``day``: begun by then and not ended by then (one ended
    on a day no longer counts that day), as the indicators count it."""
    return Q(registered_on__lte=day) & (Q(ended_on__isnull=True) | Q(ended_on__gt=day))
