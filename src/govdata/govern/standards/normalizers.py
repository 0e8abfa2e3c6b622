"""Normalizers by name: the standard form a data element's values take in the std layer.

A data element of the standards library names one normalizer (``DataElement.normalizer``); binding a
column to the element brings it along. ``NORMALIZERS`` maps each stable name to a ``Normalizer``: a
pure function from one raw text value to its standard form, or ``None`` when the value cannot be put
into that form (the quality rules then say why). These are the reference semantics, tested with the
STANDARDS.md vectors; the raw → std step may compile them to SQL for DuckDB or Spark.

``code_table`` needs the element's code table (code → code, synonyms → code, see
``govern.library.code_lookup``). ``get_normalizer`` raises ``InvalidInput``
(``govern.library.unknown_normalizer``) listing the known names. Nothing else raises.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from govdata.errors import InvalidInput
from govdata.govern.standards.bankcard import normalize_card
from govdata.govern.standards.idnumber import upgrade_id15
from govdata.govern.standards.normalize import halfwidth, normalize_identifier
from govdata.govern.standards.orgcode import format_org_code
from govdata.govern.standards.phone import national_mobile

Codes = Mapping[str, str]


@dataclass(frozen=True)
class Normalizer:
    """``name`` is stable (stored on elements); ``label`` is an i18n key; ``needs_code_table`` says
    whether ``apply`` needs the element's code lookup."""

    name: str
    label: str
    apply: Callable[[str, Codes | None], str | None]
    needs_code_table: bool = False


def _trim(value: str, codes: Codes | None = None) -> str | None:
    text = halfwidth(value).strip()
    return text or None


def _identifier(value: str, codes: Codes | None = None) -> str | None:
    return normalize_identifier(value) or None


def _id_number_18(value: str, codes: Codes | None = None) -> str | None:
    """Half-width, trimmed, upper-case; a 15-digit number is upgraded to 18 (GB 11643-1989 → 1999)."""
    text = normalize_identifier(value)
    if re.fullmatch(r"[0-9]{15}", text):
        return upgrade_id15(text)
    return text or None


def _org_code(value: str, codes: Codes | None = None) -> str | None:
    """A 9-character organization code in its printed form ``XXXXXXXX-X``; other text as is."""
    text = normalize_identifier(value)
    if len(text.replace("-", "")) == 9:
        return format_org_code(text)
    return text or None


def _phone(value: str, codes: Codes | None = None) -> str | None:
    """A mainland mobile number as 11 digits (``+86``, spaces and dashes dropped); else trimmed text."""
    text = halfwidth(value).strip()
    return national_mobile(text) or (text or None)


def _bank_card(value: str, codes: Codes | None = None) -> str | None:
    return normalize_card(value) or None


_DATE_PATTERNS = (
    re.compile(r"(\d{4})(\d{2})(\d{2})"),
    re.compile(r"(\d{4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})(?:[ T].*)?"),
    re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?"),
)


def _date(value: str, codes: Codes | None = None) -> str | None:
    """A calendar date written as ``20230501``, ``2023-05-01``, ``2023/5/1``, ``2023.5.1`` or
    ``2023年5月1日`` → ``20230501``; None when it is not a real date."""
    text = halfwidth(value).strip()
    for pattern in _DATE_PATTERNS:
        found = pattern.fullmatch(text)
        if found:
            try:
                day = dt.date(int(found[1]), int(found[2]), int(found[3]))
            except ValueError:
                return None
            return day.strftime("%Y%m%d")
    return None


def _region_code(value: str, codes: Codes | None = None) -> str | None:
    """Six digits of a GB/T 2260 code; a 9- or 12-digit statistical code keeps its county part."""
    text = halfwidth(value).strip()
    if re.fullmatch(r"[0-9]{6}(?:[0-9]{3}){0,2}", text):
        return text[:6]
    return None


def _person_name(value: str, codes: Codes | None = None) -> str | None:
    """Half-width, spaces inside Chinese names removed (``张 三`` → ``张三``); Latin names keep one space."""
    text = " ".join(halfwidth(value).split())
    if not text:
        return None
    if re.search(r"[A-Za-z]", text):
        return text
    return text.replace(" ", "")


def _code_table(value: str, codes: Codes | None = None) -> str | None:
    """The code a value means in the element's code table: the code itself or one of its synonyms."""
    if codes is None:
        return None
    text = halfwidth(value).strip()
    return codes.get(text) or codes.get(text.lower())


NORMALIZERS: dict[str, Normalizer] = {
    n.name: n
    for n in (
        Normalizer("trim", "standards.normalizer.trim", _trim),
        Normalizer("identifier", "standards.normalizer.identifier", _identifier),
        Normalizer("id_number_18", "standards.normalizer.id_number_18", _id_number_18),
        Normalizer("uscc", "standards.normalizer.uscc", _identifier),
        Normalizer("org_code", "standards.normalizer.org_code", _org_code),
        Normalizer("phone", "standards.normalizer.phone", _phone),
        Normalizer("bank_card", "standards.normalizer.bank_card", _bank_card),
        Normalizer("date", "standards.normalizer.date", _date),
        Normalizer("region_code", "standards.normalizer.region_code", _region_code),
        Normalizer("person_name", "standards.normalizer.person_name", _person_name),
        Normalizer("code_table", "standards.normalizer.code_table", _code_table, needs_code_table=True),
    )
}


def normalizer_names() -> list[str]:
    return sorted(NORMALIZERS)


def get_normalizer(name: str) -> Normalizer:
    """The normalizer called ``name``; raises ``InvalidInput`` listing the known names."""
    try:
        return NORMALIZERS[name]
    except KeyError:
        raise InvalidInput(
            "govern.library.unknown_normalizer",
            field="normalizer",
            name=name,
            known=", ".join(normalizer_names()),
        ) from None


def normalize(name: str, value: str | None, codes: Codes | None = None) -> str | None:
    """``value`` in the standard form of normalizer ``name``; None for None or an unusable value."""
    if value is None:
        return None
    return get_normalizer(name).apply(value, codes)
