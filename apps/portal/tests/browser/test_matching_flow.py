"""In Chromium: a worker finds jobs for them and narrows to the 3-km circle; the employer
opens its posting's candidates (names masked)."""

import datetime as dt

import pytest

from apps.accounts.models import User
from apps.people.tests.factories import JobFactory, seeker
from apps.regions.geo import offset_km

pytestmark = [
    pytest.mark.live,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("fresh_matching_index"),
]
TODAY = dt.date.today()
HOME = (33.262, 115.371)


@pytest.fixture
def city(live_city):
    worker = seeker(
        "王焊工", dt.date(1988, 8, 8), wishes=["6-18-02-04"], certificate=("6-18-02-04", "焊工", 4)
    )
    near = JobFactory(
        title="东城焊工",
        valid_from=TODAY,
        valid_to=TODAY + dt.timedelta(days=30),
        lat=offset_km(*HOME, 1.2, 0)[0],
        lng=HOME[1],
    )
    JobFactory(
        title="远郊焊工",
        valid_from=TODAY,
        valid_to=TODAY + dt.timedelta(days=30),
        lat=offset_km(*HOME, 8, 0)[0],
        lng=HOME[1],
    )
    User.objects.create_user("w", password="pw-for-tests-only", role="worker", person=worker)
    User.objects.create_user(
        "e", password="pw-for-tests-only", role="employer", employer=near.employer
    )


def sign_in(page, url, username):
    page.goto(f"{url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "pw-for-tests-only")
    page.click("button[type=submit]")


def test_a_worker_and_an_employer_use_matching(live_server, city, page):
    sign_in(page, live_server.url, "w")
    page.click("text=为我推荐的岗位")
    cards = page.locator("#ranked .card").all_inner_texts()
    assert "东城焊工" in cards[0] and "远郊焊工" in cards[1]
    assert "距家1.2公里" in cards[0] and "持有焊工四级证书" in cards[0]
    page.click("text=三公里就业圈")
    text = page.locator("#ranked").inner_text()
    assert "东城焊工" in text and "远郊焊工" not in text

    page.click("text=退出")
    sign_in(page, live_server.url, "e")
    page.click("text=推荐人选")
    text = page.locator("table").inner_text()
    assert "王**" in text and "王焊工" not in text and "职业对口(同职业)" in text
