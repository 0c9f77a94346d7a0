"""The imports app owns the one import pipeline every registry uses: read a CSV (UTF-8 or
GBK) or .xlsx file, clean each row with its kind's spec, upsert by natural key, report
every rejected row (row number, column, reason) in a downloadable file, keep the good
rows. The whole run is one transaction: a failure writes nothing."""

from __future__ import annotations

import csv
import io
import logging
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from apps.accounts.models import STAFF_ROLES, Role
from apps.accounts.scoping import user_scope_prefix
from apps.accounts.services import record_audit
from jiuye.background import run_after_commit

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
    job = ImportJob(kind=kind, original_name=Path(filename).name, created_by=user)
    job.file.save(Path(filename).name, file if hasattr(file, "chunks") else File(file), save=False)
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


def run_import(job_id: int, *, on_progress=None) -> ImportJob:
    job = ImportJob.objects.get(pk=job_id)
    spec = get_spec(job.kind)
    job.status, job.started_at = ImportJob.Status.RUNNING, timezone.now()
    job.save(update_fields=["status", "started_at"])
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
            seen: dict = {}
            chunk: list[tuple[int, dict]] = []
            for number, cells in table.rows:
                raw = dict(zip(table.headers, cells))
                chunk.append((number, raw))
                if len(chunk) >= settings.IMPORT_CHUNK_ROWS:
                    _process_chunk(spec, job, ctx, chunk, seen, errors, counts, scope)
                    chunk = []
                    _publish(job, counts["processed"], total, on_progress)
            _process_chunk(spec, job, ctx, chunk, seen, errors, counts, scope)
            if counts["processed"] > settings.IMPORT_MAX_ROWS:
                raise FileFormatError(f"超过单次导入上限{settings.IMPORT_MAX_ROWS}行,请拆分后导入")
            if counts["created"] or counts["updated"]:
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
    cache.delete(job.progress_key)
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


def _process_chunk(spec, job, ctx, chunk, seen, errors, counts, scope: str | None) -> None:
    good = []
    for number, raw in chunk:
        try:
            row = spec.clean(raw, ctx)
        except RowInvalid as exc:
            errors.add(number, raw, exc.problems)
            continue
        # scope "" is unrestricted (administrators, the command line); None sees nothing.
        region = row[spec.region_field] or "" if spec.region_field else ""
        if spec.region_field and scope != "" and (scope is None or not region.startswith(scope)):
            header = next(c.header for c in spec.columns if c.field == spec.region_field)
            errors.add(number, raw, [(header, f"{row[spec.region_field]}不在您的管辖区域内")])
            continue
        key = (
            row[spec.key_field]
            if isinstance(spec.key_field, str)
            else tuple(row[k] for k in spec.key_field)
        )
        if key in seen:
            errors.add(number, raw, [(spec.columns[0].header, f"与第{seen[key]}行重复")])
            continue
        seen[key] = number
        good.append(row)
    result = spec.write(good, job, ctx)
    counts["created"] += result.created
    counts["updated"] += result.updated
    counts["unchanged"] += result.unchanged
    counts["processed"] += len(chunk)


def _publish(job, processed: int, total: int, on_progress) -> None:
    cache.set(job.progress_key, (processed, max(total, processed)), timeout=3600)
    if on_progress:
        on_progress(processed, max(total, processed))


class _ErrorSheet:
    """The rejected rows: the original cells plus row number, column and reason, spooled
    to a temporary file (a file of a million bad rows must not sit in memory). UTF-8 with
    BOM so that Excel opens it in Chinese."""

    def __init__(self):
        self.headers: list[str] = []
        self.count = 0
        self._file = tempfile.TemporaryFile()
        self._text = io.TextIOWrapper(self._file, encoding="utf-8-sig", newline="")
        self._writer = csv.writer(self._text)

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
        job.error_file.save(f"import-{job.pk}-rejected.csv", File(self._file), save=False)

    def close(self) -> None:
        self._text.close()
