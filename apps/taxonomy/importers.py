"""Import specs for the classifications: the full official occupation table can be
imported from a CSV with these columns, replacing the shipped subset."""

from __future__ import annotations

import re

from apps.imports.cells import parse_bool
from apps.imports.specs import Column, ImportSpec, RowCleaner, upsert

from .models import Industry, Occupation

OCCUPATION_CODE = re.compile(r"^[1-8](-\d{2}){0,3}$")


class OccupationImport(ImportSpec):
    kind = "occupations"
    label = "职业分类(职业分类大典)"
    key_field = "code"
    admin_only = True
    columns = [
        Column("代码", "code", True, "如 6-18-02-04;上级代码由代码推出"),
        Column("名称", "name", True),
        Column("已核对", "verified", False, "与官方表核对过填“是”"),
    ]

    def prepare(self, job) -> dict:
        return {"known": set(Occupation.objects.values_list("code", flat=True))}

    def clean(self, raw, ctx):
        row = RowCleaner(raw)
        code = row.get("代码", required=True)
        name = row.get("名称", required=True)
        verified = row.get("已核对", parse_bool, default=False)
        parent = None
        if code:
            if not OCCUPATION_CODE.match(code):
                row.fail("代码", f"“{code}”不是职业分类代码(如 6-18-02-04)")
            else:
                parent = code.rsplit("-", 1)[0] if "-" in code else None
                if parent and parent not in ctx["known"]:
                    row.fail("代码", f"上级代码{parent}不存在,请先导入上级")
        row.done()
        ctx["known"].add(code)
        return {
            "code": code,
            "name": name,
            "level": code.count("-") + 1,
            "parent_id": parent,
            "verified": verified,
        }

    def write(self, rows, job, ctx):
        rows.sort(key=lambda r: r["level"])  # parents before children within a chunk
        return upsert(
            Occupation,
            "code",
            rows,
            ["name", "level", "parent_id", "verified"],
            job=job,
            actor=job.created_by,
        )


class IndustryImport(ImportSpec):
    kind = "industries"
    label = "国民经济行业分类(GB/T 4754)"
    key_field = "code"
    admin_only = True
    columns = [
        Column("代码", "code", True, "门类为字母,大类为两位数字"),
        Column("名称", "name", True),
        Column("上级代码", "section", False, "大类所属门类字母"),
    ]

    def prepare(self, job) -> dict:
        return {"known": set(Industry.objects.values_list("code", flat=True))}

    def clean(self, raw, ctx):
        row = RowCleaner(raw)
        code = row.get("代码", required=True)
        name = row.get("名称", required=True)
        section = row.get("上级代码") or None
        if code and not re.fullmatch(r"[A-T]|\d{2,4}", code):
            row.fail("代码", f"“{code}”不是行业代码(门类A-T或数字大类)")
        if section and section not in ctx["known"]:
            row.fail("上级代码", f"{section}不存在")
        if code and code.isdigit() and not section:
            row.fail("上级代码", "数字代码须填写所属门类")
        row.done()
        ctx["known"].add(code)
        return {"code": code, "name": name, "section_id": section}

    def write(self, rows, job, ctx):
        rows.sort(key=lambda r: r["section_id"] is not None)
        return upsert(Industry, "code", rows, ["name", "section_id"], job=None)
