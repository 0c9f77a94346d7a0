import datetime as dt

import pytest
from django.test import override_settings

from apps.accounts.models import AuditEntry
from apps.imports.models import ImportJob
from apps.imports.tests.conftest import csv_bytes, rejected_rows, xlsx_bytes
from apps.people.models import Certificate, KeyGroupTag, Person, StatusChange
from jiuye.identifiers import make_resident_id

Status = ImportJob.Status


def person_row(n: int, **overrides) -> dict:
    row = {
        "身份证号": make_resident_id("341282", dt.date(1980, 1, 1) + dt.timedelta(days=n), 100 + n),
        "姓名": f"张{n}",
        "手机号": f"1390000{n:04d}",
        "户号": f"H{n // 2}",
        "居住社区代码": "341282001001",
        "学历": "高中",
        "劳动状态": "失业",
        "状态起始日期": "2026-03-01",
        "意向职业代码": "6-18-02-04;6-31-01-03",
        "期望最低月薪": "4000",
        "可接受通勤距离": "5",
        "技能证书": "焊工/四级",
        "重点群体": "农民工;就业困难人员",
        "认定说明": "大龄",
    }
    row.update(overrides)
    return row


def test_it_imports_people_with_their_file(run_file):
    job = run_file("people", csv_bytes([person_row(i) for i in range(4)]))
    assert job.status == Status.DONE, job.message
    assert (job.created_count, job.rejected_count) == (4, 0)
    person = Person.objects.get(id_number=person_row(0)["身份证号"])
    assert person.gender == "F" and person.birth_date == dt.date(1980, 1, 1)
    assert person.labour_status == "unemployed" and person.education == "60"
    assert person.lat is not None and person.h3  # placed at the community's coordinates
    assert person.import_job == job
    assert set(person.wish_occupations.values_list("code", flat=True)) == {
        "6-18-02-04",
        "6-31-01-03",
    }
    groups = set(person.tags.values_list("group", flat=True))
    # the file's groups, and the registry's own finding: nobody in the household works
    assert groups == {"migrant_worker", "hard_to_employ", "zero_employment_family"}
    assert list(person.certificates.values_list("name", "level")) == [("焊工", 4)]
    assert list(person.status_history.values_list("status", "since")) == [
        ("unemployed", dt.date(2026, 3, 1))
    ]
    # Rows with the same household number share one household.
    assert person.household.members.count() == 2


def test_rerunning_the_same_file_changes_nothing(run_file):
    content = csv_bytes([person_row(i) for i in range(5)])
    run_file("people", content)
    counts = [m.objects.count() for m in (Person, StatusChange, KeyGroupTag, Certificate)]
    audits = AuditEntry.objects.filter(action="import_update").count()
    again = run_file("people", content)
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 5)
    assert [m.objects.count() for m in (Person, StatusChange, KeyGroupTag, Certificate)] == counts
    assert AuditEntry.objects.filter(action="import_update").count() == audits


def test_an_update_is_audited_and_extends_the_status_history(run_file):
    run_file("people", csv_bytes([person_row(1)]))
    job = run_file("people", csv_bytes([person_row(1, 劳动状态="就业", 状态起始日期="2026-10-08")]))
    assert (job.created_count, job.updated_count) == (0, 1)
    person = Person.objects.get(id_number=person_row(1)["身份证号"])
    assert list(person.status_history.values_list("status", flat=True)) == [
        "unemployed",
        "employed",
    ]
    assert person.updated_at > person.created_at  # what change-tracking readers rely on
    entry = AuditEntry.objects.get(action="import_update", object_id=str(person.pk))
    assert entry.changes["labour_status"] == ["unemployed", "employed"]
    assert entry.changes["import_job"] == job.pk


def test_a_gbk_csv_is_read(run_file):
    job = run_file("people", csv_bytes([person_row(7)], encoding="gbk"), "gbk.csv")
    assert job.status == Status.DONE, job.message
    assert Person.objects.get(id_number=person_row(7)["身份证号"]).name == "张7"


def test_an_excel_file_is_read(run_file):
    job = run_file("people", xlsx_bytes([person_row(8), person_row(9)]), "people.xlsx")
    assert job.status == Status.DONE, job.message
    assert job.created_count == 2


