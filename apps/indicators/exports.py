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


def market_workbook(region, year, today, wages, shortage, surplus) -> bytes:
    def gaps(rows):
        return [
            [g.code, g.name, g.posts, g.seekers, round(g.ratio, 2) if g.ratio else ""] for g in rows
        ]

    gap_header = ["中类代码", "职业中类", "在招岗位数", "求职人数", "求人倍率"]
    return workbook(
        [
            (
                f"{year}年工资价位",
                [
                    "职业代码",
                    "职业",
                    "岗位数",
                    "录用数",
                    "P10",
                    "P25",
                    "中位数",
                    "P75",
                    "P90",
                    "录用中位数",
                ],
                [
                    [
                        w.code,
                        w.name,
                        w.positions,
                        w.hires,
                        w.p10,
                        w.p25,
                        w.p50,
                        w.p75,
                        w.p90,
                        w.hired_median if w.hired_median is not None else "",
                    ]
                    for w in wages
                ],
            ),
            (f"紧缺职业{today}"[:31], gap_header, gaps(shortage)),
            (f"富余职业{today}"[:31], gap_header, gaps(surplus)),
        ]
    )
