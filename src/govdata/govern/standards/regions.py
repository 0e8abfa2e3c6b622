"""Administrative division codes, GB/T 2260: a small versioned code table shipped as data.

``data/regions.csv`` (code, name, level, parent, valid_from, valid_to) holds the 34 province-level
units, the demo city's real prefecture (杭州市 330100) with its current and abolished districts and
counties, and the codes used in STANDARDS.md test vectors. An empty ``valid_from`` means "in force
before this table's baseline"; an empty ``valid_to`` means "still in force". The dates of changes are
the announced dates as far as known (unverified, day precision may be off); old codes stay in the
table because identity numbers keep them. Lookups raise nothing: an unknown code gives ``None``.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from functools import cache
from importlib import resources

LEVELS = ("province", "prefecture", "county")


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    level: str  # one of LEVELS
    parent: str | None
    valid_from: dt.date | None
    valid_to: dt.date | None

    def in_force(self, on: dt.date | None = None) -> bool:
        """True when the code was in force on ``on`` (default today)."""
        day = on or dt.date.today()
        if self.valid_from is not None and day < self.valid_from:
            return False
        return self.valid_to is None or day < self.valid_to


def _date(text: str) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


@cache
def regions() -> dict[str, Region]:
    """The whole table, code → Region (read once from the packaged CSV)."""
    path = resources.files("govdata.govern.standards").joinpath("data/regions.csv")
    with path.open(encoding="utf-8", newline="") as fh:
        return {
            row["code"]: Region(
                code=row["code"],
                name=row["name"],
                level=row["level"],
                parent=row["parent"] or None,
                valid_from=_date(row["valid_from"]),
                valid_to=_date(row["valid_to"]),
            )
            for row in csv.DictReader(fh)
        }


def region(code: str) -> Region | None:
    """The region with this 6-digit code, or None when the table does not hold it."""
    return regions().get(code.strip())


def is_known(code: str) -> bool:
    """True when the code is in the table (current or abolished)."""
    return region(code) is not None


def level(code: str) -> str | None:
    """``province`` / ``prefecture`` / ``county``: from the table, else from the code's shape."""
    known = region(code)
    if known is not None:
        return known.level
    c = code.strip()
    if len(c) != 6 or not c.isdigit():
        return None
    if c.endswith("0000"):
        return "province"
    if c.endswith("00"):
        return "prefecture"
    return "county"


def parent_code(code: str) -> str | None:
    """The parent's code: from the table, else by structure (CC ``90`` hangs under the province)."""
    known = region(code)
    if known is not None:
        return known.parent
    c = code.strip()
    kind = level(c)
    if kind is None or kind == "province":
        return None
    if kind == "prefecture" or c[2:4] == "90":
        return c[:2] + "0000"
    return c[:4] + "00"