def test_bad_rows_are_reported_and_good_rows_kept(run_file):
    good = person_row(1)
    wrong_check = person_row(2)
    wrong_check["身份证号"] = wrong_check["身份证号"][:17] + (
        "0" if wrong_check["身份证号"][17] != "0" else "1"
    )
    rows = [
        good,
        wrong_check,
        person_row(3, 居住社区代码="341282999999"),
        person_row(4, 身份证号=make_resident_id("341282", dt.date(2015, 5, 5), 12)),
        person_row(5, 劳动状态="摸鱼", 意向职业代码="9-99-99-99"),
        dict(good),  # the same person twice in one file
    ]
    job = run_file("people", csv_bytes(rows))
    assert job.status == Status.DONE_WITH_ERRORS
    assert (job.created_count, job.rejected_count) == (1, 5)
    assert Person.objects.filter(id_number=good["身份证号"]).exists()
    report = {int(r["行号"]): r for r in rejected_rows(job)}
    assert set(report) == {3, 4, 5, 6, 7}  # spreadsheet rows: header is row 1
    assert report[3]["错误列"] == "身份证号" and "校验码" in report[3]["错误原因"]
    assert "341282999999" in report[4]["错误原因"] and report[4]["错误列"] == "居住社区代码"
    assert "未满16周岁" in report[5]["错误原因"]
    assert report[6]["错误列"] == "劳动状态、意向职业代码"
    assert "与第2行重复" in report[7]["错误原因"]
    assert report[3]["姓名"] == "张2"  # the original cells travel with the error


def test_a_missing_column_fails_the_file_and_writes_nothing(run_file):
    row = person_row(1)
    del row["劳动状态"]
    row["劳动状况"] = "失业"
    job = run_file("people", csv_bytes([row]))
    assert job.status == Status.FAILED
    assert "缺少必填列:劳动状态" in job.message and "劳动状况" in job.message
    assert not Person.objects.exists()


@pytest.mark.parametrize(
    ("content", "name", "reason"),
    [
        (b"", "empty.csv", "文件为空"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "photo.csv", "二进制"),
        (b"%PDF-1.7\n", "scan.pdf", "PDF"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "old.xls", ".xls"),
        (b"PK\x03\x04broken zip", "broken.xlsx", "Excel"),
        ("身份证号,姓名\n".encode(), "header-only.csv", "缺少必填列"),
    ],
)
def test_what_is_not_a_readable_table_gets_a_clear_answer(run_file, content, name, reason):
    job = run_file("people", content, name)
    assert job.status == Status.FAILED
    assert reason in job.message
    assert not Person.objects.exists()


def test_a_file_with_only_headers_is_refused(run_file):
    headers = list(person_row(0))
    job = run_file("people", (",".join(headers) + "\n").encode())
    assert job.status == Status.FAILED and "没有数据行" in job.message


@override_settings(IMPORT_MAX_ROWS=10)
def test_a_file_over_the_row_limit_is_refused_whole(run_file):
    job = run_file("people", csv_bytes([person_row(i) for i in range(15)]))
    assert job.status == Status.FAILED and "上限" in job.message
    assert not Person.objects.exists()


@override_settings(IMPORT_CHUNK_ROWS=2)
def test_a_failure_midway_writes_nothing(run_file, monkeypatch):
    from apps.people.importers import PersonImport

    calls = []
    original = PersonImport.write

    def failing_write(self, rows, job, ctx):
        calls.append(len(rows))
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return original(self, rows, job, ctx)

    monkeypatch.setattr(PersonImport, "write", failing_write)
    job = run_file("people", csv_bytes([person_row(i) for i in range(6)]))
    assert job.status == Status.FAILED and "未写入任何数据" in job.message
    assert calls == [2, 2] and not Person.objects.exists()


def test_a_change_to_related_records_marks_the_person_changed(run_file):
    run_file("people", csv_bytes([person_row(1, 重点群体="农民工")]))
    person = Person.objects.get(id_number=person_row(1)["身份证号"])
    before = person.updated_at
    job = run_file(
        "people",
        csv_bytes(
            [person_row(1, 重点群体="农民工;退役军人", 意向职业代码="6-31-01-03;6-18-02-04")]
        ),
    )
    # A new key group and new wishes are an update, reported and audited as one.
    assert (job.updated_count, job.unchanged_count) == (1, 0)
    entry = AuditEntry.objects.filter(action="import_update", object_id=str(person.pk)).first()
    assert entry.changes["groups"] == ["veteran"]
    assert entry.changes["wish_occupations"] == ["6-31-01-03", "6-18-02-04"]
    person.refresh_from_db()
    assert person.updated_at > before  # indexes must see it
    through = Person.wish_occupations.through.objects.filter(person=person).order_by("id")
    assert list(through.values_list("occupation_id", flat=True)) == ["6-31-01-03", "6-18-02-04"]
