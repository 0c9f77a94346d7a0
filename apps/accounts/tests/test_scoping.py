"""A staff member sees the people, employers and jobs of their own region only, by page
and by crafted URL alike."""

import pytest

from apps.people.tests.factories import EmployerFactory, JobFactory, PersonFactory

A1, A2, B1 = "341282001001", "341282001002", "341282002001"


@pytest.fixture
def city(db):
    return {
        "a1": PersonFactory(community_id=A1, name="甲一"),
        "a2": PersonFactory(community_id=A2, name="甲二"),
        "b1": PersonFactory(community_id=B1, name="乙一"),
        "outside": PersonFactory(community_id="341226101", name="颍上人"),
        "employer_a1": EmployerFactory(region_id=A1, name="东城甲厂"),
        "employer_b1": EmployerFactory(region_id=B1, name="西城乙厂"),
    }


def names_on_page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return {p.name for p in response.context["page"]}


@pytest.mark.parametrize(
    ("role", "region", "visible"),
    [
        ("community_staff", A1, {"甲一"}),
        ("township_staff", "341282001", {"甲一", "甲二"}),
        ("county_staff", "341282", {"甲一", "甲二", "乙一"}),
        ("city_staff", "341200", {"甲一", "甲二", "乙一", "颍上人"}),
        ("leader", "341282", {"甲一", "甲二", "乙一"}),
    ],
)
def test_people_list_shows_only_the_region(client, staff, city, role, region, visible):
    client.force_login(staff(role, region))
    assert names_on_page(client, "/people/") == visible


def test_a_clerk_cannot_open_the_next_communitys_file_by_url(client, staff, city):
    client.force_login(staff("community_staff", A1))
    assert client.get(f"/people/{city['a1'].pk}/").status_code == 200
    assert client.get(f"/people/{city['a2'].pk}/").status_code == 404
    assert client.post(f"/people/{city['a2'].pk}/reveal/").status_code == 404


def test_searching_by_id_does_not_cross_the_scope(client, staff, city):
    client.force_login(staff("community_staff", A1))
    assert names_on_page(client, f"/people/?q={city['b1'].id_number}") == set()
    assert names_on_page(client, f"/people/?q={city['a1'].id_number}") == {"甲一"}


def test_employers_and_jobs_are_scoped_too(client, staff, city):
    JobFactory(employer=city["employer_a1"], title="甲厂焊工")
    other = JobFactory(employer=city["employer_b1"], title="乙厂焊工")
    client.force_login(staff("community_staff", A1))
    assert names_on_page(client, "/employers/") == {"东城甲厂"}
    assert {j.title for j in client.get("/jobs/").context["page"]} == {"甲厂焊工"}
    assert client.get(f"/employers/{city['employer_b1'].pk}/").status_code == 404
    assert client.get(f"/jobs/{other.pk}/").status_code == 404


def test_workers_and_employers_are_kept_out_of_the_back_office(client, staff, city):
    client.force_login(staff("worker"))
    assert client.get("/people/").status_code == 403
    client.force_login(staff("employer"))
    assert client.get(f"/people/{city['a1'].pk}/").status_code == 403


def test_a_staff_account_without_a_region_sees_nothing(client, staff, city):
    from apps.accounts.models import User

    user = User.objects.create_user("orphan", password="x", role="county_staff")
    client.force_login(user)
    assert names_on_page(client, "/people/") == set()


def test_anonymous_visitors_are_sent_to_login(client, city):
    response = client.get("/people/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
