"""What the platform holds on a person, for the person (个人信息保护法 第四十五条: the right
to consult and copy one's personal information) and who has looked at it (the access log
filtered to them, as Estonia's data tracker shows its citizens).

The copy is built from the models themselves: every table that points at the person is a
sheet, so a record added by a later app is in the copy without anyone remembering it.
Staff appear as their office (role and region), never by name or address."""

from __future__ import annotations

import json
from collections.abc import Iterable

from django.db import models
from django.db.models import QuerySet
from django.utils import timezone

from apps.accounts.models import AccessEntry, User, office_of
from jiuye.exports import workbook

from .models import Person

# Tables below a table that points at the person: (model label, path to the person).
NESTED = {"services.PlanStep": "plan__person"}
# Relations that are not the person's information (their login account is shown apart).
SKIPPED = {"accounts.User"}
# Fields about staff rather than about the person (the access log keeps the office apart).
STAFF_FIELDS = {"ip", "viewer"}


def access_history(person: Person) -> QuerySet[AccessEntry]:
    """Every look at the person's information: when, which office, why, what."""
    return AccessEntry.objects.filter(person=person).select_related("viewer").order_by("-at")


def _cell(obj: models.Model, field: models.Field):
    value = getattr(obj, field.attname)
    if value is None or value == "":
        return ""
    if field.is_relation:
        related = getattr(obj, field.name)
        return office_of(related) if isinstance(related, User) else str(related)
    if field.choices:
        return getattr(obj, f"get_{field.name}_display")()
    if isinstance(field, models.JSONField):
        return "、".join(map(str, value)) if isinstance(value, list) else json.dumps(value)
    if isinstance(field, models.DateTimeField):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(field, (models.DateField, models.DecimalField)):
        return str(value)
    return value


def _label(field: models.Field) -> str:
    """The field's Chinese name; a link without one is named by what it links to."""
    label = str(field.verbose_name)
    if field.is_relation and label == field.name.replace("_", " "):
        return (
            "经办机构"
            if field.related_model is User
            else str(field.related_model._meta.verbose_name)
        )
    return label


def _sheet(model: type[models.Model], rows: Iterable[models.Model], skip: set[str]):
    fields = [
        f
        for f in model._meta.concrete_fields
        if not f.primary_key and f.name not in skip and f.name not in STAFF_FIELDS
    ]
    header = [_label(f) for f in fields]
    return (str(model._meta.verbose_name), header, [[_cell(r, f) for f in fields] for r in rows])


def _tables(person: Person):
    """(model, rows, the field pointing at the person) for every table about the person."""
    for relation in Person._meta.get_fields(include_hidden=True):
        if not (relation.auto_created and not relation.concrete and relation.one_to_many):
            continue
        model = relation.related_model
        if model._meta.label in SKIPPED or model._meta.auto_created:  # m2m through tables
            continue
        rows = model._default_manager.filter(**{relation.field.name: person})
        yield model, rows, relation.field.name
    from django.apps import apps

    for label, path in NESTED.items():
        model = apps.get_model(label)
        yield model, model._default_manager.filter(**{path: person}), path.split("__")[0]


def personal_data_workbook(person: Person) -> bytes:
    """Everything the platform holds on ``person``, one sheet per kind of record."""
    basic = _sheet(Person, [person], {"import_job"})
    header, row = basic[1], basic[2][0]
    header.append("求职意向职业")
    row.append("、".join(str(o) for o in person.wish_occupations.all()))
    sheets = [("基本信息", ["项目", "内容"], [list(pair) for pair in zip(header, row)])]
    for model, rows, link in _tables(person):
        title, header, values = _sheet(model, rows.order_by("pk"), {link, "import_job"})
        if values:
            sheets.append((title, header, values))
    return workbook(sheets)
