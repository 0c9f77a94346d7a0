"""Excel tables as staff hand them upward (openpyxl): a bold, frozen header row and
columns wide enough for their content."""

from __future__ import annotations

import io


def workbook(sheets: list[tuple[str, list[str], list[list]]]) -> bytes:
    """An .xlsx of (sheet title, header, rows) sheets."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    for title, header, rows in sheets:
        sheet = book.create_sheet(title)
        sheet.append(header)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append(row)
        sheet.freeze_panes = "A2"
        for i, name in enumerate(header, start=1):
            width = max([len(str(name)) * 2] + [len(str(r[i - 1])) + 2 for r in rows[:200]])
            sheet.column_dimensions[sheet.cell(1, i).column_letter].width = min(60, width)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def xlsx_response(content: bytes, filename: str):
    """An .xlsx download."""
    from django.http import HttpResponse

    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
