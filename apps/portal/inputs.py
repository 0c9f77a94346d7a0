"""Reading a form's plain fields for the views that take them without a Django form: a
date, a time, a whole number, a record's id and free text, each refused with the field's
name (the app's own error class, so its view shows the message as it shows every other
refusal)."""

from __future__ import annotations

import datetime as dt
import re

MAX_DIGITS = 9  # what a form means by a number here; more is a typo or a probe


def date_field(value, field: str, error: type[Exception] = ValueError) -> dt.date:
    try:
        return dt.date.fromisoformat(str(value or "").strip())
    except ValueError:
        raise error(f"{field}:请填写日期(年-月-日)") from None


def int_field(value, field: str, error: type[Exception] = ValueError) -> int:
    text = str("" if value is None else value).strip()
    # ASCII digits only: str.isdigit() also takes ² and ３, which int() refuses or reads
    if not re.fullmatch(rf"-?[0-9]{{1,{MAX_DIGITS}}}", text):
        raise error(f"{field}:须为整数")
    return int(text)


def time_field(value, field: str, error: type[Exception] = ValueError) -> dt.time:
    """A time of day as a form sends it (09:00), local: an offset (09:00+08:00) is refused."""
    try:
        found = dt.time.fromisoformat(str(value or "").strip())
    except ValueError:
        found = None
    if found is None or found.tzinfo is not None:
        raise error(f"{field}:请按“09:00”的格式填写")
    return found.replace(second=0, microsecond=0)


def pk_of(value) -> int:
    """A record's id as a form names it; 0 (nothing) for anything that is not one, so a
    lookup by it finds nothing instead of failing."""
    text = str("" if value is None else value).strip()
    return int(text) if re.fullmatch(rf"[0-9]{{1,{MAX_DIGITS}}}", text) else 0


def text_field(
    value, field: str, error: type[Exception] = ValueError, *, limit: int, required: bool = True
) -> str:
    """Free text, stripped: refused when required and blank, longer than ``limit`` or
    holding control characters (a NUL byte breaks PostgreSQL; nobody types one)."""
    text = str("" if value is None else value).strip()
    if required and not text:
        raise error(f"{field}:请填写")
    if len(text) > limit:
        raise error(f"{field}:不超过{limit}字")
    if hidden_characters(text):
        raise error(f"{field}:含有不可见的控制字符")
    return text


# the bidirectional controls that make text read otherwise than it is stored
_BIDI = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}


def hidden_characters(text: str, *, lines: bool = False) -> bool:
    """Does ``text`` hold control characters (a NUL byte breaks PostgreSQL; nobody types
    one) or bidirectional overrides? ``lines``: line breaks and tabs are allowed."""
    allowed = "\n\r\t" if lines else ""
    return any((ord(c) < 32 and c not in allowed) or ord(c) == 127 or c in _BIDI for c in text)


def visible_text(value: str) -> None:
    """A form field's validator: free text without hidden characters."""
    from django.core.exceptions import ValidationError

    if hidden_characters(value or "", lines=True):
        raise ValidationError("含有不可见的控制字符", code="hidden_characters")
