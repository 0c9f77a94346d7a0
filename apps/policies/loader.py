"""Read what the rules need from the database into plain arrays, one `Population` per
county (each county has its own parameters). Bulk queries of a few columns each, turned
into numpy arrays: the whole registry of a city loads in seconds."""

from __future__ import annotations

import datetime
from collections import defaultdict

import numpy
from django.db.models import Q
from django.utils import timezone

from apps.accounts.scoping import region_prefix_q
from apps.employers.models import Employer, EmployerSize
from apps.jobs.models import WelfarePlacement
from apps.matching.models import Application
from apps.people.models import Certificate, JobKind, KeyGroup, KeyGroupTag, Person, Registration
from apps.regions.models import Region, RegionLevel, ServiceStation
from apps.training.models import Evaluation

from .models import (
    Apprenticeship,
    CommunityCertification,
    EmployerYear,
    SubsidyApplication,
)
from .rules.engine import Population
from .rules.variables.enterprise import MAX_GIG_STATIONS

GROUP_FLAGS = {
    KeyGroup.MIGRANT_WORKER: "is_migrant_worker",
    KeyGroup.POVERTY_ALLEVIATED: "is_poverty_alleviated",
    KeyGroup.MONITORED_HOUSEHOLD: "is_monitored",
    KeyGroup.DISABLED: "is_disabled",
    KeyGroup.LOW_INCOME: "is_low_income",
    KeyGroup.HARD_TO_EMPLOY: "is_hard_to_employ",
    KeyGroup.ZERO_EMPLOYMENT_FAMILY: "is_zero_employment_family",
}
SME = (EmployerSize.MICRO, EmployerSize.SMALL, EmployerSize.MEDIUM)
NO_DATE = numpy.datetime64("1970-01-01", "D")
SPECIAL_KINDS = (JobKind.INTERNSHIP,)  # hires that make a person count for their employer


def _dates(values) -> numpy.ndarray:
    return numpy.array([v or NO_DATE for v in values], dtype="datetime64[D]")


def _index(ids: numpy.ndarray, keys) -> tuple[numpy.ndarray, numpy.ndarray]:
    """Positions of `keys` in sorted `ids`, and which keys were found."""
    keys = numpy.asarray(keys, dtype=ids.dtype if len(ids) else numpy.int64)
    if not len(ids) or not len(keys):
        return numpy.zeros(len(keys), dtype=numpy.int64), numpy.zeros(len(keys), dtype=bool)
    pos = numpy.searchsorted(ids, keys).clip(0, len(ids) - 1)
    return pos, ids[pos] == keys


def _overlapping(start_field: str, end_field: str, year: int) -> Q:
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    return Q(**{f"{start_field}__lte": last}) & (
        Q(**{f"{end_field}__isnull": True}) | Q(**{f"{end_field}__gte": first})
    )


