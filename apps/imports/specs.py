"""What an import kind declares (``ImportSpec``) and the shared upsert that writes a chunk
of cleaned rows by natural key: new rows created, changed rows updated with an audit
entry of what changed, identical rows left alone (so re-running a file changes nothing)."""

from __future__ import annotations

from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import connections, models, router
from django.db.backends.base.operations import BaseDatabaseOperations
from django.utils import timezone

from apps.accounts.models import AuditEntry


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
        text = self.raw.get(header)  # readers strip every cell already
        if not text:
            if required:
                self.problems.append((header, "必填"))
            return default
        if parse is None:
            return text
        try:
            return parse(text, **kw)
        except ValueError as exc:  # CellError, IdentifierError and int()/float() failures
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
    model: type[models.Model] | None = None  # the registry table the rows upsert into
    columns: list[Column] = []
    key_field: str | tuple[str, ...] = ""  # the cleaned row's natural key
    # The cleaned row's region code: an importer may only write rows inside their scope,
    # and only change stored records that are inside it too.
    region_field: str | None = None
    # Classifications are national: only administrators replace them.
    admin_only: bool = False
    # Model fields that no column names but that are computed from some: (their columns).
    # A field whose columns are all absent from a file is left alone on stored records
    # (fields that no column feeds, such as an import's constant, are always written).
    sources: dict[str, tuple[str, ...]] = {}
    # Absent fields derived from another (coordinates from the community): set on a stored
    # record when the field they derive from changes.
    derived: dict[str, str] = {}
    # Dates of a history (status_since of labour_status): they move only with their value.
    history_dates: dict[str, str] = {}
    # Limits of values that are not fields of ``model``: cleaned key → (model, field).
    limits: dict[str, tuple[type[models.Model], str]] = {}

    def prepare(self, job) -> dict:
        """Lookup tables shared by every row of one run (regions, codes …)."""
        return {}

    def clean(self, raw: dict[str, str], ctx: dict) -> dict:
        raise NotImplementedError

    def write(self, rows: list[dict], job, ctx: dict) -> WriteResult:
        raise NotImplementedError

    def finish(self, job, scope: str) -> None:
        """After the last row, inside the import's transaction: what the registry derives
        from the rows (``scope``: the importer's region prefix, '' for everywhere)."""

    def row_refusal(self, row: dict, user) -> tuple[str, str] | None:
        """A kind's own (column, reason) why ``user`` may not write this row, beyond the
        regions of the row and of the stored record."""
        return None

    def refuse_update(self, row: dict, stored_region: str, job) -> str:
        """The reason given for a row that would change a record held by another region."""
        return f"{self.label}已在其他区域登记,不能通过导入修改;请联系其所在地经办机构"

    @property
    def required_headers(self) -> list[str]:
        return [c.header for c in self.columns if c.required]

    def fields_absent(self, headers) -> set[str]:
        """The fields a file with these headers does not supply: those whose columns (a
        column's own field, or the columns in ``sources``) are all missing from it."""
        headers = set(headers)
        sources: dict[str, set[str]] = {}
        for c in self.columns:
            sources.setdefault(c.field, set()).add(c.header)
        for f, cols in self.sources.items():
            sources.setdefault(f, set()).update(cols)
        return {f for f, cols in sources.items() if not cols & headers}

    def natural_key(self, row: dict):
        key = self.key_field
        return row[key] if isinstance(key, str) else tuple(row[k] for k in key)

    def stored_regions(self, rows: list[dict]) -> dict:
        """natural key → the region a stored record is held in, for the rows that exist."""
        if not rows or self.model is None or not self.region_field:
            return {}
        keys = (self.key_field,) if isinstance(self.key_field, str) else self.key_field
        first = {row[keys[0]] for row in rows if row[keys[0]] is not None}
        found = self.model.objects.filter(**{f"{keys[0]}__in": first}).values_list(
            *keys, self.region_field
        )
        return {(r[0] if len(keys) == 1 else tuple(r[:-1])): r[-1] for r in found}

    def limit_problems(self, cleaned: dict) -> list[tuple[str, str]]:
        """Values longer or larger than their database column holds, named by column: both
        engines refuse the row alone (PostgreSQL would abort the whole file, SQLite would
        store it)."""
        problems = []
        for column in self.columns:
            value = cleaned.get(column.field)
            target = self.limits.get(column.field)
            if target is None and self.model is not None:
                try:
                    target = (self.model, self.model._meta.get_field(column.field).name)
                except FieldDoesNotExist:
                    continue
            if target is None or value is None:
                continue
            field = target[0]._meta.get_field(target[1])
            reason = _over_limit(field, value) if getattr(field, "concrete", False) else None
            if reason:
                problems.append((column.header, reason))
        return problems

    def upsert(self, rows: list[dict], job, ctx: dict, fields: list[str]) -> WriteResult:
        """``upsert`` into ``model`` what this file supplies (``ctx["absent"]``: what not)."""
        return upsert(
            self.model,
            self.key_field,
            rows,
            fields,
            job=job,
            actor=job.created_by,
            absent=ctx.get("absent", set()),
            derived=self.derived,
            history_dates=self.history_dates,
        )


