"""The plain-field readers refuse what int() would choke on or misread, naming the field."""

import datetime as dt

import pytest

from apps.portal.inputs import int_field, pk_of, text_field, time_field


@pytest.mark.parametrize("value", ["²", "３", "٣", "1e3", " ", "-", "1234567890", None])
def test_only_ascii_whole_numbers_are_numbers(value):
    with pytest.raises(ValueError, match="人数"):
        int_field(value, "人数")
    assert pk_of(value) == 0


def test_numbers_ids_times_and_text_as_forms_send_them():
    assert int_field(" -12 ", "x") == -12 and pk_of("42") == 42
    assert time_field("09:30", "开始") == dt.time(9, 30)
    for odd in ("09:30+08:00", "25:00", ""):
        with pytest.raises(ValueError, match="开始"):
            time_field(odd, "开始")
    assert text_field("  名称 ", "名称", limit=4) == "名称"
    for odd in ("a\x00b", "", "长" * 5):
        with pytest.raises(ValueError, match="名称"):
            text_field(odd, "名称", limit=4)
