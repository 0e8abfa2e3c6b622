"""Organization codes, GB 11714-1997: 8 body characters and a check character, printed ``XXXXXXXX-X``.

Pure functions; raise nothing (an invalid code gives ``OrgCodeCheck(valid=False, reason=...)``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from govdata.govern.standards.normalize import normalize_identifier

WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_ORG = re.compile(r"^([0-9A-Z]{8})-?([0-9X])$")


def org_check_char(body8: str) -> str:
    """The check char of an 8-char body: digits count as themselves, letters A=10 … Z=35."""
    total = sum(int(ch, 36) * w for ch, w in zip(body8.upper(), WEIGHTS, strict=True))
    c = 11 - total % 11
    return "X" if c == 10 else "0" if c == 11 else str(c)


@dataclass(frozen=True)
class OrgCodeCheck:
    valid: bool
    value: str  # normalised, without the hyphen
    reason: str | None = None  # "pattern" | "check_char"
    expected_check: str | None = None


def check_org_code(value: str) -> OrgCodeCheck:
    """Check a 9-char organization code, with or without the hyphen (``D2143569-X``, ``D2143569X``)."""
    v = normalize_identifier(value)
    m = _ORG.match(v)
    if m is None:
        return OrgCodeCheck(False, v.replace("-", ""), "pattern")
    body, check = m.groups()
    expected = org_check_char(body)
    if expected != check:
        return OrgCodeCheck(False, body + check, "check_char", expected_check=expected)
    return OrgCodeCheck(True, body + check)


def format_org_code(value: str) -> str:
    """The printed form ``XXXXXXXX-X`` of a 9-char code (normalised; not checked)."""
    v = normalize_identifier(value).replace("-", "")
    return f"{v[:8]}-{v[8:]}"