def _over_limit(field: models.Field, value: Any) -> str | None:
    if isinstance(value, str) and field.max_length and len(value) > field.max_length:
        return f"不能超过{field.max_length}个字符(实为{len(value)}个)"
    if isinstance(value, int) and not isinstance(value, bool):
        low, high = BaseDatabaseOperations.integer_field_ranges.get(
            field.get_internal_type(), (None, None)
        )
        if (low is not None and value < low) or (high is not None and value > high):
            return f"数值超出范围({low}至{high})"
    return None


def upsert(
    model: type[models.Model],
    key: str | tuple[str, ...],
    rows: list[dict],
    fields: list[str],
    *,
    job=None,
    actor=None,
    absent: set[str] = frozenset(),
    derived: dict[str, str] | None = None,
    history_dates: dict[str, str] | None = None,
) -> WriteResult:
    """Create or update ``model`` rows by their natural ``key``: one unique field, or a
    tuple of fields unique together (the first is used to prefetch).

    ``rows`` hold the key fields and ``fields``. New records take every field. A stored
    record keeps its ``absent`` fields (the file has no column for them), except the
    ``derived`` ones whose source changed, and a ``history_dates`` field changes only when
    its value does.
    Changed rows get one audit entry each listing the changed fields; created rows are
    traced by their ``import_job``."""
    result = WriteResult()
    if not rows:
        return result
    keys = (key,) if isinstance(key, str) else key
    derived, history_dates = derived or {}, history_dates or {}

    def natural(values: dict) -> Any:
        return values[keys[0]] if len(keys) == 1 else tuple(values[k] for k in keys)

    query = model.objects.filter(**{f"{keys[0]}__in": {row[keys[0]] for row in rows}})
    existing = {natural(obj): obj for obj in query.values("pk", *keys, *fields)}
    has_job = job is not None and any(f.name == "import_job" for f in model._meta.fields)
    to_create, to_update, audits = [], [], []
    for row in rows:
        current = existing.get(natural(row))
        if current is None:
            values = {f: row[f] for f in (*keys, *fields)}
            if has_job:
                values["import_job_id"] = job.pk
            to_create.append(values)
            continue
        result.pks[natural(row)] = current["pk"]
        supplied = [f for f in fields if f not in absent and f not in history_dates]
        moved = {f for f in fields if f not in absent and current[f] != row[f]}
        supplied += [f for f, source in derived.items() if f in absent and source in moved]
        supplied += [f for f, value in history_dates.items() if value in moved]
        changed = {
            f: [_plain(current[f]), _plain(row[f])] for f in supplied if current[f] != row[f]
        }
        if not changed:
            result.unchanged += 1
            continue
        result.changes[natural(row)] = changed
        values = {f: current[f] for f in (*keys, *fields)}
        values.update({f: row[f] for f in changed})
        obj = model(pk=current["pk"], **values)
        if has_job:
            obj.import_job = job
        to_update.append(obj)
        audits.append(
            AuditEntry(
                actor=actor,
                action="import_update",
                model=model._meta.label,
                object_id=str(current["pk"]),
                changes={"import_job": job.pk if job else None, **changed},
            )
        )
    if to_create:
        insert_rows(model, to_create)
        result.created_keys = [natural(row) for row in to_create]
        created = model.objects.filter(**{f"{keys[0]}__in": {row[keys[0]] for row in to_create}})
        result.pks.update(
            {
                natural(obj): obj["pk"]
                for obj in created.values("pk", *keys)
                if natural(obj) not in result.pks
            }
        )
    if to_update:
        touched = set().union(*result.changes.values())
        update_fields = [f for f in fields if f in touched] + (["import_job"] if has_job else [])
        # bulk_update skips auto_now; set it so that readers of changes (indexes) see them.
        stamped = [f.name for f in model._meta.fields if getattr(f, "auto_now", False)]
        now = timezone.now()
        for obj in to_update:
            for name in stamped:
                setattr(obj, name, now)
        model.objects.bulk_update(to_update, update_fields + stamped, batch_size=1000)
        AuditEntry.objects.bulk_create(audits, batch_size=1000)
        _indicator_cells_touched(model, to_update)
    result.created, result.updated = len(to_create), len(to_update)
    return result


