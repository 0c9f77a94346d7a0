"""Reads of training: what each viewer may see (staff their region's institutions,
courses and people; an institution its own classes; a worker their own record), the
courses that suit a worker, a person's lifelong training record, and training demand."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Count, Q, QuerySet

from apps.accounts.models import Role, User
from apps.accounts.scoping import region_prefix_q, scope_queryset
from apps.people.models import Certificate, KeyGroup, Person
from apps.people.selectors import groups_on
from apps.regions.geo import haversine_km

from .models import Course, Enrolment, Institution, Voucher

NEAR_KM = 3.0  # the 3-km circle (三公里就业圈)
REACH_KM = 15.0
GAPS_SECONDS = 600  # shortage occupations are recomputed at most every ten minutes


def institutions_in_scope(user: User) -> QuerySet[Institution]:
    qs = Institution.objects.select_related("employer")
    if user.is_authenticated and user.role == Role.EMPLOYER:
        return qs.filter(employer_id=user.employer_id) if user.employer_id else qs.none()
    return scope_queryset(qs, user, "employer__region_id")


def courses_in_scope(user: User) -> QuerySet[Course]:
    """The classes a back-office user or an institution may manage or read: those held in
    their region, or run by their own institution."""
    qs = Course.objects.select_related("institution__employer", "occupation", "community")
    if user.is_authenticated and user.role == Role.EMPLOYER:
        return (
            qs.filter(institution__employer_id=user.employer_id) if user.employer_id else qs.none()
        )
    return scope_queryset(qs, user, "community_id")


def open_courses(today: dt.date) -> QuerySet[Course]:
    """Classes a worker may still join: open, not yet finished."""
    return Course.objects.filter(status=Course.Status.OPEN, end__gte=today).select_related(
        "institution__employer", "occupation", "community"
    )


def with_places(qs: QuerySet[Course]) -> QuerySet[Course]:
    return qs.annotate(taken=Count("enrolments", filter=Q(enrolments__status__in=Enrolment.LIVE)))


def shortage(prefix: str, today: dt.date) -> dict[str, object]:
    """中类 → its gap (market_gaps) of the occupations in shortage in a region."""
    from apps.indicators.market import market_gaps

    key = f"training:shortage:{prefix}:{today.isoformat()}"
    found = cache.get(key)
    if found is None:
        found = {g.code: g for g in market_gaps(prefix, today)[0]}
        cache.set(key, found, GAPS_SECONDS)
    return found


def _middle(code: str | None) -> str:
    return "-".join((code or "").split("-")[:2])


def _fit(course_code: str | None, wishes: list[str]) -> tuple[int, str]:
    """How close a course's occupation is to the person's wishes: 3 the same occupation,
    2 the same 小类, 1 the same 中类, 0 none."""
    if not course_code:
        return 0, ""
    parts = course_code.split("-")
    best = (0, "")
    for wish in wishes:
        w = wish.split("-")
        same = 0
        for depth in (2, 3, 4):
            if parts[:depth] == w[:depth] and len(parts) >= depth and len(w) >= depth:
                same = depth - 1
        if same > best[0]:
            best = (same, wish)
    return best


@dataclass
class Suggestion:
    course: Course
    score: float
    reasons: list[str] = field(default_factory=list)
    km: float | None = None


def courses_for(person: Person, today: dt.date, limit: int = 30) -> list[Suggestion]:
    """Open classes the person may join, those nearest their wishes, the occupations in
    shortage around them and their home first, each with why. Classes reserved for groups
    the person is not in, and classes they are already in, are left out."""
    labels = dict(KeyGroup.choices)
    groups = groups_on(person, today)
    wishes = list(person.wish_occupations.values_list("code", flat=True))
    joined = set(
        Enrolment.objects.filter(person=person, status__in=Enrolment.LIVE).values_list(
            "course_id", flat=True
        )
    )
    gaps = shortage((person.community_id or "")[:6], today)
    has_voucher = Voucher.objects.filter(
        person=person, status=Voucher.Status.ISSUED, expires_on__gte=today
    ).exists()
    out = []
    for course in with_places(open_courses(today)):
        if course.pk in joined or course.taken >= course.capacity:
            continue
        if course.groups and not groups & set(course.groups):
            continue
        score, reasons = 0.0, []
        fit, _ = _fit(course.occupation_id, wishes)
        if fit:
            score += fit
            reasons.append(
                {3: "就是您想做的工作", 2: "与您想做的工作同一小类", 1: "与您想做的工作相近"}[fit]
            )
        gap = gaps.get(_middle(course.occupation_id))
        if gap:
            score += 1
            reasons.append(f"本地紧缺:{gap.name}岗位{gap.posts}个、求职{gap.seekers}人")
        km = None
        if None not in (person.lat, person.lng, course.community.lat, course.community.lng):
            km = haversine_km(person.lat, person.lng, course.community.lat, course.community.lng)
            if km <= NEAR_KM:
                score += 1
                reasons.append(f"离家{km:.1f}公里")
            elif km <= REACH_KM:
                score += 0.5
                reasons.append(f"离家{km:.0f}公里")
            else:
                score -= min(km / 100, 1)
        if course.groups:
            mine = [labels.get(g, g) for g in course.groups if g in groups]
            score += 0.5
            reasons.append(f"面向{'、'.join(mine)}")
        if course.subsidised:
            score += 0.25
            reasons.append("补贴性培训,可用培训券" if has_voucher else "补贴性培训")
        out.append(Suggestion(course, score, reasons, km))
    out.sort(key=lambda s: (-s.score, s.course.start, s.course.pk))
    return out[:limit]


def live_voucher(person: Person, today: dt.date) -> Voucher | None:
    return (
        Voucher.objects.filter(person=person, status=Voucher.Status.ISSUED, expires_on__gte=today)
        .order_by("expires_on")
        .first()
    )


# --- the lifelong training record --------------------------------------------------------
@dataclass
class RecordEntry:
    day: dt.date
    kind: str  # 报名, 结业, 证书, 培训券, 补贴
    text: str
    detail: str = ""


@dataclass
class TrainingRecord:
    """A person's lifelong vocational training record (终身职业技能培训电子档案)."""

    person: Person
    enrolments: list = field(default_factory=list)
    certificates: list = field(default_factory=list)
    vouchers: list = field(default_factory=list)
    subsidies: list = field(default_factory=list)
    events: list[RecordEntry] = field(default_factory=list)


