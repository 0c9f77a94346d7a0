"""The registries through the API: a member of staff's key sees their region only, as
on the pages; identifiers come masked; every call reading a person is in the access log;
matching comes with its reasons."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from apps.accounts.models import AccessEntry
from apps.people.models import KeyGroupTag
from apps.people.tests.factories import EmployerFactory, JobFactory, PersonFactory, seeker

pytestmark = pytest.mark.django_db


def test_staff_see_their_regions_people_masked_and_each_read_is_logged(client, key, staff):
    clerk = staff("township_staff", "341282001")
    ours = PersonFactory(community_id="341282001001", name="本街甲")
    theirs = PersonFactory(community_id="341282002001", name="邻街乙")
    KeyGroupTag.objects.create(person=ours, group="graduate", start=dt.date(2026, 7, 1))
    headers = key(clerk, "people:read", "services:read")
    body = client.get("/api/people", **headers).json()
    assert [p["id"] for p in body["items"]] == [ours.pk]
    item = body["items"][0]
    assert item["id_number"] != ours.id_number and item["id_number"][:6] == ours.id_number[:6]
    assert ours.phone not in str(body) and item["key_groups"] == ["graduate"]
    assert client.get(f"/api/people/{theirs.pk}", **headers).status_code == 404
    assert client.get(f"/api/people/{theirs.pk}/services", **headers).status_code == 404
    one = client.get(f"/api/people/{ours.pk}", **headers)
    assert one.status_code == 200 and one.json()["key_group_history"][0]["group"] == "graduate"
    logged = AccessEntry.objects.filter(viewer=clerk, person=ours)
    assert logged.count() == 2 and all("接口" in e.resource for e in logged)
    assert not AccessEntry.objects.filter(person=theirs).exists()
    # by place name as by code; an unknown community is named back
    by_name = client.get("/api/people", {"community": "测试01社区"}, **headers).json()
    assert [p["id"] for p in by_name["items"]] == [ours.pk]
    bad = client.get("/api/people", {"community": "341282001999"}, **headers)
    assert bad.status_code == 400 and bad.json()["error"]["field"] == "community"


def test_a_key_cannot_see_more_than_its_holder(client, key, staff):
    clerk = staff("township_staff", "341282002")
    employer = EmployerFactory(region_id="341282001001")
    assert (
        client.get(f"/api/employers/{employer.pk}", **key(clerk, "employers:read")).status_code
        == 404
    )
    listed = client.get("/api/employers", **key(clerk, "employers:read")).json()
    assert listed["items"] == []


def test_jobs_for_a_person_and_candidates_for_a_job_come_with_reasons(
    client, key, staff, fresh_matching_index
):
    today = timezone.localdate()
    welder = seeker("焊工甲", dt.date(1990, 5, 1), wishes=["6-18-02-04"])
    job = JobFactory(
        region_id="341282001001", valid_from=today, valid_to=today + dt.timedelta(days=30)
    )
    clerk = staff("county_staff", "341282")
    headers = key(clerk, "matching:read")
    jobs = client.get(f"/api/people/{welder.pk}/jobs", **headers).json()["items"]
    assert jobs[0]["job"]["id"] == job.pk and jobs[0]["reasons"]
    people = client.get(f"/api/jobs/{job.pk}/candidates", **headers).json()["items"]
    assert people[0]["person"]["id"] == welder.pk and people[0]["reasons"]
    assert AccessEntry.objects.filter(viewer=clerk, person=welder).count() == 2


def test_indicators_of_ones_region_only(client, key, staff):
    clerk = staff("county_staff", "341282")
    headers = key(clerk, "indicators:read")
    body = client.get("/api/indicators", **headers).json()
    assert body["region"]["code"] == "341282"
    codes = {f["code"] for f in body["figures"]}
    assert "new_urban_jobs" in codes
    assert client.get("/api/indicators", {"region": "颍上县"}, **headers).status_code == 403
    assert client.get("/api/indicators", {"region": "界首市"}, **headers).status_code == 200


def test_public_notices_need_only_their_scope(client, key, partner):
    for url, scope in [
        ("/api/training/courses", "training:read"),
        ("/api/fairs", "fairs:read"),
        ("/api/gigs", "gigs:read"),
    ]:
        assert client.get(url, **key(partner, scope)).status_code == 200
        assert client.get(url, **key(partner, "jobs:read")).status_code == 403


def test_a_subsidy_application_is_reviewed_through_the_api_by_the_pages_rules(client, key, staff):
    import json
    from decimal import Decimal

    from apps.policies.models import SubsidyApplication

    person = PersonFactory(community_id="341282001001")
    theirs = PersonFactory(community_id="341282002001")

    submitter = staff("community_staff", "341282001001")

    def application(p):
        return SubsidyApplication.objects.create(
            submitted_by=submitter,
            policy="job_seeking_subsidy",
            year=2026,
            claim_key="2026",
            amount=Decimal(1000),
            channel="self",
            subject_kind="person",
            person=p,
            subject_key=f"P{p.pk}",
            region_code=p.community_id,
        )

    ours, other = application(person), application(theirs)
    street = staff("township_staff", "341282001")
    headers = key(street, "subsidies:review")

    def decide(pk, **body):
        return client.post(
            f"/api/subsidies/applications/{pk}/reviews",
            json.dumps(body),
            content_type="application/json",
            **headers,
        )

    first = decide(ours.pk, approve=True, seen="submitted")
    assert first.status_code == 200 and first.json()["status"] == "first_approved"
    # the second review needs someone else, of county level: refused, by the same rule
    again = decide(ours.pk, approve=True, seen="first_approved")
    assert again.status_code == 409 and "复审" in again.json()["error"]["message"]
    stale = decide(ours.pk, approve=False, seen="submitted", note="材料不全")
    assert stale.status_code == 409
    assert decide(other.pk, approve=True, seen="submitted").status_code == 404
    county = staff("county_staff", "341282")
    second = client.post(
        f"/api/subsidies/applications/{ours.pk}/reviews",
        json.dumps({"approve": True, "seen": "first_approved"}),
        content_type="application/json",
        **key(county, "subsidies:review", "subsidies:read"),
    )
    assert second.status_code == 200 and second.json()["status"] == "approved"
    assert [r["level"] for r in second.json()["reviews"]] == [1, 2]
    other.refresh_from_db()
    assert other.status == "submitted"
    # a decision sent again under its Idempotency-Key is answered as before, and the
    # answer (naming the applicant) is logged as a read each time
    third = application(PersonFactory(community_id="341282001001"))
    logged = AccessEntry.objects.filter(viewer=street, person=third.person)
    for _ in range(2):
        replay = client.post(
            f"/api/subsidies/applications/{third.pk}/reviews",
            json.dumps({"approve": True, "seen": "submitted"}),
            content_type="application/json",
            HTTP_IDEMPOTENCY_KEY="rev-1",
            **headers,
        )
        assert replay.status_code == 200 and replay.json()["status"] == "first_approved"
    assert logged.count() == 2 and third.reviews.count() == 1
