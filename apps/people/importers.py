"""Import spec for the labour-resource registry, keyed by resident ID."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from apps.accounts.models import AuditEntry
from apps.imports.cells import (
    parse_choice,
    parse_choices,
    parse_date,
    parse_float,
    parse_int,
    split_list,
)
from apps.imports.specs import Column, ImportSpec, RowCleaner, insert_rows
from apps.regions.geo import h3_cell
from apps.regions.importers import read_point
from apps.regions.selectors import placeable_regions
from apps.taxonomy.models import Education, Occupation, SkillLevel, current_codes
from jiuye.identifiers import (
    birth_date_from_id,
    gender_from_id,
    validate_mobile,
    validate_resident_id,
)

from .models import (
    Certificate,
    Household,
    JobKind,
    KeyGroup,
    KeyGroupTag,
    LabourStatus,
    Person,
    StatusChange,
    kinds_refused,
)

# what the jobs import accepts too
KIND_ALIASES = {"全日制": "regular", "见习": "internship", "公益岗": "public_welfare"}
EDUCATION_ALIASES = {
    "博士": "10",
    "硕士": "10",
    "本科": "20",
    "大专": "30",
    "专科": "30",
    "中专": "40",
    "技校": "50",
    "普高": "60",
    "小学及以下": "80",
    "无": "90",
}
STATUS_ALIASES = {
    "在业": "employed",
    "就业人员": "employed",
    "失业人员": "unemployed",
    "学生": "student",
    "灵活": "flexible",
}
GROUP_ALIASES = {
    "毕业生": "graduate",
    "脱贫人口": "poverty_alleviated",
    "监测对象": "monitored",
    "困难人员": "hard_to_employ",
    "零就业家庭": "zero_employment_family",
    "易地搬迁": "relocated",
    "搬迁群众": "relocated",
}
LEVEL_ALIASES = {
    "五级": "5",
    "初级": "5",
    "四级": "4",
    "中级": "4",
    "三级": "3",
    "高级": "3",
    "二级": "2",
    "技师": "2",
    "一级": "1",
    "高级技师": "1",
}
MINIMUM_AGE = 16  # 劳动法 第十五条: no employment of minors under 16
CERTIFICATE_NAME_MAX = Certificate._meta.get_field("name").max_length

FIELDS = [
    "name",
    "gender",
    "birth_date",
    "phone",
    "household_id",
    "community_id",
    "address",
    "lat",
    "lng",
    "h3",
    "education",
    "major",
    "skills",
    "labour_status",
    "status_since",
    "wish_job_kinds",
    "wish_min_wage",
    "wish_max_distance_km",
]


def age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


_COORDINATES = ("经度", "纬度")


class PersonImport(ImportSpec):
    kind = "people"
    label = "人员(劳动力资源信息)"
    model = Person
    region_field = "community_id"
    key_field = "id_number"
    sources = {
        "gender": ("身份证号",),
        "birth_date": ("身份证号",),
        "household_id": ("户号",),
        "lat": _COORDINATES,
        "lng": _COORDINATES,
        "h3": _COORDINATES,
    }
    # A person moved within the importer's region without coordinates: the community's.
    derived = {"lat": "community_id", "lng": "community_id", "h3": "community_id"}
    history_dates = {"status_since": "labour_status"}
    limits = {"household": (Household, "number"), "group_detail": (KeyGroupTag, "detail")}
    columns = [
        Column("身份证号", "id_number", True, "18位公民身份号码,含校验码"),
        Column("姓名", "name", True),
        Column("手机号", "phone"),
        Column("户号", "household", False, "同一户的成员填写相同户号"),
        Column("居住社区代码", "community_id", True, "12位社区(村)代码或9位街道(乡镇)代码"),
        Column("居住地址", "address"),
        Column("经度", "lng", False, "不填则取社区坐标"),
        Column("纬度", "lat"),
        Column(
            "学历",
            "education",
            False,
            "研究生、大学本科、大学专科、中等专科、技工学校、高中、初中、小学、其他",
        ),
        Column("专业", "major"),
        Column("技能特长", "skills"),
        Column(
            "劳动状态", "labour_status", True, "就业、灵活就业、失业、在校学生、未参加劳动、退休"
        ),
        Column("状态起始日期", "status_since", False, "不填为导入当天"),
        Column("意向职业代码", "wish_occupations", False, "多个用分号分隔"),
        Column("意向用工形式", "wish_job_kinds", False, "可多个,顿号分隔,如 全职、零工;空为不限"),
        Column("期望最低月薪", "wish_min_wage", False, "元"),
        Column("可接受通勤距离", "wish_max_distance_km", False, "公里"),
        Column(
            "技能证书", "certificates", False, "证书名称/等级,多个用分号分隔,如 焊工/四级;电工/五级"
        ),
        Column("重点群体", "groups", False, "多个用分号分隔,如 高校毕业生;农民工"),
        Column("认定日期", "group_since", False, "重点群体认定日期,不填为导入当天"),
        Column("认定说明", "group_detail", False, "如毕业年份、就业困难原因"),
    ]

    def finish(self, job, scope: str) -> None:
        """Households may have become, or stopped being, zero-employment families."""
        from .households import sync_zero_employment

        sync_zero_employment(scope)

    def prepare(self, job) -> dict:
        return {
            "regions": placeable_regions(),
            "occupations": current_codes(),  # a moved code is stored as its current one
            "occupation_by_name": dict(
                Occupation.objects.filter(level=Occupation.Level.OCCUPATION).values_list(
                    "name", "code"
                )
            ),
            "today": timezone.localdate(),
        }

    def clean(self, raw, ctx):
        row = RowCleaner(raw)
        today = ctx["today"]
        id_number = row.get("身份证号", validate_resident_id, required=True)
        birth = gender = None
        if id_number:
            birth, gender = birth_date_from_id(id_number), gender_from_id(id_number)
            if age_on(birth, today) < MINIMUM_AGE:
                row.fail("身份证号", f"未满{MINIMUM_AGE}周岁,不纳入劳动力资源信息库")
        community = row.get("居住社区代码", required=True)
        point = ctx["regions"].get(community) if community else None
        if community and point is None:
            row.fail("居住社区代码", f"{community}不是已知的社区(村)或街道(乡镇)代码")
        lat, lng = read_point(row, required=False)
        if lat is None and point:
            lat, lng = point
        wishes = split_list(row.get("意向职业代码", default=""))
        unknown = [code for code in wishes if code not in ctx["occupations"]]
        if unknown:
            row.fail("意向职业代码", f"未知的职业代码:{'、'.join(unknown)}")
        wishes = list(dict.fromkeys(ctx["occupations"].get(c, c) for c in wishes))
        groups = []
        for label in split_list(row.get("重点群体", default="")):
            try:
                groups.append(parse_choice(label, KeyGroup, GROUP_ALIASES))
            except ValueError as exc:
                row.fail("重点群体", str(exc))
        kinds = row.get(
            "意向用工形式", parse_choices, default=[], choices=JobKind, aliases=KIND_ALIASES
        )
        # with the row's key groups in the file, a kind reserved for others is refused
        refused = kinds_refused(kinds, groups) if "重点群体" in raw else ""
        if refused:
            row.fail("意向用工形式", f"{refused},本行的重点群体不在其中")
        certificates = []
        for item in split_list(row.get("技能证书", default="")):
            name, _, level_text = item.partition("/")
            level = None
            if level_text:
                try:
                    level = int(parse_choice(level_text, SkillLevel, LEVEL_ALIASES))
                except ValueError as exc:
                    row.fail("技能证书", str(exc))
            if len(name.strip()) > CERTIFICATE_NAME_MAX:
                row.fail("技能证书", f"证书名称不能超过{CERTIFICATE_NAME_MAX}个字符")
            certificates.append((name.strip(), level, ctx["occupation_by_name"].get(name.strip())))
        distance = row.get("可接受通勤距离", parse_float)
        if distance is not None and not 0 < distance <= 500:
            row.fail("可接受通勤距离", "应大于0且不超过500公里")
        since = row.get("状态起始日期", parse_date, default=today)
        if since and since > today:
            row.fail("状态起始日期", "不能晚于今天")
        cleaned = {
            "id_number": id_number,
            "name": row.get("姓名", required=True),
            "gender": gender,
            "birth_date": birth,
            "phone": row.get("手机号", validate_mobile, default=""),
            "household": row.get("户号", default=""),
            "community_id": community,
            "address": row.get("居住地址", default=""),
            "lat": lat,
            "lng": lng,
            "h3": h3_cell(lat, lng),
            "education": row.get(
                "学历", parse_choice, default="", choices=Education, aliases=EDUCATION_ALIASES
            ),
            "major": row.get("专业", default=""),
            "skills": row.get("技能特长", default=""),
            "labour_status": row.get(
                "劳动状态",
                parse_choice,
                required=True,
                choices=LabourStatus,
                aliases=STATUS_ALIASES,
            ),
            "status_since": since,
            "wish_occupations": wishes if "意向职业代码" in raw else None,
            "wish_job_kinds": kinds,
            "wish_min_wage": row.get("期望最低月薪", parse_int, minimum=0, maximum=1_000_000),
            "wish_max_distance_km": distance,
            "certificates": certificates,
            "groups": groups,
            "group_since": row.get("认定日期", parse_date, default=today),
            "group_detail": row.get("认定说明", default=""),
        }
        row.done()
        return cleaned

    def refuse_update(self, row, stored_region, job):
        """A person held by another region: a transfer is asked of it (人员转移)."""
        from .transfers import TransferError, request_transfer

        person = Person.objects.get(id_number=row["id_number"])
        try:
            transfer = request_transfer(
                user=job.created_by,
                person=person,
                to_region=row["community_id"],
                address=row["address"],
                reason=f"导入任务#{job.pk}",
                import_job=job,
            )
        except TransferError as exc:
            return f"此人已在其他区域登记:{exc}"
        return (
            f"此人已在其他区域登记,已向其所在地经办机构申请人员转移(转移申请#{transfer.pk});"
            "对方同意后,请重新导入此行"
        )

    def write(self, rows, job, ctx):
        _link_households(rows)
        result = self.upsert(rows, job, ctx, FIELDS)
        by_key = {row["id_number"]: row for row in rows}
        history = [
            {
                "person_id": result.pks[key],
                "status": by_key[key]["labour_status"],
                "since": by_key[key]["status_since"],
                "note": "导入",
            }
            for key in result.created_keys
        ] + [
            {
                "person_id": result.pks[key],
                "status": change["labour_status"][1],
                "since": by_key[key]["status_since"],
                "note": "导入更新",
            }
            for key, change in result.changes.items()
            if "labour_status" in change
        ]
        insert_rows(StatusChange, history)
        # People created just now hold no wishes, tags or certificates yet: no need to look.
        known = set(result.pks.values()) - {result.pks[key] for key in result.created_keys}
        added: dict[int, dict[str, list]] = {}
        for part, changes in (
            ("wish_occupations", _sync_wishes(rows, result.pks, known)),
            ("groups", _add_tags(rows, result.pks, known)),
            ("certificates", _add_certificates(rows, result.pks, known)),
        ):
            for pk, change in changes.items():
                added.setdefault(pk, {})[part] = change
        _count_other_changes(result, added, job)
        return result


def _count_other_changes(result, added: dict[int, dict[str, list]], job) -> None:
    """Wishes, tags and certificates changed: audited, and a person whose own fields did
    not change is counted as updated all the same. A change to any part of a file is a
    change to the person: readers of changes (the matching index) look at
    Person.updated_at."""
    if not added:
        return
    own = {result.pks[key] for key in result.changes}
    others = [pk for pk in added if pk not in own]
    if others:
        Person.objects.filter(pk__in=others).update(updated_at=timezone.now())
    result.updated += len(others)
    result.unchanged -= len(others)
    AuditEntry.objects.bulk_create(
        [
            AuditEntry(
                actor=job.created_by,
                action="import_update",
                model=Person._meta.label,
                object_id=str(pk),
                changes={"import_job": job.pk, **parts},
            )
            for pk, parts in added.items()
        ]
    )


def _link_households(rows: list[dict]) -> None:
    numbers = {row["household"]: row["community_id"] for row in rows if row["household"]}
    known = dict(Household.objects.filter(number__in=numbers).values_list("number", "pk"))
    insert_rows(
        Household, [{"number": n, "community_id": c} for n, c in numbers.items() if n not in known]
    )
    known = dict(Household.objects.filter(number__in=numbers).values_list("number", "pk"))
    for row in rows:
        row["household_id"] = known.get(row["household"]) if row["household"] else None


def _sync_wishes(rows: list[dict], pks: dict, known: set[int]) -> dict[int, list]:
    """Set each person's wished occupations to the file's list, in the file's order (the
    first is the main wish), where the column exists. Returns the existing people changed,
    with their new wishes."""
    through = Person.wish_occupations.through
    wanted = {
        pks[r["id_number"]]: list(dict.fromkeys(r["wish_occupations"]))
        for r in rows
        if r["wish_occupations"] is not None
    }
    if not wanted:
        return {}
    current: dict[int, list] = {pk: [] for pk in wanted}
    lookup = [pk for pk in wanted if pk in known]
    if lookup:
        for person_id, code in (
            through.objects.filter(person_id__in=lookup)
            .order_by("id")
            .values_list("person_id", "occupation_id")
        ):
            current[person_id].append(code)
    changed = {pk for pk in wanted if current[pk] != wanted[pk]}
    stale = [pk for pk in changed if current[pk]]
    if stale:
        through.objects.filter(person_id__in=stale).delete()
    insert_rows(
        through, [{"person_id": pk, "occupation_id": code} for pk in changed for code in wanted[pk]]
    )
    return {pk: wanted[pk] for pk in changed & known}


def _add_tags(rows: list[dict], pks: dict, known: set[int]) -> dict[int, list]:
    """Add the key groups a row names that the person does not already hold (open-ended).
    Returns the existing people given a new tag, with the groups added."""
    tagged = [r for r in rows if r["groups"]]
    if not tagged:
        return {}
    lookup = [pks[r["id_number"]] for r in tagged if pks[r["id_number"]] in known]
    active = set(
        KeyGroupTag.objects.filter(person_id__in=lookup, end__isnull=True).values_list(
            "person_id", "group"
        )
        if lookup
        else ()
    )
    new = [
        {
            "person_id": pks[r["id_number"]],
            "group": g,
            "start": r["group_since"],
            "detail": r["group_detail"],
        }
        for r in tagged
        for g in dict.fromkeys(r["groups"])
        if (pks[r["id_number"]], g) not in active
    ]
    insert_rows(KeyGroupTag, new)
    added: dict[int, list] = {}
    for t in new:
        if t["person_id"] in known:
            added.setdefault(t["person_id"], []).append(t["group"])
    return added


def _add_certificates(rows: list[dict], pks: dict, known: set[int]) -> dict[int, list]:
    """Add the certificates a row names that the person does not hold yet. Returns the
    existing people given a new certificate, with the certificates added."""
    listed = [r for r in rows if r["certificates"]]
    if not listed:
        return {}
    lookup = [pks[r["id_number"]] for r in listed if pks[r["id_number"]] in known]
    held = set(
        Certificate.objects.filter(person_id__in=lookup).values_list("person_id", "name", "level")
        if lookup
        else ()
    )
    new = {}
    for r in listed:
        pk = pks[r["id_number"]]
        for name, level, occupation in r["certificates"]:
            if (pk, name, level) not in held:
                new[(pk, name, level)] = {
                    "person_id": pk,
                    "name": name,
                    "level": level,
                    "occupation_id": occupation,
                }
    insert_rows(Certificate, list(new.values()))
    added: dict[int, list] = {}
    for pk, name, level in new:
        if pk in known:
            added.setdefault(pk, []).append(f"{name}/{level}" if level else name)
    return added
