"""Batch push (精准送岗): N suitable offers each, never twice the same job, spread by openings,
every offer within the hard filters, and a report of who got none and why."""

import datetime as dt
from collections import Counter

import pytest

from apps.matching.models import Offer, OutboundMessage, Push
from apps.matching.push import FULL, NO_WISHES, create_push, run_push
from apps.matching.rules import reference_match
from apps.matching.services import MatchingError, job_profile, person_profile
from apps.people.models import KeyGroupTag
from apps.people.tests.factories import JobFactory, seeker
from apps.regions.geo import offset_km

TODAY = dt.date.today()
HOME = (33.262, 115.371)


pytestmark = pytest.mark.usefixtures("fresh_matching_index")


def migrant(n: int, wishes=("6-18-02-04",), **kw):
    person = seeker(
        f"工{n}",
        dt.date(1980 + n, 1, 1),
        wishes=wishes,
        seq=n,
        status_since=TODAY - dt.timedelta(days=100 - n),
        **kw,
    )
    KeyGroupTag.objects.create(person=person, group="migrant_worker", start=TODAY)
    return person


def job(title="焊工", km=1.0, headcount=1, **kw):
    lat, lng = offset_km(*HOME, km, 0)
    return JobFactory(
        title=title,
        headcount=headcount,
        lat=lat,
        lng=lng,
        valid_from=TODAY,
        valid_to=TODAY + dt.timedelta(days=30),
        **kw,
    )


@pytest.fixture
def clerk(staff):
    return staff("township_staff", "341282001")


def push(clerk, **kw):
    kw.setdefault("region_prefix", "341282001")
    kw.setdefault("group", "migrant_worker")
    return run_push(create_push(user=clerk, **kw).pk)


def test_each_person_gets_n_suitable_offers_once(clerk):
    people = [migrant(i) for i in range(3)]
    no_wish = migrant(9, wishes=())
    jobs = [job(f"焊工{i}", km=1 + i, headcount=2) for i in range(3)]
    job("厨师", occupation_id="4-03-02-01", headcount=5)
    done = push(clerk, offers_per_person=2)
    assert done.status == Push.Status.DONE and done.people == 4
    for person in people:
        offers = Offer.objects.filter(person=person)
        assert offers.count() == 2
        assert {o.job.title for o in offers} <= {j.title for j in jobs}
        for offer in offers:  # every offer holds every hard filter
            assert reference_match(person_profile(person), job_profile(offer.job), TODAY)
            assert offer.reasons[0] == "职业对口(同职业)"
    assert done.report["offers_per_person"] == {"0": 1, "2": 3}
    assert done.report["none"] == {NO_WISHES: 1}
    assert done.report["none_people"] == [[no_wish.pk, NO_WISHES]]
    assert OutboundMessage.objects.filter(push=done).count() == 3
    # each offer is recorded as the service it is (岗位推送), by the clerk, once
    from apps.services.models import ServiceRecord

    services = ServiceRecord.objects.filter(kind="offer")
    assert sorted(services.values_list("offer_id", flat=True)) == sorted(
        Offer.objects.values_list("id", flat=True)
    )
    assert {(s.person_id, s.job_id, s.by_id) for s in services} == {
        (o.person_id, o.job_id, clerk.pk) for o in Offer.objects.all()
    }

    again = push(clerk, offers_per_person=2)  # the third welding job is all that is new
    assert again.status == Push.Status.DONE
    pairs = list(Offer.objects.values_list("person_id", "job_id"))
    assert len(pairs) == len(set(pairs))


def test_offers_are_spread_by_openings(clerk):
    for i in range(6):
        migrant(i)
    only = job("唯一焊工岗", headcount=1)  # 3 offers per opening by default
    done = push(clerk, offers_per_person=3)
    assert Offer.objects.filter(job=only).count() == 3
    assert done.report["none"] == {FULL: 3}
    assert done.report["jobs"]["max_offers_per_opening"] == 3.0
    # the longest waiting were served first
    served = set(Offer.objects.values_list("person__name", flat=True))
    assert served == {"工0", "工1", "工2"}


def test_pushes_stay_in_scope_and_say_why(clerk):
    with pytest.raises(MatchingError, match="管辖范围"):
        create_push(user=clerk, region_prefix="341282002")
    with pytest.raises(MatchingError, match="1到10"):
        create_push(user=clerk, region_prefix="341282001", offers_per_person=0)
    with pytest.raises(MatchingError, match="距离范围"):
        create_push(user=clerk, region_prefix="341282001", radius_km=10_000)
    empty = push(clerk, group="veteran")
    assert empty.status == Push.Status.DONE and empty.people == 0 and "没有人员" in empty.message


