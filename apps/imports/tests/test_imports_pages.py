"""A clerk uploads a file in the back office, watches its progress and downloads the
rejected rows."""

import csv
import io

from django.core.cache import cache
from django.core.files.base import ContentFile

from apps.accounts.models import AccessEntry
from apps.imports.models import ImportJob
from apps.imports.tests.conftest import csv_bytes
from apps.imports.tests.test_people_import import person_row
from apps.people.models import Person


def upload(client, kind: str, content: bytes, name: str = "data.csv"):
    return client.post("/imports/", {"kind": kind, "file": ContentFile(content, name=name)})


def test_a_clerk_uploads_and_downloads_the_rejected_rows(
    client, staff, django_capture_on_commit_callbacks
):
    clerk = staff("township_staff", "341282001")
    client.force_login(clerk)
    rows = [person_row(1), person_row(2, 居住社区代码="341282002001"), person_row(3, 姓名="")]
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, "people", csv_bytes(rows))
    job = ImportJob.objects.get(created_by=clerk)
    assert response.status_code == 302 and response["Location"] == f"/imports/{job.pk}/"
    page = client.get(f"/imports/{job.pk}/").content.decode()
    assert "新增 1 条" in page and "被拒 2 行" in page and "下载被拒行" in page
    download = client.get(f"/files/import-rejected/{job.pk}/")
    rejected = list(
        csv.DictReader(io.StringIO(b"".join(download.streaming_content).decode("utf-8-sig")))
    )
    assert [(r["行号"], r["错误列"]) for r in rejected] == [("3", "居住社区代码"), ("4", "姓名")]
    assert "不在您的管辖区域内" in rejected[0]["错误原因"]  # another street: out of scope
    assert list(Person.objects.values_list("name", flat=True)) == ["张1"]
    taken = AccessEntry.objects.get(viewer=clerk, purpose="download")
    assert (taken.resource, taken.rows) == (f"导入被拒行#{job.pk}", 2)
    # Nobody else: another clerk and an anonymous visitor get nothing.
    client.force_login(staff("township_staff", "341282002"))
    assert client.get(f"/files/import-rejected/{job.pk}/").status_code == 404
    client.logout()
    assert client.get(f"/files/import-rejected/{job.pk}/").status_code == 302


def test_progress_is_shown_while_running(client, staff):
    user = staff("county_staff", "341282")
    client.force_login(user)
    job = ImportJob.objects.create(
        kind="people", original_name="big.csv", created_by=user, status=ImportJob.Status.RUNNING
    )
    cache.set(job.progress_key, (4000, 10000))
    job.beat()  # its process is alive
    page = client.get(f"/imports/{job.pk}/progress/").content.decode()
    assert 'value="4000"' in page and "已处理 4000 / 约 10000 行" in page
    assert 'hx-trigger="every 1s"' in page
    # Before the first rows are counted: what it waits for, not "0 / 约 0".
    waiting = ImportJob.objects.create(kind="people", original_name="q.csv", created_by=user)
    page = client.get(f"/imports/{waiting.pk}/progress/").content.decode()
    assert "排队等待处理" in page and "约 0" not in page
    assert "HX-Refresh" not in client.get(f"/imports/{waiting.pk}/progress/")
    # finished: the page reloads whole, once, to show its results and rejected rows
    waiting.status = ImportJob.Status.DONE
    waiting.save()
    assert client.get(f"/imports/{waiting.pk}/progress/")["HX-Refresh"] == "true"


def test_others_cannot_see_my_imports(client, staff):
    mine = staff("county_staff", "341282", username="mine")
    job = ImportJob.objects.create(kind="people", original_name="x.csv", created_by=mine)
    client.force_login(staff("county_staff", "341282", username="theirs"))
    assert client.get(f"/imports/{job.pk}/").status_code == 404


def test_only_administrators_may_replace_classifications(client, staff):
    user = staff("county_staff", "341282")
    client.force_login(user)
    response = upload(client, "occupations", "代码,名称\n9,新大类\n".encode())
    assert response.status_code == 200 and not ImportJob.objects.filter(created_by=user).exists()
    assert "occupations" not in dict(response.context["form"].fields["kind"].choices)


def test_templates_carry_the_chinese_headers(client, staff):
    client.force_login(staff("county_staff", "341282"))
    text = client.get("/imports/template/people.csv").content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("身份证号*,姓名*,手机号")