TRAINING_POLICIES = ("training_subsidy", "enterprise_training_subsidy")


def training_record(person: Person) -> TrainingRecord:
    """Every course (with attendance), completion, certificate, voucher and training
    subsidy of the person, and the same as one dated list, newest first."""
    from apps.policies.models import SubsidyApplication

    record = TrainingRecord(person)
    record.enrolments = list(
        Enrolment.objects.filter(person=person)
        .select_related("course__institution__employer", "course__occupation", "voucher")
        .annotate(
            days=Count("attendance"),
            present_days=Count("attendance", filter=Q(attendance__present=True)),
        )
        .order_by("-enrolled_on", "-id")
    )
    record.certificates = list(
        Certificate.objects.filter(person=person)
        .select_related("occupation", "evaluation__institution__employer")
        .order_by("-issued_on", "-id")
    )
    record.vouchers = list(Voucher.objects.filter(person=person).order_by("-issued_on"))
    applications = SubsidyApplication.objects.filter(
        person=person, policy="training_subsidy"
    ).select_related("payment")
    by_enterprise = SubsidyApplication.objects.filter(
        policy="enterprise_training_subsidy",
        employer__training_institution__evaluations__certificate__person=person,
    ).distinct()
    record.subsidies = list(applications) + list(by_enterprise)
    events = record.events
    for e in record.enrolments:
        events.append(RecordEntry(e.enrolled_on, "报名", str(e.course), e.get_channel_display()))
        if e.completed_on:
            events.append(
                RecordEntry(e.completed_on, "结业", str(e.course), e.get_status_display())
            )
        if e.withdrawn_on:
            events.append(RecordEntry(e.withdrawn_on, "退出", str(e.course)))
    for c in record.certificates:
        if c.issued_on:
            events.append(RecordEntry(c.issued_on, "证书", str(c), c.issuer or ""))
    for v in record.vouchers:
        events.append(RecordEntry(v.issued_on, "培训券", v.code, f"有效期至{v.expires_on}"))
    for a in record.subsidies:
        events.append(
            RecordEntry(
                a.submitted_at.date(),
                "补贴",
                f"{a.amount}元",
                a.get_status_display()
                + ("(直补企业)" if a.policy == "enterprise_training_subsidy" else ""),
            )
        )
    events.sort(key=lambda e: e.day, reverse=True)
    return record


# --- training demand ---------------------------------------------------------------------
@dataclass
class Demand:
    code: str
    name: str
    posts: int
    seekers: int
    places: int  # places in open classes of the 中类 in the region

    @property
    def gap(self) -> int:
        return self.posts - self.seekers

    @property
    def open_more(self) -> int:
        """Places still to open so the shortage can be trained away."""
        return max(self.gap - self.places, 0)


def training_demand(prefix: str, today: dt.date) -> list[Demand]:
    """The occupations in shortage in a region (open positions over seekers, 中类) beside
    the places in open classes for them: where classes should be opened."""
    gaps = shortage(prefix, today)
    places: dict[str, int] = {}
    courses = open_courses(today).filter(occupation__isnull=False)
    if prefix:
        courses = courses.filter(region_prefix_q("community_id", prefix))
    for code, capacity in courses.values_list("occupation_id", "capacity"):
        places[_middle(code)] = places.get(_middle(code), 0) + capacity
    rows = [
        Demand(g.code, g.name, g.posts, g.seekers, places.get(g.code, 0)) for g in gaps.values()
    ]
    rows.sort(key=lambda d: (-d.open_more, -d.gap, d.code))
    return rows
