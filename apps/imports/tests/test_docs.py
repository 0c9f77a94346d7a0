from pathlib import Path

from apps.imports.management.commands.import_formats_doc import render


def test_docs_imports_md_matches_the_import_specs():
    path = Path(__file__).resolve().parents[3] / "docs" / "imports.md"
    assert path.read_text(encoding="utf-8").strip() == render().strip(), (
        "run: python manage.py import_formats_doc > docs/imports.md"
    )
