"""Planted data-quality defects: their rates, how each kind alters a value, and the log of keys.

Each kind is planted in ``round(rate × rows)`` distinct rows of a table (per generation chunk), and
every altered row's key goes into the ``DefectLog`` so a quality engine can be checked to find
exactly those rows. Raises nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence

from govdata.demo.manifest import Defect, Key
from govdata.demo.vocab import TRADITIONAL
from govdata.govern.standards.idnumber import CHECK_CHARS

RATES: dict[str, float] = {
    "bad_checksum": 0.005,  # last char of an ID number / credit code wrong
    "duplicate": 0.003,  # same person registered twice under another row key
    "null": 0.01,  # required field empty (or, in JSON, the key missing)
    "id15": 0.005,  # old 15-digit ID number never upgraded
    "date_format": 0.02,  # 1990年3月5日 / 19900305 / 1990/3/5 instead of the column's format
    "gender_format": 0.02,  # 男/女 or M/F instead of 1/2 (or the other way round)
    "spelling": 0.01,  # the same person's name written differently in another department
    "birth_mismatch": 0.005,  # a real birth date, in the column's format, but not the ID number's
    "gender_mismatch": 0.005,  # a valid gender code, but not the one the ID number's parity says
    "dangling": 0.01,  # a legal representative with a valid ID number the household registry lacks
}

DATE_FORMATS = ("cn", "compact", "slash", "iso")


def count(kind: str, rows: int) -> int:
    """How many rows of ``rows`` get defect ``kind``."""
    return round(RATES[kind] * rows)


def pick(rng: random.Random, pool: Sequence[int], sizes: dict[str, int]) -> dict[str, list[int]]:
    """Disjoint random index sets of the given sizes from ``pool`` (each sorted)."""
    total = min(sum(sizes.values()), len(pool))
    drawn = rng.sample(list(pool), total)
    result: dict[str, list[int]] = {}
    start = 0
    for kind, size in sizes.items():
        result[kind] = sorted(drawn[start : start + size])
        start += size
    return result


def format_date(day: dt.date, style: str) -> str:
    if style == "cn":
        return f"{day.year}年{day.month}月{day.day}日"
    if style == "compact":
        return day.strftime("%Y%m%d")
    if style == "slash":
        return f"{day.year}/{day.month}/{day.day}"
    return day.isoformat()


def other_date_format(rng: random.Random, day: dt.date, canonical: str) -> str:
    return format_date(day, rng.choice([s for s in DATE_FORMATS if s != canonical]))


def other_day(rng: random.Random, day: dt.date, latest: dt.date) -> dt.date:
    """Another real date up to about a year from ``day`` (a typo, a clerk's guess), never after ``latest``."""
    delta = dt.timedelta(days=rng.randint(1, 400))
    return day + delta if rng.random() < 0.5 and day + delta <= latest else day - delta


def wrong_check_char(rng: random.Random, value: str, alphabet: str = CHECK_CHARS) -> str:
    """``value`` with its last character replaced by a different one from ``alphabet``."""
    return value[:-1] + rng.choice([c for c in alphabet if c != value[-1]])


GENDER_STYLES = {"code": ("1", "2"), "zh": ("男", "女"), "en": ("M", "F")}


def other_gender(rng: random.Random, male: bool, canonical: str) -> str:
    """The gender written in a style other than the column's ``canonical`` one (see GENDER_STYLES)."""
    style = rng.choice([s for s in GENDER_STYLES if s != canonical])
    return GENDER_STYLES[style][0 if male else 1]


def misspell(rng: random.Random, name: str, surname_len: int) -> str:
    """The same name as another clerk typed it: a (full-width) space, or traditional characters."""
    traditional = "".join(TRADITIONAL.get(ch, ch) for ch in name)
    options = [" ", "\u3000"] + (["trad"] if traditional != name else [])
    choice = rng.choice(options)
    if choice == "trad":
        return traditional
    return name[:surname_len] + choice + name[surname_len:]


class DefectLog:
    """Collects planted defects, one ``Defect`` per (table, column, kind)."""

    def __init__(self) -> None:
        self._defects: dict[tuple[str, str, str], Defect] = {}

    def add(
        self,
        table: str,
        column: str,
        kind: str,
        keys: Sequence[Key],
        ref_table: str | None = None,
        ref_column: str | None = None,
        ref_keys: Sequence[Key] | None = None,
    ) -> None:
        defect = self._defects.setdefault(
            (table, column, kind),
            Defect(
                table,
                column,
                kind,
                [],
                ref_table,
                ref_column,
                [] if ref_keys is not None else None,
            ),
        )
        defect.keys.extend(keys)
        if ref_keys is not None and defect.ref_keys is not None:
            defect.ref_keys.extend(ref_keys)

    def defects(self) -> list[Defect]:
        return list(self._defects.values())
