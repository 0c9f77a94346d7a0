"""The pre-aggregated cells stay exact: after each kind of write (a registration, its end,
a backdated one, a tag, a move to another community, a bulk import, a posting, a cleared
family, a deletion) the cached figures equal the figures counted live, for every computed
indicator, region and period tried."""

import datetime as dt

import pytest

from apps.indicators.cells import KEYS
from apps.indicators.definitions import INDICATORS
from apps.indicators.models import BuiltMonth, IndicatorCell
from apps.indicators.selectors import figures, series
from apps.people.models import KeyGroupTag, Registration, StatusChange
from apps.people.registration import end_registration, register
from apps.people.tests.factories import EmployerFactory, JobFactory, PersonFactory

pytestmark = pytest.mark.django_db
REGIONS = ["341282", "341282001", "341282002", "341282001001", "341282001002", "341282002001"]
PERIODS = [
    (dt.date(2026, 1, 1), dt.date(2026, 11, 30)),
    (dt.date(2026, 2, 15), dt.date(2026, 7, 10)),  # partial months at both edges
    (dt.date(2025, 1, 1), dt.date(2025, 12, 31)),
    (dt.date(2026, 1, 1), dt.date(2026, 12, 2)),  # into the month under way
]
CODES = [c for c, i in INDICATORS.items() if i.computed]


def same() -> None:
    for start, end in PERIODS:
        cached = figures(CODES, start, end, REGIONS)
        live = figures(CODES, start, end, REGIONS, cached=False)
        assert cached == live, (start, end)
    for code in ("new_urban_jobs", "registered_unemployed", "registered_unemployment_rate"):
        fast = series(code, "341282", dt.date(2026, 11, 30), months=12)
        assert [v for _, v in fast] == [
            figures([code], dt.date(m.year, m.month, 1), end, ["341282"], cached=False)[code][
                "341282"
            ]
            for m, end in _windows(dt.date(2026, 11, 30), 12)
        ], code


def _windows(last, n):
    from apps.indicators.selectors import month_ends

    return [(first, end) for first, end in month_ends(last, n)]


@pytest.fixture
def clerk(staff):
    return staff("county_staff", "341282")


def person(community="341282001001", **kw):
    kw.setdefault("labour_status", "inactive")
    kw.setdefault("birth_date", dt.date(1990, 5, 5))
    return PersonFactory(community_id=community, **kw)


def test_cells_equal_live_counts_through_every_kind_of_write(clerk):
    firm = EmployerFactory(region_id="341282001001")
    people = [person() for _ in range(3)] + [person("341282002001") for _ in range(2)]
    for i, p in enumerate(people):
        register(
            user=clerk,
            person=p,
            kind="unemployment",
            basis="residence",
            day=dt.date(2026, 1 + i, 10),
        )
    register(
        user=clerk, person=people[0], kind="employment", employer=firm, day=dt.date(2026, 4, 3)
    )
    same()  # builds the cells of the closed months
    assert BuiltMonth.objects.filter(month=dt.date(2026, 4, 1)).count() == len(KEYS)
    assert IndicatorCell.objects.exists()

    # a new registration in a month whose cells exist
    register(
        user=clerk, person=people[1], kind="employment", employer=firm, day=dt.date(2026, 5, 20)
    )
    same()
    # its end, on a later day
    job = Registration.objects.get(person=people[1], kind="employment")
    end_registration(user=clerk, registration=job, reason="合同到期", day=dt.date(2026, 8, 31))
    same()
    # a backdated registration that turns a later one into a change of job
    Registration.objects.create(
        person=people[0],
        kind="flexible",
        office_id="341282001",
        registered_on=dt.date(2025, 6, 1),
        ended_on=dt.date(2026, 4, 3),
        end_reason="变更就业",
        channel="counter",
    )
    same()
    # hard to employ from a date: a registration before it does not count, one after does
    KeyGroupTag.objects.create(person=people[2], group="hard_to_employ", start=dt.date(2026, 3, 1))
    register(
        user=clerk, person=people[2], kind="employment", employer=firm, day=dt.date(2026, 6, 1)
    )
    same()
    # a person moves to another street: every month of theirs moves with them
    people[0].community_id = "341282002001"
    people[0].save()
    same()
    # a retirement, then its deletion
    retired = StatusChange.objects.create(
        person=people[3], status="retired", since=dt.date(2026, 7, 7)
    )
    same()
    retired.delete()
    same()
    # a posting opened in a closed month, then moved to another month
    post = JobFactory(
        employer=firm,
        kind="public_welfare",
        headcount=4,
        valid_from=dt.date(2026, 3, 3),
        valid_to=dt.date(2026, 9, 9),
    )
    same()
    post.valid_from = dt.date(2026, 5, 5)
    post.save()
    same()
    # a class finished (trainings), its person tagged a migrant worker afterwards from a
    # date before it (migrant_trainings), its completion moved to another month
    from apps.training.models import Course, Enrolment, Institution

    school = Institution.objects.create(
        employer=firm, kind="enterprise", approved_on=dt.date(2025, 1, 1)
    )
    course = Course.objects.create(
        institution=school,
        title="焊工班",
        kind="skill",
        occupation_id="6-18-02-04",
        level=5,
        start=dt.date(2026, 2, 1),
        end=dt.date(2026, 3, 20),
        hours=40,
        community_id="341282001001",
        capacity=9,
    )
    finished = Enrolment.objects.create(
        course=course,
        person=people[4],
        channel="staff",
        enrolled_on=dt.date(2026, 1, 20),
        status="completed",
        completed_on=dt.date(2026, 3, 20),
    )
    same()
    KeyGroupTag.objects.create(person=people[4], group="migrant_worker", start=dt.date(2025, 1, 1))
    same()
    finished.completed_on = dt.date(2026, 6, 30)
    finished.save()
    same()
    # a startup founded by a returning migrant, its loan; the loan's date moved
    from apps.startups.models import GuaranteeLoan, Startup

    Startup.objects.create(
        employer=EmployerFactory(region_id="341282002001"),
        founder=people[3],
        origin="returning",
        founded_on=dt.date(2026, 4, 4),
    )
    same()
    loan = GuaranteeLoan.objects.create(
        borrower=people[3],
        bank="农商银行",
        amount=50000,
        term_months=24,
        rate=3,
        subsidised_share=50,
        issued_on=dt.date(2026, 5, 5),
        due_on=dt.date(2028, 5, 5),
    )
    same()
    loan.issued_on = dt.date(2026, 2, 2)
    loan.save()
    same()
    # a person deleted with all their events
    people[4].delete()
    same()


