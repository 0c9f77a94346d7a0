"""Labour cooperation and a labour brand in the demo county (generated): two partners in the
east, people sent out to them since last year (most still at work, some back, a few to be
checked), and the county's 阜阳名小吃 brand with its businesses and members. Rows are marked
generated where the model allows; the rest hangs off them."""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from apps.accounts.scoping import region_prefix_q
from apps.cooperation.models import Brand, BrandBusiness, BrandMember, Dispatch, Partner
from apps.people.models import Certificate, Person
from apps.regions.models import Region, RegionLevel

SNACKS = ["格拉条", "枕头馍", "撒汤", "大救驾", "太和板面", "卷馍", "油酥烧饼"]


@transaction.atomic
def simulate_cooperation(county_code: str, *, seed: int, today: dt.date | None = None) -> dict:
    rng = random.Random(seed)
    today = today or timezone.localdate()
    if Partner.objects.filter(region_id=county_code).exists():
        return {}
    partners = [
        Partner.objects.create(
            region_id=county_code,
            name=name,
            partner_region=Region.objects.filter(code=code).first(),
            kind=kind,
            agreed_on=dt.date(today.year - 2, 3, 1),
            generated=True,
        )
        for name, code, kind in (
            ("宁波市人力资源和社会保障局(演示)", "330200", "east_west"),
            ("苏州工业园区劳务合作站(演示)", "320500", "province"),
        )
    ]
    communities = list(
        Region.objects.filter(region_prefix_q("code", county_code), level=RegionLevel.COMMUNITY)
        .order_by("code")
        .values_list("code", flat=True)
    )
    people = list(
        Person.objects.filter(
            region_prefix_q("community_id", county_code),
            labour_status__in=("unemployed", "flexible", "inactive"),
            birth_date__gt=dt.date(today.year - 55, 1, 1),
        )
        .order_by("pk")
        .values_list("pk", flat=True)[:400]
    )
    brand = Brand.objects.create(
        region_id=county_code,
        name="阜阳名小吃(演示)",
        occupation_id="4-03-02-01",
        description="面点、小吃制作与门店经营",
        target_year=2025,
        target_businesses=500,
        target_jobs=3000,
        generated=True,
    )
    sent = []
    for pk in rng.sample(people, min(len(people), 120)):
        left = today - dt.timedelta(days=rng.randrange(20, 600))
        status = rng.choice(("working",) * 6 + ("changed", "returned", "unknown"))
        back = min(today, left + dt.timedelta(days=rng.randrange(30, 300)))
        sent.append(
            Dispatch(
                partner=rng.choice(partners),
                person_id=pk,
                brand=brand if rng.random() < 0.2 else None,
                workplace=rng.choice(("某电子厂", "某服装厂", "某物流园", "某餐饮公司")) + "(演示)",
                occupation_id=None,
                left_on=left,
                status=status,
                checked_on=back
                if status == "returned"
                else min(today, left + dt.timedelta(days=90)),
                returned_on=back if status == "returned" else None,
                generated=True,
            )
        )
    Dispatch.objects.bulk_create(sent)
    shops = [
        BrandBusiness(
            brand=brand,
            name=f"{rng.choice(SNACKS)}店{n}(演示)",
            region_id=rng.choice(communities),
            jobs=rng.randrange(2, 9),
            registered_on=today - dt.timedelta(days=rng.randrange(30, 900)),
            generated=True,
        )
        for n in range(1, 61)
    ]
    BrandBusiness.objects.bulk_create(shops)
    members = rng.sample(people, min(len(people), 80))
    BrandMember.objects.bulk_create(
        BrandMember(
            brand=brand, person_id=pk, joined_on=today - dt.timedelta(days=rng.randrange(1, 400))
        )
        for pk in members
    )
    # about half trained in the brand's trade (中式烹调师, generated certificates)
    Certificate.objects.bulk_create(
        Certificate(
            person_id=pk,
            occupation_id="4-03-02-01",
            name="中式烹调师(演示)",
            level=rng.choice((4, 5)),
            issued_on=today - dt.timedelta(days=rng.randrange(30, 700)),
        )
        for pk in members[: len(members) // 2]
    )
    return {"协作方": len(partners), "输出人员": len(sent), "品牌经营主体": len(shops)}
