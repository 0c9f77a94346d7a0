from django.core.management.base import BaseCommand

from apps.imports.registry import import_specs

INTRO = """# Import formats (导入模板)

Generated from the import specs by `python manage.py import_formats_doc > docs/imports.md`;
a test fails when this file and the code disagree.

Every registry is loaded through one pipeline, from the command line
(`python manage.py import_data <kind> <file> [--errors rejected.csv]`) or by upload in the
back office (数据导入), where each kind's template can be downloaded.

- **Files**: CSV in UTF-8 (with or without BOM) or GBK/GB18030, comma, tab or semicolon
  separated; or Excel `.xlsx` (first sheet). The first row holds the column names below;
  `*` marks a required column (the `*` in a template header is optional). Old `.xls`,
  PDF and other files are refused with a message saying what the file is.
- **Rows**: each row is cleaned on its own; every problem of a row is reported with its
  spreadsheet row number (the header is row 1), its column and the reason, in a
  downloadable CSV that also carries the row's original cells, so it can be fixed and
  re-imported as it is. Good rows are written; a row that repeats the natural key of an
  earlier row of the same file is rejected.
- **Upsert**: rows are matched on their natural key; new records are created, changed
  ones updated (each update is written to the audit log with the old and new values),
  identical ones left alone: importing the same file twice changes nothing. Every record
  written points back to its import job. A person whose key groups, certificates or job
  wishes change is counted as updated, and audited, even when their own fields did not.
- **Absent columns and empty cells**: a column the file does not have leaves the stored
  value alone (a file with only the required columns changes only those); an empty cell
  in a column the file has clears the stored value, or sets the column's stated default
  (状态起始日期: the day of import; 状态: 招聘中). A new record takes every column's
  default. Coordinates without 经度/纬度 follow the community or region when it changes.
  A status date (状态起始日期) moves only when the status (劳动状态) does.
- **Limits**: every value is checked against what its database column holds (length of
  text, size of numbers); a value beyond it rejects that row alone, named by row and
  column, on SQLite and PostgreSQL alike.
- **All or nothing**: a file that cannot be read, lacks a required column, has no data
  rows or exceeds `IMPORT_MAX_ROWS` (default 2,000,000) is refused whole; an unexpected
  failure midway rolls the whole import back. Either way nothing is half-written.
- **Scope**: a staff member can only write records inside their own region, and only
  change stored records that their region holds: a row for a record held by another
  region is rejected, whatever region the row names. For a person, that row also asks
  the holding region for a transfer (人员转移, the 人员转移 page): once its staff accept,
  the person and their history move to the new community, and the row imports. The
  reason says only that the person is registered elsewhere (the transfer needs that),
  never where or anything of the record.
  Classifications can only be replaced by administrators.
- **Interrupted runs**: a running import beats after each chunk; one whose process
  stopped (a restart, a kill) is shown as 已中断 after `IMPORT_HEARTBEAT_SECONDS` (at
  once when the web process itself restarted) and can be run again from its stored file.
  Being one transaction, it wrote nothing.
- **Files are private**: the uploaded file and the rejected rows are stored under a random
  name where no URL serves them; only the uploader and administrators download the
  rejected rows, and each download is in the access log. Cells that a spreadsheet would
  run as a formula (beginning with `=`, `+`, `-`, `@`) come back as text.
- **Codes**: regions are GB/T 2260 / statistical division codes (9-digit streets, 12-digit
  communities), occupations the 职业分类大典 codes (`6-18-02-04`), industries GB/T 4754-2017
  大类 (`42`). Choice columns accept the code or the Chinese label shown.
"""


class Command(BaseCommand):
    help = "Print docs/imports.md, the import templates, from the import specs."

    def handle(self, **options):
        self.stdout.write(render())


def render() -> str:
    parts = [INTRO]
    for kind, spec in import_specs().items():
        key = spec.key_field if isinstance(spec.key_field, str) else " + ".join(spec.key_field)
        parts.append(
            f"\n## {spec.label} — `{kind}`\n\nNatural key: `{key}`."
            + (" Administrators only." if spec.admin_only else "")
            + "\n"
        )
        parts.append("\n| column | required | notes |\n|---|---|---|")
        for column in spec.columns:
            parts.append(f"| {column.header} | {'*' if column.required else ''} | {column.help} |")
        parts.append("")
    return "\n".join(parts)
