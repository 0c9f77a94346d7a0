"""Import specs for what a bureau supplies below the official list: its communities
(社区/村) and its service stations, with coordinates."""

from __future__ import annotations

from apps.imports.cells import parse_choice, parse_float
from apps.imports.specs import Column, ImportSpec, RowCleaner

from .geo import h3_cell, validate_china_point
from .models import CoordinateSource, Region, RegionLevel, ServiceStation


def read_point(row: RowCleaner, *, required: bool) -> tuple[float | None, float | None]:
    lng = row.get("经度", parse_float, required=required)
    lat = row.get("纬度", parse_float, required=required)
    if lat is not None and lng is not None:
        try:
            validate_china_point(lat, lng)
        except ValueError as exc:
            row.fail("经度", str(exc))
        return round(lat, 6), round(lng, 6)
    if (lat is None) != (lng is None):
        row.fail("纬度" if lat is None else "经度", "经度和纬度须同时填写")
    return None, None


class CommunityImport(ImportSpec):
    kind = "communities"
    label = "社区(村)"
    model = Region
    key_field = "code"
    region_field = "parent_id"
    sources = {"h3": ("经度", "纬度")}
    columns = [
        Column("社区代码", "code", True, "12位统计用区划代码,前9位为所属街道(乡镇)代码"),
        Column("社区名称", "name", True),
        Column("所属街道代码", "parent_id", True, "9位街道(乡镇)代码"),
        Column("类型", "is_village", False, "社区 或 村"),
        Column("经度", "lng", True),
        Column("纬度", "lat", True),
    ]

    def prepare(self, job) -> dict:
        return {
            "streets": set(
                Region.objects.filter(level=RegionLevel.TOWNSHIP).values_list("code", flat=True)
            )
        }

    def clean(self, raw, ctx):
        row = RowCleaner(raw)
        code = row.get("社区代码", required=True)
        name = row.get("社区名称", required=True)
        parent = row.get("所属街道代码", required=True)
        kind = row.get("类型", default="社区")
        lat, lng = read_point(row, required=True)
        if code and not (len(code) == 12 and code.isdigit()):
            row.fail("社区代码", f"应为12位数字,实为“{code}”")
        if parent and parent not in ctx["streets"]:
            row.fail("所属街道代码", f"{parent}不是已知的街道(乡镇)代码")
        elif code and parent and not code.startswith(parent):
            row.fail("社区代码", f"前9位应为所属街道代码{parent}")
        if kind not in ("社区", "村"):
            row.fail("类型", "应填“社区”或“村”")
        row.done()
        return {
            "code": code,
            "name": name,
            "parent_id": parent,
            "level": RegionLevel.COMMUNITY,
            "is_village": kind == "村",
            "lat": lat,
            "lng": lng,
            "h3": h3_cell(lat, lng),
            "coordinate_source": CoordinateSource.IMPORTED,
            "generated": False,
        }

    def write(self, rows, job, ctx):
        return self.upsert(
            rows,
            job,
            ctx,
            [
                "name",
                "parent_id",
                "level",
                "is_village",
                "lat",
                "lng",
                "h3",
                "coordinate_source",
                "generated",
            ],
        )


class StationImport(ImportSpec):
    kind = "stations"
    label = "服务站点"
    model = ServiceStation
    key_field = "code"
    region_field = "region_id"
    sources = {"h3": ("经度", "纬度")}
    columns = [
        Column("站点编码", "code", True),
        Column("站点名称", "name", True),
        Column(
            "类型", "kind", True, "街道/乡镇人社服务所、社区(村)服务站、零工驿站、公共就业服务中心"
        ),
        Column("所在区域代码", "region_id", True, "街道(乡镇)或社区代码"),
        Column("地址", "address"),
        Column("经度", "lng", True),
        Column("纬度", "lat", True),
    ]

    def prepare(self, job) -> dict:
        return {
            "regions": set(
                Region.objects.filter(level__gte=RegionLevel.COUNTY).values_list("code", flat=True)
            )
        }

    def clean(self, raw, ctx):
        row = RowCleaner(raw)
        code = row.get("站点编码", required=True)
        name = row.get("站点名称", required=True)
        kind = row.get("类型", parse_choice, required=True, choices=ServiceStation.Kind)
        region = row.get("所在区域代码", required=True)
        lat, lng = read_point(row, required=True)
        if region and region not in ctx["regions"]:
            row.fail("所在区域代码", f"{region}不是已知的县、街道或社区代码")
        row.done()
        return {
            "code": code,
            "name": name,
            "kind": kind,
            "region_id": region,
            "address": row.get("地址", default=""),
            "lat": lat,
            "lng": lng,
            "h3": h3_cell(lat, lng),
            "generated": False,
        }

    def write(self, rows, job, ctx):
        return self.upsert(
            rows,
            job,
            ctx,
            ["name", "kind", "region_id", "address", "lat", "lng", "h3", "generated"],
        )
