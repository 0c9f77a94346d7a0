"""Every view of a person's file is in the access log; identifiers are masked unless a
role that needs them asks, and that reveal is logged apart; the audit log is append-only."""

import pytest

from apps.accounts.models import AccessEntry, AuditEntry
from apps.people.tests.factories import PersonFactory

A1 = "341282001001"


@pytest.fixture
def person(db):
    return PersonFactory(community_id=A1, id_number="11010519491231002X", phone="13812345678")


def test_opening_a_file_is_logged_and_identifiers_are_masked(client, staff, person):
    clerk = staff("community_staff", A1)
    client.force_login(clerk)
    page = client.get(f"/people/{person.pk}/").content.decode()
    assert "110105********002X" in page and "138****5678" in page
    assert "11010519491231002X" not in page and "13812345678" not in page
    entry = AccessEntry.objects.get()
    assert (entry.viewer, entry.person, entry.purpose) == (clerk, person, "view")
    assert entry.ip == "127.0.0.1"


def test_the_list_never_shows_full_identifiers(client, staff, person):
    client.force_login(staff("county_staff", "341282"))
    page = client.get("/people/").content.decode()
    assert "11010519491231002X" not in page and "110105********002X" in page
    assert not AccessEntry.objects.exists()  # a list is not a file


def test_a_clerk_may_reveal_and_the_reveal_is_logged(client, staff, person):
    client.force_login(staff("community_staff", A1))
    page = client.post(f"/people/{person.pk}/reveal/").content.decode()
    assert "11010519491231002X" in page and "13812345678" in page
    assert AccessEntry.objects.get().purpose == "reveal"


def test_a_leader_sees_masked_files_and_may_not_reveal(client, staff, person):
    client.force_login(staff("leader", "341282"))
    page = client.get(f"/people/{person.pk}/").content.decode()
    assert "110105********002X" in page and "查看完整证件号" not in page
    assert client.post(f"/people/{person.pk}/reveal/").status_code == 403
    assert list(AccessEntry.objects.values_list("purpose", flat=True)) == ["view"]


def test_the_audit_log_is_append_only(db):
    entry = AuditEntry.objects.create(action="test", model="x", object_id="1")
    entry.action = "tampered"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=entry.pk).update(action="tampered")
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get(pk=entry.pk).action == "test"
