import pytest

from apps.employers.models import Employer
from apps.imports.models import ImportJob
from apps.imports.tests.conftest import csv_bytes, rejected_rows
from apps.jobs.models import Job
from jiuye.identifiers import make_credit_code

Status = ImportJob.Status
CODE_A = make_credit_code("9", "1", "341282", "MA2TX0A1")
CODE_B = make_credit_code("9", "1", "341282", "MA2TX0B2")


def employer_row(code=CODE_A, **overrides) -> dict:
    row = {
        "统一社会信用代码": code,
        "单位名称": f"界首市测试{code[-4:]}有限公司",
        "行业代码": "42",
        "规模": "小型",
        "从业人数": "56",
        "所在区域代码": "341282001",
        "联系电话": "13812345678",
        "重点企业": "是",
        "欠薪黑名单": "否",
    }
    row.update(overrides)
    return row


def job_row(ref="J1", **overrides) -> dict:
    row = {
        "统一社会信用代码": CODE_A,
        "岗位编号": ref,
        "岗位名称": "焊工",
        "职业代码": "6-18-02-04",
        "用工形式": "全职",
        "招聘人数": "3",
        "月薪下限": "5000",
        "月薪上限": "7000",
        "最低学历": "初中",
        "有效期起": "2026-11-01",
        "有效期止": "2027-01-31",
    }
    row.update(overrides)
    return row


@pytest.fixture
def employer(run_file):
    job = run_file("employers", csv_bytes([employer_row()]))
    assert job.status == Status.DONE, job.message
    return Employer.objects.get(credit_code=CODE_A)


def test_it_imports_employers_by_credit_code(employer, run_file):
    assert employer.industry_id == "42" and employer.size == "small" and employer.is_key_enterprise
    assert employer.lat is not None  # the street's coordinates when none are given
    again = run_file("employers", csv_bytes([employer_row(单位名称="新名称有限公司")]))
    assert (again.created_count, again.updated_count) == (0, 1)
    employer.refresh_from_db()
    assert employer.name == "新名称有限公司"


def test_bad_employer_rows_name_their_field(run_file):
    bad_check = CODE_B[:17] + ("0" if CODE_B[17] != "0" else "1")
    job = run_file(
        "employers",
        csv_bytes(
            [
                employer_row(CODE_B),
                employer_row(bad_check),
                employer_row(make_credit_code("9", "1", "341282", "MA2TX0C3"), 行业代码="C"),
                employer_row(make_credit_code("9", "1", "341282", "MA2TX0D4"), 欠薪黑名单="是"),
                employer_row(make_credit_code("9", "1", "341282", "MA2TX0E5"), 规模="巨型"),
            ],
            headers=[*employer_row(), "列入原因", "列入日期"],
        ),
    )
    assert (job.created_count, job.rejected_count) == (1, 4)
    report = {int(r["行号"]): r for r in rejected_rows(job)}
    assert "校验码" in report[3]["错误原因"]
    assert report[4]["错误列"] == "行业代码"
    assert report[5]["错误列"] == "列入原因、列入日期"
    assert report[6]["错误列"] == "规模"


def test_it_imports_jobs_of_registered_employers(employer, run_file):
    job = run_file("jobs", csv_bytes([job_row("J1"), job_row("J2", 用工形式="零工")]))
    assert job.status == Status.DONE, job.message
    assert Job.objects.filter(employer=employer).count() == 2
    posting = Job.objects.get(employer=employer, reference="J1")
    assert posting.region_id == employer.region_id and posting.education_min == "70"
    assert posting.kind == "regular" and posting.status == "open"
    again = run_file("jobs", csv_bytes([job_row("J1"), job_row("J2", 用工形式="零工")]))
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 2)


