"""What an import kind declares (``ImportSpec``) and the shared upsert that writes a chunk
of cleaned rows by natural key: new rows created, changed rows updated with an audit
entry of what changed, identical rows left alone (so re-running a file changes nothing)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import models

from apps.accounts.models import AuditEntry

from .cells import CellError


@dataclass(frozen=True)
class Column:
    header: str  # Chinese column header in the template
    field: str  # key in the cleaned row
    required: bool = False
    help: str = ""


class RowInvalid(Exception):
    """A row with one or more (column header, reason) problems."""

    def __init__(self, problems: list[tuple[str, str]]):
        super().__init__("; ".join(f"{c}: {r}" for c, r in problems))
        self.problems = problems


class RowCleaner:
    """Collects every problem of a row rather than stopping at the first."""

    def __init__(self, raw: dict[str, str]):
        self.raw = raw
        self.problems: list[tuple[str, str]] = []

    def get(self, header: str, parse=None, *, required: bool = False, default: Any = None, **kw):
        text = self.raw.get(header, "").strip()
        if not text:
            if required:
                self.problems.append((header, "必填"))
            return default
        if parse is None:
            return text
        try:
            return parse(text, **kw)
        except (CellError, ValueError) as exc:
            self.problems.append((header, str(exc)))
            return default

    def fail(self, header: str, reason: str) -> None:
        self.problems.append((header, reason))

    def done(self) -> None:
        if self.problems:
            raise RowInvalid(self.problems)


@dataclass
class WriteResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    pks: dict[Any, Any] = field(default_factory=dict)  # natural key → primary key
    created_keys: list = field(default_factory=list)
    changes: dict[Any, dict] = field(default_factory=dict)  # natural key → {field: [old, new]}


class ImportSpec:
    """One kind of import. Subclasses set the attributes and implement ``clean``/``write``."""

    kind: str = ""
    label: str = ""
    columns: list[Column] = []
    key_field: str = ""  # the cleaned row's natural key

    def prepare(self, job) -> dict:
        """Lookup tables shared by every row of one run (regions, codes …)."""
        return {}

    def clean(self, raw: dict[str, str], ctx: dict) -> dict:
        raise NotImplementedError

    def write(self, rows: list[dict], job, ctx: dict) -> WriteResult:
        raise NotImplementedError

    @property
    def required_headers(self) -> list[str]:
        return [c.header for c in self.columns if c.required]


def upsert(
    model: type[models.Model],
    key: str | tuple[str, ...],
    rows: list[dict],
    fields: list[str],
    *,
    job=None,
    actor=None,
) -> WriteResult:
    """Create or update ``model`` rows by their natural ``key``: one unique field, or a
    tuple of fields unique together (the first is used to prefetch).

    ``rows`` hold the key fields and ``fields``. Changed rows get one audit entry each
    listing the changed fields; created rows are traced by their ``import_job``."""
    result = WriteResult()
    if not rows:
        return result
    keys = (key,) if isinstance(key, str) else key

    def natural(values: dict) -> Any:
        return values[keys[0]] if len(keys) == 1 else tuple(values[k] for k in keys)

    query = model.objects.filter(**{f"{keys[0]}__in": {row[keys[0]] for row in rows}})
    existing = {natural(obj): obj for obj in query.values("pk", *keys, *fields)}
    has_job = job is not None and any(f.name == "import_job" for f in model._meta.fields)
    to_create, to_update, audits = [], [], []
    for row in rows:
        values = {f: row[f] for f in (*keys, *fields)}
        current = existing.get(natural(row))
        if current is None:
            obj = model(**values)
            if has_job:
                obj.import_job = job
            to_create.append(obj)
            continue
        result.pks[natural(row)] = current["pk"]
        changed = {f: [_plain(current[f]), _plain(row[f])] for f in fields if current[f] != row[f]}
        if not changed:
            result.unchanged += 1
            continue
        result.changes[natural(row)] = changed
        obj = model(pk=current["pk"], **values)
        if has_job:
            obj.import_job = job
        to_update.append(obj)
        audits.append(
            AuditEntry(actor=actor, action="import_update", model=model._meta.label,
                       object_id=str(current["pk"]),
                       changes={"import_job": job.pk if job else None, **changed})
        )
    if to_create:
        # PostgreSQL and SQLite (3.35+) both return the new primary keys from bulk_create.
        model.objects.bulk_create(to_create, batch_size=1000)
        result.pks.update({natural(vars(o)): o.pk for o in to_create})
        result.created_keys = [natural(vars(o)) for o in to_create]
    if to_update:
        update_fields = fields + (["import_job"] if has_job else [])
        model.objects.bulk_update(to_update, update_fields, batch_size=1000)
        AuditEntry.objects.bulk_create(audits, batch_size=1000)
    result.created, result.updated = len(to_create), len(to_update)
    return result


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)
