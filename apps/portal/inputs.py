"""Reading a form's plain fields for the views that take them without a Django form: a
date and a whole number, each refused with the field's name (the app's own error class,
so its view shows the message as it shows every other refusal)."""

from __future__ import annotations

import datetime as dt

MAX_DIGITS = 9  # what a form means by a number here; more is a typo or a probe


def date_field(value, field: str, error: type[Exception] = ValueError) -> dt.date:
    try:
        return dt.date.fromisoformat(str(value or "").strip())
    except ValueError:
        raise error(f"{field}:请填写日期(年-月-日)") from None


def int_field(value, field: str, error: type[Exception] = ValueError) -> int:
    text = str("" if value is None else value).strip()
    if not text.lstrip("-").isdigit() or len(text.lstrip("-")) > MAX_DIGITS:
        raise error(f"{field}:须为整数")
    return int(text)
