"""The promise dashboard as an Excel workbook: the rules' totals, the communities, and
everyone still owed (masked identifiers)."""

from __future__ import annotations

from apps.people.models import Person
from jiuye.exports import workbook
from jiuye.identifiers import mask_resident_id

from .selectors import Dashboard


def promise_workbook(board: Dashboard) -> bytes:
    rules = [[s.rule.name, s.rule.source, s.covered, s.fulfilled, s.owed] for s in board.rules]
    communities = [
        [c.code, c.name, c.owed, c.longest_days, "、".join(c.staff)] for c in board.communities
    ]
    people = {
        p.pk: p
        for p in Person.objects.filter(pk__in=[o.person_id for o in board.owed]).only(
            "name", "id_number", "community_id"
        )
    }
    owed = [
        [
            people[o.person_id].name,
            mask_resident_id(people[o.person_id].id_number),
            o.community_id,
            o.rule.name,
            "、".join(f"{what}{n}次" for what, n in o.missing),
            o.since.isoformat(),
            o.waited,
        ]
        for o in board.owed
        if o.person_id in people
    ]
    return workbook(
        [
            ("承诺总览", ["承诺", "依据", "覆盖人数", "已兑现", "待兑现"], rules),
            (
                "各社区待兑现",
                ["社区代码", "社区", "待兑现人次", "最长天数", "社区经办人"],
                communities,
            ),
            (
                "待兑现名单",
                ["姓名", "公民身份号码", "社区代码", "承诺", "尚欠", "起算日", "已等待天数"],
                owed,
            ),
        ]
    )


LEDGER_HEADER = [
    "序号",
    "姓名",
    "性别",
    "公民身份号码",
    "出生日期",
    "街道(乡镇)",
    "社区(村)",
    "劳动状态",
    "状态起始日期",
    "学历",
    "认定日期",
    "最近服务日期",
    "联系电话",
]


def ledger_workbook(title: str, people) -> bytes:
    """A key group's ledger in the usual layout of the tables handed upward (identifiers
    masked: the full numbers stay in the system, behind the logged reveal)."""
    from django.utils import timezone

    from jiuye.identifiers import mask_mobile

    rows = [
        [
            i,
            p.name,
            p.get_gender_display(),
            mask_resident_id(p.id_number),
            p.birth_date.isoformat(),
            p.community.parent.name if p.community.parent_id else "",
            p.community.name,
            p.get_labour_status_display(),
            p.status_since.isoformat(),
            p.get_education_display(),
            p.joined.isoformat() if p.joined else "",
            timezone.localtime(p.last_service).date().isoformat() if p.last_service else "从未服务",
            mask_mobile(p.phone) if p.phone else "",
        ]
        for i, p in enumerate(people, start=1)
    ]
    return workbook([(title[:31], LEDGER_HEADER, rows)])
