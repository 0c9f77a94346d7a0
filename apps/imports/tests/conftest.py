from __future__ import annotations

import csv
import io

import pytest

from apps.imports.registry import get_spec
from apps.imports.services import create_import, run_import


def csv_bytes(rows: list[dict], headers: list[str] | None = None, encoding: str = "utf-8") -> bytes:
    headers = headers or list(rows[0])
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=headers, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows: list[dict]) -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    headers = list(rows[0])
    sheet.append(headers)
    for row in rows:
        sheet.append([row[h] for h in headers])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


@pytest.fixture
def run_file(db):
    """run_file(kind, content, name) → the finished ImportJob."""

    def run(kind: str, content: bytes, name: str = "data.csv", user=None):
        job = create_import(kind=kind, file=io.BytesIO(content), filename=name, user=user)
        return run_import(job.pk)

    return run


def rejected_rows(job) -> list[dict]:
    """The downloadable error file, parsed."""
    text = job.error_file.open("rb").read().decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def template_headers(kind: str) -> list[str]:
    return [c.header for c in get_spec(kind).columns]
