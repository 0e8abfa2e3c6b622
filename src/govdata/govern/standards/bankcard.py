"""Bank card numbers: the Luhn check (ISO/IEC 7812) over 16–19 digits.

A failed check is a *warning* by convention (STANDARDS.md §3). Pure functions; raise nothing.
"""

from __future__ import annotations

import re

from govdata.govern.standards.normalize import halfwidth

_CARD = re.compile(r"^[0-9]{16,19}$")


def normalize_card(value: str) -> str:
    """Half-width digits with spaces and hyphens removed (cards are often printed in groups of 4)."""
    return re.sub(r"[\s-]", "", halfwidth(value))


def luhn_valid(digits: str) -> bool:
    """True when the digit string passes Luhn (from the right, double every second digit)."""
    if not digits.isdigit():
        return False
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def luhn_check_digit(partial: str) -> str:
    """The digit to append to ``partial`` so that the whole passes Luhn."""
    for d in "0123456789":
        if luhn_valid(partial + d):
            return d
    raise AssertionError("unreachable: one of ten digits always completes a Luhn sum")


def check_bank_card(value: str) -> bool:
    """16–19 digits (after normalising) that pass Luhn."""
    v = normalize_card(value)
    return bool(_CARD.match(v)) and luhn_valid(v)
