"""Format specs of data elements (数据元表示格式): ``c18``, ``n8``, ``an..20``, ``n12,2``, ``n8(YYYYMMDD)``.

Grammar: a character class — ``a`` letters, ``n`` digits, ``an`` letters and digits, ``c`` any
characters (Chinese included) — then the length: ``18`` exactly, ``..50`` up to 50, ``2..50`` from 2
to 50. Digits may carry decimals after a comma (``n12,2``: 12 digits, 2 after the point). A fixed
length may name a date/time template in parentheses (``n8(YYYYMMDD)``, ``c19(YYYY-MM-DD hh:mm:ss)``);
a template alone (``YYYYMMDD``) stands for its fixed length. ``FormatSpec.pattern()`` is the regular
expression values must match (the ``pattern`` quality rule of an element uses it).

``parse_format`` raises ``InvalidInput("govern.library.bad_format")`` naming the spec; nothing else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from govdata.errors import InvalidInput

CLASSES = {"a": "[A-Za-z]", "n": "[0-9]", "an": "[A-Za-z0-9]", "c": "."}
# Template pieces and the regular expression each stands for; other characters stand for themselves.
_PIECES = {
    "YYYY": "[0-9]{4}",
    "MM": "(?:0[1-9]|1[0-2])",
    "DD": "(?:0[1-9]|[12][0-9]|3[01])",
    "hh": "(?:[01][0-9]|2[0-3])",
    "mm": "[0-5][0-9]",
    "ss": "[0-5][0-9]",
}
_PIECE = re.compile("|".join(_PIECES))
_TEMPLATE = re.compile(r"(?:YYYY|MM|DD|hh|mm|ss|[-/: .T年月日时分秒])+")
_SPEC = re.compile(
    r"(?P<cls>an|a|n|c)(?:(?P<min>[0-9]+)?(?P<dots>\.\.))?(?P<max>[0-9]+)(?:,(?P<scale>[0-9]+))?"
    r"(?:\((?P<template>[^()]+)\))?"
)
_DIGITS_ONLY = re.compile(r"[YMDhms]+")  # a template written with digits alone (no separators)
_META = set(".^$*+?()[]{}|\\")
MAX_LENGTH = 4000


@dataclass(frozen=True)
class FormatSpec:
    """A parsed format: class, length bounds, decimals (``n`` only), optional date/time template."""

    kind: str
    min_length: int
    max_length: int
    scale: int | None = None
    template: str | None = None
    fixed: bool = True

    def __str__(self) -> str:
        if self.fixed:
            length = str(self.max_length)
        elif self.min_length > 0:
            length = f"{self.min_length}..{self.max_length}"
        else:
            length = f"..{self.max_length}"
        scale = f",{self.scale}" if self.scale is not None else ""
        template = f"({self.template})" if self.template else ""
        return f"{self.kind}{length}{scale}{template}"

    @property
    def is_date(self) -> bool:
        return bool(self.template) and "YYYY" in (self.template or "")

    @property
    def has_time(self) -> bool:
        return bool(self.template) and "hh" in (self.template or "")

    def pattern(self) -> str:
        """The anchored regular expression a value in this format matches."""
        if self.template:
            return "^" + _template_regex(self.template) + "$"
        if self.scale is not None:
            whole = self.max_length - self.scale
            integer = f"[0-9]{{1,{whole}}}" if whole > 0 else "0"
            return f"^-?{integer}(?:\\.[0-9]{{1,{self.scale}}})?$" if self.scale else f"^-?{integer}$"
        low = self.max_length if self.fixed else max(self.min_length, 1)
        count = f"{{{low}}}" if low == self.max_length else f"{{{low},{self.max_length}}}"
        return f"^{CLASSES[self.kind]}{count}$"


def _literal(text: str) -> str:
    """``text`` matched literally; only regex metacharacters escaped, so RE2 (DuckDB) reads it too."""
    return "".join("\\" + ch if ch in _META else ch for ch in text)


def _template_regex(template: str) -> str:
    out, pos = [], 0
    for found in _PIECE.finditer(template):
        out.append(_literal(template[pos : found.start()]))
        out.append(_PIECES[found.group()])
        pos = found.end()
    out.append(_literal(template[pos:]))
    return "".join(out)


def _bad(spec: str) -> InvalidInput:
    return InvalidInput("govern.library.bad_format", field="format", value=spec)


def parse_format(spec: str) -> FormatSpec:
    """Parse a format spec (see the module docstring); raises ``InvalidInput`` when it is not one."""
    text = spec.strip()
    if _TEMPLATE.fullmatch(text) and _PIECE.search(text):
        return FormatSpec("n" if _DIGITS_ONLY.fullmatch(text) else "c", len(text), len(text), template=text)
    found = _SPEC.fullmatch(text)
    if not found:
        raise _bad(spec)
    kind, template = found["cls"], found["template"]
    fixed = found["dots"] is None
    high = int(found["max"])
    low = high if fixed else int(found["min"] or 0)
    scale = int(found["scale"]) if found["scale"] is not None else None
    if high < 1 or high > MAX_LENGTH or low > high or (found["min"] is not None and low < 1):
        raise _bad(spec)
    if scale is not None and (kind != "n" or scale >= high):
        raise _bad(spec)
    if template is not None:
        ok = _TEMPLATE.fullmatch(template) and _PIECE.search(template)
        if not ok or not fixed or scale is not None or len(template) != high:
            raise _bad(spec)
        if kind == "n" and not _DIGITS_ONLY.fullmatch(template):  # digits only: no separators in the template
            raise _bad(spec)
    return FormatSpec(kind, low, high, scale, template, fixed)
