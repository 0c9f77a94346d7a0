"""Free text → occupation: real job titles map to their codes; the typeahead offers what
the words mean when no name holds them."""

import csv
from importlib import resources

import pytest

from apps.taxonomy.mapping import suggest

# Titles as counties' postings write them, with the 2022 code a clerk would give them.
TITLES = [
    ("招聘电焊工2名", "6-18-02-04"),  # 焊工
    ("氩弧焊", "6-18-02-04"),  # an alias of 焊工, not its name
    ("收银员", "4-01-02-04"),
    ("保洁阿姨", "4-09-08-01"),  # 保洁员
    ("电工", "6-31-01-03"),
    ("拼多多运营", "4-01-06-01"),  # 电子商务师 (moved there by the 2022 edition)
    ("厨师", "4-03-02-01"),  # 中式烹调师
    ("保安", "4-07-05-01"),
    ("快递员", "4-02-07-08"),
    ("中式面点", "4-03-02-02"),
    ("缝纫工", "6-05-01-03"),
    ("汽车维修工", "4-12-01-01"),
    ("仓库管理员", "4-02-06-01"),  # 仓储管理员
    ("护工", "4-14-01-02"),  # 医疗护理员
    ("服务员", "4-03-02-05"),  # 餐厅服务员
    ("美容师", "4-10-03-01"),
    # everyday words the classification's aliases lack (mapping.COLLOQUIAL)
    ("货车司机", "4-02-02-02"),  # 道路货运汽车驾驶员, not the passenger driver
    ("外卖骑手", "4-10-08-01"),  # 网约配送员
    ("幼师", "2-08-03-00"),  # 幼儿园教师
]


@pytest.mark.parametrize(("title", "code"), TITLES)
def test_common_titles_map_to_their_occupation(db, title, code):
    assert suggest(title, k=1)[0].code == code


def test_the_packages_table_of_job_titles(db):
    """5,903 job titles from recruitment sites with the codes the package's authors gave
    them (apps/taxonomy/data/csco22_testcases.csv): the measured share, held so that a
    change that makes it worse fails. 2026-12-03: 40% right at the 职业, 55% at the 中类,
    57% within the first five."""
    text = resources.files("apps.taxonomy").joinpath("data/csco22_testcases.csv")
    rows = list(csv.DictReader(text.open(encoding="utf-8")))[::10]  # 591: a few seconds
    first = middle = 0
    for r in rows:
        expected = r["expected_code"]
        found = suggest(r["job_name"], k=1)
        code = found[0].code if found else ""
        # a label at a coarser level ("…-00") is met by any code inside it
        first += code == expected or (expected.endswith("-00") and code.startswith(expected[:-3]))
        middle += code[:4] == expected[:4]
    assert first / len(rows) >= 0.38
    assert middle / len(rows) >= 0.52


def test_confidence_says_how_sure(db):
    exact = suggest("收银员")[0]
    assert exact.exact and exact.confidence == 1.0
    vague = suggest("技术")
    assert vague and not vague[0].exact and vague[0].confidence < 0.5
    assert suggest("招聘 若干名") == []  # nothing but the words every posting carries


def test_the_typeahead_offers_what_words_mean(client, db):
    page = client.get("/occupations/options/", {"wish_1": "氩弧焊"}).content.decode()
    assert '<option value="6-18-02-04 焊工">' in page
    # a code the 2022 edition moved is not offered for new input
    page = client.get("/occupations/options/", {"wish_1": "电子商务"}).content.decode()
    assert "4-01-06-01" in page and "4-01-02-02" not in page
