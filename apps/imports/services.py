"""The imports app owns the one import pipeline every registry uses: read a CSV (UTF-8 or
GBK) or .xlsx file, clean each row with its kind's spec, upsert by natural key, report
every rejected row (row number, column, reason) in a downloadable file, keep the good
rows. The whole run is one transaction: a failure writes nothing."""

from __future__ import annotations

import io
import logging
import tempfile
import uuid
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from apps.accounts.models import STAFF_ROLES, Role
from apps.accounts.permissions import change_refusal
from apps.accounts.scoping import in_scope, user_scope_prefix
from apps.accounts.services import record_audit
from jiuye.background import run_after_commit
from jiuye.exports import SafeCsvWriter

from .models import ImportJob
from .readers import FileFormatError, open_table
from .registry import get_spec
from .specs import RowInvalid

log = logging.getLogger(__name__)


def create_import(*, kind: str, file, filename: str, user=None) -> ImportJob:
    """Store the file and queue its import. ``file`` is an open binary file or upload."""
    spec = get_spec(kind)  # unknown kinds fail here, before anything is stored
    if user is not None and not can_import(user, spec):
        raise PermissionDenied(f"您的角色不能导入{spec.label}")
    name = Path(filename).name
    job = ImportJob(kind=kind, original_name=name[-255:], created_by=user)
    # Stored under a random name in private storage: nothing to guess, nothing served.
    stored = f"{uuid.uuid4().hex}{Path(name).suffix.lower()[:10]}"
    job.file.save(stored, file if hasattr(file, "chunks") else File(file), save=False)
    job.save()
    record_audit(
        actor=user,
        action="import_submitted",
        obj=job,
        changes={"kind": kind, "file": job.original_name},
    )
    return job


def can_import(user, spec) -> bool:
    """Staff import into their own region; classifications are for administrators."""
    if user.role == Role.ADMIN or user.is_superuser:
        return True
    return not spec.admin_only and user.role in STAFF_ROLES


def enqueue_import(job: ImportJob) -> None:
    """Run the import in the background (see jiuye.background)."""
    from .tasks import run_import_task

    run_after_commit(run_import_task, run_import, job.pk)


def rerun_import(job: ImportJob, *, user) -> ImportJob:
    """Queue an interrupted import again (its data was not written: one transaction)."""
    if not job.interrupted:
        raise ImportRerunError("只有已中断的导入任务可以重新导入")
    moved = ImportJob.objects.filter(pk=job.pk, status__in=ImportJob.STUCK).update(
        status=ImportJob.Status.PENDING, message="", started_at=None, finished_at=None
    )
    if moved != 1:
        raise ImportRerunError("该导入任务已被他人处理,请刷新")
    record_audit(actor=user, action="import_rerun", obj=job)
    job.refresh_from_db()
    enqueue_import(job)
    return job


class ImportRerunError(Exception):
    pass


def run_import(job_id: int, *, on_progress=None) -> ImportJob:
    # Compare-and-set: a job runs once at a time, however often it is queued.
    started = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.PENDING).update(
        status=ImportJob.Status.RUNNING, started_at=timezone.now()
    )
    job = ImportJob.objects.get(pk=job_id)
    if not started:
        return job
    job.beat()
    spec = get_spec(job.kind)
    errors = _ErrorSheet()
    scope = user_scope_prefix(job.created_by) if job.created_by else ""
    counts = {"created": 0, "updated": 0, "unchanged": 0, "processed": 0}
    table = None
    try:
        table = open_table(job.file.path)
        missing = [h for h in spec.required_headers if h not in table.headers]
        if missing:
            known = {c.header for c in spec.columns}
            unknown = [h for h in table.headers if h and h not in known]
            hint = f";文件中无法识别的列:{'、'.join(unknown)}" if unknown else ""
            raise FileFormatError(f"缺少必填列:{'、'.join(missing)}{hint}")
        total = table.total_estimate
        if total > settings.IMPORT_MAX_ROWS:
            raise FileFormatError(
                f"文件约有{total}行,超过单次导入上限{settings.IMPORT_MAX_ROWS}行,请拆分后导入"
            )
        errors.headers = table.headers
        with transaction.atomic():
            ctx = spec.prepare(job)
            ctx["absent"] = spec.fields_absent(table.headers)
            run = _Run(spec, job, ctx, errors, counts, scope)
            chunk: list[tuple[int, dict]] = []
            for number, cells in table.rows:
                raw = dict(zip(table.headers, cells))
                chunk.append((number, raw))
                if len(chunk) >= settings.IMPORT_CHUNK_ROWS:
                    run.chunk(chunk)
                    chunk = []
                    _publish(job, counts["processed"], total, on_progress)
            run.chunk(chunk)
            if counts["processed"] > settings.IMPORT_MAX_ROWS:
                raise FileFormatError(f"超过单次导入上限{settings.IMPORT_MAX_ROWS}行,请拆分后导入")
            if counts["created"] or counts["updated"]:
                job.beat()
                spec.finish(job, scope or "")
        job.total_rows = counts["processed"]
        job.processed_rows = counts["processed"]
        job.created_count = counts["created"]
        job.updated_count = counts["updated"]
        job.unchanged_count = counts["unchanged"]
        job.rejected_count = errors.count
        job.status = ImportJob.Status.DONE_WITH_ERRORS if errors.count else ImportJob.Status.DONE
        if counts["processed"] == 0 and not errors.count:
            job.status, job.message = ImportJob.Status.FAILED, "文件只有列名,没有数据行"
    except FileFormatError as exc:
        job.status, job.message = ImportJob.Status.FAILED, str(exc)
        job.created_count = job.updated_count = job.unchanged_count = job.rejected_count = 0
    except Exception as exc:  # an unexpected fault: the transaction rolled back, say so
        log.exception("import %s failed", job.pk)
        job.status = ImportJob.Status.FAILED
        job.message = f"导入中断,未写入任何数据:{exc.__class__.__name__}: {exc}"
        job.created_count = job.updated_count = job.unchanged_count = 0
    finally:
        if table is not None:
            table.close()
    if errors.count and job.status != ImportJob.Status.FAILED:
        errors.save_to(job)
    errors.close()
    job.finished_at = timezone.now()
    job.save()
    cache.delete_many([job.progress_key, job.heartbeat_key])
    record_audit(
        actor=job.created_by,
        action="import_finished",
        obj=job,
        changes={
            "status": job.status,
            "created": job.created_count,
            "updated": job.updated_count,
            "unchanged": job.unchanged_count,
            "rejected": job.rejected_count,
            "message": job.message,
        },
    )
    return job