def _indicator_cells_touched(model: type[models.Model], rows: list) -> None:
    """Bulk writes skip the signals that keep the indicators' cells exact: say it here."""
    from apps.indicators.cells import after_rows

    after_rows(model, rows)


def insert_rows(model: type[models.Model], rows: list[dict]) -> None:
    """Insert dicts keyed by field attname (every dict with the same keys) in bulk.

    At import volumes the ORM's bulk_create spends ~20× the database's own time compiling
    each value; this keeps the ORM's defaults (``default``, ``auto_now``) and only converts
    the values the driver cannot take as they are. Rows are not validated here: specs
    clean them before, and the database's constraints still apply."""
    if not rows:
        return
    connection = connections[router.db_for_write(model)]
    concrete = [
        f for f in model._meta.local_concrete_fields if not f.primary_key or f.attname in rows[0]
    ]
    given = [f for f in concrete if f.attname in rows[0]]
    missing = [f for f in concrete if f.attname not in rows[0]]
    now = timezone.now()
    defaults = []
    for f in missing:
        auto = getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
        default = now if auto else f.get_default()
        convert = _converter(f, connection)
        defaults.append(convert(default) if convert and default is not None else default)
    defaults = tuple(defaults)
    conversions = [(i, c) for i, f in enumerate(given) if (c := _converter(f, connection))]
    pick = itemgetter(*(f.attname for f in given))
    params = []
    for row in rows:
        values = pick(row)
        if len(given) == 1:
            values = (values,)
        if conversions:
            values = list(values)
            for i, convert in conversions:
                if values[i] is not None:
                    values[i] = convert(values[i])
        params.append((*values, *defaults))
    qn = connection.ops.quote_name
    table = qn(model._meta.db_table)
    columns = ", ".join(qn(f.column) for f in (*given, *missing))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY streams every row in one round trip; executemany would make one per row.
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for values in params:
                    copy.write_row(values)
        else:
            # Table and column names from the model, values as parameters.
            marks = ", ".join(["%s"] * len(params[0]))
            sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608
            for start in range(0, len(params), 5000):
                cursor.executemany(sql, params[start : start + 5000])
    _indicator_cells_touched(model, rows)


def _converter(field: models.Field, connection):
    """The backend's adapter for values its driver cannot bind as they are, else None."""
    internal = field.get_internal_type()
    if internal in ("DateField", "DateTimeField") and connection.vendor == "postgresql":
        return None  # psycopg binds date and datetime natively
    if internal == "DateField":
        return connection.ops.adapt_datefield_value
    if internal == "DateTimeField":
        return connection.ops.adapt_datetimefield_value
    if internal == "JSONField":  # what get_db_prep_save comes to, without its checks
        return lambda value: connection.ops.adapt_json_value(value, field.encoder)
    if internal in ("DecimalField", "UUIDField", "TimeField"):
        return lambda value: field.get_db_prep_save(value, connection)
    return None


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)
