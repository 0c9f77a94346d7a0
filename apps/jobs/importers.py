"""Import spec for job postings, keyed by (employer credit code, posting reference)."""

from __future__ import annotations

from apps.accounts.permissions import may_change
from apps.employers.models import Employer
from apps.imports.cells import parse_choice, parse_date, parse_int
from apps.imports.specs import Column, ImportSpec, RowCleaner
from apps.people.importers import EDUCATION_ALIASES, KIND_ALIASES, LEVEL_ALIASES
from apps.people.models import JobKind
from apps.regions.geo import h3_cell
from apps.regions.importers import read_point
from apps.regions.selectors import city_prefix, placeable_regions
from apps.taxonomy.models import Education, SkillLevel, current_codes
from jiuye.identifiers import validate_credit_code

from .models import Job, JobStatus

FIELDS = [
    "title",
    "occupation_id",
    "kind",
    "headcount",
    "wage_min",
    "wage_max",
    "education_min",
    "age_min",
    "age_max",
    "skills",
    "certificates",
    "required_certificate_id",
    "required_level",
    "description",
    "region_id",
    "lat",
    "lng",
    "h3",
    "valid_from",
    "valid_to",
    "status",
]


class JobImport(ImportSpec):
    kind = "jobs"
    label = "岗位"
    model = Job
    region_field = "region_id"
    key_field = ("employer_id", "reference")
    sources = {
        "employer_id": ("统一社会信用代码",),
        "lat": ("经度", "纬度"),
        "lng": ("经度", "纬度"),
        "h3": ("经度", "纬度"),
    }
    derived = {"lat": "region_id", "lng": "region_id", "h3": "region_id"}
    columns = [
        Column("统一社会信用代码", "employer", True, "发布单位,须已登记"),
        Column("岗位编号", "reference", True, "单位内唯一"),
        Column("岗位名称", "title", True),
        Column(
            "职业代码",
            "occupation_id",
            True,
            "职业分类大典代码,如 6-18-02-04;缺失或未知时,被拒行报告按岗位名称建议代码",
        ),
        Column("用工形式", "kind", True, "全职、兼职、零工、就业见习、公益性岗位、临时性专项岗位"),
        Column("招聘人数", "headcount", True),
        Column("月薪下限", "wage_min", True, "元"),
        Column("月薪上限", "wage_max", True, "元"),
        Column("最低学历", "education_min"),
        Column("最低年龄", "age_min"),
        Column("最高年龄", "age_max"),
        Column("技能要求", "skills"),
        Column("证书要求", "certificates", False, "说明文字"),
        Column("要求证书职业代码", "required_certificate_id", False, "必须持有该职业的证书"),
        Column("要求证书等级", "required_level", False, "最低等级,如 四级;不填则任一等级"),
        Column("岗位描述", "description"),
        Column("工作地点代码", "region_id", False, "不填则为单位所在区域;须在单位所在市内"),
        Column("经度", "lng"),
        Column("纬度", "lat"),
        Column("有效期起", "valid_from", True),
        Column("有效期止", "valid_to", True),
        Column("状态", "status", False, "招聘中、已招满、已关闭;默认招聘中"),
    ]

    def prepare(self, job) -> dict:
        return {
            "regions": placeable_regions(),
            "occupations": current_codes(),  # a moved code is stored as its current one
            "employers": {},  # credit code → (pk, region code), filled per chunk on demand
        }

    def _employer(self, code: str, ctx) -> tuple[int, str] | None:
        employers = ctx["employers"]
        if code not in employers:
            found = Employer.objects.filter(credit_code=code).values_list("pk", "region_id").first()
            employers[code] = found
        return employers[code]

    def clean(self, raw, ctx):
        row = RowCleaner(raw)
        credit_code = row.get("统一社会信用代码", validate_credit_code, required=True)
        employer = self._employer(credit_code, ctx) if credit_code else None
        if credit_code and employer is None:
            row.fail("统一社会信用代码", f"单位{credit_code}未登记,请先导入用人单位")
        occupation = row.get("职业代码")
        # a missing or unknown code: the report names the likeliest one for the title, for
        # staff to confirm by writing it into the file
        if not occupation:
            row.fail("职业代码", "必填" + _suggestion(raw.get("岗位名称") or ""))
        elif occupation not in ctx["occupations"]:
            row.fail(
                "职业代码",
                f"{occupation}不是已知的职业分类代码" + _suggestion(raw.get("岗位名称") or ""),
            )
        occupation = ctx["occupations"].get(occupation, occupation)
        wage_min = row.get("月薪下限", parse_int, required=True, minimum=0)
        wage_max = row.get("月薪上限", parse_int, required=True, minimum=0)
        if wage_min is not None and wage_max is not None and wage_min > wage_max:
            row.fail("月薪上限", f"薪资范围颠倒:下限{wage_min}大于上限{wage_max}")
        age_min = row.get("最低年龄", parse_int, minimum=16, maximum=70)
        age_max = row.get("最高年龄", parse_int, minimum=16, maximum=70)
        if age_min and age_max and age_min > age_max:
            row.fail("最高年龄", f"年龄范围颠倒:{age_min}大于{age_max}")
        valid_from = row.get("有效期起", parse_date, required=True)
        valid_to = row.get("有效期止", parse_date, required=True)
        if valid_from and valid_to and valid_to < valid_from:
            row.fail("有效期止", "早于有效期起")
        region = row.get("工作地点代码") or (employer[1] if employer else None)
        point = ctx["regions"].get(region) if region else None
        if region and point is None:
            row.fail("工作地点代码", f"{region}不是已知的街道(乡镇)或社区代码")
        elif region and employer and city_prefix(region) != city_prefix(employer[1]):
            row.fail("工作地点代码", f"工作地点{region}不在单位所在市({employer[1][:4]})内")
        lat, lng = read_point(row, required=False)
        if lat is None and point:
            lat, lng = point
        required = row.get("要求证书职业代码")
        if required and required not in ctx["occupations"]:
            row.fail("要求证书职业代码", f"{required}不是已知的职业分类代码")
        required = ctx["occupations"].get(required, required)
        cleaned = {
            "employer_id": employer[0] if employer else None,
            "employer_region": employer[1] if employer else None,  # who may post for it
            "reference": row.get("岗位编号", required=True),
            "title": row.get("岗位名称", required=True),
            "occupation_id": occupation,
            "kind": row.get(
                "用工形式",
                parse_choice,
                required=True,
                choices=JobKind,
                aliases=KIND_ALIASES,
            ),
            "headcount": row.get("招聘人数", parse_int, required=True, minimum=1, maximum=100000),
            "wage_min": wage_min,
            "wage_max": wage_max,
            "education_min": row.get(
                "最低学历", parse_choice, default="", choices=Education, aliases=EDUCATION_ALIASES
            ),
            "age_min": age_min,
            "age_max": age_max,
            "skills": row.get("技能要求", default=""),
            "certificates": row.get("证书要求", default=""),
            "required_certificate_id": required,
            "required_level": row.get(
                "要求证书等级", parse_choice, choices=SkillLevel, aliases=LEVEL_ALIASES
            ),
            "description": row.get("岗位描述", default=""),
            "region_id": region,
            "lat": lat,
            "lng": lng,
            "h3": h3_cell(lat, lng),
            "valid_from": valid_from,
            "valid_to": valid_to,
            "status": row.get("状态", parse_choice, default=JobStatus.OPEN, choices=JobStatus),
        }
        row.done()
        return cleaned

    def row_refusal(self, row, user):
        """A posting is its employer's: staff post only for employers their region holds."""
        if not may_change(user, stored=row["employer_region"]):
            reason = "该单位不在您的管辖区域内,请由单位所在地经办机构或单位本身发布岗位"
            return "统一社会信用代码", reason
        return None

    def write(self, rows, job, ctx):
        return self.upsert(rows, job, ctx, FIELDS)


def _suggestion(title: str) -> str:
    """ ";按岗位名称建议 6-18-02-04 焊工" when the title points to an occupation."""
    from apps.taxonomy.mapping import suggest

    found = suggest(title, k=1)
    if not found or not (found[0].exact or found[0].confidence >= 0.4):
        return ""
    return f";按岗位名称建议 {found[0].code} {found[0].name}"
