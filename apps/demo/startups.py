"""Entrepreneurship in the demo county (generated): the businesses the demo's founders
started become startups (their origin read off the founder's tags), some with a
guarantee loan, two incubators housing a few, a small mentor pool and requests, some
answered. Marked generated where the model allows; the rest hangs off generated rows."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from apps.accounts.scoping import region_prefix_q
from apps.employers.models import Employer
from apps.people.models import KeyGroupTag
from apps.regions.models import Region, RegionLevel
from apps.startups.models import (
    GuaranteeLoan,
    Incubator,
    Mentor,
    MentorRequest,
    Project,
    ProjectInterest,
    Startup,
    Tenancy,
)
from apps.startups.services import add_months

ORIGIN_OF = {"graduate": "graduate", "migrant_worker": "returning", "veteran": "veteran"}
MENTORS = [
    ("王建国", "餐饮连锁经营", ["H"]),
    ("刘慧", "电子商务与直播带货", ["F", "I"]),
    ("陈志强", "小型制造与质量管理", ["C"]),
    ("赵敏", "财务与融资", ["J", "L"]),
    ("孙立", "农产品加工与合作社", ["A", "C"]),
    ("周婷", "家政与养老服务", ["O"]),
]
PROJECTS = [
    ("特色小吃门店(演示)", "H", 80000, 3, "门店经营,统一培训和供货,适合返乡人员和家庭创业"),
    ("农村电商服务站(演示)", "F", 30000, 2, "代购代销和快递收发,依托村级便民服务点"),
    ("家政服务小微企业(演示)", "O", 50000, 6, "保洁、育婴、养老陪护,员工经培训持证上岗"),
    ("农产品初加工作坊(演示)", "C", 150000, 5, "本地农产品清洗、分拣、包装,对接商超和电商"),
    ("汽车美容快修店(演示)", "O", 120000, 4, "洗车、保养和小修,需要一名持证技工"),
]
TOPICS = ["门店选址和成本核算", "申请创业担保贷款的材料", "网店引流", "招第一批员工", "产品定价"]


@transaction.atomic
def simulate_startups(county_code: str, *, seed: int, today=None) -> dict:
    rng = random.Random(seed)
    today = today or timezone.localdate()
    if Startup.objects.filter(region_prefix_q("employer__region_id", county_code)).exists():
        return {}
    firms = list(
        Employer.objects.filter(
            region_prefix_q("region_id", county_code),
            founder__isnull=False,
            founded_on__isnull=False,
        ).values_list("pk", "founder_id", "founded_on")
    )
    tags = dict(
        KeyGroupTag.objects.filter(
            person_id__in=[f[1] for f in firms], group__in=list(ORIGIN_OF)
        ).values_list("person_id", "group")
    )
    startups = Startup.objects.bulk_create(
        Startup(
            employer_id=pk,
            founder_id=founder,
            origin=ORIGIN_OF.get(tags.get(founder), "other"),
            founded_on=founded,
            generated=True,
        )
        for pk, founder, founded in firms
    )
    loans = []
    for s in startups:
        if rng.random() < 0.4:
            issued = min(s.founded_on + dt.timedelta(days=rng.randrange(10, 120)), today)
            term = rng.choice((12, 24, 36))
            repaid = add_months(issued, term) <= today
            loans.append(
                GuaranteeLoan(
                    borrower_id=s.founder_id,
                    startup=s,
                    bank=rng.choice(("界首农商银行", "邮储银行界首支行", "农业银行界首支行")),
                    amount=Decimal(rng.choice((50000, 100000, 150000, 200000))),
                    term_months=term,
                    rate=Decimal("3.45"),
                    subsidised_share=Decimal(50),
                    issued_on=issued,
                    due_on=add_months(issued, term),
                    status="repaid" if repaid else rng.choice(("active",) * 9 + ("overdue",)),
                    repaid_on=add_months(issued, term) if repaid else None,
                    generated=True,
                )
            )
    GuaranteeLoan.objects.bulk_create(loans)
    communities = list(
        Region.objects.filter(region_prefix_q("code", county_code), level=RegionLevel.COMMUNITY)
        .order_by("code")
        .values_list("code", flat=True)[:50]
    )
    incubators = [
        Incubator.objects.create(
            name=name,
            level=level,
            community_id=rng.choice(communities),
            capacity=capacity,
            generated=True,
        )
        for name, level, capacity in (
            ("创业孵化基地(演示)", "city", 40),
            ("返乡创业园(演示)", "county", 25),
        )
    ]
    housed = rng.sample(startups, min(len(startups), 30))
    Tenancy.objects.bulk_create(
        Tenancy(
            incubator=incubators[k % 2],
            startup=s,
            start=min(s.founded_on + dt.timedelta(days=rng.randrange(0, 60)), today),
        )
        for k, s in enumerate(housed)
    )
    county = Region.objects.get(code=county_code)
    mentors = []
    for name, expertise, sections in MENTORS:
        m = Mentor.objects.create(
            name=name, expertise=expertise, region=county, organisation="(演示)", generated=True
        )
        m.industries.set(sections)
        mentors.append(m)
    asked = rng.sample(startups, min(len(startups), 12))
    requests = MentorRequest.objects.bulk_create(
        MentorRequest(startup=s, topic=rng.choice(TOPICS)) for s in asked
    )
    for r in requests[: len(requests) // 2]:
        r.mentor, r.status = rng.choice(mentors), "assigned"
    MentorRequest.objects.bulk_update(requests, ["mentor", "status"])
    projects = Project.objects.bulk_create(
        Project(
            title=title,
            industry_id=industry,
            region=county,
            summary=summary,
            investment=investment,
            jobs=jobs,
            source="演示生成",
            generated=True,
        )
        for title, industry, investment, jobs, summary in PROJECTS
    )
    people = list(
        KeyGroupTag.objects.filter(
            region_prefix_q("person__community_id", county_code), group="migrant_worker"
        ).values_list("person_id", flat=True)[:200]
    )
    ProjectInterest.objects.bulk_create(
        ProjectInterest(project=rng.choice(projects), person_id=pk)
        for pk in rng.sample(people, min(len(people), 15))
    )
    return {
        "projects": len(projects),
        "startups": len(startups),
        "loans": len(loans),
        "tenants": len(housed),
        "mentors": len(mentors),
        "requests": len(requests),
    }
