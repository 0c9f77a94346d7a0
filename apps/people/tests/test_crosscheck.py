"""Social-insurance cross-check: proposals, never silent changes; every bad row named."""

import csv
import datetime as dt

import pytest

from apps.people.crosscheck import CrossCheckError, decide, run_check
from apps.people.models import Person, Registration, StatusChange, StatusProposal
from apps.people.tests.factories import EmployerFactory, PersonFactory
from jiuye.identifiers import make_resident_id

pytestmark = pytest.mark.django_db
HEADER = ["公民身份号码", "缴费单位统一社会信用代码", "缴费月份"]


def wrong_check(code: str) -> str:
    """The code with a check character that is certainly wrong."""
    return code[:17] + ("1" if code[17] != "1" else "2")


def write(tmp_path, rows, header=HEADER):
    path = tmp_path / "社保缴费.csv"
    with path.open("w", encoding="gbk", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)
    return path


@pytest.fixture
def city(db):
    employer = EmployerFactory()
    unemployed = PersonFactory(community_id="341282001001", labour_status="unemployed")
    employed = PersonFactory(community_id="341282001002", labour_status="employed")
    elsewhere = PersonFactory(community_id="341282002001", labour_status="unemployed")
    return employer, unemployed, employed, elsewhere


def test_findings_are_proposed_and_bad_rows_named(tmp_path, staff, city):
    employer, unemployed, employed, elsewhere = city
    stranger = make_resident_id("341282", dt.date(1990, 1, 1), 777)
    path = write(
        tmp_path,
        [
            [unemployed.id_number, employer.credit_code, "2026-10"],
            [employed.id_number, employer.credit_code, "202609"],
            [employed.id_number.lower(), employer.credit_code, "2026-09"],
            [stranger, employer.credit_code, "2026-10"],  # not in the registry
            [elsewhere.id_number, employer.credit_code, "2026-10"],  # another street
            [wrong_check(unemployed.id_number), employer.credit_code, "2026-10"],
            [unemployed.id_number, wrong_check(employer.credit_code), "2026-13"],
        ],
    )
    check = run_check(user=staff("township_staff", "341282001"), path=path, filename=path.name)
    assert check.month == "2026-10"
    found = {(p.person_id, p.finding, p.proposed_status) for p in check.proposals.all()}
    assert found == {
        (unemployed.pk, "contributing", "employed"),
        (employed.pk, "stopped", "inactive"),
    }
    reasons = {(row, column) for row, column, _ in check.rejected}
    assert reasons == {
        (5, "公民身份号码"),
        (6, "公民身份号码"),
        (7, "公民身份号码"),
        (8, "缴费单位统一社会信用代码"),
        (8, "缴费月份"),
    }
    # The unknown ID and the ID another street holds get one answer: no existence oracle.
    by_row = {row: reason for row, _, reason in check.rejected}
    assert by_row[5] == by_row[6] == "您的管辖区域内没有此人"
    # nothing changed yet
    assert Person.objects.get(pk=unemployed.pk).labour_status == "unemployed"
    assert not StatusChange.objects.exists()


def test_confirming_registers_the_job_and_rejecting_changes_nothing(tmp_path, staff, city):
    employer, unemployed, employed, _ = city
    clerk = staff("township_staff", "341282001")
    unemployed.birth_date = employed.birth_date = dt.date(1990, 1, 1)
    unemployed.save()
    employed.save()
    path = write(
        tmp_path,
        [
            [unemployed.id_number, employer.credit_code, "2026-10"],
            [employed.id_number, employer.credit_code, "2026-09"],
        ],
    )
    check = run_check(user=clerk, path=path, filename=path.name)
    to_work = check.proposals.get(person=unemployed)
    stopped = check.proposals.get(person=employed)
    decide(user=clerk, proposal=to_work, confirm=True)
    unemployed.refresh_from_db()
    assert unemployed.labour_status == "employed"
    assert Registration.objects.get(person=unemployed).employer == employer
    decide(user=clerk, proposal=stopped, confirm=False)
    employed.refresh_from_db()
    assert employed.labour_status == "employed"
    with pytest.raises(CrossCheckError, match="已确认"):
        decide(user=clerk, proposal=to_work, confirm=False)
    assert StatusProposal.objects.get(pk=stopped.pk).decision == "rejected"


def test_staff_of_another_region_cannot_decide(tmp_path, staff, city):
    employer, unemployed, _, _ = city
    path = write(tmp_path, [[unemployed.id_number, employer.credit_code, "2026-10"]])
    check = run_check(user=staff("township_staff", "341282001"), path=path, filename="x.csv")
    with pytest.raises(CrossCheckError, match="无权"):
        decide(
            user=staff("township_staff", "341282002"),
            proposal=check.proposals.get(),
            confirm=True,
        )


def test_a_file_without_the_columns_is_refused_whole(tmp_path, staff):
    path = write(tmp_path, [["x", "y"]], header=["身份证", "单位"])
    with pytest.raises(CrossCheckError, match="缺少列"):
        run_check(user=staff("township_staff", "341282001"), path=path, filename="x.csv")


def test_confirming_a_stop_ends_the_job_not_registers_unemployment(tmp_path, staff, city):
    employer, _, employed, _ = city
    clerk = staff("township_staff", "341282001")
    employed.birth_date = dt.date(1990, 1, 1)
    employed.labour_status = "inactive"
    employed.save()
    from apps.people.registration import register

    register(user=clerk, person=employed, kind="employment", employer=employer)
    path = write(
        tmp_path,
        [
            [employed.id_number, employer.credit_code, "2026-09"],
            [PersonFactory(community_id="341282001001").id_number, employer.credit_code, "2026-10"],
        ],
    )
    check = run_check(user=clerk, path=path, filename=path.name)
    decide(user=clerk, proposal=check.proposals.get(person=employed), confirm=True)
    employed.refresh_from_db()
    job = Registration.objects.get(person=employed)
    assert employed.labour_status == "inactive" and job.ended_on is not None
    assert not Registration.objects.filter(person=employed, kind="unemployment").exists()
