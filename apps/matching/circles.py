"""Communities' circles: the 3-km employment circle (三公里就业圈: open jobs and openings
within reach of each community against the residents seeking work, occupations in shortage
and in surplus), the 15-minute service circle (who lives farther than a walk from every
service station) and the full-employment community assessment (充分就业社区).

Jobs and seekers are read from the matching indexes (the same jobs and seekers the
matching sees, fresh to the last query); residents and statuses from the registry. The
service circle is decided per H3 cell: a cell wholly inside or wholly outside every circle
settles all its residents at once, and only the residents of cells that straddle a circle's
edge are measured one by one."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import math
from collections import defaultdict
from dataclasses import dataclass, field

import h3
import numpy as np
from django.conf import settings
from django.db.models import Count, Max, Min, Q
from django.utils import timezone

from apps.accounts.scoping import region_prefix_q
from apps.people.models import KeyGroup, KeyGroupTag, LabourStatus, Person
from apps.people.selectors import IN_WORK, zero_employment_households
from apps.regions.geo import haversine_km as haversine_point
from apps.regions.models import Region, RegionLevel, ServiceStation
from apps.taxonomy.models import Occupation
from jiuye.exports import workbook

from .features import NO_CODE, community_number
from .index import job_index, seeker_index
from .ranking import haversine_km

LABOUR_FORCE = (*IN_WORK, LabourStatus.UNEMPLOYED)
TOP_OCCUPATIONS = 5  # occupations listed in shortage and in surplus per community
KM_PER_DEGREE_LAT = 110.574


class CircleError(ValueError):
    """A request for circles that cannot be answered; the message says why, in Chinese."""


@dataclass
class Criterion:
    key: str
    label: str
    value: str
    threshold: str
    met: bool


@dataclass
class OccupationGap:
    code: str
    name: str
    openings: int  # openings of the 中类 within the circle
    seekers: int  # residents seeking work who wish for it

    @property
    def gap(self) -> int:
        return self.openings - self.seekers


@dataclass
class CommunityCircle:
    code: str
    name: str
    street: str
    lat: float | None
    lng: float | None
    residents: int = 0
    no_coordinates: int = 0
    outside_service: int = 0
    seekers: int = 0
    jobs: int = 0
    openings: int = 0
    shortage: list[OccupationGap] = field(default_factory=list)
    surplus: list[OccupationGap] = field(default_factory=list)
    labour_force: int = 0
    unemployed: int = 0
    zero_families: int = 0
    hard_to_employ: int = 0  # in the labour force
    hard_to_employ_placed: int = 0
    criteria: list[Criterion] = field(default_factory=list)

    @property
    def unemployment_rate(self) -> float | None:
        return self.unemployed / self.labour_force if self.labour_force else None

    @property
    def openings_per_seeker(self) -> float | None:
        return self.openings / self.seekers if self.seekers else None

    @property
    def hard_placed_share(self) -> float | None:
        return self.hard_to_employ_placed / self.hard_to_employ if self.hard_to_employ else None

    @property
    def meets(self) -> bool:
        return all(c.met for c in self.criteria)

    @property
    def unmet(self) -> list[str]:
        return [c.label for c in self.criteria if not c.met]


@dataclass
class TargetCheck:
    year: int
    share: float
    met: bool


@dataclass
class CircleReport:
    communities: list[CommunityCircle]
    radius_km: float
    walk_km: float
    computed_at: dt.datetime
    stations: list[dict]

    @property
    def meeting(self) -> int:
        return sum(1 for c in self.communities if c.meets)

    @property
    def share_meeting(self) -> float | None:
        return self.meeting / len(self.communities) if self.communities else None

    @property
    def targets(self) -> list[TargetCheck]:
        share = self.share_meeting or 0.0
        return [
            TargetCheck(year, target, share >= target)
            for year, target in sorted(settings.FULL_EMPLOYMENT_TARGETS.items())
        ]


@dataclass
class StreetSummary:
    """A street's (乡镇/街道) communities added up: the overview's first table."""

    code: str
    name: str
    communities: int = 0
    meeting: int = 0
    residents: int = 0
    seekers: int = 0
    outside_service: int = 0
    labour_force: int = 0
    unemployed: int = 0
    zero_families: int = 0

    @property
    def unemployment_rate(self) -> float | None:
        return self.unemployed / self.labour_force if self.labour_force else None


SUMMED = ("residents", "seekers", "outside_service", "labour_force", "unemployed", "zero_families")


def street_summaries(communities: list[CommunityCircle]) -> list[StreetSummary]:
    """The communities grouped by their street (the first nine digits of the code).
    Openings are not summed: circles of neighbouring communities overlap, and a job counted
    in two circles is one job."""
    streets: dict[str, StreetSummary] = {}
    for c in communities:
        s = streets.setdefault(c.code[:9], StreetSummary(c.code[:9], c.street))
        s.communities += 1
        s.meeting += c.meets
        for name in SUMMED:
            setattr(s, name, getattr(s, name) + getattr(c, name))
    return list(streets.values())


def check_radius(value, default: float, label: str) -> float:
    if value in (None, ""):
        return default
    try:
        km = float(value)
    except (TypeError, ValueError):
        raise CircleError(f"{label}须为数字(公里),收到“{value}”") from None
    if not 0 < km <= settings.MATCHING["max_radius_km"]:  # NaN fails it too
        raise CircleError(f"{label}须大于0且不超过{settings.MATCHING['max_radius_km']:g}公里")
    return km


def kept_circle_report(
    prefix: str, radius_km: float | None = None, walk_km: float | None = None
) -> CircleReport:
    """The report of ``circle_report``, from the region's snapshot when the data it was
    computed from has not changed since (the default radii only: any other radius is
    computed on the spot). A changed stamp recomputes the report and keeps it."""
    radius = check_radius(radius_km, settings.MATCHING["circle_km"], "就业圈半径")
    walk = check_radius(walk_km, settings.SERVICE_CIRCLE_KM, "服务圈半径")
    if (radius, walk) != (settings.MATCHING["circle_km"], settings.SERVICE_CIRCLE_KM):
        return circle_report(prefix, radius, walk)
    from .models import CircleSnapshot

    stamp = data_stamp(prefix)
    kept = CircleSnapshot.objects.filter(prefix=prefix, stamp=stamp).first()
    if kept is not None:
        return _from_payload(kept.payload, kept.computed_at)
    report = circle_report(prefix, radius, walk)
    CircleSnapshot.objects.update_or_create(
        prefix=prefix,
        defaults={"stamp": stamp, "computed_at": report.computed_at, "payload": _payload(report)},
    )
    return report


def data_stamp(prefix: str) -> str:
    """What a region's circles are computed from, in a few indexed reads: any change to a
    person (a status, a wish, a tag, an address: each touches ``updated_at``), to a job, to
    the stations or the communities' places, a deletion, or a new day changes it. Settings
    are read at start-up, so they are not part of it."""
    from apps.jobs.models import Job

    communities = Region.objects.filter(level=RegionLevel.COMMUNITY)
    if prefix:
        communities = communities.filter(region_prefix_q("code", prefix))
    parts = [
        timezone.localdate().isoformat(),
        Person.objects.aggregate(n=Count("id"), at=Max("updated_at")),
        Job.objects.aggregate(n=Count("id"), at=Max("updated_at")),
        list(ServiceStation.objects.order_by("pk").values_list("pk", "kind", "lat", "lng")),
        list(communities.order_by("code").values_list("code", "name", "lat", "lng")),
        Occupation.objects.count(),
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def _payload(report: CircleReport) -> dict:
    return {
        "communities": [dataclasses.asdict(c) for c in report.communities],
        "radius_km": report.radius_km,
        "walk_km": report.walk_km,
        "stations": report.stations,
    }


def _from_payload(payload: dict, computed_at: dt.datetime) -> CircleReport:
    communities = []
    for row in payload["communities"]:
        row = dict(row)
        row["shortage"] = [OccupationGap(**g) for g in row["shortage"]]
        row["surplus"] = [OccupationGap(**g) for g in row["surplus"]]
        row["criteria"] = [Criterion(**c) for c in row["criteria"]]
        communities.append(CommunityCircle(**row))
    return CircleReport(
        communities=communities,
        radius_km=payload["radius_km"],
        walk_km=payload["walk_km"],
        computed_at=computed_at,
        stations=payload["stations"],
    )


def circle_report(
    prefix: str, radius_km: float | None = None, walk_km: float | None = None
) -> CircleReport:
    """Every community (村级, 12-digit code) inside the region ``prefix`` (a scope prefix;
    '' for all) with its circles and assessment."""
    radius = check_radius(radius_km, settings.MATCHING["circle_km"], "就业圈半径")
    walk = check_radius(walk_km, settings.SERVICE_CIRCLE_KM, "服务圈半径")
    regions = Region.objects.filter(level=RegionLevel.COMMUNITY)
    if prefix:
        regions = regions.filter(region_prefix_q("code", prefix))
    communities = [
        CommunityCircle(code=r.code, name=r.name, street=r.parent.name, lat=r.lat, lng=r.lng)
        for r in regions.select_related("parent").order_by("code")
    ]
    by_code = {c.code: c for c in communities}
    if communities:
        _count_statuses(prefix, by_code)
        stations = _stations_near(_residents_bounds(prefix, communities), walk)
        _count_service_circle(prefix, by_code, stations, walk)
        supply = _count_seekers(by_code)
        _count_jobs(communities, supply, radius)
        _assess(communities)
    else:
        stations = []
    return CircleReport(
        communities=communities,
        radius_km=radius,
        walk_km=walk,
        computed_at=timezone.now(),
        stations=[
            {"name": s.name, "kind": s.get_kind_display(), "lat": s.lat, "lng": s.lng}
            for s in stations
        ],
    )


# --- registry counts ----------------------------------------------------------------------
def _count_statuses(prefix: str, by_code: dict[str, CommunityCircle]) -> None:
    people = Person.objects.all()
    tags = KeyGroupTag.objects.filter(group=KeyGroup.HARD_TO_EMPLOY, end__isnull=True)
    if prefix:
        people = people.filter(region_prefix_q("community_id", prefix))
        tags = tags.filter(region_prefix_q("person__community_id", prefix))
    for code, status, n in (
        people.order_by().values_list("community_id", "labour_status").annotate(n=Count("id"))
    ):
        c = by_code.get(code)
        if c is None:  # people registered at street level, without a community
            continue
        c.residents += n
        if status in LABOUR_FORCE:
            c.labour_force += n
        if status == LabourStatus.UNEMPLOYED:
            c.unemployed += n
    for code, status, n in (
        tags.order_by()
        .values_list("person__community_id", "person__labour_status")
        .annotate(n=Count("person_id", distinct=True))
    ):
        c = by_code.get(code)
        if c is not None and status in LABOUR_FORCE:
            c.hard_to_employ += n
            if status in IN_WORK:
                c.hard_to_employ_placed += n
    # Counted here, not grouped in SQL: grouping by community would merge the households'
    # own member counts that decide which of them is a zero-employment family.
    for code in zero_employment_households(prefix).values_list("community_id", flat=True):
        if code in by_code:
            by_code[code].zero_families += 1


# --- 15-minute service circle -------------------------------------------------------------
def _residents_bounds(prefix: str, communities: list[CommunityCircle]):
    people = Person.objects.filter(lat__isnull=False, lng__isnull=False)
    if prefix:
        people = people.filter(region_prefix_q("community_id", prefix))
    box = people.aggregate(a=Min("lat"), b=Max("lat"), c=Min("lng"), d=Max("lng"))
    corners = [(box["a"], box["c"]), (box["b"], box["d"])]
    return _bounds(corners + [(c.lat, c.lng) for c in communities])


def _bounds(points) -> tuple[float, float, float, float] | None:
    """(min lat, max lat, min lng, max lng) of the points that have both coordinates."""
    points = [(lat, lng) for lat, lng in points if lat is not None and lng is not None]
    if not points:
        return None
    lats, lngs = [p[0] for p in points], [p[1] for p in points]
    return min(lats), max(lats), min(lngs), max(lngs)


def _stations_near(bounds, walk: float) -> list[ServiceStation]:
    """Stations with coordinates within a walk of the bounding box."""
    if bounds is None:
        return []
    lat_lo, lat_hi, lng_lo, lng_hi = bounds
    margin = walk / 110.0 + 0.001
    lng_margin = margin / max(0.05, math.cos(math.radians(max(abs(lat_lo), abs(lat_hi)))))
    return list(
        ServiceStation.objects.filter(
            lat__gte=lat_lo - margin,
            lat__lte=lat_hi + margin,
            lng__gte=lng_lo - lng_margin,
            lng__lte=lng_hi + lng_margin,
        ).order_by("code")
    )


def nearest_station_km(
    lats: np.ndarray, lngs: np.ndarray, stations: list[ServiceStation]
) -> np.ndarray:
    """Distance from each point to its nearest station (inf without stations)."""
    out = np.full(len(lats), np.inf)
    if not stations:
        return out
    s_lat = np.array([s.lat for s in stations])
    s_lng = np.array([s.lng for s in stations])
    for start in range(0, len(lats), 4096):
        block = slice(start, start + 4096)
        d = haversine_km(lats[block, None], lngs[block, None], s_lat[None, :], s_lng[None, :])
        out[block] = d.min(axis=1)
    return out


def _cell_radius_km(cell: str, lat: float, lng: float) -> float:
    """The farthest a point of the cell lies from its centre (its farthest vertex, with a
    margin for the curved edges)."""
    return 1.01 * max(
        haversine_point(lat, lng, vlat, vlng) for vlat, vlng in h3.cell_to_boundary(cell)
    )


def _count_service_circle(
    prefix: str, by_code: dict[str, CommunityCircle], stations, walk: float
) -> None:
    people = Person.objects.all()
    if prefix:
        people = people.filter(region_prefix_q("community_id", prefix))
    counts = _cell_counts(people)
    straddling: list[str] = []
    names = [cell for cell in counts if cell]
    if names:
        centres = np.array([h3.cell_to_latlng(cell) for cell in names])
        nearest = nearest_station_km(centres[:, 0], centres[:, 1], stations)
        for cell, (lat, lng), d in zip(names, centres, nearest, strict=True):
            r = _cell_radius_km(cell, lat, lng)
            if d + r <= walk:
                continue  # every resident of the cell is inside a circle
            if d - r > walk:  # every resident of the cell is outside every circle
                for code, n in counts[cell].items():
                    if code in by_code:
                        by_code[code].outside_service += n
            else:
                straddling.append(cell)
    # Residents of straddling cells, and any with coordinates but no cell, one by one.
    measured = people.filter(lat__isnull=False, lng__isnull=False).order_by()
    rows: list[tuple[str, float, float]] = []
    for start in range(0, len(straddling), 500):
        rows += measured.filter(h3__in=straddling[start : start + 500]).values_list(
            "community_id", "lat", "lng"
        )
    if "" in counts:
        rows += measured.filter(h3="").values_list("community_id", "lat", "lng")
    if rows:
        d = nearest_station_km(
            np.array([r[1] for r in rows]), np.array([r[2] for r in rows]), stations
        )
        for (code, _, _), outside in zip(rows, d > walk, strict=True):
            if outside and code in by_code:
                by_code[code].outside_service += 1
    for code, n in (
        people.filter(Q(lat__isnull=True) | Q(lng__isnull=True))
        .order_by()
        .values_list("community_id")
        .annotate(n=Count("id"))
    ):
        if code in by_code:
            by_code[code].no_coordinates += n


def _cell_counts(people) -> dict[str, dict[str, int]]:
    """h3 cell → community → residents with coordinates ('' collects those without a cell)."""
    out: dict[str, dict[str, int]] = defaultdict(dict)
    for cell, code, n in (
        people.filter(lat__isnull=False, lng__isnull=False)
        .order_by()
        .values_list("h3", "community_id")
        .annotate(n=Count("id"))
    ):
        out[cell][code] = n
    return out


# --- 3-km employment circle ---------------------------------------------------------------
def _minor_key(number: np.ndarray, minor: np.ndarray) -> np.ndarray:
    return number * 10_000 + minor


def _count_seekers(by_code: dict[str, CommunityCircle]) -> dict[str, dict[int, int]]:
    """Residents seeking work per community (as the matching sees them), and per community
    how many wish for each 中类 (a person wishing two occupations of one 中类 counts once)."""
    index = seeker_index()
    with index.lock:
        cols, alive = index.view()
        numbers = cols["community"][alive]
        minors = cols["wishes"][alive][:, :, 1]
        depth = cols["wish_depth"][alive]
    code_of = {community_number(code): code for code in by_code}
    wanted = np.array(sorted(code_of), dtype=np.int64)
    pos = np.clip(np.searchsorted(wanted, numbers), 0, len(wanted) - 1)
    inside = wanted[pos] == numbers
    numbers, minors, depth = numbers[inside], minors[inside], depth[inside]
    for number, n in zip(*np.unique(numbers, return_counts=True), strict=True):
        by_code[code_of[int(number)]].seekers = int(n)
    keys = []
    for s in range(minors.shape[1]):
        ok = (depth[:, s] >= 2) & (minors[:, s] != NO_CODE)
        for earlier in range(s):
            ok &= minors[:, s] != minors[:, earlier]
        keys.append(_minor_key(numbers[ok], minors[ok, s]))
    supply: dict[str, dict[int, int]] = defaultdict(dict)
    if keys:
        for key, n in zip(*np.unique(np.concatenate(keys), return_counts=True), strict=True):
            supply[code_of[int(key) // 10_000]][int(key) % 10_000] = int(n)
    return supply


def minor_code(minor: int) -> str:
    """A 中类 as an integer (618) → its code ('6-18')."""
    return f"{minor // 100}-{minor % 100:02d}"


def _count_jobs(
    communities: list[CommunityCircle], supply: dict[str, dict[int, int]], radius: float
) -> None:
    index = job_index()
    today = timezone.localdate().toordinal()
    with index.lock:
        cols, alive = index.view()
        ok = (
            alive
            & (cols["valid_from"] <= today)
            & (cols["valid_to"] >= today)
            & ~np.isnan(cols["lat"])
            & ~np.isnan(cols["lng"])
        )
        lat, lng = cols["lat"][ok], cols["lng"][ok]
        head = cols["headcount"][ok].astype(np.int64)
        minor = cols["occupation"][ok][:, 1]
    order = np.argsort(lat, kind="stable")
    lat, lng, head, minor = lat[order], lng[order], head[order], minor[order]
    # A degree of latitude is 111.2 km on the haversine sphere: a band of radius/110 degrees
    # keeps every job within reach.
    band = radius / 110.0
    gaps: list[tuple[CommunityCircle, dict[int, int]]] = []
    for c in communities:
        demand: dict[int, int] = {}
        if c.lat is not None and c.lng is not None:
            lo = np.searchsorted(lat, c.lat - band, side="left")
            hi = np.searchsorted(lat, c.lat + band, side="right")
            near = haversine_km(c.lat, c.lng, lat[lo:hi], lng[lo:hi]) <= radius
            heads, minors = head[lo:hi][near], minor[lo:hi][near]
            c.jobs, c.openings = int(near.sum()), int(heads.sum())
            if len(minors):
                values, inverse = np.unique(minors, return_inverse=True)
                sums = np.bincount(inverse, weights=heads)
                demand = {int(v): int(n) for v, n in zip(values, sums, strict=True) if v != NO_CODE}
        gaps.append((c, demand))
    names = dict(
        Occupation.objects.filter(
            code__in={
                minor_code(m) for c, demand in gaps for m in (*demand, *supply.get(c.code, {}))
            }
        ).values_list("code", "name")
    )
    for c, demand in gaps:
        wished = supply.get(c.code, {})
        rows = [
            OccupationGap(minor_code(m), names.get(minor_code(m), ""), demand.get(m, 0), n)
            for m, n in ((m, wished.get(m, 0)) for m in sorted({*demand, *wished}))
        ]
        c.shortage = sorted((g for g in rows if g.gap > 0), key=lambda g: (-g.gap, g.code))[
            :TOP_OCCUPATIONS
        ]
        c.surplus = sorted((g for g in rows if g.gap < 0), key=lambda g: (g.gap, g.code))[
            :TOP_OCCUPATIONS
        ]


# --- full-employment community assessment -------------------------------------------------
def _pct(x: float | None) -> str:
    return "—" if x is None else f"{100 * x:.1f}%"


def _assess(communities: list[CommunityCircle]) -> None:
    rules = settings.FULL_EMPLOYMENT
    for c in communities:
        criteria = []
        limit = rules.get("max_unemployment_rate")
        if limit is not None:
            rate = c.unemployment_rate
            criteria.append(
                Criterion(
                    "unemployment_rate",
                    "登记失业率",
                    _pct(rate),
                    f"≤{_pct(limit)}",
                    rate is None or rate <= limit,
                )
            )
        limit = rules.get("max_zero_employment_families")
        if limit is not None:
            criteria.append(
                Criterion(
                    "zero_employment_families",
                    "零就业家庭",
                    f"{c.zero_families}户",
                    f"≤{limit:g}户",
                    c.zero_families <= limit,
                )
            )
        limit = rules.get("min_hard_to_employ_placed")
        if limit is not None:
            share = c.hard_placed_share
            criteria.append(
                Criterion(
                    "hard_to_employ_placed",
                    "就业困难人员就业率",
                    _pct(share),
                    f"≥{_pct(limit)}",
                    share is None or share >= limit,
                )
            )
        limit = rules.get("min_openings_per_seeker")
        if limit is not None:
            ratio = c.openings_per_seeker
            criteria.append(
                Criterion(
                    "openings_per_seeker",
                    "三公里内岗位/求职人数",
                    "—" if ratio is None else f"{ratio:.2f}",
                    f"≥{limit:g}",
                    ratio is None or ratio >= limit,
                )
            )
        c.criteria = criteria


# --- residents outside the service circles ------------------------------------------------
def residents_outside_service(
    prefix: str, community: str, walk_km: float | None = None
) -> list[tuple[Person, float | None]]:
    """The residents of one community who live farther than the walk from every service
    station, nearest first-to-be-served (farthest first), with that distance; residents
    without coordinates come last with None. ``prefix`` is the viewer's scope."""
    walk = check_radius(walk_km, settings.SERVICE_CIRCLE_KM, "服务圈半径")
    if not community.startswith(prefix):
        raise Region.DoesNotExist(community)
    region = Region.objects.get(code=community, level=RegionLevel.COMMUNITY)
    people = list(Person.objects.filter(community=region).order_by("id"))
    located = [p for p in people if p.lat is not None and p.lng is not None]
    stations = _stations_near(_bounds([(p.lat, p.lng) for p in located]), walk)
    d = nearest_station_km(
        np.array([p.lat for p in located], dtype=float),
        np.array([p.lng for p in located], dtype=float),
        stations,
    )
    outside = sorted(
        ((p, float(km)) for p, km in zip(located, d, strict=True) if km > walk),
        key=lambda item: (-item[1], item[0].pk),
    )
    return outside + [(p, None) for p in people if p.lat is None or p.lng is None]


