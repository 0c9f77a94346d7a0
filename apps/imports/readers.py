"""Read a tabular file (CSV in UTF-8 or GBK/GB18030, or Excel .xlsx) as numbered rows of
strings. Anything else gets a ``FileFormatError`` that says what the file is instead."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path


class FileFormatError(ValueError):
    """The file as a whole cannot be read; nothing is written."""


@dataclass
class Table:
    headers: list[str]
    rows: Iterator[tuple[int, list[str]]]  # (spreadsheet row number, cells)
    total_estimate: int
    encoding: str = ""
    _closers: list = field(default_factory=list)

    def close(self) -> None:
        for close in self._closers:
            close()


def normalise_header(value: object) -> str:
    # Templates mark required columns with '*'; people also paste stray spaces.
    return str(value or "").strip().rstrip("*").strip().replace("\ufeff", "")


def open_table(path: str | Path) -> Table:
    path = Path(path)
    size = path.stat().st_size
    if size == 0:
        raise FileFormatError("文件为空")
    with path.open("rb") as f:
        head = f.read(8)
    if head.startswith(b"PK\x03\x04"):
        return _open_xlsx(path)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileFormatError("不支持旧版Excel(.xls)文件,请另存为.xlsx或CSV后再导入")
    if head.startswith(b"%PDF"):
        raise FileFormatError("这是PDF文件,不是表格;请上传CSV或Excel(.xlsx)文件")
    return _open_csv(path)


def _detect_encoding(path: Path) -> str:
    """UTF-8 (with or without BOM) if the whole file decodes as UTF-8, else GB18030 (a
    superset of GBK and GB2312, what Excel on Chinese Windows writes)."""
    with path.open("rb") as f:
        sample = f.read(65536)
        if b"\x00" in sample:
            raise FileFormatError("文件含二进制内容,不是CSV或Excel(.xlsx)文件")
        f.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")()
        try:
            while chunk := f.read(1 << 20):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
            return "utf-8-sig"
        except UnicodeDecodeError:
            pass
        f.seek(0)
        decoder = codecs.getincrementaldecoder("gb18030")()
        try:
            while chunk := f.read(1 << 20):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            raise FileFormatError("文件编码无法识别(应为UTF-8或GBK的CSV),或不是表格文件") from None
    return "gb18030"


def _open_csv(path: Path) -> Table:
    encoding = _detect_encoding(path)
    with path.open("rb") as f:
        newlines = sum(chunk.count(b"\n") for chunk in iter(lambda: f.read(1 << 20), b""))
    stream = open(path, encoding=encoding, newline="")
    try:
        sample = stream.read(8192)
        stream.seek(0)
        dialect = csv.Sniffer().sniff(sample, delimiters=",\t;") if sample else csv.excel
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(stream, dialect)
    try:
        headers = [normalise_header(h) for h in next(reader)]
    except StopIteration:
        stream.close()
        raise FileFormatError("文件为空") from None
    except csv.Error as exc:
        stream.close()
        raise FileFormatError(f"不是有效的CSV文件:{exc}") from None
    if not any(headers):
        stream.close()
        raise FileFormatError("第1行应为列名,实为空行")

    def rows() -> Iterator[tuple[int, list[str]]]:
        try:
            for cells in reader:
                if any(c.strip() for c in cells):
                    yield reader.line_num, [c.strip() for c in cells]
        except csv.Error as exc:
            raise FileFormatError(f"第{reader.line_num}行CSV格式错误:{exc}") from None

    return Table(headers, rows(), max(newlines - 1, 0), encoding, [stream.close])


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _open_xlsx(path: Path) -> Table:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise FileFormatError(f"不是有效的Excel(.xlsx)文件:{exc.__class__.__name__}") from None
    sheet = workbook.worksheets[0]
    rows_iter = sheet.iter_rows(values_only=True)
    try:
        headers = [normalise_header(h) for h in next(rows_iter)]
    except StopIteration:
        workbook.close()
        raise FileFormatError("Excel文件第一个工作表为空") from None
    while headers and not headers[-1]:
        headers.pop()

    def rows() -> Iterator[tuple[int, list[str]]]:
        for number, values in enumerate(rows_iter, start=2):
            cells = [_cell_text(v) for v in values]
            if any(cells):
                yield number, cells

    total = (sheet.max_row or 1) - 1
    return Table(headers, rows(), max(total, 0), "xlsx", [workbook.close])
