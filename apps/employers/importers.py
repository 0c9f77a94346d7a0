"""Import spec for employers, keyed by unified social credit code."""

from __future__ import annotations

from apps.imports.cells import parse_bool, parse_choice, parse_date, parse_int
from apps.imports.specs import Column, ImportSpec, RowCleaner
from apps.regions.geo import h3_cell
from apps.regions.importers import read_point
from apps.regions.selectors import placeable_regions
from apps.taxonomy.models import Industry
from jiuye.identifiers import validate_credit_code, validate_mobile

from .models import Employer, EmployerSize

FIELDS = [
    "name",
    "industry_id",
    "size",
    "employees",
    "region_id",
    "address",
    "lat",
    "lng",
    "h3",
    "contact_name",
    "contact_phone",
    "is_key_enterprise",
    "blacklisted",
    "blacklist_reason",
    "blacklist_from",
    "blacklist_to",
]


class EmployerImport(ImportSpec):
    kind = "employers"
    label = "用人单位"
    model = Employer
    region_field = "region_id"
    key_field = "credit_code"
    sources = {"lat": ("经度", "纬度"), "lng": ("经度", "纬度"), "h3": ("经度", "纬度")}
    derived = {"lat": "region_id", "lng": "region_id", "h3": "region_id"}
    columns = [
        Column("统一社会信用代码", "credit_code", True, "18位,含校验码"),
        Column("单位名称", "name", True),
        Column("行业代码", "industry_id", True, "GB/T 4754-2017 大类两位数字,如 42"),
        Column("规模", "size", True, "大型、中型、小型、微型"),
        Column("从业人数", "employees"),
        Column("所在区域代码", "region_id", True, "街道(乡镇)9位或社区12位代码"),
        Column("地址", "address"),
        Column("经度", "lng", False, "不填则取所在区域坐标"),
        Column("纬度", "lat"),
        Column("联系人", "contact_name"),
        Column("联系电话", "contact_phone", False, "手机号"),
        Column("重点企业", "is_key_enterprise", False, "是/否"),
        Column("欠薪黑名单", "blacklisted", False, "是/否"),
        Column("列入原因", "blacklist_reason"),
        Column("列入日期", "blacklist_from"),
        Column("移出日期", "blacklist_to"),
    ]

    def prepare(self, job) -> dict:
        return {
            "regions": placeable_regions(),
            "industries": set(
                Industry.objects.filter(section__isnull=False).values_list("code", flat=True)
            ),
        }

    def clean(self, raw, ctx):
        row = RowCleaner(raw)
        code = row.get("统一社会信用代码", validate_credit_code, required=True)
        industry = row.get("行业代码", required=True)
        if industry and industry not in ctx["industries"]:
            row.fail("行业代码", f"{industry}不是GB/T 4754-2017的行业大类代码")
        region = row.get("所在区域代码", required=True)
        point = ctx["regions"].get(region) if region else None
        if region and point is None:
            row.fail("所在区域代码", f"{region}不是已知的街道(乡镇)或社区代码")
        lat, lng = read_point(row, required=False)
        if lat is None and point:
            lat, lng = point
        blacklisted = row.get("欠薪黑名单", parse_bool, default=False)
        reason = row.get("列入原因", default="")
        since = row.get("列入日期", parse_date)
        until = row.get("移出日期", parse_date)
        if blacklisted and not reason:
            row.fail("列入原因", "列入欠薪黑名单须填写原因")
        if blacklisted and not since:
            row.fail("列入日期", "列入欠薪黑名单须填写列入日期")
        if since and until and until < since:
            row.fail("移出日期", "早于列入日期")
        cleaned = {
            "credit_code": code,
            "name": row.get("单位名称", required=True),
            "industry_id": industry,
            "size": row.get(
                "规模",
                parse_choice,
                required=True,
                choices=EmployerSize,
                aliases={"大": "large", "中": "medium", "小": "small", "微": "micro"},
            ),
            "employees": row.get("从业人数", parse_int, default=0, minimum=0),
            "region_id": region,
            "address": row.get("地址", default=""),
            "lat": lat,
            "lng": lng,
            "h3": h3_cell(lat, lng),
            "contact_name": row.get("联系人", default=""),
            "contact_phone": row.get("联系电话", validate_mobile, default=""),
            "is_key_enterprise": row.get("重点企业", parse_bool, default=False),
            "blacklisted": blacklisted,
            "blacklist_reason": reason,
            "blacklist_from": since,
            "blacklist_to": until,
        }
        row.done()
        return cleaned

    def write(self, rows, job, ctx):
        return self.upsert(rows, job, ctx, FIELDS)
