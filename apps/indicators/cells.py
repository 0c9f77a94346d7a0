"""Pre-aggregated indicator cells, kept exact.

A cell is one counted indicator's value for the events of one stored region code (a
community, street or county) in one month that is over: a flow's events of the month, or
a spell stock's starts and ends in the month (``code>`` and ``code<``). ``figures()``
sums the cells of the whole months inside a period and counts live only what no clean
cell covers: the month under way, the partial months at a period's edges and any month
marked dirty. A month's cells are rebuilt, in one grouped query for all the months
missing, the first time they are read. The month under way has day cells (key ``code@``,
one a closed day: from its first day to yesterday), so only today is counted live.

Exactness: every write that can change an event of a month marks that month dirty for
the indicators it feeds, before the next read. ORM saves and deletes of the source
tables do it by signals (``apps.py``), comparing the row's dates before and after;
a change touching a person (a registration, a tag, a move to another community) marks
every month in which that person has an event, since the person's other events decide
how an event counts (a new job or a change of job; hard to employ that day). The bulk
writers call ``touch_people``/``touch_days`` themselves (imports, households, payments),
and what generates a whole city calls ``reset()``. A test writes through each path and
compares the cached figures with the live ones."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.db import models, transaction
from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth

from apps.accounts.scoping import region_prefix_q

from .definitions import FLOW, INDICATORS, Indicator

FLOOR = dt.date(2000, 1, 1)  # cells from this month on; earlier events are read live
DAWN = dt.date(1900, 1, 1)


def _keys() -> dict[str, tuple[Indicator, str]]:
    """cell key → (indicator, what): 'flow', 'start' or 'end'."""
    out = {}
    for code, indicator in INDICATORS.items():
        if indicator.counted and indicator.measure == FLOW:
            out[code] = (indicator, "flow")
        elif indicator.spells is not None:
            out[f"{code}>"] = (indicator, "start")
            out[f"{code}<"] = (indicator, "end")
            out[f"{code}="] = (indicator, "stock")  # the stock at each month's end
    return out


KEYS = _keys()
# the keys whose events name a person (their months move with the person's other events)
PERSON_KEYS = {
    k
    for k, (i, what) in KEYS.items()
    if what != "stock" and (i.region_field.startswith("person__") or i.person_field)
}


def first_of(day: dt.date) -> dt.date:
    return day.replace(day=1)


def next_month(month: dt.date) -> dt.date:
    return (month + dt.timedelta(days=32)).replace(day=1)


def month_end(month: dt.date) -> dt.date:
    return next_month(month) - dt.timedelta(days=1)


DAY = "@"  # a day cell's key: the key and this mark; its "month" column holds the day


def day_key(key: str) -> str:
    return key + DAY


def closed_days(today: dt.date) -> list[dt.date]:
    """The days of the month under way that are over."""
    return [first_of(today) + dt.timedelta(days=n) for n in range(today.day - 1)]


def closed_months(today: dt.date) -> list[dt.date]:
    """Every month from FLOOR to the last one that is over."""
    out, month, current = [], FLOOR, first_of(today)
    while month < current:
        out.append(month)
        month = next_month(month)
    return out


# --- the source of a key ------------------------------------------------------------------
def _source(key: str, a: dt.date, b: dt.date):
    """(queryset of the key's events dated in [a, b], their date field, measure)."""
    indicator, what = KEYS[key]
    if what == "flow":
        qs = indicator.events(a, b)
        day = indicator.day_field
    else:
        day = "registered_on" if what == "start" else "ended_on"
        qs = indicator.spells().filter(**{f"{day}__range": (a, b)})
    measure = Sum(indicator.amount_field) if indicator.amount_field else Count("pk", distinct=True)
    return qs, day, measure


def _number(v) -> float:
    return float(v or 0)


def live_by_code(key: str, a: dt.date, b: dt.date, prefix: str) -> dict[str, float]:
    indicator = KEYS[key][0]
    qs, _, measure = _source(key, a, b)
    if prefix:
        qs = qs.filter(region_prefix_q(indicator.region_field, prefix))
    rows = qs.order_by().values_list(indicator.region_field).annotate(v=measure)
    return {code: _number(v) for code, v in rows}


def live_by_month(key: str, a: dt.date, b: dt.date, prefix: str) -> dict[dt.date, float]:
    indicator = KEYS[key][0]
    qs, day, measure = _source(key, a, b)
    if prefix:
        qs = qs.filter(region_prefix_q(indicator.region_field, prefix))
    rows = qs.order_by().annotate(m=TruncMonth(day)).values_list("m").annotate(v=measure)
    out: dict[dt.date, float] = defaultdict(float)
    for m, v in rows:
        out[m.date() if isinstance(m, dt.datetime) else m] += _number(v)
    return out


# --- building ------------------------------------------------------------------------------
def ensure(keys: Iterable[str], today: dt.date) -> None:
    """Build the cells of every closed month not built yet, for each key."""
    from .models import BuiltMonth

    wanted = closed_months(today)
    if not wanted:
        return
    keys = list(keys)
    # a stock is made of its spells' starts and ends: those first
    for key in list(keys):
        if KEYS[key][1] == "stock":
            keys[:0] = [key[:-1] + ">", key[:-1] + "<"]
    done: set[str] = set()
    for key in keys:
        if key in done:
            continue
        done.add(key)
        built = set(BuiltMonth.objects.filter(key=key).values_list("month", flat=True))
        missing = [m for m in wanted if m not in built]
        if not missing:
            continue
        with transaction.atomic():
            # no write falls between this read of the events and their marking clean
            if not _build_lock():
                return  # a writer is at work: read live this time
            built = set(BuiltMonth.objects.filter(key=key).values_list("month", flat=True))
            missing = [m for m in wanted if m not in built]
            if missing:
                _build(key, missing)
    _ensure_days(keys, today)


def _ensure_days(keys: list[str], today: dt.date) -> None:
    """Build the day cells of the closed days of the month under way (and drop those of
    months now over, which their month cells replace)."""
    from .models import BuiltMonth, IndicatorCell

    days = closed_days(today)
    for key in dict.fromkeys(keys):
        if KEYS[key][1] == "stock":
            continue
        dkey = day_key(key)
        built = set(BuiltMonth.objects.filter(key=dkey).values_list("month", flat=True))
        stale = any(d < first_of(today) for d in built)
        missing = [d for d in days if d not in built]
        if not missing and not stale:
            continue
        with transaction.atomic():
            if not _build_lock():
                return  # a writer is at work: read live this time
            BuiltMonth.objects.filter(key=dkey, month__lt=first_of(today)).delete()
            IndicatorCell.objects.filter(key=dkey, month__lt=first_of(today)).delete()
            built = set(
                BuiltMonth.objects.filter(key=dkey, month__gte=first_of(today)).values_list(
                    "month", flat=True
                )
            )
            missing = [d for d in days if d not in built]
            if missing:
                _build_days(key, missing)


def _build_days(key: str, missing: list[dt.date]) -> None:
    from django.db.models.functions import TruncDay

    from .models import BuiltMonth, IndicatorCell

    indicator = KEYS[key][0]
    qs, day, measure = _source(key, missing[0], missing[-1])
    rows = (
        qs.order_by()
        .annotate(d=TruncDay(day))
        .values_list(indicator.region_field, "d")
        .annotate(v=measure)
    )
    todo = set(missing)
    cells = []
    for code, d, v in rows:
        d = d.date() if isinstance(d, dt.datetime) else d
        if d in todo and code and v:
            cells.append(IndicatorCell(key=day_key(key), code=code, month=d, value=_number(v)))
    IndicatorCell.objects.filter(key=day_key(key), month__in=missing).delete()
    IndicatorCell.objects.bulk_create(cells, batch_size=5000)
    BuiltMonth.objects.bulk_create(
        [BuiltMonth(key=day_key(key), month=d) for d in missing],
        batch_size=5000,
        ignore_conflicts=True,
    )


def _build(key: str, missing: list[dt.date]) -> None:
    from .models import BuiltMonth, IndicatorCell

    indicator = KEYS[key][0]
    if KEYS[key][1] == "stock":
        _build_stock(key, missing)
        return
    qs, day, measure = _source(key, missing[0], month_end(missing[-1]))
    rows = (
        qs.order_by()
        .annotate(m=TruncMonth(day))
        .values_list(indicator.region_field, "m")
        .annotate(v=measure)
    )
    todo = set(missing)
    cells = []
    for code, m, v in rows:
        m = m.date() if isinstance(m, dt.datetime) else m
        if m in todo and code and v:
            cells.append(IndicatorCell(key=key, code=code, month=m, value=_number(v)))
    with transaction.atomic():
        IndicatorCell.objects.filter(key=key, month__in=missing).delete()
        IndicatorCell.objects.bulk_create(cells, batch_size=5000)
        BuiltMonth.objects.bulk_create(
            [BuiltMonth(key=key, month=m) for m in missing],
            batch_size=5000,
            ignore_conflicts=True,
        )


def _build_stock(key: str, missing: list[dt.date]) -> None:
    """The stock at each missing month's end, per code: every start up to that month less
    every end (spells begun before FLOOR counted live once)."""
    from .models import BuiltMonth, IndicatorCell

    code = key[:-1]
    eve = FLOOR - dt.timedelta(days=1)
    base: dict[str, float] = defaultdict(float)
    for part, sign in ((">", 1.0), ("<", -1.0)):
        for c, v in live_by_code(code + part, DAWN, eve, "").items():
            base[c] += sign * v
    flows: dict[dt.date, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for sign, part in ((1.0, ">"), (-1.0, "<")):
        for c, m, v in IndicatorCell.objects.filter(
            key=code + part, month__lte=missing[-1]
        ).values_list("code", "month", "value"):
            flows[m][c] += sign * v
    level = defaultdict(float, base)
    todo, cells = set(missing), []
    month = FLOOR
    while month <= missing[-1]:
        for c, v in flows.get(month, {}).items():
            level[c] += v
        if month in todo:
            cells += [
                IndicatorCell(key=key, code=c, month=month, value=v) for c, v in level.items() if v
            ]
        month = next_month(month)
    with transaction.atomic():
        IndicatorCell.objects.filter(key=key, month__in=missing).delete()
        IndicatorCell.objects.bulk_create(cells, batch_size=5000)
        BuiltMonth.objects.bulk_create(
            [BuiltMonth(key=key, month=m) for m in missing], batch_size=5000, ignore_conflicts=True
        )


def stock_by_code(code: str, day: dt.date, prefix: str, today: dt.date) -> dict[str, float]:
    """A spell stock on ``day`` per stored region code: the stock cell at the end of the
    month before (when built), and that month's starts and ends up to the day."""
    from .models import BuiltMonth, IndicatorCell

    key = code + "="
    ensure([key], today)
    before = first_of(day) - dt.timedelta(days=1)
    out: dict[str, float] = defaultdict(float)
    if (
        first_of(before) >= FLOOR
        and BuiltMonth.objects.filter(key=key, month=first_of(before)).exists()
    ):
        cells = IndicatorCell.objects.filter(key=key, month=first_of(before))
        if prefix:
            cells = cells.filter(region_prefix_q("code", prefix))
        for c, v in cells.values_list("code", "value"):
            out[c] += v
        start = first_of(day)
    else:
        start = DAWN
    for part, sign in ((">", 1.0), ("<", -1.0)):
        for c, v in by_code(code + part, start, day, prefix, today).items():
            out[c] += sign * v
    return out


def _covered(key: str, a: dt.date, b: dt.date, today: dt.date):
    """(whole built months inside [a, b], the sub-ranges of [a, b] to count live)."""
    from .models import BuiltMonth

    current = first_of(today)
    built = set(
        BuiltMonth.objects.filter(key=key, month__gte=first_of(a), month__lte=b).values_list(
            "month", flat=True
        )
    )
    months, live, cursor = [], [], a
    month = first_of(a)
    while month <= b:
        whole = month >= a and month_end(month) <= b and month < current and month in built
        if whole:
            if cursor < month:
                live.append((cursor, month - dt.timedelta(days=1)))
            months.append(month)
            cursor = next_month(month)
        month = next_month(month)
    if cursor <= b:
        live.append((cursor, b))
    return months, live


def _split_days(key: str, live, today: dt.date):
    """Of the ranges to count live, the closed days of the month under way whose day
    cells are built: (those days, the ranges still to count live)."""
    from .models import BuiltMonth

    current = first_of(today)
    if KEYS[key][1] == "stock" or not any(hi >= current and lo < today for lo, hi in live):
        return [], live
    built = set(
        BuiltMonth.objects.filter(
            key=day_key(key), month__gte=current, month__lt=today
        ).values_list("month", flat=True)
    )
    days, rest = [], []
    for lo, hi in live:
        cursor, day = lo, max(lo, current)
        while day <= min(hi, today - dt.timedelta(days=1)):
            if day in built:
                if cursor < day:
                    rest.append((cursor, day - dt.timedelta(days=1)))
                days.append(day)
                cursor = day + dt.timedelta(days=1)
            day += dt.timedelta(days=1)
        if cursor <= hi:
            rest.append((cursor, hi))
    return days, rest


def by_code(key: str, a: dt.date, b: dt.date, prefix: str, today: dt.date) -> dict[str, float]:
    """The key's value per stored region code over [a, b]: cells where clean, live else."""
    from .models import IndicatorCell

    ensure([key], today)
    months, live = _covered(key, max(a, DAWN), b, today)
    days, live = _split_days(key, live, today)
    out: dict[str, float] = defaultdict(float)
    for cell_key, dates in ((key, months), (day_key(key), days)):
        if not dates:
            continue
        cells = IndicatorCell.objects.filter(key=cell_key, month__in=dates)
        if prefix:
            cells = cells.filter(region_prefix_q("code", prefix))
        for code, v in cells.order_by().values_list("code").annotate(v=Sum("value")):
            out[code] += v
    for lo, hi in live:
        for code, v in live_by_code(key, lo, hi, prefix).items():
            out[code] += v
    return out


def by_month(key: str, a: dt.date, b: dt.date, prefix: str, today: dt.date) -> dict[dt.date, float]:
    """The key's value per month over [a, b] for a region."""
    from .models import IndicatorCell

    ensure([key], today)
    months, live = _covered(key, a, b, today)
    days, live = _split_days(key, live, today)
    out: dict[dt.date, float] = defaultdict(float)
    for cell_key, dates in ((key, months), (day_key(key), days)):
        if not dates:
            continue
        cells = IndicatorCell.objects.filter(key=cell_key, month__in=dates)
        if prefix:
            cells = cells.filter(region_prefix_q("code", prefix))
        for m, v in cells.order_by().values_list("month").annotate(v=Sum("value")):
            out[first_of(m)] += v
    for lo, hi in live:
        for m, v in live_by_month(key, lo, hi, prefix).items():
            out[m] += v
    return out


# --- keeping them exact ----------------------------------------------------------------------
def _share_lock() -> None:
    """A writer's side of the cells' lock, for the rest of its transaction: shared, so
    writers never wait for each other; only a build waits for them (see CellLock)."""
    from django.db import connection

    from .models import CellLock

    if not CellLock.objects.filter(pk=1).exists():  # the migration made it; a flush may not
        CellLock.objects.get_or_create(pk=1)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            table = connection.ops.quote_name(CellLock._meta.db_table)
            cursor.execute(f"SELECT id FROM {table} WHERE id = 1 FOR SHARE")  # noqa: S608
    # SQLite has one writer at a time: a build's read and write are one transaction


def _build_lock() -> bool:
    """A builder's side: exclusive, and never waiting (a long import holds the shared
    side): False when a writer holds it, and the months are then counted live."""
    from django.db import DatabaseError

    from .models import CellLock

    if not CellLock.objects.filter(pk=1).exists():
        CellLock.objects.get_or_create(pk=1)
    try:
        with transaction.atomic():
            CellLock.objects.select_for_update(nowait=True).filter(pk=1).first()
    except DatabaseError:
        return False
    return True


def touch(keys: Iterable[str], days: Iterable[dt.date | None]) -> None:
    """Mark the months of ``days`` dirty for ``keys``: their cells are rebuilt when read."""
    from .models import BuiltMonth, IndicatorCell

    days = {d for d in days if d is not None}
    months = {first_of(d) for d in days}
    keys = list(keys)
    if not months or not keys:
        return
    with transaction.atomic():  # inside the writer's transaction when there is one
        _share_lock()
        BuiltMonth.objects.filter(key__in=keys, month__in=months).delete()
        IndicatorCell.objects.filter(key__in=keys, month__in=months).delete()
        day_keys = [day_key(k) for k in keys if KEYS[k][1] != "stock"]
        BuiltMonth.objects.filter(key__in=day_keys, month__in=days).delete()
        IndicatorCell.objects.filter(key__in=day_keys, month__in=days).delete()
        # a spell's start or end moves the stock at the end of that month and every later
        stocks = {k[:-1] + "=" for k in keys if KEYS[k][1] in ("start", "end")}
        if stocks:
            earliest = min(months)
            BuiltMonth.objects.filter(key__in=stocks, month__gte=earliest).delete()
            IndicatorCell.objects.filter(key__in=stocks, month__gte=earliest).delete()


def touch_days(model: type[models.Model], days: Iterable[dt.date | None]) -> None:
    """A write to ``model`` dated on ``days`` (old and new dates alike)."""
    touch(keys_of(model), days)


def person_days(person_ids: Iterable[int]) -> set[dt.date]:
    """Every date on which these people have an event an indicator counts."""
    from apps.jobs.models import WelfarePlacement
    from apps.people.models import Certificate, Registration, StatusChange
    from apps.people.models import ZeroEmploymentAlert as Zero
    from apps.policies.models import Payment
    from apps.startups.models import GuaranteeLoan
    from apps.training.models import Enrolment

    ids = list(set(person_ids))
    days: set[dt.date] = set()
    for part in range(0, len(ids), 5000):
        chunk = ids[part : part + 5000]
        for start, end in Registration.objects.filter(person_id__in=chunk).values_list(
            "registered_on", "ended_on"
        ):
            days.update((start, end))
        days.update(
            StatusChange.objects.filter(person_id__in=chunk).values_list("since", flat=True)
        )
        days.update(
            Certificate.objects.filter(person_id__in=chunk).values_list("issued_on", flat=True)
        )
        days.update(
            WelfarePlacement.objects.filter(person_id__in=chunk).values_list("start", flat=True)
        )
        days.update(
            Enrolment.objects.filter(person_id__in=chunk).values_list("completed_on", flat=True)
        )
        days.update(
            GuaranteeLoan.objects.filter(borrower_id__in=chunk).values_list("issued_on", flat=True)
        )
        days.update(
            Zero.objects.filter(cleared_by_id__in=chunk).values_list("cleared_on", flat=True)
        )
        days.update(
            Payment.objects.filter(application__person_id__in=chunk).values_list(
                "paid_on", flat=True
            )
        )
    days.discard(None)
    return days


def touch_people(person_ids: Iterable[int], extra: Iterable[dt.date | None] = ()) -> None:
    """These people changed (an event, a tag, their community): every month in which they
    have an event is dirty for the indicators that name people."""
    ids = list(person_ids)
    if not ids:
        return
    touch(PERSON_KEYS, person_days(ids) | {d for d in extra if d is not None})


def keys_of(model: type[models.Model]) -> list[str]:
    """The cell keys whose events are rows of ``model``."""
    out = []
    for key, (indicator, what) in KEYS.items():
        if what == "stock":
            continue  # follows its starts and ends (touch)
        qs = indicator.spells() if what != "flow" else indicator.events(FLOOR, FLOOR)
        if qs.model is model:
            out.append(key)
    return out


def reset() -> None:
    """Drop every cell (after generating or loading a whole city)."""
    from .models import BuiltMonth, IndicatorCell

    BuiltMonth.objects.all().delete()
    IndicatorCell.objects.all().delete()


# --- the hooks the writers call ----------------------------------------------------------
def _person_models() -> tuple:
    from apps.jobs.models import WelfarePlacement
    from apps.people.models import Certificate, KeyGroupTag, Registration, StatusChange
    from apps.startups.models import GuaranteeLoan
    from apps.training.models import Enrolment

    return (
        Registration,
        StatusChange,
        KeyGroupTag,
        Certificate,
        WelfarePlacement,
        Enrolment,
        GuaranteeLoan,
    )


def _person_of(row, get=None):
    """The person a row of a person model names (a loan names its borrower)."""
    get = get or (lambda r, f: getattr(r, f, None))
    found = get(row, "person_id")
    return found if found is not None else get(row, "borrower_id")


def _date_values(row) -> list[dt.date]:
    values = row.values() if isinstance(row, dict) else vars(row).values()
    return [v for v in values if isinstance(v, dt.date) and not isinstance(v, dt.datetime)]


def after_rows(model: type[models.Model], rows: list) -> None:
    """Rows written in bulk (insert_rows, bulk_create, bulk_update): mark what they touch."""
    from apps.jobs.models import Job
    from apps.people.models import Person, ZeroEmploymentAlert
    from apps.policies.models import Payment
    from apps.startups.models import Startup

    if not rows:
        return
    get = (lambda r, f: r.get(f)) if isinstance(rows[0], dict) else getattr
    if model in _person_models():
        touch_people(
            {_person_of(r, get) for r in rows} - {None},
            [d for r in rows for d in _date_values(r)],
        )
    elif model is Person:
        stored = [get(r, "pk") or get(r, "id") for r in rows]
        touch_people([pk for pk in stored if pk])
    elif model in (Job, ZeroEmploymentAlert, Payment, Startup, *_day_models()):
        touch_days(model, [d for r in rows for d in _date_values(r)])
        if model is ZeroEmploymentAlert:
            touch_people({get(r, "cleared_by_id") for r in rows} - {None})
    elif model in _fair_models():
        _touch_fairs(
            model, [d for r in rows for d in _date_values(r)], [get(r, "fair_id") for r in rows]
        )


def _day_models() -> tuple:
    """Sources whose events are dated by their own date fields alone."""
    from apps.cooperation.models import BrandBusiness, Dispatch
    from apps.gigs.models import Take

    return (Take, BrandBusiness, Dispatch)


def _fair_models() -> tuple:
    from apps.fairs.models import Fair, Intention

    return (Fair, Intention)


def _touch_fairs(model, days: list, fair_ids: list) -> None:
    """A fair's events are dated by its day: a write to a fair moves its own count and its
    intentions' (a fair cancelled or moved), an intention's the count of its fair's day."""
    from apps.fairs.models import Fair, Intention

    if model is Intention:
        days = list(
            Fair.objects.filter(pk__in=set(fair_ids) - {None}).values_list("held_on", flat=True)
        )
        touch(keys_of(Intention), days)
    else:
        touch([*keys_of(Fair), *keys_of(Intention)], days)


_OLD = "_indicator_days"


def remember(sender, instance, **kwargs) -> None:
    """pre_save: the row's dates (and community) as stored, before they change."""
    if not instance.pk:
        return
    fields = [
        f.attname
        for f in sender._meta.concrete_fields
        if isinstance(f, models.DateField) and not isinstance(f, models.DateTimeField)
    ]
    if sender._meta.label == "people.Person":
        fields = ["community_id"]
    old = sender.objects.filter(pk=instance.pk).values(*fields).first()
    setattr(instance, _OLD, old or {})


def changed(sender, instance, **kwargs) -> None:
    """post_save / post_delete of a source row."""
    from apps.jobs.models import Job
    from apps.people.models import Person, ZeroEmploymentAlert
    from apps.policies.models import Payment
    from apps.startups.models import Startup

    old = getattr(instance, _OLD, {})
    if sender is Person:
        if kwargs.get("created") or old.get("community_id") == instance.community_id:
            return  # a new person has no events; other fields feed no indicator
        touch_people([instance.pk])
        return
    days = [*_date_values(instance), *(v for v in old.values() if isinstance(v, dt.date))]
    if sender in _person_models():
        touch_people([_person_of(instance)], days)
    elif sender is ZeroEmploymentAlert:
        touch_days(sender, days)
        if instance.cleared_by_id:
            touch_people([instance.cleared_by_id])
    elif sender in (Job, Payment, Startup, *_day_models()):
        touch_days(sender, days)
    elif sender in _fair_models():
        _touch_fairs(sender, days, [getattr(instance, "fair_id", None)])


def sources() -> list[type[models.Model]]:
    from apps.jobs.models import Job
    from apps.people.models import Person, ZeroEmploymentAlert
    from apps.policies.models import Payment
    from apps.startups.models import Startup

    return [
        *_person_models(),
        Person,
        Job,
        ZeroEmploymentAlert,
        Payment,
        Startup,
        *_fair_models(),
        *_day_models(),
    ]
