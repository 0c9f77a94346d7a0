from pathlib import Path

from apps.policies.fidelity import END, START, render


def test_docs_policies_md_holds_the_current_fidelity_table():
    text = (Path(__file__).resolve().parents[3] / "docs" / "policies.md").read_text("utf-8")
    table = START + text.partition(START)[2].partition(END)[0] + END
    assert table.strip() == render().strip(), "run: python manage.py policy_fidelity_doc"


def test_the_table_covers_every_policy_and_every_condition():
    from apps.policies.rules import catalog

    table = render()
    for spec in catalog.policies().values():
        assert f"`{spec.code}`" in table
        for name in spec.conditions:
            assert f"`{name}`" in table
        for text, _ in (*spec.declared, *spec.staff_checks):
            assert text in table
