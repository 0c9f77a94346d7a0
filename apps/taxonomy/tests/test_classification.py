"""The occupation classification as loaded: the 2022 edition from the vendored package
file reconciled with the earlier transcription; counts, idempotence, aliases and marks,
undivided 小类, and a code the 2022 edition moved."""

import io

from django.core.management import call_command

from apps.imports.services import create_import, run_import
from apps.imports.tests.conftest import csv_bytes
from apps.imports.tests.test_employer_job_import import CODE_A, job_row
from apps.jobs.models import Job
from apps.taxonomy import classification
from apps.taxonomy.fields import OccupationField
from apps.taxonomy.models import Occupation


def test_the_whole_classification_is_loaded(db):
    by_level = {level: Occupation.objects.filter(level=level).count() for level in (1, 2, 3, 4)}
    assert by_level == classification.counts()
    # the official 2022 counts are 8 / 79 / 449 / 1,636: what is missing is said in
    # docs/reference-data.md; nothing is invented to fill it
    assert by_level[1] == 8 and 70 <= by_level[2] <= 79
    assert 400 <= by_level[3] <= 449 and 1_600 <= by_level[4] <= 1_636
    welder = Occupation.objects.get(code="6-18-02-04")
    assert welder.name == "焊工" and "氩弧焊工" in welder.aliases
    assert welder.definition.startswith("使用焊机") and "焊接参数" in welder.tasks
    assert welder.parent_id == "6-18-02"
    # the edition's marks become flags, not part of the name
    truck = Occupation.objects.get(code="4-02-02-02")
    assert truck.name == "道路货运汽车驾驶员" and truck.green
    assert Occupation.objects.filter(digital=True).count() > 50
    assert not Occupation.objects.filter(name__regex=r"[LS]$").exists()


def test_undivided_minor_groups_and_every_parent(db):
    # a 小类 listed only as its one 职业 "…-00" is there too, with its name
    assert Occupation.objects.get(code="2-03-01").name == "土壤肥料技术人员"
    assert Occupation.objects.get(code="2-03-01-00").parent_id == "2-03-01"
    # an undivided 中类's 小类 "…-00" carries the 中类's name
    assert Occupation.objects.get(code="1-01-00").name == Occupation.objects.get(code="1-01").name
    # every row hangs under a row that exists (the nearest level above that is listed)
    codes = set(Occupation.objects.values_list("code", flat=True))
    for code, parent in Occupation.objects.exclude(level=1).values_list("code", "parent_id"):
        assert parent in codes and code.startswith(parent + "-"), code


def test_loading_again_changes_nothing(db):
    out = io.StringIO()
    call_command("load_reference", "--no-communities", stdout=out)
    assert "occupations_2022.csv: 新增0 更新0 未变化" in out.getvalue()


def test_a_code_the_2022_edition_moved_keeps_working_and_new_input_gets_the_current(db):
    from apps.people.tests.factories import EmployerFactory

    EmployerFactory(credit_code=CODE_A, region_id="341282001")
    moved = Occupation.objects.get(code="4-01-02-02")  # 电子商务师 of the 2015 edition
    assert moved.replaced_by_id == "4-01-06-01"
    assert Occupation.objects.get(code="4-01-06-01").name == "电子商务师"
    assert OccupationField(name="x").clean("4-01-02-02 电子商务师") == "4-01-06-01"
    content = io.BytesIO(csv_bytes([job_row("J9", 职业代码="4-01-02-02")]))
    job = run_import(create_import(kind="jobs", file=content, filename="jobs.csv").pk)
    assert job.created_count == 1, job.message
    assert Job.objects.get(reference="J9").occupation_id == "4-01-06-01"