class _Run:
    """One import's pass over its chunks: clean, check scope and limits, write."""

    def __init__(self, spec, job, ctx, errors, counts, scope: str | None):
        self.spec, self.job, self.ctx = spec, job, ctx
        self.errors, self.counts, self.scope = errors, counts, scope
        self.seen: dict = {}
        self.user = job.created_by
        spec_field = spec.region_field
        self.region_header = next(
            (c.header for c in spec.columns if c.field == spec_field), spec.columns[0].header
        )
        self.region_present = bool(spec_field) and spec_field not in ctx["absent"]

    def chunk(self, chunk: list[tuple[int, dict]]) -> None:
        spec = self.spec
        cleaned, rejected = [], []
        for number, raw in chunk:
            try:
                row = spec.clean(raw, self.ctx)
                problems = spec.limit_problems(row)
                if problems:
                    raise RowInvalid(problems)
            except RowInvalid as exc:
                rejected.append((number, raw, exc.problems))
                continue
            key = spec.natural_key(row)
            if key in self.seen:
                duplicate = [(spec.columns[0].header, f"与第{self.seen[key]}行重复")]
                rejected.append((number, raw, duplicate))
                continue
            self.seen[key] = number
            cleaned.append((number, raw, row))
        stored = spec.stored_regions([row for _, _, row in cleaned]) if self.user else {}
        good = []
        for number, raw, row in cleaned:
            refusal = self._refusal(row, stored.get(spec.natural_key(row)))
            if refusal:
                rejected.append((number, raw, [refusal]))
            else:
                good.append(row)
        for number, raw, problems in sorted(rejected, key=lambda r: r[0]):  # the file's order
            self.errors.add(number, raw, problems)
        result = spec.write(good, self.job, self.ctx)
        self.counts["created"] += result.created
        self.counts["updated"] += result.updated
        self.counts["unchanged"] += result.unchanged
        self.counts["processed"] += len(chunk)
        self.job.beat()

    def _refusal(self, row: dict, stored: str | None) -> tuple[str, str] | None:
        """(column, reason) why this row may not be written by the importer (None: it
        may). Command-line imports (no user) and administrators write everywhere."""
        field = self.spec.region_field
        if not field or self.user is None or self.scope == "":
            return None
        # The region the record ends up in: the row's, unless the file leaves it alone.
        new = row[field] if self.region_present or stored is None else stored
        refusal = change_refusal(self.user, stored=stored, new=new or "")
        if refusal and stored is not None and not in_scope(self.user, stored):
            return self.region_header, self.spec.refuse_update(row, stored, self.job)
        if refusal:
            return self.region_header, refusal
        return self.spec.row_refusal(row, self.user)


def _publish(job, processed: int, total: int, on_progress) -> None:
    cache.set(job.progress_key, (processed, max(total, processed)), timeout=3600)
    if on_progress:
        on_progress(processed, max(total, processed))


class _ErrorSheet:
    """The rejected rows: the original cells plus row number, column and reason, spooled
    to a temporary file (a file of a million bad rows must not sit in memory), written by
    the one export writer (a formula in a rejected cell comes back as text). UTF-8 with
    BOM so that Excel opens it in Chinese."""

    def __init__(self):
        self.headers: list[str] = []
        self.count = 0
        self._file = tempfile.TemporaryFile()
        self._text = io.TextIOWrapper(self._file, encoding="utf-8-sig", newline="")
        self._writer = SafeCsvWriter(self._text)

    def add(self, number: int, raw: dict, problems: list[tuple[str, str]]) -> None:
        if not self.count:
            self._writer.writerow(["行号", "错误列", "错误原因", *self.headers])
        self.count += 1
        # In the file's own column order, as the clerk reads the sheet.
        order = {h: i for i, h in enumerate(self.headers)}
        problems = sorted(problems, key=lambda p: order.get(p[0], len(order)))
        columns = "、".join(dict.fromkeys(c for c, _ in problems))
        reasons = ";".join(f"{c}:{r}" for c, r in problems)
        self._writer.writerow([number, columns, reasons, *(raw.get(h, "") for h in self.headers)])

    def save_to(self, job: ImportJob) -> None:
        self._text.flush()
        self._file.seek(0)
        job.error_file.save(f"{uuid.uuid4().hex}.csv", File(self._file), save=False)

    def close(self) -> None:
        self._text.close()