# --- Excel ----------------------------------------------------------------------------------
def _gaps_text(gaps: list[OccupationGap]) -> str:
    return "、".join(f"{g.name or g.code}({g.openings}岗/{g.seekers}人)" for g in gaps)


def report_workbook(report: CircleReport) -> bytes:
    """The communities table and the targets, as staff hand them upward."""
    header = [
        "社区代码",
        "社区(村)",
        "街道(乡镇)",
        "登记人数",
        "无坐标人数",
        f"{report.walk_km:g}公里服务圈外人数",
        "求职人数",
        f"{report.radius_km:g}公里内岗位数",
        f"{report.radius_km:g}公里内招聘人数",
        "岗位/求职人数",
        "紧缺职业(中类)",
        "富余职业(中类)",
        "劳动力人数",
        "登记失业人数",
        "登记失业率",
        "零就业家庭(户)",
        "就业困难人员就业率",
        "充分就业社区",
        "未达标项",
    ]
    rows = [
        [
            c.code,
            c.name,
            c.street,
            c.residents,
            c.no_coordinates,
            c.outside_service,
            c.seekers,
            c.jobs,
            c.openings,
            None if c.openings_per_seeker is None else round(c.openings_per_seeker, 2),
            _gaps_text(c.shortage),
            _gaps_text(c.surplus),
            c.labour_force,
            c.unemployed,
            None if c.unemployment_rate is None else round(c.unemployment_rate, 4),
            c.zero_families,
            None if c.hard_placed_share is None else round(c.hard_placed_share, 4),
            "达标" if c.meets else "未达标",
            "、".join(c.unmet),
        ]
        for c in report.communities
    ]
    share = report.share_meeting
    targets = [
        [t.year, t.share, report.meeting, len(report.communities), share, "是" if t.met else "否"]
        for t in report.targets
    ]
    return workbook(
        [
            ("社区就业圈", header, rows),
            (
                "充分就业社区达标",
                ["年度", "目标占比", "达标社区数", "社区总数", "当前占比", "是否达到"],
                targets,
            ),
        ]
    )


def outside_workbook(residents: list[tuple[Person, float | None]], walk_km: float) -> bytes:
    """Residents outside every service circle, with masked identifiers."""
    from jiuye.identifiers import mask_mobile, mask_resident_id

    rows = [
        [
            p.name,
            mask_resident_id(p.id_number),
            mask_mobile(p.phone) if p.phone else "",
            p.address,
            p.get_labour_status_display(),
            "无坐标" if km is None else ("无站点" if math.isinf(km) else round(km, 2)),
        ]
        for p, km in residents
    ]
    header = ["姓名", "公民身份号码", "手机号", "居住地址", "劳动状态", "距最近服务站(公里)"]
    return workbook([(f"{walk_km:g}公里服务圈外居民", header, rows)])
