"""Resident identity numbers, GB 11643-1999 (ISO 7064 MOD 11-2), and the 1989 15-digit form.

Hand-written because the one library that checks them (python-stdnum ``cn.ric``) rejects valid
numbers whose address code post-dates the birth year, which the standard allows.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
PROVINCES = frozenset(
    {
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
)
_ID18 = re.compile(r"^[0-9]{17}[0-9X]$")
_ID15 = re.compile(r"^[0-9]{15}$")
_FULLWIDTH = str.maketrans(
    {chr(0xFF10 + i): str(i) for i in range(10)} | {"Ｘ": "X", "ｘ": "X", "\u3000": " "}
)


def normalize(value: str) -> str:
    """Trim, full-width → half-width, upper-case."""
    return value.translate(_FULLWIDTH).strip().upper()


def id_check_char(first17: str) -> str:
    """The check character for 17 leading digits."""
    total = sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True))
    return CHECK_CHARS[total % 11]


def upgrade_id15(value: str) -> str:
    """Upgrade a 15-digit number to 18 digits (insert ``19``, append the check char)."""
    v = normalize(value)
    if not _ID15.match(v):
        raise ValueError("not a 15-digit identity number")
    body = v[:6] + "19" + v[6:]
    return body + id_check_char(body)


@dataclass(frozen=True)
class IdCheck:
    """Outcome of checking one identity number; ``reason`` is a stable code when invalid."""

    valid: bool
    value: str
    reason: str | None = None
    gender: str | None = None  # "1" male, "2" female (GB/T 2261.1)
    birth_date: dt.date | None = None
    expected_check: str | None = None


def check_id_number(value: str, today: dt.date | None = None) -> IdCheck:
    """Check an 18-digit identity number: shape, province, calendar date, check char."""
    v = normalize(value)
    if len(v) != 18:
        return IdCheck(False, v, "length")
    if not _ID18.match(v):
        return IdCheck(False, v, "pattern")
    if v[:2] not in PROVINCES:
        return IdCheck(False, v, "province")
    try:
        born = dt.date(int(v[6:10]), int(v[10:12]), int(v[12:14]))
    except ValueError:
        return IdCheck(False, v, "birth_date")
    if born > (today or dt.date.today()):
        return IdCheck(False, v, "birth_date")
    expected = id_check_char(v[:17])
    if expected != v[17]:
        return IdCheck(False, v, "check_char", expected_check=expected)
    gender = "1" if int(v[16]) % 2 == 1 else "2"
    return IdCheck(True, v, None, gender=gender, birth_date=born)


def id_gender(value: str) -> str | None:
    """GB/T 2261.1 gender of a valid 18- or 15-digit number: ``"1"`` male, ``"2"`` female; else None."""
    v = normalize(value)
    if _ID15.match(v):
        v = upgrade_id15(v)
    result = check_id_number(v)
    return result.gender if result.valid else None


def id_birth_date(value: str) -> dt.date | None:
    """Birth date of a valid 18- or 15-digit number (a 15-digit one is read as 19YY); else None."""
    v = normalize(value)
    if _ID15.match(v):
        v = upgrade_id15(v)
    return check_id_number(v).birth_date