def load(
    region_prefix: str,
    year: int,
    *,
    person_ids=None,
    employer_ids=None,
    community_codes=None,
) -> dict[str, Population]:
    """The populations of a region for a year, by county. With any of the id filters, only
    those subjects (an employer with the persons working for it); otherwise everyone."""
    everyone = person_ids is None and employer_ids is None and community_codes is None
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)

    # --- Employers -----------------------------------------------------------------------
    employers = Employer.objects.filter(region_prefix_q("region_id", region_prefix))
    if not everyone:
        employers = employers.filter(pk__in=list(employer_ids or []))
    erows = list(
        employers.order_by("pk").values_list(
            "pk",
            "region_id",
            "industry_id",
            "size",
            "blacklisted",
            "blacklist_from",
            "blacklist_to",
        )
    )
    eids = numpy.array([r[0] for r in erows], dtype=numpy.int64)
    e_region = numpy.array([r[1] for r in erows], dtype="U12")
    e_in = {
        "industry_code": numpy.array([r[2] for r in erows], dtype="U8"),
        "is_sme": numpy.array([r[3] in SME for r in erows], dtype=bool),
        "blacklisted": numpy.array(
            [
                bool(r[4]) and (r[5] or first) <= last and (r[6] is None or r[6] >= first)
                for r in erows
            ],
            dtype=bool,
        ),
    }
    filt = {} if everyone else {"employer_id__in": eids.tolist()}
    figures = ("insured_employees", "headcount_start", "headcount_end", "lockdown_days")
    for name in (*figures, "stopped_by_epidemic"):
        e_in[name] = numpy.zeros(
            len(eids), dtype=bool if name == "stopped_by_epidemic" else numpy.int64
        )
    yrows = EmployerYear.objects.filter(
        region_prefix_q("employer__region_id", region_prefix), year=year, **filt
    ).values_list("employer_id", *figures, "stopped_by_epidemic")
    yrows = list(yrows)
    if yrows:
        pos, ok = _index(eids, [r[0] for r in yrows])
        for k, name in enumerate((*figures, "stopped_by_epidemic"), start=1):
            e_in[name][pos[ok]] = numpy.array([r[k] for r in yrows])[ok]
    # "Once per enterprise": what was approved or paid before, in any year.
    for policy, name in (
        ("retention_training_aid", "received_retention_aid"),
        ("stabilisation_subsidy", "received_stabilisation_subsidy"),
    ):
        received = SubsidyApplication.objects.filter(
            policy=policy,
            status__in=[SubsidyApplication.Status.APPROVED, SubsidyApplication.Status.PAID],
            employer__isnull=False,
            **filt,
        ).values_list("employer_id", flat=True)
        pos, ok = _index(eids, list(received))
        e_in[name] = numpy.zeros(len(eids), dtype=bool)
        e_in[name][pos[ok]] = True
    # Apprentices: months of each one's training within the year (a month begun counts).
    for name, level in (
        ("apprentice_months_intermediate", Apprenticeship.Level.INTERMEDIATE),
        ("apprentice_months_senior", Apprenticeship.Level.SENIOR),
    ):
        rows = list(
            Apprenticeship.objects.filter(
                _overlapping("start", "end", year), level=level, **filt
            ).values_list("employer_id", "start", "end")
        )
        pos, ok = _index(eids, [r[0] for r in rows])
        months = numpy.array([_months_within(r[1], r[2], year) for r in rows], dtype=numpy.int64)
        e_in[name] = numpy.bincount(pos[ok], weights=months[ok], minlength=len(eids)).astype(
            numpy.int64
        )
    # Certificates an enterprise's own evaluation gave its own staff this year (直补企业).
    for level in range(1, 6):
        rows = (
            Evaluation.objects.filter(
                subsidy_to_enterprise=True,
                certificate__issued_on__year=year,
                certificate__level=level,
            )
            .filter(
                region_prefix_q("institution__employer__region_id", region_prefix)
                if everyone
                else Q(institution__employer_id__in=eids.tolist())
            )
            .values_list("institution__employer_id", flat=True)
        )
        pos, ok = _index(eids, list(rows))
        e_in[f"own_certificates_level_{level}"] = numpy.bincount(
            pos[ok], minlength=len(eids)
        ).astype(numpy.int64)
    stations = ServiceStation.objects.filter(
        kind=ServiceStation.Kind.GIG, certified_on__year=year, operator__isnull=False
    )
    if not everyone:
        stations = stations.filter(operator_id__in=eids.tolist())
    claims_of: dict[int, list[float]] = defaultdict(list)
    for operator, claimed in stations.values_list("operator_id", "subsidy_claimed"):
        claims_of[operator].append(float(claimed or 0))
    e_in["gig_stations_certified"] = numpy.zeros(len(eids), dtype=numpy.int64)
    e_in["gig_station_claimed"] = numpy.zeros(len(eids), dtype=float)
    for k in range(1, MAX_GIG_STATIONS + 1):
        e_in[f"gig_station_claim_{k}"] = numpy.zeros(len(eids), dtype=float)
    pos, ok = _index(eids, list(claims_of))
    for (operator, claims), i, found in zip(claims_of.items(), pos, ok, strict=True):
        if not found:
            continue
        if len(claims) > MAX_GIG_STATIONS:
            raise ValueError(
                f"运营机构#{operator}本年度认定了{len(claims)}家零工驿站,超过{MAX_GIG_STATIONS}家,"
                "请核对认定记录"
            )
        e_in["gig_stations_certified"][i] = len(claims)
        e_in["gig_station_claimed"][i] = sum(claims)
        for k, claim in enumerate(sorted(claims, reverse=True), start=1):
            e_in[f"gig_station_claim_{k}"][i] = claim

    # --- Persons -------------------------------------------------------------------------
    people = Person.objects.all()
    outside: list[int] = []
    if everyone:
        # The region's residents, and those working for its employers who live elsewhere
        # (their employers' subsidies count them).
        people = people.filter(region_prefix_q("community_id", region_prefix))
        outside = sorted(
            _working_for(
                year,
                lambda path: region_prefix_q(f"{path}__region_id", region_prefix),
                unless=region_prefix_q("person__community_id", region_prefix),
            )
        )
    else:
        linked = set(person_ids or [])
        if len(eids):
            ids = eids.tolist()
            linked |= _working_for(year, lambda path: Q(**{f"{path}_id__in": ids}))
        people = people.filter(pk__in=sorted(linked))
    columns = ("pk", "community_id", "graduation_year")
    prows = list(people.order_by("pk").values_list(*columns))
    if outside:
        prows = sorted(prows + list(Person.objects.filter(pk__in=outside).values_list(*columns)))
    pids = numpy.array([r[0] for r in prows], dtype=numpy.int64)
    p_comm = numpy.array([r[1] or "" for r in prows], dtype="U12")
    p_in: dict[str, numpy.ndarray] = {
        "graduation_year": numpy.array([r[2] or 0 for r in prows], dtype=numpy.int64)
    }
    pfilt = (
        region_prefix_q("person__community_id", region_prefix) | Q(person_id__in=outside)
        if everyone
        else Q(person_id__in=pids.tolist())
    )

    def flag(rows) -> numpy.ndarray:
        out = numpy.zeros(len(pids), dtype=bool)
        pos, ok = _index(pids, list(rows))
        out[pos[ok]] = True
        return out

    tags = defaultdict(list)
    for person_id, group in KeyGroupTag.objects.filter(
        _overlapping("start", "end", year), pfilt, group__in=list(GROUP_FLAGS)
    ).values_list("person_id", "group"):
        tags[group].append(person_id)
    for group, name in GROUP_FLAGS.items():
        p_in[name] = flag(tags[group])
    p_in["is_registered_unemployed"] = flag(
        Registration.objects.filter(
            _overlapping("registered_on", "ended_on", year),
            pfilt,
            kind=Registration.Kind.UNEMPLOYMENT,
        ).values_list("person_id", flat=True)
    )
    for level in range(1, 6):
        # a certificate whose subsidy is paid to the enterprise is not the person's too
        rows = (
            Certificate.objects.filter(pfilt, issued_on__year=year, level=level)
            .exclude(evaluation__subsidy_to_enterprise=True)
            .values_list("person_id", flat=True)
        )
        pos, ok = _index(pids, list(rows))
        p_in[f"new_certificates_level_{level}"] = numpy.bincount(
            pos[ok], minlength=len(pids)
        ).astype(numpy.int64)
    founded = numpy.full(len(pids), NO_DATE, dtype="datetime64[D]")
    frows = list(
        Employer.objects.filter(founder__isnull=False, founded_on__isnull=False)
        .filter(
            region_prefix_q("founder__community_id", region_prefix)
            if everyone
            else Q(founder_id__in=pids.tolist())
        )
        .order_by("-founded_on")  # the earliest last, so it stays
        .values_list("founder_id", "founded_on")
    )
    if frows:
        pos, ok = _index(pids, [r[0] for r in frows])
        founded[pos[ok]] = _dates([r[1] for r in frows])[ok]
    p_in["first_business_date"] = founded

    # Each person's enterprise: the latest employment registration overlapping the year,
    # else the latest hire into an internship or a temporary special post.
    enterprise_of = numpy.full(len(pids), -1, dtype=numpy.int64)
    start = numpy.full(len(pids), NO_DATE, dtype="datetime64[D]")
    stop = numpy.full(len(pids), NO_DATE, dtype="datetime64[D]")
    spells = list(
        Registration.objects.filter(
            _overlapping("registered_on", "ended_on", year),
            pfilt,
            kind=Registration.Kind.EMPLOYMENT,
            employer__isnull=False,
        )
        .order_by("registered_on")
        .values_list("person_id", "employer_id", "registered_on", "ended_on")
    )
    if spells:
        pos, ok = _index(pids, [r[0] for r in spells])
        enterprise_of[pos[ok]] = numpy.array([r[1] for r in spells])[ok]
        start[pos[ok]] = _dates([r[2] for r in spells])[ok]
        stop[pos[ok]] = _dates([r[3] for r in spells])[ok]
    p_in["employment_start"], p_in["employment_end"] = start, stop
    # Public-welfare posts (公益性岗位): the placement overlapping the year, counted for the
    # post's employer when that is the person's employer of the year (placing registers it).
    welfare_start = numpy.full(len(pids), NO_DATE, dtype="datetime64[D]")
    welfare_end = numpy.full(len(pids), NO_DATE, dtype="datetime64[D]")
    placements = list(
        WelfarePlacement.objects.filter(pfilt, start__lte=last)
        .filter(Q(exited_on__isnull=True) | Q(exited_on__gte=first))
        .order_by("start")
        .values_list("person_id", "job__employer_id", "start", "end", "exited_on")
    )
    if placements:
        pos, ok = _index(pids, [r[0] for r in placements])
        employer = numpy.array([r[1] for r in placements])
        free = ok & (enterprise_of[pos] < 0)
        enterprise_of[pos[free]] = employer[free]
        same = ok & (enterprise_of[pos] == employer)
        welfare_start[pos[same]] = _dates([r[2] for r in placements])[same]
        # Until the person left the post, or while it lasts: its term is renewed in place.
        welfare_end[pos[same]] = _dates([r[4] for r in placements])[same]
    p_in["welfare_post_start"], p_in["welfare_post_end"] = welfare_start, welfare_end
    # Internships: from the hire to the post's end of validity, counted for the host only
    # when the host is the person's employer of the year (else staff settle it by hand).
    interns = list(
        Application.objects.filter(
            pfilt,
            stage=Application.Stage.HIRED,
            job__kind=JobKind.INTERNSHIP,
            decided_at__date__lte=last,
        )
        .order_by("decided_at")
        .values_list("person_id", "job__employer_id", "decided_at", "job__valid_to")
    )
    intern_start = numpy.full(len(pids), NO_DATE, dtype="datetime64[D]")
    intern_end = numpy.full(len(pids), NO_DATE, dtype="datetime64[D]")
    if interns:
        pos, ok = _index(pids, [r[0] for r in interns])
        employer = numpy.array([r[1] for r in interns])
        free = ok & (enterprise_of[pos] < 0)
        enterprise_of[pos[free]] = employer[free]
        host = ok & (enterprise_of[pos] == employer)
        intern_start[pos[host]] = _dates([timezone.localtime(r[2]).date() for r in interns])[host]
        intern_end[pos[host]] = _dates([r[3] for r in interns])[host]
    p_in["internship_start"], p_in["internship_end"] = intern_start, intern_end

    # --- Localities: communities, and streets (where a post or a person is recorded only
    # at that level) ----------------------------------------------------------------------
    communities = Region.objects.filter(
        region_prefix_q("code", region_prefix),
        level__in=[RegionLevel.TOWNSHIP, RegionLevel.COMMUNITY],
    )
    if not everyone:
        communities = communities.filter(code__in=list(community_codes or []))
    ccodes = numpy.array(sorted(communities.values_list("code", flat=True)), dtype="U12")
    certified = set(
        CommunityCertification.objects.filter(
            year=year, community_id__in=ccodes.tolist()
        ).values_list("community_id", flat=True)
    )
    c_in = {"certified_full_employment": numpy.array([c in certified for c in ccodes], dtype=bool)}
    c_in.update(_temporary_posts(ccodes, year))

    return _by_county(
        region_prefix,
        pids,
        p_comm,
        p_in,
        enterprise_of,
        eids,
        e_region,
        e_in,
        ccodes,
        c_in,
        person_ids=None if everyone else set(person_ids or []),
    )


