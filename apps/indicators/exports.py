"""The indicator table as staff hand it upward: one sheet of every indicator for the
region and its sub-regions, one of the definitions, through the one export writer."""

from __future__ import annotations

from jiuye.exports import workbook


def _cell(value):
    return "" if value is None else round(value, 2)


def indicator_workbook(region, children, start, end, rows) -> bytes:
    header = ["指标", "单位", region.name, *(c.name for c in children)]
    table = [[i.name, i.unit, *(_cell(v) for v in values)] for i, values in rows]
    definitions = [[i.name, i.code, i.definition] for i, _ in rows]
    return workbook(
        [
            (f"{start}至{end}"[:31], header, table),
            ("指标口径", ["指标", "代码", "口径"], definitions),
        ]
    )
