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
  written points back to its import job.
- **All or nothing**: a file that cannot be read, lacks a required column, has no data
  rows or exceeds `IMPORT_MAX_ROWS` (default 2,000,000) is refused whole; an unexpected
  failure midway rolls the whole import back. Either way nothing is half-written.
- **Scope**: a staff member can only write records inside their own region; rows outside
  it are rejected. Classifications can only be replaced by administrators.
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
