"""docs/indicators.md names every indicator the code defines."""

from pathlib import Path

from apps.indicators.definitions import INDICATORS

DOC = Path(__file__).resolve().parents[3] / "docs" / "indicators.md"


def test_every_indicator_is_documented():
    text = DOC.read_text(encoding="utf-8")
    missing = [code for code in INDICATORS if f"`{code}`" not in text]
    assert not missing, f"docs/indicators.md lacks {missing}"
