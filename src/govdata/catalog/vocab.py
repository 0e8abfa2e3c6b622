"""Parsing of catalog vocabulary: enum values, or their Chinese/English labels from the i18n catalog."""

from __future__ import annotations

from enum import StrEnum
from typing import TypeVar

from govdata.errors import InvalidInput
from govdata.i18n import text

E = TypeVar("E", bound=StrEnum)


def label(kind: str, value: str, lang: str = "zh") -> str:
    return text(f"catalog.{kind}.{value}", lang)


def parse(enum: type[E], kind: str, value: str, field: str) -> E:
    """``value`` as an enum member; accepts the value itself or its zh/en label."""
    wanted = value.strip()
    for member in enum:
        if wanted in (member.value, label(kind, member.value, "zh"), label(kind, member.value, "en")):
            return member
    known = "、".join(label(kind, m.value) for m in enum)
    raise InvalidInput("catalog.bad_value", field=field, value=value, known=known)