def test_a_bulk_import_marks_its_months(clerk):
    from apps.imports.specs import insert_rows

    p = person()
    register(user=clerk, person=p, kind="unemployment", basis="residence", day=dt.date(2026, 2, 2))
    same()
    insert_rows(
        Registration,
        [
            {
                "person_id": person().pk,
                "kind": "employment",
                "registered_on": dt.date(2026, 3, 3),
                "office_id": "341282001",
                "basis": "",
                "employer_id": None,
                "channel": "counter",
                "ended_on": None,
                "end_reason": "",
                "recorded_by_id": None,
            }
        ],
    )
    same()


def test_the_month_under_way_keeps_exact_day_cells(clerk, monkeypatch):
    """The closed days of the month under way have day cells (only today is counted live):
    writes dated on those days keep them exact, and when the month is over its month
    cells take their place."""
    from django.utils import timezone

    from apps.indicators.cells import day_key

    today = dt.date(2026, 6, 20)
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: today)
    firm = EmployerFactory(region_id="341282001001")
    people = [person() for _ in range(3)] + [person("341282002001")]
    for i, p in enumerate(people):
        register(
            user=clerk,
            person=p,
            kind="unemployment",
            basis="residence",
            day=dt.date(2026, 6, 2 + i),
        )
    register(
        user=clerk, person=people[0], kind="employment", employer=firm, day=dt.date(2026, 6, 10)
    )
    periods = [
        (dt.date(2026, 6, 1), today),
        (dt.date(2026, 1, 1), today),
        (dt.date(2026, 6, 5), dt.date(2026, 6, 12)),
    ]

    def same_now():
        for start, end in periods:
            cached = figures(CODES, start, end, REGIONS)
            assert cached == figures(CODES, start, end, REGIONS, cached=False), (start, end)

    same_now()
    built = BuiltMonth.objects.filter(key=day_key("new_employment"))
    assert sorted(built.values_list("month", flat=True)) == [
        dt.date(2026, 6, d) for d in range(1, 20)
    ]
    assert IndicatorCell.objects.filter(
        key=day_key("new_employment"), month=dt.date(2026, 6, 10)
    ).exists()
    # a registration on a closed day, one backdated to another, an end, a move, a deletion
    register(
        user=clerk, person=people[1], kind="employment", employer=firm, day=dt.date(2026, 6, 15)
    )
    same_now()
    job = Registration.objects.get(person=people[0], kind="employment")
    end_registration(user=clerk, registration=job, reason="合同到期", day=dt.date(2026, 6, 18))
    same_now()
    people[2].community_id = "341282002001"
    people[2].save()
    same_now()
    Registration.objects.filter(person=people[3]).delete()
    same_now()
    # the month is over: June's day cells give way to its month cells
    today = dt.date(2026, 7, 2)
    periods.append((dt.date(2026, 6, 1), dt.date(2026, 6, 30)))
    same_now()
    assert not BuiltMonth.objects.filter(
        key=day_key("new_employment"), month__lt=dt.date(2026, 7, 1)
    ).exists()
    assert BuiltMonth.objects.filter(key="new_employment", month=dt.date(2026, 6, 1)).exists()
