"""The transfer pages: the holding region sees what is asked of it and decides; the asking
region follows its requests without seeing the person's file."""

import pytest

from apps.people.models import Person, Transfer
from apps.people.tests.factories import PersonFactory
from apps.people.transfers import request_transfer

A1, B1 = "341282001001", "341282002001"


@pytest.fixture
def asked(db, staff):
    person = PersonFactory(name="迁居者", community_id=B1)
    asker = staff("community_staff", A1)
    holder = staff("community_staff", B1)
    transfer = request_transfer(user=asker, person=person, to_region=A1, reason="导入任务#1")
    return person, asker, holder, transfer


def test_the_holding_region_accepts_from_its_page(client, asked):
    person, asker, holder, transfer = asked
    client.force_login(holder)
    page = client.get("/transfers/").content.decode()
    assert "迁居者" in page and "同意转出" in page
    client.post(f"/transfers/{transfer.pk}/decide/", {"accept": "1"})
    assert Person.objects.get(pk=person.pk).community_id == A1
    client.force_login(asker)
    page = client.get("/transfers/").content.decode()
    assert "已同意转移" in page and f"#{transfer.pk}" in page


def test_the_asking_region_cannot_decide_and_sees_no_name_while_pending(client, asked):
    person, asker, holder, transfer = asked
    client.force_login(asker)
    page = client.get("/transfers/").content.decode()
    assert "待接收方处理" in page and "迁居者" not in page
    assert client.post(f"/transfers/{transfer.pk}/decide/", {"accept": "1"}).status_code == 404
    assert Transfer.objects.get().status == "pending"
    assert Person.objects.get(pk=person.pk).community_id == B1


def test_a_refusal_needs_a_reason(client, asked):
    person, asker, holder, transfer = asked
    client.force_login(holder)
    page = client.post(f"/transfers/{transfer.pk}/decide/", {"note": ""}, follow=True)
    assert "拒绝转移须说明理由" in page.content.decode()
    client.post(f"/transfers/{transfer.pk}/decide/", {"note": "仍在本社区居住"})
    assert Transfer.objects.get().status == "refused"