def _months_within(start: datetime.date, end: datetime.date, year: int) -> int:
    """Calendar months of `year` in which a period from `start` to `end` was under way."""
    first = max(start, datetime.date(year, 1, 1))
    last = min(end, datetime.date(year, 12, 31))
    return max(0, (last.year - first.year) * 12 + last.month - first.month + 1)


def _temporary_posts(ccodes: numpy.ndarray, year: int) -> dict[str, numpy.ndarray]:
    """Per locality: hires of the year into temporary special posts located there, and how
    many of those hired had a registration of unemployment in force the day they were
    hired (their post's place: the job's work place, a community or a street)."""
    hires = list(
        Application.objects.filter(
            stage=Application.Stage.HIRED,
            job__kind=JobKind.TEMPORARY_SPECIAL,
            job__region_id__in=ccodes.tolist(),
            decided_at__year=year,
        ).values_list("person_id", "job__region_id", "decided_at")
    )
    spells = defaultdict(list)
    for person_id, since, until in Registration.objects.filter(
        kind=Registration.Kind.UNEMPLOYMENT, person_id__in={h[0] for h in hires}
    ).values_list("person_id", "registered_on", "ended_on"):
        spells[person_id].append((since, until))
    local = {code: k for k, code in enumerate(ccodes)}
    all_hires = numpy.zeros(len(ccodes), dtype=numpy.int64)
    unemployed = numpy.zeros(len(ccodes), dtype=numpy.int64)
    for person_id, region, decided in hires:
        day = timezone.localtime(decided).date()
        k = local[region]
        all_hires[k] += 1
        if any(s <= day and (u is None or u >= day) for s, u in spells[person_id]):
            unemployed[k] += 1
    return {"temporary_post_hires": all_hires, "temporary_post_hires_unemployed": unemployed}


