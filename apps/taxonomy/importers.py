"""Import specs for the classifications: the full official occupation table can be
imported from a CSV with these columns, replacing the shipped subset."""

from __future__ import annotations

import re

from apps.imports.cells import parse_bool
from apps.imports.specs import Column, ImportSpec, RowCleaner, upsert

from .models import Industry, Occupation

OCCUPATION_CODE = re.compile(r"^[1-8](-\d{2}){0,3}$")


class OccupationImport(ImportSpec):
    model = Occupation
    kind = "occupations"
    label = "职业分类(职业分类大典)"
    key_field = "code"
    admin_only = True
    columns = [
        Column("代码", "code", True, "如 6-18-02-04;上级代码由代码推出"),
        Column("名称", "name", True),
        Column("已核对", "verified", False, "与官方表核对过填“是”"),
        Column("定义", "definition", False),
        Column("主要工作任务", "tasks", False),
        Column("别名", "aliases", False, "逗号分隔的常见岗位叫法,如 氩弧焊工"),
        Column("绿色职业", "green", False, "是/否(大典标注L)"),
        Column("数字职业", "digital", False, "是/否(大典标注S)"),
        Column("现行代码", "replaced_by_id", False, "本代码已调整时填现行代码"),
    ]

    def prepare(self, job) -> dict:
        return {"known": set(Occupation.objects.values_list("code", flat=True))}

    def clean(self, raw, ctx):
        row = RowCleaner(raw)
        code = row.get("代码", required=True)
        name = row.get("名称", required=True)
        verified = row.get("已核对", parse_bool, default=False)
        replaced_by = row.get("现行代码") or None
        parent = None
        if code:
            if not OCCUPATION_CODE.match(code):
                row.fail("代码", f"“{code}”不是职业分类代码(如 6-18-02-04)")
            elif "-" in code:
                # the nearest level above that exists: an undivided 中类's 小类 (…-00) is
                # not always listed, and its 职业 then hang under the 中类
                parent = nearest_known(code, ctx["known"])
                if parent is None:
                    row.fail("代码", f"上级代码{code.split('-')[0]}不存在,请先导入上级")
        if replaced_by and replaced_by not in ctx["known"]:
            row.fail("现行代码", f"现行代码{replaced_by}不存在,请先导入")
        text = {
            "definition": row.get("定义") or "",
            "tasks": row.get("主要工作任务") or "",
            "aliases": row.get("别名") or "",
            "green": row.get("绿色职业", parse_bool, default=False),
            "digital": row.get("数字职业", parse_bool, default=False),
        }
        row.done()
        ctx["known"].add(code)
        return {
            "code": code,
            "name": name,
            "level": code.count("-") + 1,
            "parent_id": parent,
            "verified": verified,
            **text,
            "replaced_by_id": replaced_by,
        }

    def write(self, rows, job, ctx):
        rows.sort(key=lambda r: r["level"])  # parents before children within a chunk
        # a file without the newer columns (定义 …) leaves what is stored in them alone
        return self.upsert(
            rows,
            job,
            ctx,
            [
                "name",
                "level",
                "parent_id",
                "verified",
                "definition",
                "tasks",
                "aliases",
                "green",
                "digital",
                "replaced_by_id",
            ],
        )

    def finish(self, job, scope):
        # the neighbours (相近职业) are derived from the definitions and tasks just written
        from .similarity import rebuild_neighbours

        rebuild_neighbours()


def nearest_known(code: str, known: set[str]) -> str | None:
    """The nearest code above ``code`` that is known ('6-18-02' for '6-18-02-04')."""
    parts = code.split("-")
    for n in range(len(parts) - 1, 0, -1):
        above = "-".join(parts[:n])
        if above in known:
            return above
    return None


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
