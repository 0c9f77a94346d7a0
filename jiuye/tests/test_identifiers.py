import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jiuye.identifiers import (
    ID_PROVINCES,
    USCC_ALPHABET,
    IdentifierError,
    birth_date_from_id,
    gender_from_id,
    make_credit_code,
    make_resident_id,
    mask_mobile,
    mask_resident_id,
    validate_credit_code,
    validate_mobile,
    validate_resident_id,
)

TODAY = dt.date(2026, 11, 25)
regions = st.builds(
    lambda p, rest: p + rest,
    st.sampled_from(sorted(ID_PROVINCES)),
    st.from_regex(r"[0-9]{4}", fullmatch=True),
)
births = st.dates(min_value=dt.date(1920, 1, 1), max_value=TODAY)
sequences = st.integers(min_value=0, max_value=999)
org_bodies = st.text(alphabet="0123456789ABCDEFGHJKLMNPQRTUWXY", min_size=8, max_size=8)


def test_it_accepts_the_standard_example_id():
    # The worked example of GB 11643-1999.
    assert validate_resident_id("11010519491231002x") == "11010519491231002X"


@pytest.mark.parametrize("code", ["91110108551385082Q", "91440300708461136T", "91350100M000100Y43"])
def test_it_accepts_published_credit_codes(code):
    assert validate_credit_code(code) == code


@given(regions, births, sequences)
def test_every_built_id_validates_and_decodes(region, birth, sequence):
    value = make_resident_id(region, birth, sequence)
    assert validate_resident_id(value, today=TODAY) == value
    assert birth_date_from_id(value) == birth
    assert gender_from_id(value) == ("M" if sequence % 2 else "F")


@given(regions, births, sequences, st.integers(min_value=0, max_value=17), st.data())
def test_any_single_character_change_is_caught(region, birth, sequence, position, data):
    value = make_resident_id(region, birth, sequence)
    replacement = data.draw(st.sampled_from([c for c in "0123456789X" if c != value[position]]))
    changed = value[:position] + replacement + value[position + 1 :]
    with pytest.raises(IdentifierError):
        validate_resident_id(changed, today=TODAY)


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("34128219900101123", "18位"),
        ("3412821990010112345", "18位"),
        ("34128219900230123X", "不存在"),  # 30 February
        ("99128219900101123X", "省级区划"),
        ("3412822990010112X3", "数字"),
    ],
)
def test_it_says_why_an_id_is_rejected(value, reason):
    with pytest.raises(IdentifierError, match=reason):
        validate_resident_id(value, today=TODAY)


def test_digits_of_other_scripts_are_not_digits():
    value = make_resident_id("341282", dt.date(1990, 1, 1), 123)
    with pytest.raises(IdentifierError):
        validate_resident_id(value[:10] + "५" + value[11:], today=TODAY)
    with pytest.raises(IdentifierError):
        validate_mobile("1380013800५")


def test_it_rejects_a_birth_date_in_the_future():
    value = make_resident_id("341282", dt.date(2027, 1, 1), 11)
    with pytest.raises(IdentifierError, match="不合理"):
        validate_resident_id(value, today=TODAY)


@given(st.sampled_from("159"), st.sampled_from("123"), regions, org_bodies)
def test_every_built_credit_code_validates(authority, kind, region, body):
    assert validate_credit_code(make_credit_code(authority, kind, region, body))


@given(regions, org_bodies, st.integers(min_value=0, max_value=17), st.data())
def test_any_single_credit_code_change_is_caught(region, body, position, data):
    value = make_credit_code("9", "1", region, body)
    replacement = data.draw(st.sampled_from([c for c in USCC_ALPHABET if c != value[position]]))
    changed = value[:position] + replacement + value[position + 1 :]
    with pytest.raises(IdentifierError):
        validate_credit_code(changed)


def test_credit_code_letters_outside_the_alphabet_are_named():
    with pytest.raises(IdentifierError, match="I"):
        validate_credit_code("91110108551385082I")


@pytest.mark.parametrize("value", ["13800138000", "+86 199-1234-5678", "19912345678"])
def test_it_accepts_mainland_mobiles(value):
    assert len(validate_mobile(value)) == 11


@pytest.mark.parametrize("value", ["12800138000", "1380013800", "138001380000", "0551-1234567"])
def test_it_rejects_what_is_not_a_mobile(value):
    with pytest.raises(IdentifierError):
        validate_mobile(value)


def test_masks_keep_only_what_identifies_nothing():
    assert mask_resident_id("11010519491231002X") == "110105********002X"
    assert mask_mobile("13800138000") == "138****8000"
    assert mask_resident_id("") == ""
