"""Mainland mobile numbers: the practical pattern of STANDARDS.md §3 (``^(?:\\+?86)?1[3-9]\\d{9}$``).

Pure functions; raise nothing.
"""

from __future__ import annotations

import re

from govdata.govern.standards.normalize import halfwidth

MOBILE_PATTERN = r"^(?:\+?86)?1[3-9][0-9]{9}$"
_MOBILE = re.compile(MOBILE_PATTERN)


def normalize_phone(value: str) -> str:
    """Half-width, with spaces and hyphens removed (``138 1234-5678`` → ``13812345678``)."""
    return re.sub(r"[\s-]", "", halfwidth(value))


def check_mobile(value: str) -> bool:
    """True for a mobile number, optionally with the ``86``/``+86`` prefix."""
    return bool(_MOBILE.match(normalize_phone(value)))


def national_mobile(value: str) -> str | None:
    """The 11-digit national form of a valid mobile number, else None."""
    v = normalize_phone(value)
    return v[-11:] if _MOBILE.match(v) else None
