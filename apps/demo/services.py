"""The demo app owns the generated demo city: it places communities and service stations
(marked ``generated``) inside a real county, then loads generated people, employers and
jobs through the one import pipeline, and creates one login per role."""

from __future__ import annotations

import csv
import datetime as dt
import math
import random
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from apps.accounts.models import Role, User
from apps.accounts.scoping import region_prefix_q
from apps.employers.models import Employer
from apps.imports.services import create_import, run_import
from apps.people.models import LabourStatus, Person
from apps.regions.geo import h3_cell, offset_km
from apps.regions.models import CoordinateSource, Region, RegionLevel, ServiceStation

from .generator import (
    COMMUNITY_NAMES,
    VILLAGE_PREFIX,
    VILLAGE_SUFFIX,
    CityGenerator,
    Place,
)


class DemoError(Exception):
    pass


@dataclass
class DemoLogin:
    username: str
    role: str
    scope: str


def write_csv(path: Path, rows: list[dict] | object, headers: list[str]) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    n = 0
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=headers)
        writer.writeheader()
        for row in rows:
            writer.writerow(row)
            n += 1
    return n


def get_county(code: str) -> Region:
    county = Region.objects.filter(code=code).first()
    if county is None:
        raise DemoError(f"区划{code}不存在:请先运行 python manage.py load_reference")
    if county.level != RegionLevel.COUNTY:
        raise DemoError(f"{county}不是县级区划;演示城市须指定县级代码,如 341282 界首市")
    if county.lat is None:
        raise DemoError(f"{county}没有中心坐标,无法放置社区")
    return county


@transaction.atomic
def place_communities(county: Region, seed: int) -> list[Place]:
    """Give the county's streets/townships coordinates, and the county's statistical
    communities (社区/村, loaded by load_reference) generated places around them. Only
    where none were loaded (load_reference --no-communities) are communities made up,
    marked generated; a township the statistics list no community for then stays without
    residents. Already placed ones are kept as they are."""
    rng = random.Random(seed)
    statistical = Region.objects.filter(
        region_prefix_q("code", county.code), level=RegionLevel.COMMUNITY, generated=False
    ).exists()
    streets = list(county.children.filter(level=RegionLevel.TOWNSHIP).order_by("code"))
    if not streets:
        raise DemoError(f"{county}下没有乡级区划")
    towns = [s for s in streets if not s.name.endswith("街道")]
    for street in streets:
        if street.lat is not None:
            continue
        if street.name.endswith("街道"):
            north, east = (rng.uniform(-2.5, 2.5) for _ in range(2))
        else:
            angle = 2 * math.pi * towns.index(street) / max(1, len(towns)) + rng.uniform(-0.2, 0.2)
            radius = rng.uniform(7, 20)
            north, east = radius * math.cos(angle), radius * math.sin(angle)
        street.lat, street.lng = offset_km(county.lat, county.lng, north, east)
        street.h3 = h3_cell(street.lat, street.lng)
        street.coordinate_source = CoordinateSource.GENERATED
        street.save(update_fields=["lat", "lng", "h3", "coordinate_source"])
    places: list[Place] = []
    for street in streets:
        existing = list(street.children.filter(level=RegionLevel.COMMUNITY))
        urban = street.name.endswith("街道")
        # The statistical communities (load_reference) are the city's real ones: they get
        # generated places around their street, their codes and names stay the real ones.
        unplaced = [c for c in existing if c.lat is None]
        for c in unplaced:
            c.lat, c.lng = _spread(rng, street, *((1.0, 5.0) if c.is_village else (0.3, 2.0)))
            c.h3 = h3_cell(c.lat, c.lng)
            c.coordinate_source = CoordinateSource.GENERATED
        Region.objects.bulk_update(unplaced, ["lat", "lng", "h3", "coordinate_source"])
        if not existing and not statistical:
            # No statistical communities loaded (load_reference --no-communities): the
            # demo makes its own, marked generated.
            n_comm = rng.randint(6, 10) if urban else rng.randint(1, 2)
            n_vill = 0 if urban else rng.randint(10, 18)
            # Statistical codes: 0xx for 社区 (residents' committees), 2xx for 村.
            new = [
                _generated_community(rng, street, k + 1, f"{name}社区", village=False)
                for k, name in enumerate(rng.sample(COMMUNITY_NAMES, n_comm))
            ]
            village_names: set[str] = set()
            for k in range(n_vill):
                name = rng.choice(VILLAGE_PREFIX) + rng.choice(VILLAGE_SUFFIX) + "村"
                while name in village_names:
                    name = rng.choice(VILLAGE_PREFIX) + name
                village_names.add(name)
                new.append(_generated_community(rng, street, 201 + k, name, village=True))
            Region.objects.bulk_create(new)
            existing = new
        places += [
            Place(c.code, f"{street.name}{c.name}", c.lat, c.lng, c.is_village, urban)
            for c in existing
            if c.lat is not None
        ]
    _place_stations(county, streets, rng)
    return places