def _working_for(year: int, employers, unless: Q | None = None) -> set[int]:
    """Persons whose employment in the year, or hire into an internship or a temporary
    special post, is with the employers `employers(path)` selects (a Q on the employer
    reached by `path`); `unless` leaves some persons out."""
    spells = Registration.objects.filter(
        _overlapping("registered_on", "ended_on", year),
        employers("employer"),
        kind=Registration.Kind.EMPLOYMENT,
    )
    hires = Application.objects.filter(
        employers("job__employer"), stage=Application.Stage.HIRED, job__kind__in=SPECIAL_KINDS
    )
    if unless is not None:
        spells, hires = spells.exclude(unless), hires.exclude(unless)
    return set(spells.values_list("person_id", flat=True)) | set(
        hires.values_list("person_id", flat=True)
    )


def _by_county(
    prefix, pids, p_comm, p_in, enterprise_of, eids, e_region, e_in, ccodes, c_in, person_ids
) -> dict[str, Population]:
    e_pos, e_ok = _index(eids, enterprise_of)
    e_ok &= enterprise_of >= 0
    p_county = (
        numpy.array([c[:6] for c in p_comm], dtype="U6") if len(pids) else numpy.zeros(0, "U6")
    )
    e_county = (
        numpy.array([c[:6] for c in e_region], dtype="U6") if len(eids) else numpy.zeros(0, "U6")
    )
    c_county = (
        numpy.array([c[:6] for c in ccodes], dtype="U6") if len(ccodes) else numpy.zeros(0, "U6")
    )
    counties = sorted(set(p_county) | set(e_county) | set(c_county))
    out = {}
    for county in counties:
        e_mask = e_county == county
        n_ent = int(e_mask.sum())
        if len(eids):
            e_local = numpy.cumsum(e_mask) - 1  # global enterprise index → index in county
            works_here = e_ok & e_mask[e_pos]
            link_all = numpy.where(works_here, e_local[e_pos], n_ent)
        else:
            works_here = numpy.zeros(len(pids), dtype=bool)
            link_all = numpy.zeros(len(pids), dtype=numpy.int64)
        sub = numpy.flatnonzero(works_here | (p_county == county))
        link = link_all[sub]
        c_mask = c_county == county
        c_local = {code: k for k, code in enumerate(ccodes[c_mask])}
        comm = numpy.array(
            [c_local.get(code, len(c_local)) for code in p_comm[sub]], dtype=numpy.int64
        )
        # Person-level results belong to the residents (or the persons asked for) only.
        if person_ids is not None:
            resident = numpy.isin(pids[sub], list(person_ids))
        else:  # person-level results belong to the region's own residents
            resident = numpy.char.startswith(p_comm[sub], prefix) & (p_county[sub] == county)
        pop = Population(
            ids={
                "person": pids[sub],
                "enterprise": eids[e_mask],
                "community": ccodes[c_mask],
            },
            inputs={
                "person": {k: v[sub] for k, v in p_in.items()},
                "enterprise": {k: v[e_mask] for k, v in e_in.items()},
                "community": {k: v[c_mask] for k, v in c_in.items()},
            },
            person_enterprise=link,
            person_community=comm,
            regions={
                "person": p_comm[sub],
                "enterprise": e_region[e_mask],
                "community": ccodes[c_mask],
            },
            residents=resident,
        )
        out[county] = pop
    return out
