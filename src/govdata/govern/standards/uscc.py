"""Unified social credit codes, GB 32100-2015, with the embedded GB 11714 organization code."""

from __future__ import annotations

import re
from dataclasses import dataclass

from govdata.govern.standards.normalize import normalize_identifier
from govdata.govern.standards.orgcode import org_check_char

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
_USCC = re.compile(rf"^[{ALPHABET}]{{18}}$")


def uscc_check_char(first17: str) -> str:
    """The pos-18 check char: 31 − (Σ value·3^(i−1) mod 31), 31 → 0."""
    total = sum(ALPHABET.index(c) * w for c, w in zip(first17, WEIGHTS, strict=True))
    c = 31 - total % 31
    return ALPHABET[0 if c == 31 else c]


@dataclass(frozen=True)
class UsccCheck:
    valid: bool
    value: str
    reason: str | None = None
    warning: str | None = None
    expected_check: str | None = None


def check_uscc(value: str) -> UsccCheck:
    """Hard-fail on shape and the pos-18 check; warn when the embedded org-code check fails."""
    v = normalize_identifier(value)
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