def _generated_community(
    rng: random.Random, street: Region, number: int, name: str, *, village: bool
) -> Region:
    """A community placed around its street: villages farther out than urban communities."""
    lat, lng = _spread(rng, street, *((1.0, 5.0) if village else (0.3, 2.0)))
    return Region(
        code=f"{street.code}{number:03d}",
        name=name,
        level=RegionLevel.COMMUNITY,
        parent=street,
        is_village=village,
        lat=lat,
        lng=lng,
        h3=h3_cell(lat, lng),
        generated=True,
        coordinate_source=CoordinateSource.GENERATED,
    )


def _spread(rng: random.Random, street: Region, low: float, high: float) -> tuple[float, float]:
    radius, angle = rng.uniform(low, high), rng.uniform(0, 2 * math.pi)
    return offset_km(street.lat, street.lng, radius * math.cos(angle), radius * math.sin(angle))


def _place_stations(county: Region, streets: list[Region], rng: random.Random) -> None:
    """A centre and a gig station (零工驿站) in the county seat, a service office in every
    street/township, a service station in about half the urban communities."""

    def station(suffix: str, name: str, kind: str, region: Region, point=None) -> ServiceStation:
        lat, lng = point or (region.lat, region.lng)
        return ServiceStation(
            code=f"{region.code}-{suffix}",
            name=name,
            kind=kind,
            region=region,
            lat=lat,
            lng=lng,
            h3=h3_cell(lat, lng),
            generated=True,
        )

    Kind = ServiceStation.Kind
    stations = [
        station("C", f"{county.name}公共就业服务中心", Kind.CENTRE, county),
        station(
            "G",
            f"{county.name}零工驿站",
            Kind.GIG,
            county,
            offset_km(county.lat, county.lng, 0.8, -0.6),
        ),
    ]
    for street in streets:
        stations.append(station("T", f"{street.name}人社服务所", Kind.TOWNSHIP, street))
        for community in street.children.filter(level=RegionLevel.COMMUNITY, is_village=False):
            if rng.random() < 0.5:
                stations.append(
                    station("S", f"{community.name}就业服务站", Kind.COMMUNITY, community)
                )
    ServiceStation.objects.bulk_create(stations, ignore_conflicts=True)


def city_exists(county: Region) -> bool:
    prefix = county.scope_prefix
    return Person.objects.filter(region_prefix_q("community_id", prefix)).exists()