def test_a_push_ranked_in_several_processes_sends_what_one_process_sends(
    clerk, monkeypatch, settings, tmp_path
):
    """Large pushes are ranked by forked processes, a chunk of people each; the capacity
    is still decided in the people's order, so the offers (who, which job, in which
    order, with which score and reasons) are those of ranking in one process."""
    import os

    from apps.matching import push as push_module
    from apps.services.models import ServiceRecord

    for i in range(9):
        migrant(i, wishes=("6-18-02-04", "4-03-02-01") if i % 3 else ("6-18-02-04",))
    for i in range(5):
        job(f"焊工{i}", km=0.5 + i, headcount=1)  # three offers each
        job(f"厨师{i}", occupation_id="4-03-02-01", km=2 + i, headcount=1)
    settings.MATCHING = {**settings.MATCHING, "push_chunk": 2}
    pids = tmp_path / "pids"
    rank = push_module.PushRanker.rank

    def rank_and_say_where(self, piece):
        with pids.open("a") as f:
            f.write(f"{os.getpid()}\n")
        return rank(self, piece)

    monkeypatch.setattr(push_module.PushRanker, "rank", rank_and_say_where)

    def offers_of(processes: int) -> list:
        settings.MATCHING = {**settings.MATCHING, "push_processes": processes}
        pids.write_text("")
        done = push(clerk, offers_per_person=3)
        assert done.status == Push.Status.DONE, done.message
        sent = list(
            Offer.objects.order_by("id").values_list("person_id", "job_id", "score", "reasons")
        )
        where = set(pids.read_text().split())
        ServiceRecord.objects.all().delete()
        Offer.objects.all().delete()  # the next run starts from the same state
        return sent, where

    forked, where = offers_of(2)
    # ranked in the children, not here (how the chunks fall between the two is the
    # scheduler's: on a busy machine one child may take them all)
    assert where and str(os.getpid()) not in where
    alone, where = offers_of(1)
    assert where == {str(os.getpid())}
    assert forked == alone
    per_job = Counter(job_id for _, job_id, _, _ in alone)
    assert max(per_job.values()) == 3  # openings ran out: the order decided who got them


def test_a_push_offers_the_kind_of_work_wished_and_any_kind_to_who_said_none(clerk):
    """The push ranks each person over the jobs of their wished kind (its slice is
    ordered by kind); who named no kind is ranked over every kind but those reserved."""
    part_timer = migrant(0, wish_job_kinds=["part_time"])
    anyone = migrant(1)
    job("焊工全职", km=1, headcount=3)
    job("焊工兼职", km=2, headcount=3, kind="part_time")
    job("焊工零工", km=3, headcount=3, kind="gig")
    job("焊工公益岗", km=0.5, headcount=3, kind="public_welfare")  # reserved for others
    push(clerk, offers_per_person=3)
    offered = lambda person: {o.job.title for o in Offer.objects.filter(person=person)}  # noqa: E731
    assert offered(part_timer) == {"焊工兼职"}
    assert offered(anyone) == {"焊工全职", "焊工兼职", "焊工零工"}


def test_a_push_finds_every_job_a_wish_fits(clerk, settings):
    """A wish given as a whole 大类 (or 中类) fits every job inside it fully, and the push
    offers them; when the minimum fit is lowered to the same 大类, a job of another 中类
    of it counts too. Every offer holds the rules' fit."""
    whole_major = migrant(0, wishes=("6",))
    whole_middle = migrant(1, wishes=("6-18",))
    welder = migrant(2)
    job("焊工", km=1, headcount=3)  # 6-18-02-04
    other_middle = job("电工", km=2, headcount=3, occupation_id="6-31-01-03")
    job("厨师", km=1, headcount=3, occupation_id="4-03-02-01")  # another 大类
    push(clerk, offers_per_person=3)
    offered = lambda person: {o.job.title for o in Offer.objects.filter(person=person)}  # noqa: E731
    assert offered(whole_major) == {"焊工", "电工"}
    assert offered(whole_middle) == {"焊工"}
    assert offered(welder) == {"焊工"}
    settings.MATCHING = {**settings.MATCHING, "push_min_occupation_fit": 0.1}
    push(clerk, offers_per_person=3)
    assert offered(welder) == {"焊工", "电工"}
    offer = Offer.objects.get(person=welder, job=other_middle)
    match = reference_match(person_profile(welder), job_profile(other_middle), TODAY)
    assert match.components["occupation"] == 0.1 and offer.reasons[0] == "同属一个职业大类"


def test_the_report_names_first_the_people_staff_can_act_on(clerk):
    from apps.matching.push import NOT_SEEKING

    working = migrant(0, wishes=(), labour_status="employed")  # first by id: not seeking
    no_wish = migrant(1, wishes=())
    job("焊工", headcount=3)
    done = push(clerk, offers_per_person=1)
    assert done.report["none_people"] == [[no_wish.pk, NO_WISHES], [working.pk, NOT_SEEKING]]
    assert done.report["none_people_total"] == 2