def test_bad_job_rows_are_rejected_with_reasons(employer, run_file):
    job = run_file(
        "jobs",
        csv_bytes(
            [
                job_row("J1", 月薪下限="8000", 月薪上限="5000"),
                job_row("J2", 职业代码="6-99-99-99"),
                job_row("J3", 统一社会信用代码=CODE_B),
                job_row("J4", 工作地点代码="110101001"),  # Beijing: outside the employer's city
                job_row("J5", 招聘人数="0"),
                job_row("J6", 有效期止="2026-10-01"),
                job_row("J7"),
            ],
            headers=[*job_row(), "工作地点代码"],
        ),
    )
    assert (job.created_count, job.rejected_count) == (1, 6)
    report = {int(r["行号"]): r for r in rejected_rows(job)}
    assert "薪资范围颠倒" in report[2]["错误原因"]
    assert report[3]["错误列"] == "职业代码"
    assert "未登记" in report[4]["错误原因"]
    assert "不在单位所在市" in report[5]["错误原因"]
    assert report[6]["错误列"] == "招聘人数"
    assert report[7]["错误列"] == "有效期止"
    # an unknown code: the report names the likeliest one for the title (岗位名称 焊工)
    assert "按岗位名称建议 6-18-02-04 焊工" in report[3]["错误原因"]


def test_a_job_row_without_a_code_gets_one_suggested_to_confirm(employer, run_file):
    job = run_file(
        "jobs",
        csv_bytes(
            [
                job_row("J1", 职业代码="", 岗位名称="招聘氩弧焊工"),
                job_row("J2", 职业代码="", 岗位名称="综合岗"),  # nothing to suggest
            ]
        ),
    )
    report = {int(r["行号"]): r for r in rejected_rows(job)}
    assert report[2]["错误列"] == "职业代码"
    assert "按岗位名称建议 6-18-02-04 焊工" in report[2]["错误原因"]
    assert report[3]["错误列"] == "职业代码" and "建议" not in report[3]["错误原因"]


def test_communities_and_stations_are_imported_with_their_cells(run_file):
    from apps.regions.models import Region, ServiceStation

    rows = [
        {
            "社区代码": "341282001101",
            "社区名称": "颍河社区",
            "所属街道代码": "341282001",
            "类型": "社区",
            "经度": "115.3712",
            "纬度": "33.2641",
        },
        {
            "社区代码": "341282001102",
            "社区名称": "北京社区",
            "所属街道代码": "341282001",
            "类型": "社区",
            "经度": "33.2641",
            "纬度": "115.3712",
        },  # swapped
        {
            "社区代码": "341282002103",
            "社区名称": "错位社区",
            "所属街道代码": "341282001",
            "类型": "社区",
            "经度": "115.37",
            "纬度": "33.26",
        },
    ]
    job = run_file("communities", csv_bytes(rows))
    assert (job.created_count, job.rejected_count) == (1, 2)
    community = Region.objects.get(code="341282001101")
    assert community.level == 5 and not community.generated and community.h3
    report = {int(r["行号"]): r for r in rejected_rows(job)}
    assert "颠倒" in report[3]["错误原因"]
    assert "前9位" in report[4]["错误原因"]
    stations = run_file(
        "stations",
        csv_bytes(
            [
                {
                    "站点编码": "S1",
                    "站点名称": "颍河社区就业服务站",
                    "类型": "社区(村)服务站",
                    "所在区域代码": "341282001101",
                    "经度": "115.3712",
                    "纬度": "33.2641",
                }
            ]
        ),
    )
    assert stations.status == Status.DONE, stations.message
    assert ServiceStation.objects.get(code="S1").kind == "community"


def test_a_required_certificate_is_structured_for_matching(employer, run_file):
    headers = [*job_row(), "要求证书职业代码", "要求证书等级"]
    job = run_file(
        "jobs",
        csv_bytes(
            [
                job_row("J1", 要求证书职业代码="6-18-02-04", 要求证书等级="四级"),
                job_row("J2", 要求证书职业代码="6-99-99-99"),
                job_row("J3", 要求证书职业代码="6-18-02-04", 要求证书等级="特级"),
            ],
            headers=headers,
        ),
    )
    assert (job.created_count, job.rejected_count) == (1, 2)
    posting = Job.objects.get(employer=employer, reference="J1")
    assert (posting.required_certificate_id, posting.required_level) == ("6-18-02-04", 4)
    report = {int(r["行号"]): r for r in rejected_rows(job)}
    assert report[3]["错误列"] == "要求证书职业代码" and report[4]["错误列"] == "要求证书等级"
