"""The communities' circles pages: the scoped overview with its map data and Excel export,
a community's page, and the list of residents outside every service circle (staff only,
every exported person written to the access log)."""

import io

import pytest
from openpyxl import load_workbook

from apps.accounts.models import AccessEntry
from apps.people.tests.factories import PersonFactory
from apps.regions.geo import h3_cell, offset_km
from apps.regions.models import ServiceStation

pytestmark = pytest.mark.usefixtures("fresh_matching_index")


@pytest.fixture
def far_resident(db, community_a1):
    ServiceStation.objects.create(
        code="S-A1",
        name="测试站",
        kind="community",
        region=community_a1,
        lat=community_a1.lat,
        lng=community_a1.lng,
        h3=h3_cell(community_a1.lat, community_a1.lng),
    )
    near = PersonFactory(
        name="近站居民", community=community_a1, lat=community_a1.lat, lng=community_a1.lng
    )
    lat, lng = offset_km(community_a1.lat, community_a1.lng, 2.0, 0)
    far = PersonFactory(
        name="远站居民", community=community_a1, lat=lat, lng=lng, h3=h3_cell(lat, lng)
    )
    return near, far


def test_a_street_clerk_sees_the_communities_of_their_street_only(client, staff, far_resident):
    client.force_login(staff("township_staff", "341282001"))
    page = client.get("/circles/")
    assert page.status_code == 200
    codes = [c["code"] for c in page.context["map"]["communities"]]
    assert codes == ["341282001001", "341282001002"]
    assert page.context["map"]["stations"][0]["name"] == "测试站"
    a1 = page.context["report"].communities[0]
    assert (a1.residents, a1.outside_service) == (2, 1)
    assert client.get("/circles/341282002001/").status_code == 404
    assert client.get("/circles/341282001001/").status_code == 200


def test_the_overview_exports_to_excel(client, staff, far_resident):
    client.force_login(staff("county_staff", "341282"))
    response = client.get("/circles/?radius=5&format=xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    rows = list(book["社区就业圈"].iter_rows(values_only=True))
    assert rows[0][7] == "5公里内岗位数"
    assert rows[1][:6] == ("341282001001", "测试01社区", "东城街道", 2, 0, 1)


def test_staff_list_and_export_the_residents_outside_and_each_export_is_logged(
    client, staff, far_resident
):
    near, far = far_resident
    clerk = staff("community_staff", "341282001001")
    client.force_login(clerk)
    page = client.get("/circles/341282001001/")
    names = [p.name for p, km in page.context["outside"]]
    assert names == ["远站居民"]
    assert "远站居民" in page.content.decode() and "近站居民" not in page.content.decode()
    response = client.get("/circles/341282001001/outside.xlsx")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[1][0] == "远站居民" and "*" in rows[1][1] and far.id_number not in rows[1][1]
    assert 1.9 < rows[1][5] < 2.1
    logged = AccessEntry.objects.filter(viewer=clerk, purpose=AccessEntry.Purpose.EXPORT)
    assert list(logged.filter(person__isnull=False).values_list("person_id", flat=True)) == [far.pk]
    summary = logged.get(person__isnull=True)
    assert summary.rows == 1 and summary.filters["community"] == "341282001001"


def test_leaders_see_counts_not_names(client, staff, far_resident):
    client.force_login(staff("leader", "341282"))
    page = client.get("/circles/341282001001/")
    assert page.status_code == 200 and page.context["outside"] is None
    assert "远站居民" not in page.content.decode()
    assert client.get("/circles/341282001001/outside.xlsx").status_code == 403


def test_a_bad_radius_gets_a_clear_error(client, staff):
    client.force_login(staff("county_staff", "341282"))
    page = client.get("/circles/?radius=10000")
    assert page.status_code == 400 and "就业圈半径须大于0" in page.content.decode()
    assert client.get("/circles/341282001001/?walk=abc").status_code == 404


def test_workers_and_employers_cannot_open_the_circles(client, staff):
    client.force_login(staff("worker"))
    assert client.get("/circles/").status_code == 403


def test_an_account_without_a_region_sees_nothing(client, db):
    from apps.accounts.models import User

    client.force_login(User.objects.create_user("nowhere", password="x", role="leader"))
    for url in ("/circles/", "/promises/", "/welfare/"):
        assert client.get(url).status_code == 403, url


def test_the_overview_is_kept_and_recomputed_when_the_data_changes(client, staff, far_resident):
    from apps.matching.models import CircleSnapshot
    from apps.people.models import LabourStatus

    near, far = far_resident
    client.force_login(staff("township_staff", "341282001"))
    first = client.get("/circles/").context["report"]
    kept = CircleSnapshot.objects.get(prefix="341282001")
    assert first.communities[0].unemployed == 2
    again = client.get("/circles/").context["report"]
    assert again.computed_at == kept.computed_at  # served from the snapshot
    assert [vars(c) for c in again.communities] == [vars(c) for c in first.communities]

    near.labour_status = LabourStatus.EMPLOYED
    near.save()
    after = client.get("/circles/").context["report"]
    assert after.communities[0].unemployed == 1  # never older than the data
    assert CircleSnapshot.objects.get(prefix="341282001").computed_at == after.computed_at

    far.delete()  # a deletion changes the figures too
    assert client.get("/circles/").context["report"].communities[0].residents == 1

    # Another radius is computed on the spot and leaves the snapshot alone.
    client.get("/circles/?radius=5")
    assert CircleSnapshot.objects.count() == 1


def test_streets_come_first_and_the_communities_are_filtered_and_paged(client, staff, far_resident):
    client.force_login(staff("county_staff", "341282"))
    page = client.get("/circles/")
    streets = {s.code: s for s in page.context["streets"]}
    assert streets["341282001"].communities == 2 and streets["341282001"].residents == 2
    listed = client.get("/circles/?street=341282002").context["page"]
    assert {c.code[:9] for c in listed} == {"341282002"}
    unmet = client.get("/circles/?unmet=1").context["page"]
    assert all(not c.meets for c in unmet)


def test_the_nightly_job_keeps_every_staff_region(staff, far_resident):
    from django.core.management import call_command

    from apps.matching.models import CircleSnapshot

    staff("township_staff", "341282001")
    staff("county_staff", "341282")
    call_command("keep_circles", stdout=io.StringIO())
    assert set(CircleSnapshot.objects.values_list("prefix", flat=True)) >= {"341282001", "341282"}


def test_above_a_city_the_viewer_picks_one(client, staff, far_resident):
    """An administrator's scope is the whole country (544,000 communities): the page
    asks for a city instead of computing them all; a city inside the scope is shown."""
    from apps.accounts.models import User

    admin = User.objects.create_user("root", password="x", role="admin")
    client.force_login(admin)
    page = client.get("/circles/")
    assert "请选择一个地市" in page.content.decode() and page.context["cities"].exists()
    assert "report" not in page.context
    shown = client.get("/circles/?area=3412")
    assert shown.context["report"].communities[0].code == "341282001001"
    # a clerk's own scope stays theirs: another area is ignored
    client.force_login(staff("township_staff", "341282001"))
    own = client.get("/circles/?area=3412").context["report"]
    assert {c.code[:9] for c in own.communities} == {"341282001"}
