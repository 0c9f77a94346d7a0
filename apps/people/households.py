"""Zero-employment families (零就业家庭): detected from the registry, alerted, and cleared
when a member is in work again (动态清零).

``sync_zero_employment`` compares the households that are zero-employment now (a member
registered unemployed, none employed or in flexible work: ``selectors``) with the open
alerts: it opens an alert and tags the members for each new one, and for each one no
longer zero-employment it closes the alert, names the member now in work, and ends the
members' tags. It runs after every registration of a household's member, after imports
and daily (``python manage.py sync_zero_employment``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from apps.accounts.scoping import region_prefix_q

from .models import Household, KeyGroup, KeyGroupTag, Person, ZeroEmploymentAlert
from .selectors import IN_WORK, zero_employment_households

TAG = KeyGroup.ZERO_EMPLOYMENT_FAMILY


@dataclass
class SyncResult:
    opened: int = 0
    cleared: int = 0


def sync_zero_employment(
    prefix: str = "", households=None, today: dt.date | None = None
) -> SyncResult:
    """Open and clear alerts in a region (or for some households)."""
    today = today or timezone.localdate()
    now_zero = zero_employment_households(prefix)
    alerts = ZeroEmploymentAlert.objects.filter(cleared_on__isnull=True)
    if prefix:
        alerts = alerts.filter(region_prefix_q("community_id", prefix))
    if households is not None:
        ids = [h.pk for h in households]
        now_zero = now_zero.filter(pk__in=ids)
        alerts = alerts.filter(household_id__in=ids)
    result = SyncResult()
    from apps.indicators.cells import touch_people

    with transaction.atomic():
        zero = dict(now_zero.values_list("pk", "community_id"))
        open_ids = set(alerts.values_list("household_id", flat=True))
        new = [pk for pk in zero if pk not in open_ids]
        ZeroEmploymentAlert.objects.bulk_create(
            ZeroEmploymentAlert(household_id=pk, community_id=zero[pk], detected_on=today)
            for pk in new
        )
        # found again the day it was cleared: that day's tag is simply open again
        KeyGroupTag.objects.filter(group=TAG, start=today, person__household_id__in=new).update(
            end=None
        )
        tagged = set(
            KeyGroupTag.objects.filter(
                group=TAG, end__isnull=True, person__household_id__in=new
            ).values_list("person_id", flat=True)
        )
        KeyGroupTag.objects.bulk_create(
            (
                KeyGroupTag(person_id=pk, group=TAG, start=today, detail="系统识别")
                for pk in Person.objects.filter(household_id__in=new)
                .exclude(pk__in=tagged)
                .values_list("pk", flat=True)
            ),
            ignore_conflicts=True,
        )
        Person.objects.filter(household_id__in=new).update(updated_at=timezone.now())
        touch_people(Person.objects.filter(household_id__in=new).values_list("pk", flat=True))
        result.opened = len(new)
        for alert in alerts.exclude(household_id__in=list(zero)).select_related("household"):
            worker = (
                Person.objects.filter(household_id=alert.household_id, labour_status__in=IN_WORK)
                .order_by("-status_since", "id")
                .first()
            )
            alert.cleared_on, alert.cleared_by = today, worker
            alert.save(update_fields=["cleared_on", "cleared_by"])
            members = Person.objects.filter(household_id=alert.household_id)
            KeyGroupTag.objects.filter(
                group=TAG, end__isnull=True, person__in=members, start__lte=today
            ).update(end=today)
            members.update(updated_at=timezone.now())
            touch_people(members.values_list("pk", flat=True))
            result.cleared += 1
    return result


def sync_household_of(person: Person) -> SyncResult | None:
    """After a member's status changed: re-check their household only."""
    if not person.household_id:
        return None
    return sync_zero_employment(households=[Household(pk=person.household_id)])
