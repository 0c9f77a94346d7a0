"""The back office as a clerk uses it, in Chromium: log in, see the people of the street,
open a file, reveal identifiers, upload a GBK file and watch it finish in the background,
download the rejected rows. Run apart from the other tests (``pytest -m live``): a
live server needs real commits, which would wipe the session's reference data."""

import csv
import io

import pytest
from django.test import override_settings

from apps.imports.tests.conftest import csv_bytes
from apps.imports.tests.test_people_import import person_row
from apps.people.tests.factories import PersonFactory

pytestmark = [pytest.mark.live, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def street(live_city, staff):
    """Set up before the browser starts: Playwright's event loop forbids ORM calls after."""
    staff("township_staff", "341282001", username="clerk")
    PersonFactory(community_id="341282002001", name="李西城")
    return PersonFactory(community_id="341282001002", name="王东城", id_number="11010519491231002X")


@override_settings(BACKGROUND_RUNNER="background", CELERY_BROKER_URL="")
def test_a_street_clerk_works_through_the_back_office(live_server, street, page, tmp_path):
    mine = street
    url = live_server.url

    page.goto(f"{url}/people/")
    page.fill("input[name=username]", "clerk")
    page.fill("input[name=password]", "pw-for-tests-only")
    page.click("button[type=submit]")
    assert page.locator("table").inner_text().count("王东城") == 1
    assert "李西城" not in page.content()  # the next street's resident

    page.click("text=王东城")
    assert "110105********002X" in page.content()
    page.click("text=查看完整证件号和手机号")
    assert "11010519491231002X" in page.content()
    assert page.url.endswith(f"/people/{mine.pk}/reveal/")

    upload = tmp_path / "人员.csv"
    upload.write_bytes(
        csv_bytes(
            [person_row(i, 居住社区代码="341282001001") for i in range(40)]
            + [person_row(99, 居住社区代码="341282002001")],  # the next street: out of scope
            encoding="gbk",
        )
    )
    page.goto(f"{url}/imports/")
    page.select_option("select[name=kind]", "people")
    page.set_input_files("input[type=file]", str(upload))
    page.click("text=上传并导入")
    page.wait_for_selector("text=下载被拒行", timeout=60_000)  # polled by htmx until done
    assert "新增 40 条" in page.content() and "被拒 1 行" in page.content()
    with page.expect_download() as download:
        page.click("text=下载被拒行")
    rows = list(
        csv.DictReader(io.StringIO(open(download.value.path(), "rb").read().decode("utf-8-sig")))
    )
    assert [(r["行号"], r["错误列"]) for r in rows] == [("42", "居住社区代码")]
