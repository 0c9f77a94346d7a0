"""Wage levels and the occupations in shortage and surplus, against hand counts."""

import datetime as dt
import io

import numpy as np
import openpyxl
import pytest
from django.utils import timezone

from apps.indicators.market import market_gaps, wage_levels
from apps.matching.models import Application
from apps.people.tests.factories import EmployerFactory, JobFactory, PersonFactory

pytestmark = pytest.mark.django_db
WELDER, COOK = "6-18-02-04", "4-03-02-01"
JUNE = dt.date(2026, 6, 30)  # the year's early postings have expired by December


@pytest.fixture
def market():
    firm = EmployerFactory(region_id="341282001001")
    from apps.regions.models import Region

    street = Region.objects.filter(parent_id="341226").order_by("code").first()
    other = EmployerFactory(region_id=street.code)  # another county: never counted
    jan = dt.date(2026, 1, 10)
    # welders: 2 posts at 5,000, 3 at 6,000, 1 at 9,000 (midpoints)
    JobFactory(
        employer=firm,
        occupation_id=WELDER,
        headcount=2,
        wage_min=4000,
        wage_max=6000,
        valid_from=jan,
        valid_to=JUNE,
    )
    hired_job = JobFactory(
        employer=firm,
        occupation_id=WELDER,
        headcount=3,
        wage_min=5000,
        wage_max=7000,
        valid_from=jan,
        valid_to=JUNE,
    )
    JobFactory(
        employer=firm,
        occupation_id=WELDER,
        headcount=1,
        wage_min=8000,
        wage_max=10000,
        valid_from=jan,
        valid_to=JUNE,
    )
    JobFactory(
        employer=other,
        occupation_id=WELDER,
        headcount=50,
        wage_min=1000,
        wage_max=1000,
        valid_from=jan,
        valid_to=JUNE,
    )
    # cooks: only 4 posts, fewer than the 5 a published level needs
    JobFactory(employer=firm, occupation_id=COOK, headcount=4, valid_from=jan, valid_to=JUNE)
    for _ in range(5):
        p = PersonFactory(community_id="341282001001")
        Application.objects.create(
            person=p,
            job=hired_job,
            source="self",
            stage="hired",
            decided_at=timezone.make_aware(dt.datetime(2026, 3, 1)),
        )
    return firm


def test_wage_levels_by_occupation(market):
    levels = {w.code: w for w in wage_levels("341282", 2026)}
    assert set(levels) == {WELDER}  # the cook's 4 posts are too few to publish
    w = levels[WELDER]
    wages = [5000] * 2 + [6000] * 3 + [9000]
    assert w.positions == 6 and w.hires == 5
    assert (w.p10, w.p25, w.p50, w.p75, w.p90) == tuple(
        round(x) for x in np.percentile(wages, (10, 25, 50, 75, 90))
    )
    assert w.p50 == 6000 and w.hired_median == 6000
    assert wage_levels("341282", 2025) == []


def test_shortage_and_surplus(market):
    today = dt.date(2026, 12, 1)
    firm = market
    JobFactory(
        employer=firm,
        occupation_id=WELDER,
        headcount=4,
        valid_from=dt.date(2026, 11, 1),
        valid_to=dt.date(2027, 1, 31),
    )
    JobFactory(
        employer=firm,
        occupation_id=WELDER,
        headcount=9,
        status="closed",
        valid_from=dt.date(2026, 11, 1),
        valid_to=dt.date(2027, 1, 31),
    )
    for i in range(3):  # three seekers wish for cooking, one (employed) does not count
        PersonFactory(community_id="341282001002", labour_status="unemployed").wish_occupations.set(
            [COOK, "4-03-02-02"] if i == 0 else [COOK]
        )
    PersonFactory(community_id="341282001002", labour_status="employed").wish_occupations.set(
        [COOK]
    )
    PersonFactory(community_id="341282001001", labour_status="flexible").wish_occupations.set(
        [WELDER]
    )
    shortage, surplus = market_gaps("341282", today)
    assert [(g.code, g.posts, g.seekers) for g in shortage] == [("6-18", 4, 1)]
    assert [(g.code, g.posts, g.seekers) for g in surplus] == [("4-03", 0, 3)]


def test_the_market_page_and_its_workbook(client, staff, market):
    client.force_login(staff("leader", "341282"))
    page = client.get("/market/?year=2026").content.decode()
    assert "6000" in page and WELDER in page
    book = openpyxl.load_workbook(io.BytesIO(client.get("/market/?year=2026&format=xlsx").content))
    rows = list(book.worksheets[0].iter_rows(min_row=2, values_only=True))
    assert rows[0][0] == WELDER and rows[0][2] == 6 and rows[0][6] == 6000
    assert client.get("/market/?region=341226").status_code == 403
