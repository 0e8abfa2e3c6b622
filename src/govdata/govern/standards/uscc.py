"""Unified social credit codes, GB 32100-2015, with the embedded GB 11714 organization code."""

from __future__ import annotations

import re
from dataclasses import dataclass

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_USCC = re.compile(rf"^[{ALPHABET}]{{18}}$")


def uscc_check_char(first17: str) -> str:
    total = sum(ALPHABET.index(c) * w for c, w in zip(first17, WEIGHTS, strict=True))
    c = 31 - total % 31
    return ALPHABET[0 if c == 31 else c]


def org_check_char(body8: str) -> str:
    """GB 11714 check char for the 8-char body of an organization code."""
    total = sum(int(ch, 36) * w for ch, w in zip(body8, ORG_WEIGHTS, strict=True))
    c = 11 - total % 11
    return "X" if c == 10 else "0" if c == 11 else str(c)


@dataclass(frozen=True)
class UsccCheck:
    valid: bool
    value: str
    reason: str | None = None
    warning: str | None = None
    expected_check: str | None = None


def check_uscc(value: str) -> UsccCheck:
    """Hard-fail on shape and the pos-18 check; warn when the embedded org-code check fails."""
    v = value.strip().upper()
    if len(v) != 18:
        return UsccCheck(False, v, "length")
    if not _USCC.match(v):
        return UsccCheck(False, v, "alphabet")
    expected = uscc_check_char(v[:17])
    if expected != v[17]:
        return UsccCheck(False, v, "check_char", expected_check=expected)
    warning = None
    body = v[8:16]
    if body.isalnum() and org_check_char(body) != v[16]:
        warning = "org_code_check"
    return UsccCheck(True, v, None, warning=warning)
