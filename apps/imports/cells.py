"""Parsers for one cell of an import row. Each returns a Python value or raises
``CellError`` with a reason; the pipeline adds the row number and the column."""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Mapping

from django.db.models import Choices


class CellError(ValueError):
    pass


_DATE_RE = re.compile(r"^(\d{4})[-/.年]?(\d{1,2})[-/.月]?(\d{1,2})日?$")


def parse_date(text: str) -> dt.date:
    text = text.strip().split(" ")[0].split("T")[0]
    match = _DATE_RE.match(text)
    if not match:
        raise CellError(f"日期格式应为YYYY-MM-DD,实为“{text}”")
    try:
        return dt.date(*(int(g) for g in match.groups()))
    except ValueError:
        raise CellError(f"日期“{text}”不存在") from None


def parse_int(text: str, *, minimum: int | None = None, maximum: int | None = None) -> int:
    try:
        value = (
            int(float(text.replace(",", ""))) if re.fullmatch(r"[\d,]+(\.0+)?", text) else int(text)
        )
    except ValueError:
        raise CellError(f"应为整数,实为“{text}”") from None
    if minimum is not None and value < minimum:
        raise CellError(f"不能小于{minimum}")
    if maximum is not None and value > maximum:
        raise CellError(f"不能大于{maximum}")
    return value


def parse_float(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise CellError(f"应为数字,实为“{text}”") from None


_TRUE = {"是", "y", "yes", "true", "1", "√"}
_FALSE = {"否", "n", "no", "false", "0", ""}


def parse_bool(text: str) -> bool:
    lowered = text.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise CellError(f"应填“是”或“否”,实为“{text}”")


@functools.cache
def _choice_lookup(choices: type[Choices]) -> tuple[dict[str, object], str]:
    lookup: dict[str, object] = {}
    for value, label in choices.choices:
        lookup[str(value)] = value
        lookup[str(label)] = value
    return lookup, "、".join(str(label) for _, label in choices.choices)


def parse_choice(text: str, choices: type[Choices], aliases: Mapping[str, str] | None = None):
    """Accept a choice's code, its Chinese label, or a common alias."""
    text = text.strip()
    lookup, allowed = _choice_lookup(choices)
    if text in lookup:
        return lookup[text]
    if aliases and text in aliases:
        return aliases[text]
    raise CellError(f"“{_shown(text)}”不是有效值,可选:{allowed}")


def parse_choices(
    text: str, choices: type[Choices], aliases: Mapping[str, str] | None = None
) -> list:
    """Several choices separated by 、 , ; or | (each a code, its Chinese label or an
    alias), once each, in the choices' own order (so a file that only reorders them
    changes nothing)."""
    parts = split_list(text)
    if not parts:
        raise CellError(f"“{_shown(text)}”中没有可识别的值")
    found = {parse_choice(part, choices, aliases) for part in parts}
    return [value for value in choices.values if value in found]


def _shown(text: str, most: int = 20) -> str:
    """A cell's text as an error message quotes it: at most ``most`` characters."""
    return text if len(text) <= most else f"{text[:most]}…"


def split_list(text: str) -> list[str]:
    return [part.strip() for part in re.split(r"[;;、,,|]", text) if part.strip()]