def generate_city(
    *, county_code: str, people: int, seed: int, out_dir: Path | None = None, log=print
) -> bool:
    """Generate the demo city; returns False (and changes nothing) if it already exists."""
    county = get_county(county_code)
    if city_exists(county):
        log(f"{county.name}已有人员数据,跳过生成(不会重复生成)")
        _policy_facts(county, seed, log)  # a city generated before the rules needed them
        from apps.indicators.cells import reset

        reset()  # facts written in bulk: the indicators' cells are rebuilt when read
        return False
    places = place_communities(county, seed)
    others = list(
        Region.objects.filter(region_prefix_q("code", county.code[:2]), level=RegionLevel.COUNTY)
        .exclude(code=county.code)
        .values_list("code", flat=True)
    )
    gen = CityGenerator(
        county.code, places, seed, timezone.localdate(), others, city_name=county.name
    )
    out_dir = out_dir or Path(settings.VAR_DIR) / "demo"
    employers = gen.employers(max(20, people // 50))
    jobs = gen.jobs(employers)
    files = [
        ("employers", f"demo-{county.code}-employers.csv", employers),
        ("jobs", f"demo-{county.code}-jobs.csv", jobs),
        ("people", f"demo-{county.code}-people.csv", gen.people(people)),
    ]
    for kind, name, rows in files:
        path = out_dir / name
        from apps.imports.registry import get_spec

        write_csv(path, rows, [c.header for c in get_spec(kind).columns])
        with path.open("rb") as f:
            job = create_import(kind=kind, file=f, filename=name)
        job = run_import(job.pk)
        log(
            f"{name}: {job.get_status_display()} 新增{job.created_count} 被拒{job.rejected_count} "
            f"{job.message}"
        )
        if job.status != job.Status.DONE:
            raise DemoError(f"{name} 导入未全部成功:{job.message or job.rejected_count}")
    from apps.people.households import sync_zero_employment

    from .history import simulate_history, simulate_registrations, simulate_services

    log(f"求职申请与录用记录(演示生成): {simulate_history(seed=seed)} 条")
    log(f"服务记录(演示生成): {simulate_services(seed=seed)} 条")
    _policy_facts(county, seed, log)
    n = simulate_registrations(county.code, seed=seed)
    log(f"就业失业登记(演示生成): {n} 条")
    from .monitoring import simulate_monitoring

    log(f"失业动态监测(演示生成): {simulate_monitoring(county.code, seed=seed)}")
    from .training import simulate_training

    log(f"职业技能培训(演示生成): {simulate_training(county.code, seed=seed)}")
    from .startups import simulate_startups

    log(f"创业服务(演示生成): {simulate_startups(county.code, seed=seed)}")
    from .fairs import simulate_fairs

    log(f"招聘会(演示生成): {simulate_fairs(county.code, seed=seed)}")
    from .gigs import simulate_gigs

    log(f"零工市场(演示生成): {simulate_gigs(county.code, seed=seed)}")
    from .sharing import simulate_sharing

    log(f"共享用工(演示生成): {simulate_sharing(county.code, seed=seed)}")
    from .cooperation import simulate_cooperation

    log(f"劳务协作与劳务品牌(演示生成): {simulate_cooperation(county.code, seed=seed)}")
    # After the hires and placements: the families with nobody in work now.
    from apps.people.models import ZeroEmploymentAlert

    sync_zero_employment(county.code)
    open_alerts = ZeroEmploymentAlert.objects.filter(
        region_prefix_q("community_id", county.code), cleared_on__isnull=True
    ).count()
    log(f"零就业家庭: {open_alerts}户(演示生成,待帮扶清零)")
    # Generated in bulk (some by raw updates): the indicators' cells are built afresh.
    from apps.indicators.cells import KEYS, ensure, reset

    reset()
    ensure(KEYS, timezone.localdate())
    return True


def _policy_facts(county: Region, seed: int, log) -> None:
    """The facts the subsidy rules read, once per county and year."""
    from apps.policies.models import EmployerYear

    from .policy_facts import simulate_policy_facts

    today = timezone.localdate()
    year = today.year
    if EmployerYear.objects.filter(
        region_prefix_q("employer__region_id", county.code), year=year
    ).exists():
        return
    facts = simulate_policy_facts(
        county.code, year=year, seed=seed, today=today
    )  # none after today
    log("政策比对所需数据(演示生成): " + ", ".join(f"{k} {v}" for k, v in facts.items()))


def ensure_demo_users(county_code: str, password: str) -> list[DemoLogin]:
    """One login per role, scoped inside the demo county. Idempotent."""
    county = get_county(county_code)
    prefix = county.scope_prefix
    busiest = (
        Person.objects.filter(
            region_prefix_q("community_id", prefix), community__level=RegionLevel.COMMUNITY
        )
        .values("community_id")
        .annotate(n=Count("id"))
        .order_by("-n", "community_id")
        .values_list("community_id", flat=True)
        .first()
    )
    community = Region.objects.get(code=busiest) if busiest else None
    if community is None:
        raise DemoError("演示城市还没有人员,请先生成")
    worker = (
        Person.objects.filter(community=community, labour_status=LabourStatus.UNEMPLOYED)
        .order_by("id")
        .first()
        or Person.objects.filter(community=community).first()
    )
    # an ordinary employer with open jobs (not one the generator put on the blacklist,
    # which the platform sends no one), so its login shows the employer's pages alive
    employers = Employer.objects.filter(region_prefix_q("region_id", prefix), blacklisted=False)
    employer = (
        employers.filter(jobs__status="open").order_by("id").first()
        or employers.order_by("id").first()
    )
    spec = [
        ("demo_worker", Role.WORKER, None, {"person": worker}),
        ("demo_employer", Role.EMPLOYER, None, {"employer": employer}),
        ("demo_community", Role.COMMUNITY_STAFF, community, {}),
        ("demo_township", Role.TOWNSHIP_STAFF, community.parent, {}),
        ("demo_county", Role.COUNTY_STAFF, county, {}),
        ("demo_city", Role.CITY_STAFF, county.parent if county.parent.level == 2 else county, {}),
        ("demo_leader", Role.LEADER, county, {}),
        ("demo_admin", Role.ADMIN, None, {"is_staff": True, "is_superuser": True}),
        # a partner platform (the province's) that reaches the city only through the API
        ("demo_platform", Role.PARTNER, county.parent if county.parent.level == 2 else county, {}),
    ]
    from apps.training.models import Institution

    school = Institution.objects.filter(
        region_prefix_q("employer__region_id", prefix), may_evaluate=True
    ).first()
    if school:  # a training institution's account (its employer's)
        spec.insert(2, ("demo_training", Role.EMPLOYER, None, {"employer": school.employer}))
    logins = []
    for username, role, scope, extra in spec:
        if role == Role.CITY_STAFF and scope.level != RegionLevel.PREFECTURE:
            continue
        user, created = User.objects.get_or_create(username=username, defaults={"role": role})
        user.role, user.scope_region = role, scope
        for key, value in extra.items():
            setattr(user, key, value)
        if created or not user.check_password(password):
            user.set_password(password)
        user.save()
        logins.append(DemoLogin(username, Role(role).label, str(scope) if scope else "—"))
    return logins


def demo_today() -> dt.date:
    return timezone.localdate()


DEMO_KEYS = {
    # holder → the scopes of its demo API key
    "demo_platform": ["feed:read", "jobs:read", "jobs:write"],
    "demo_county": [
        "jobs:read",
        "feed:read",
        "people:read",
        "matching:read",
        "employers:read",
        "services:read",
        "subsidies:read",
        "subsidies:review",
        "indicators:read",
        "training:read",
        "fairs:read",
        "gigs:read",
        "monitoring:read",
    ],
}


def issue_demo_keys() -> list[tuple[str, str]]:
    """A fresh API key for each demo holder (the last demo keys revoked: a key is shown
    only when issued): [(holder, key)]."""
    from apps.api.models import ApiToken
    from apps.api.tokens import issue, revoke

    out = []
    for username, scopes in DEMO_KEYS.items():
        holder = User.objects.filter(username=username).first()
        if holder is None:
            continue
        for old in ApiToken.objects.filter(holder=holder, name="演示令牌", revoked_at=None):
            revoke(old, by=None)
        _, secret = issue(holder=holder, name="演示令牌", scopes=scopes, by=None)
        out.append((username, secret))
    return out
