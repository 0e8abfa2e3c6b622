"""Which data element (数据元) of the standards library a source column probably holds.

``ElementIndex.load`` reads the library once; ``match`` compares a column name (case-insensitive,
trimmed) with each element's identifier, name and aliases — an exact match first, else the longest
alias of at least four characters the name ends with (``fddbrsfzh`` → the ``sfzh`` element is too
short to guess; ``男方身份证号`` ends with the alias ``身份证号``). ``masking`` names the masking rule a
bound identity or phone element calls for. A suggestion only: the officer confirms it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

SUFFIX_MIN = 4
# masking rule ← what marks an element as an identity number or a phone number: its quality
# rules or normaliser, or one of these aliases
_IDENTITY = ("id_number", frozenset({"sfzh", "gmsfhm", "id_number", "id_card", "idcard"}))
_PHONE = ("mobile", frozenset({"sjhm", "lxdh", "phone", "mobile", "mobile_phone"}))
_RULE_MASKS = {"id_number": "id_number", "phone": "mobile", "mobile": "mobile"}


def _key(name: str) -> str:
    return name.strip().lower()


@dataclass
class ElementIndex:
    exact: dict[str, Any] = field(default_factory=dict)
    suffixes: list[tuple[str, Any]] = field(default_factory=list)  # longest first

    @classmethod
    def load(cls, session: Session) -> ElementIndex:
        from govdata.govern.models import DataElement  # govern imports the catalog: import late

        index = cls()
        for el in session.execute(select(DataElement).order_by(DataElement.identifier)).scalars():
            for name in [el.identifier, el.name, *(el.aliases or [])]:
                key = _key(str(name))
                if key:
                    index.exact.setdefault(key, el)
                    if len(key) >= SUFFIX_MIN:
                        index.suffixes.append((key, el))
        index.suffixes.sort(key=lambda pair: -len(pair[0]))
        return index

    def match(self, column: str) -> Any | None:
        key = _key(column)
        if key in self.exact:
            return self.exact[key]
        return next((el for alias, el in self.suffixes if key.endswith(alias)), None)

    @staticmethod
    def masking(element: Any) -> str | None:
        """``id_number`` / ``mobile`` for identity and phone elements, else ``None``."""
        marks = {str(r) for r in (element.rules or [])} | {str(element.normalizer or "")}
        for mark, mask in _RULE_MASKS.items():
            if mark in marks:
                return mask
        aliases = {_key(str(a)) for a in [element.identifier, *(element.aliases or [])]}
        for mask, known in (_IDENTITY, _PHONE):
            if aliases & known:
                return mask
        return None
