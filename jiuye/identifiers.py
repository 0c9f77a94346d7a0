"""Chinese identifier standards: resident ID (GB 11643), unified social credit code
(GB 32100) and mainland mobile numbers.

Each validator returns the normalised value or raises ``IdentifierError`` with a
reason a clerk can act on. Generators (used by the demo city and the tests) build
valid identifiers from their parts, so both directions share one check-digit routine.
"""

from __future__ import annotations

import datetime as dt
import operator
import re

# GB 11643-1999 §8.2: weights 2^(17-i) mod 11 for the first 17 digits.
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"
# GB/T 2260 province-level prefixes that resident IDs may start with.
ID_PROVINCES = {
    "11",
    "12",
    "13",
    "14",
    "15",
    "21",
    "22",
    "23",
    "31",
    "32",
    "33",
    "34",
    "35",
    "36",
    "37",
    "41",
    "42",
    "43",
    "44",
    "45",
    "46",
    "50",
    "51",
    "52",
    "53",
    "54",
    "61",
    "62",
    "63",
    "64",
    "65",
    "71",
    "81",
    "82",
    "83",
}

# GB 32100-2015: 31-character alphabet (no I, O, S, V, Z) and position weights 3^i mod 31.
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
# Registration authorities (登记管理部门代码), first character.
USCC_AUTHORITIES = set("123456789ANY")
# GB 11714-1997 organization code (positions 9–17 of a credit code) weights.
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")


class IdentifierError(ValueError):
    """An identifier that fails its standard; the message says why, in Chinese."""


def resident_id_check_char(first17: str) -> str:
    return ID_CHECK[sum(map(operator.mul, map(int, first17), ID_WEIGHTS)) % 11]


def validate_resident_id(value: str, today: dt.date | None = None) -> str:
    """Validate an 18-digit resident ID number (公民身份号码) and return it upper-cased."""
    value = (value or "").strip().upper()
    if len(value) != 18:
        raise IdentifierError(f"身份证号应为18位,实为{len(value)}位")
    # isascii: str.isdigit() also accepts digits of other scripts (e.g. ५).
    if (
        not value.isascii()
        or not value[:17].isdigit()
        or not (value[17].isdigit() or value[17] == "X")
    ):
        raise IdentifierError("身份证号前17位须为数字,末位为数字或X")
    if value[:2] not in ID_PROVINCES:
        raise IdentifierError(f"身份证号地址码{value[:6]}不是有效的省级区划")
    birth = birth_date_from_id(value)
    today = today or dt.date.today()
    if birth > today or birth.year < 1900:
        raise IdentifierError(f"身份证号出生日期{birth.isoformat()}不合理")
    expected = resident_id_check_char(value[:17])
    if value[17] != expected:
        raise IdentifierError(f"身份证号校验码错误(应为{expected})")
    return value


def birth_date_from_id(value: str) -> dt.date:
    try:
        return dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        raise IdentifierError(f"身份证号出生日期{value[6:14]}不存在") from None


def gender_from_id(value: str) -> str:
    """'M' or 'F': the sequence code's last digit is odd for men (GB 11643 §7.3)."""
    return "M" if int(value[16]) % 2 else "F"


def make_resident_id(region6: str, birth: dt.date, sequence: int) -> str:
    """Build a valid ID from its parts: 6-digit address code, birth date, 3-digit sequence."""
    first17 = f"{region6}{birth:%Y%m%d}{sequence:03d}"
    return first17 + resident_id_check_char(first17)


def uscc_check_char(first17: str) -> str:
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def validate_credit_code(value: str) -> str:
    """Validate an 18-character unified social credit code (统一社会信用代码)."""
    value = (value or "").strip().upper()
    if len(value) != 18:
        raise IdentifierError(f"统一社会信用代码应为18位,实为{len(value)}位")
    bad = sorted({c for c in value if c not in USCC_ALPHABET})
    if bad:
        raise IdentifierError(f"统一社会信用代码含非法字符{''.join(bad)}(不使用I、O、S、V、Z)")
    if value[0] not in USCC_AUTHORITIES:
        raise IdentifierError(f"统一社会信用代码登记管理部门代码{value[0]}无效")
    if not value[2:8].isascii() or not value[2:8].isdigit():
        raise IdentifierError("统一社会信用代码第3-8位应为行政区划码")
    expected = uscc_check_char(value[:17])
    if value[17] != expected:
        raise IdentifierError(f"统一社会信用代码校验码错误(应为{expected})")
    return value


def org_code_check_char(body8: str) -> str:
    """GB 11714 check character of an 8-character organization code body."""
    total = sum(int(c, 36) * w for c, w in zip(body8, ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def make_credit_code(authority: str, kind: str, region6: str, org_body8: str) -> str:
    """Build a valid credit code: authority, type, address code, organization code, check."""
    first17 = f"{authority}{kind}{region6}{org_body8}{org_code_check_char(org_body8)}"
    return first17 + uscc_check_char(first17)


def validate_mobile(value: str) -> str:
    """Validate a mainland mobile number (11 digits starting 13–19); +86 is stripped."""
    value = re.sub(r"[\s-]", "", value or "")
    if value.startswith("+86"):
        value = value[3:]
    if not value.isascii() or not MOBILE_RE.match(value):
        raise IdentifierError("手机号应为以13-19开头的11位数字")
    return value


def mask_resident_id(value: str) -> str:
    """Keep the address code and the last four characters: 341282********123X."""
    if not value:
        return ""
    return value[:6] + "*" * (len(value) - 10) + value[-4:] if len(value) > 10 else "*" * len(value)


def mask_mobile(value: str) -> str:
    """Keep the first three and last four digits: 138****5678."""
    if not value:
        return ""
    return value[:3] + "****" + value[-4:] if len(value) >= 11 else "*" * len(value)


def mask_name(value: str) -> str:
    """The family name's first character and two stars, whatever the length: 王**."""
    return value[:1] + "**" if value else ""
