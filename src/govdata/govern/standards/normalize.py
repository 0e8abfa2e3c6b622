"""Normalisation of identifier text before any check: full-width → half-width, trim, upper-case.

Owns the one translation table used by every identifier check (STANDARDS.md: "normalise identifiers
first"). Raises nothing.
"""

from __future__ import annotations

# Full-width ASCII block U+FF01..U+FF5E maps onto U+0021..U+007E; U+3000 is the ideographic space.
_HALFWIDTH = str.maketrans({chr(cp): chr(cp - 0xFEE0) for cp in range(0xFF01, 0xFF5F)} | {"\u3000": " "})


def halfwidth(value: str) -> str:
    """Full-width digits, letters, punctuation and the ideographic space → their ASCII forms."""
    return value.translate(_HALFWIDTH)


def normalize_identifier(value: str) -> str:
    """Half-width, trimmed, upper-cased: the form every identifier check works on."""
    return halfwidth(value).strip().upper()
