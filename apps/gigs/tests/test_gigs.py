"""The gig market end to end: posting with its bounds, taking (full, twice, clashing,
begun), the day's record and pay, a station's supply and demand, the year's facts, the
indicator, the sign-up at a station, and who may do what."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from apps.accounts.models import User
from apps.gigs.models import Availability, Gig, Take
from apps.gigs.selectors import day_figures, gigs_near, station_year
from apps.gigs.services import (
    GigError,
    arrive,
    cancel_gig,
    complete,
    no_show,
    post_gig,
    report_free,
    take,
    withdraw,
)
from apps.indicators.selectors import figures
from apps.people.models import Person
from apps.people.tests.factories import EmployerFactory, PersonFactory
from apps.regions.models import Region, ServiceStation

pytestmark = pytest.mark.django_db


@pytest.fixture
def station():
    community = Region.objects.get(code="341282001001")
    return ServiceStation.objects.create(
        code="GIG-T1",
        name="东城零工驿站",
        kind="gig",
        region=community,
        address="东城街道人民路1号",
        hours="06:00–18:00",
        lat=33.262,
        lng=115.371,
        h3="x",
    )


@pytest.fixture
def clerk(staff):
    return staff("township_staff", "341282001")


@pytest.fixture
def tomorrow():
    return timezone.localdate() + dt.timedelta(days=1)


def _worker(name="零工甲", **kw):
    person = PersonFactory(name=name, community_id="341282001001", lat=33.262, lng=115.371, **kw)
    user = User.objects.create_user(f"w-{person.pk}", password="x", role="worker", person=person)
    return user


def _gig(user, station, day, **kw):
    args = dict(
        user=user,
        station=station,
        task="搬运装卸",
        place="东城物流园3号库",
        day=day,
        starts=dt.time(8),
        ends=dt.time(17),
        pay="200",
        pay_unit="day",
        headcount=2,
        poster_name="李大姐",
        poster_phone="13900001111",
    )
    return post_gig(**{**args, **kw})


@pytest.mark.parametrize(
    "change, field",
    [
        ({"pay": "0"}, "报酬"),
        ({"pay": "-5"}, "报酬"),
        ({"pay": "abc"}, "报酬"),
        ({"pay": "100.555"}, "报酬"),
        ({"pay": "9999"}, "报酬"),
        ({"headcount": 0}, "人数"),
        ({"task": ""}, "活计"),
        ({"place": " "}, "干活地点"),
        ({"ends": dt.time(7)}, "结束"),
        ({"pay_unit": "week"}, "计酬方式"),
        ({"poster_phone": "123"}, "联系电话"),
        ({"poster_name": ""}, "发布人"),
    ],
)
def test_a_gig_with_bad_fields_is_refused_naming_the_field(clerk, station, tomorrow, change, field):
    with pytest.raises(GigError, match=field):
        _gig(clerk, station, tomorrow, **change)
    assert not Gig.objects.exists()


def test_a_gig_in_the_past_or_too_far_ahead_is_refused(clerk, station):
    today = timezone.localdate()
    with pytest.raises(GigError, match="不能早于今天"):
        _gig(clerk, station, today - dt.timedelta(days=1))
    with pytest.raises(GigError, match="提前"):
        _gig(clerk, station, today + dt.timedelta(days=90))


def test_only_the_stations_region_or_an_employer_posts(staff, station, tomorrow):
    with pytest.raises(GigError, match="其他区域"):
        _gig(staff("township_staff", "341282002"), station, tomorrow)
    with pytest.raises(GigError, match="经办人员"):
        _gig(_worker(), station, tomorrow)
    shop = EmployerFactory(region_id="341282002001")
    owner = User.objects.create_user("shop", password="x", role="employer", employer=shop)
    gig = _gig(owner, station, tomorrow, poster_name="", poster_phone="")
    assert gig.employer == shop and gig.poster == shop.name


def test_a_gig_is_taken_up_to_its_headcount_once_a_person_and_never_two_at_once(
    clerk, station, tomorrow
):
    gig = _gig(clerk, station, tomorrow, headcount=2)
    a, b, c = _worker("甲"), _worker("乙"), _worker("丙")
    take(user=a, gig=gig)
    with pytest.raises(GigError, match="已接了"):
        take(user=a, gig=gig)
    take(user=b, gig=gig)
    with pytest.raises(GigError, match="已满"):
        take(user=c, gig=gig)
    # the same hours elsewhere clash; later hours the same day do not
    other = _gig(clerk, station, tomorrow, starts=dt.time(12), ends=dt.time(14))
    with pytest.raises(GigError, match="时间冲突"):
        take(user=a, gig=other)
    evening = _gig(clerk, station, tomorrow, starts=dt.time(18), ends=dt.time(21))
    take(user=a, gig=evening)
    # one calls off: a place opens, and the same person may take it again
    withdraw(user=b, take_=Take.objects.get(gig=gig, person=b.person))
    take(user=c, gig=gig)
    with pytest.raises(GigError, match="已满"):
        take(user=b, gig=gig)
    assert Take.objects.filter(gig=gig, status__in=Take.LIVE).count() == 2


def test_a_begun_or_cancelled_gig_cannot_be_taken(clerk, station, tomorrow):
    gig = _gig(clerk, station, tomorrow)
    Gig.objects.filter(pk=gig.pk).update(day=timezone.localdate() - dt.timedelta(days=1))
    gig.refresh_from_db()
    with pytest.raises(GigError, match="已开工"):
        take(user=_worker(), gig=gig)
    later = _gig(clerk, station, tomorrow)
    cancel_gig(user=clerk, gig=later)
    with pytest.raises(GigError, match="已取消"):
        take(user=_worker(), gig=later)


def test_the_day_is_recorded_and_paid_by_the_poster_or_the_stations_staff(
    clerk, staff, station, tomorrow
):
    gig = _gig(clerk, station, tomorrow)
    a, b = _worker("甲"), _worker("乙")
    ta, tb = take(user=a, gig=gig), take(user=b, gig=gig)
    with pytest.raises(GigError, match="还没到"):
        arrive(user=clerk, take_=ta)
    Gig.objects.filter(pk=gig.pk).update(day=timezone.localdate() - dt.timedelta(days=1))
    ta.refresh_from_db(), tb.refresh_from_db()
    with pytest.raises(GigError, match="其他区域"):
        arrive(user=staff("township_staff", "341282002"), take_=ta)
    arrive(user=clerk, take_=ta)
    with pytest.raises(GigError, match="实付报酬"):
        complete(user=clerk, take_=ta, paid="0")
    with pytest.raises(GigError, match="上限"):
        complete(user=clerk, take_=ta, paid="401")  # over two days' pay at ¥200 a day
    complete(user=clerk, take_=ta, paid="200")
    no_show(user=clerk, take_=tb)
    with pytest.raises(GigError, match="已完工"):
        complete(user=clerk, take_=ta, paid="200")
    ta.refresh_from_db()
    assert (ta.status, ta.paid) == ("done", Decimal(200))
    year = station_year(station, timezone.localdate().year)
    assert (year["gigs"], year["wanted"], year["done"], year["people"], year["paid"]) == (
        1,
        2,
        1,
        1,
        Decimal(200),
    )
    today = timezone.localdate()
    for cached in (True, False):
        got = figures(
            ["gig_work"], today - dt.timedelta(days=40), today, ["341282001"], cached=cached
        )
        assert got["gig_work"]["341282001"] == 1


def test_a_stations_day_counts_demand_and_the_workers_free_or_at_work(clerk, station, tomorrow):
    gig = _gig(clerk, station, timezone.localdate() + dt.timedelta(days=2), headcount=3)
    a, b = _worker("甲"), _worker("乙")
    take(user=a, gig=gig)
    report_free(user=a, station=station)
    report_free(user=b, station=station)
    with pytest.raises(GigError, match="已在"):
        report_free(user=b, station=station)
    today = timezone.localdate()
    now = day_figures([station], today)[station.pk]
    assert (now.free, now.supply) == (2, 2)
    then = day_figures([station], gig.day)[station.pk]
    assert (then.gigs, then.demand, then.taken, then.supply) == (1, 3, 1, 1)
    assert Availability.objects.count() == 2


def test_a_worker_sees_the_weeks_open_gigs_nearest_first(clerk, station, tomorrow):
    far = ServiceStation.objects.create(
        code="GIG-T2",
        name="西城零工驿站",
        kind="gig",
        region=Region.objects.get(code="341282002001"),
        lat=33.20,
        lng=115.30,
        h3="y",
    )
    near_gig = _gig(clerk, station, tomorrow, task="近处的活")
    far_gig = _gig(
        User.objects.create_user("c2", role="township_staff", scope_region_id="341282002"),
        far,
        tomorrow,
        task="远处的活",
    )
    full = _gig(clerk, station, tomorrow, task="满了的活", headcount=1)
    take(user=_worker("丁"), gig=full)
    person = Person.objects.get(pk=_worker("戊").person_id)
    got = [n.gig.pk for n in gigs_near(person)]
    assert got == [near_gig.pk, far_gig.pk]


def test_signing_up_at_a_station_takes_a_minute_and_lands_on_the_gigs(client, station, settings):
    settings.SHOW_CODES = True  # the code shown on the page, as in the demo (no SMS here)
    page = client.get(f"/gig/stations/{station.pk}/join/")
    assert page.status_code == 200 and "东城零工驿站" in page.content.decode()
    from jiuye.identifiers import make_resident_id

    id_number = make_resident_id("341282", dt.date(1985, 3, 3), 555)
    answer = client.post(
        f"/gig/stations/{station.pk}/join/",
        {
            "name": "周零工",
            "id_number": id_number,
            "phone": "13812345678",
            "password1": "Gig-pass-2026!",
            "password2": "Gig-pass-2026!",
            "labour_status": "unemployed",
            "skills": "瓦工、搬运",
            "community": "341200",  # ignored: the station's community is theirs
        },
    )
    assert answer.status_code == 302 and answer["Location"].endswith("/accounts/signup/verify/")
    code = client.session["demo_code"]
    done = client.post("/accounts/signup/verify/", {"code": code})
    assert done.status_code == 302 and done["Location"] == "/gig/"
    person = Person.objects.get(id_number=id_number)
    assert (person.community_id, person.skills) == ("341282001001", "瓦工、搬运")
    assert client.get("/gig/").status_code == 200


def test_a_gig_is_not_finished_before_it_starts(clerk, station, tomorrow):
    gig = _gig(clerk, station, tomorrow)
    t = take(user=_worker(), gig=gig)
    with pytest.raises(GigError, match="还没开工"):
        complete(user=clerk, take_=t, paid="200")


def test_taking_and_calling_off_to_read_phones_stops_after_three(clerk, station, client):
    far = timezone.localdate() + dt.timedelta(days=5)
    worker = _worker()
    gigs = [
        _gig(clerk, station, far, task=f"活{i}", poster_phone=f"1390000{i:04d}") for i in range(5)
    ]
    client.force_login(worker)
    # five days ahead the taker does not see the household's phone yet
    client.post(f"/gig/{gigs[0].pk}/", {"action": "take"})
    assert "13900000000" not in client.get(f"/gig/{gigs[0].pk}/").content.decode()
    for g in gigs[:3]:
        if not Take.objects.filter(gig=g, person=worker.person).exists():
            take(user=worker, gig=g)
        withdraw(user=worker, take_=Take.objects.get(gig=g, person=worker.person))
    with pytest.raises(GigError, match="取消接单次数过多"):
        take(user=worker, gig=gigs[4])


@pytest.mark.parametrize(
    "field, value",
    [
        ("pay", "1e30"),
        ("pay", "1e400"),
        ("starts", "08:00+08:00"),
        ("station", "abc"),
        ("poster_name", "x" * 1000),
        ("task", "a\x00b"),
    ],
)
def test_odd_input_to_the_gig_form_is_refused_not_a_server_error(
    client, clerk, station, field, value
):
    client.force_login(clerk)
    form = {
        "station": station.pk,
        "task": "搬运",
        "place": "某地",
        "day": (timezone.localdate() + dt.timedelta(days=1)).isoformat(),
        "starts": "08:00",
        "ends": "17:00",
        "pay": "200",
        "pay_unit": "day",
        "headcount": "1",
        "poster_name": "李大姐",
        "poster_phone": "13900001111",
    }
    answer = client.post("/gig/post/", {**form, field: value})
    assert answer.status_code == 400
    assert not Gig.objects.exists()
