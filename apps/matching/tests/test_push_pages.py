"""A street clerk runs a batch push from the back office; the worker finds the offers in
their inbox."""

import pytest

from apps.accounts.models import User
from apps.matching.models import Offer, Push
from apps.matching.tests.test_push import job, migrant

pytestmark = pytest.mark.usefixtures("fresh_matching_index")


def test_a_clerk_pushes_and_the_worker_reads(client, staff, django_capture_on_commit_callbacks):
    worker = migrant(1)
    no_wishes = migrant(2, wishes=())
    job("东城焊工", headcount=2)
    client.force_login(staff("township_staff", "341282001"))
    settings = {
        "region_prefix": "341282001",
        "group": "migrant_worker",
        "labour_status": "",
        "offers_per_person": 3,
    }
    # First what it will reach; nothing is sent before the clerk confirms.
    preview = client.post("/pushes/", settings).content.decode()
    assert "将向 <b>2</b> 人各推送最多 3 个岗位" in preview and "确认推送" in preview
    assert not Push.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/pushes/", {**settings, "confirm": "1"})
    push = Push.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/pushes/{push.pk}/"
    page = client.get(f"/pushes/{push.pk}/").content.decode()
    assert "共 2 人,推送岗位 1 个" in page and "未填写求职意向" in page and "工2" in page

    client.force_login(User.objects.create_user("w1", password="x", role="worker", person=worker))
    inbox = client.get("/my/offers/").content.decode()
    assert "东城焊工" in inbox and "职业对口(同职业)" in inbox and ">新<" in inbox
    assert Offer.objects.get().status == Offer.Status.READ
    # The one who got nothing sees why; staff export who got nothing, logged.
    client.force_login(
        User.objects.create_user("w2", password="x", role="worker", person=no_wishes)
    )
    assert "未填写求职意向" in client.get("/my/offers/").content.decode()
    client.force_login(push.created_by)
    sheet = client.get(f"/pushes/{push.pk}/", {"format": "xlsx"})
    assert sheet["Content-Type"].startswith("application/vnd.openxmlformats")
    from apps.accounts.models import AccessEntry

    assert AccessEntry.objects.filter(person=no_wishes, purpose="export").exists()


def test_out_of_scope_pushes_are_refused_on_the_page(client, staff):
    client.force_login(staff("community_staff", "341282001001"))
    page = client.post("/pushes/", {"region_prefix": "341282", "offers_per_person": 3})
    # areas are offered by name, the clerk's own only: another is not a choice
    assert page.status_code == 200 and "region_prefix" in page.context["form"].errors
    offered = dict(page.context["form"].fields["region_prefix"].choices)
    assert set(offered) == {"341282001001"} and "测试01社区" in offered["341282001001"]
    assert not Push.objects.exists()
    client.force_login(staff("leader", "341282"))
    assert client.get("/pushes/").status_code == 403
