"""Reads of labour cooperation and brands, inside the viewer's region: the people out at
work by partner and status, and each brand's businesses, jobs and members against its
targets."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum

from apps.accounts.models import User
from apps.accounts.scoping import scope_queryset
from apps.people.models import Certificate, Registration
from apps.people.selectors import in_force_on

from .models import Brand, BrandBusiness, BrandMember, Dispatch, Partner

OUT = (Dispatch.Status.WORKING, Dispatch.Status.CHANGED)


def partners_in_scope(user: User) -> QuerySet[Partner]:
    """The partners of the viewer's region and of the regions above it (a county's
    partners serve its streets and communities)."""
    inside = scope_queryset(Partner.objects.all(), user, "region_id")
    above = [r.code for r in _ancestors(user.scope_region)] if user.scope_region_id else []
    return Partner.objects.select_related("region", "partner_region").filter(
        Q(pk__in=inside.values("pk")) | Q(region_id__in=above)
    )


def _ancestors(region) -> list:
    out = []
    while region is not None and region.parent_id:
        region = region.parent
        out.append(region)
    return out


def dispatches_in_scope(user: User) -> QuerySet[Dispatch]:
    """The people of the viewer's region sent out (their files are the region's)."""
    return scope_queryset(
        Dispatch.objects.select_related("partner", "person", "brand"),
        user,
        "person__community_id",
    )


def dispatch_figures(qs: QuerySet[Dispatch], year: int) -> dict:
    return qs.aggregate(
        sent=Count("pk", filter=Q(left_on__year=year)),
        out=Count("pk", filter=Q(status__in=OUT)),
        returned=Count("pk", filter=Q(status=Dispatch.Status.RETURNED, returned_on__year=year)),
        unknown=Count("pk", filter=Q(status=Dispatch.Status.UNKNOWN)),
    )


def brands_in_scope(user: User) -> QuerySet[Brand]:
    return scope_queryset(Brand.objects.select_related("occupation", "region"), user, "region_id")


def active_on(day: dt.date) -> Q:
    return Q(registered_on__lte=day) & (Q(ended_on__isnull=True) | Q(ended_on__gt=day))


def brand_progress(brand: Brand, day: dt.date) -> dict:
    """The brand on a day: businesses carrying it and the jobs they give, its members and
    how many of them are trained (a certificate in the brand's trade) and employed (in
    registered work that day, or out at work with a partner)."""
    business = BrandBusiness.objects.filter(brand=brand).filter(active_on(day))
    totals = business.aggregate(n=Count("pk"), jobs=Sum("jobs"))
    members = BrandMember.objects.filter(brand=brand, joined_on__lte=day)
    certified = Certificate.objects.filter(
        person=OuterRef("person"), occupation_id=brand.occupation_id
    )
    working = Registration.objects.filter(
        in_force_on(day),
        person=OuterRef("person"),
        kind__in=(Registration.Kind.EMPLOYMENT, Registration.Kind.FLEXIBLE),
    )
    out = Dispatch.objects.filter(person=OuterRef("person"), status__in=OUT, left_on__lte=day)
    return {
        "businesses": totals["n"],
        "jobs": totals["jobs"] or 0,
        "members": members.count(),
        "trained": members.filter(Exists(certified)).count(),
        "employed": members.filter(Q(Exists(working)) | Q(Exists(out))).count(),
    }
