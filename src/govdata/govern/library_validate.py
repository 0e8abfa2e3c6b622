"""Checks of what a bureau saves into the standards library, every problem named field by field.

``check_code_table`` and ``check_element`` return the cleaned values and a list of ``InvalidInput``
problems (each with a ``field`` parameter naming the form field, and a bilingual message and hint);
the service refuses the save with all of them. Codes: ``govern.library.required``,
``too_long``, ``bad_identifier``, ``bad_table_code``, ``no_values``, ``empty_code``, ``empty_label``,
``duplicate_code`` (names the code and both rows), ``synonym_conflict``, ``unknown_data_type``,
``bad_format``, ``format_type_mismatch``, ``length_mismatch``, ``unknown_code_table``,
``unknown_normalizer``, ``unknown_rule``, ``needs_code_table``, ``needs_format``, ``alias_conflict``
and ``name_taken``. Raises nothing itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from govdata.errors import InvalidInput
from govdata.govern.library_format import FormatSpec, parse_format
from govdata.govern.library_schemas import CodeTableFields, ElementFields
from govdata.govern.models import CodeTable, DataElement
from govdata.govern.standards.normalize import halfwidth
from govdata.govern.standards.normalizers import NORMALIZERS, normalizer_names

# The catalog's type words (catalog items use the same), with English spellings accepted.
DATA_TYPES: dict[str, str] = {
    "字符": "字符",
    "数值": "数值",
    "日期": "日期",
    "日期时间": "日期时间",
    "时间": "时间",
    "布尔": "布尔",
    "二进制": "二进制",
    "string": "字符",
    "number": "数值",
    "date": "日期",
    "datetime": "日期时间",
    "time": "时间",
    "boolean": "布尔",
    "binary": "二进制",
}
IDENTIFIER = re.compile(r"[A-Za-z][A-Za-z0-9_.-]{1,63}")
# A code table's code goes into URLs as a path: no leading/trailing slash or space, no control chars.
TABLE_CODE = re.compile(r"[^/\s\x00-\x1f](?:[^\x00-\x1f]{0,62}[^/\s\x00-\x1f])?")
LIMITS = {"name": 200, "code": 32, "label": 200, "alias": 64, "standard": 200, "synonym": 64}


@dataclass
class Checked:
    """Cleaned values to store, and every problem found."""

    values: dict[str, Any] = field(default_factory=dict)
    problems: list[InvalidInput] = field(default_factory=list)


def fold(value: str) -> str:
    """The form names, aliases and synonyms are compared in: half-width, trimmed, lower-case."""
    return halfwidth(value).strip().casefold()


def _clean_list(raw: Iterable[str], keep_out: set[str] = frozenset()) -> list[str]:  # type: ignore[assignment]
    """Trimmed, half-width, first spelling of each case-insensitive duplicate, blanks dropped."""
    seen, out = set(keep_out), []
    for item in raw:
        text = halfwidth(item).strip()
        if text and fold(text) not in seen:
            seen.add(fold(text))
            out.append(text)
    return out


def _text(checked: Checked, name: str, raw: str | None, *, required: bool, limit: int) -> str | None:
    text = (raw or "").strip()
    if not text:
        if required:
            checked.problems.append(InvalidInput("govern.library.required", field=name))
        return None
    if len(text) > limit:
        checked.problems.append(InvalidInput("govern.library.too_long", field=name, max=limit))
    return text


def check_table_code(code: str) -> InvalidInput | None:
    text = code.strip()
    if not text:
        return InvalidInput("govern.library.required", field="code")
    if not TABLE_CODE.fullmatch(text) or text.endswith("/history") or text.endswith("/edit"):
        return InvalidInput("govern.library.bad_table_code", field="code", code=code)
    return None


def check_identifier(identifier: str) -> InvalidInput | None:
    text = identifier.strip()
    if not text:
        return InvalidInput("govern.library.required", field="identifier")
    if not IDENTIFIER.fullmatch(text):
        return InvalidInput("govern.library.bad_identifier", field="identifier", identifier=identifier)
    return None


def check_code_table(data: CodeTableFields) -> Checked:
    """Name and values of a code table: codes present, unique, labelled; synonyms unambiguous."""
    checked = Checked()
    checked.values["name"] = _text(checked, "name", data.name, required=True, limit=LIMITS["name"])
    if not data.values:
        checked.problems.append(InvalidInput("govern.library.no_values", field="values"))
    first_row: dict[str, int] = {}  # code → its row (1-based)
    meaning: dict[str, tuple[str, int]] = {}  # folded code or synonym → (code, row)
    values = []
    for row, value in enumerate(data.values, start=1):
        code, label = halfwidth(value.code).strip(), value.label.strip()
        if not code:
            checked.problems.append(InvalidInput("govern.library.empty_code", field="values", row=row))
        elif len(code) > LIMITS["code"]:
            checked.problems.append(
                InvalidInput("govern.library.too_long", field=f"values.{row}.code", max=32)
            )
        if not label:
            checked.problems.append(InvalidInput("govern.library.empty_label", field="values", row=row))
        elif len(label) > LIMITS["label"]:
            checked.problems.append(
                InvalidInput("govern.library.too_long", field=f"values.{row}.label", max=200)
            )
        if code and code in first_row:
            checked.problems.append(
                InvalidInput(
                    "govern.library.duplicate_code",
                    field="values",
                    code=code,
                    first_row=first_row[code],
                    second_row=row,
                )
            )
            continue
        if code:
            first_row[code] = row
        synonyms = _clean_list(value.synonyms, keep_out={fold(code)})
        for spelling in [code, *synonyms]:
            key = fold(spelling)
            other = meaning.get(key)
            if other is not None and other[0] != code:
                checked.problems.append(
                    InvalidInput(
                        "govern.library.synonym_conflict",
                        field="values",
                        synonym=spelling,
                        code=code,
                        row=row,
                        other=other[0],
                        other_row=other[1],
                    )
                )
            elif spelling:
                meaning[key] = (code, row)
        values.append({"code": code, "label": label, "synonyms": synonyms})
    checked.values["values"] = values
    return checked


def _check_format(checked: Checked, raw: str | None, data_type: str | None) -> FormatSpec | None:
    text = (raw or "").strip()
    if not text:
        checked.values["format"] = None
        return None
    try:
        spec = parse_format(text)
    except InvalidInput as exc:
        checked.problems.append(exc)
        return None
    checked.values["format"] = str(spec)
    ok = {
        "数值": spec.kind == "n" and not spec.template,
        "日期": spec.is_date and not spec.has_time,
        "日期时间": spec.is_date and spec.has_time,
        "时间": bool(spec.template) and spec.has_time and not spec.is_date,
    }.get(data_type or "", not spec.template)
    if data_type and not ok:
        checked.problems.append(
            InvalidInput(
                "govern.library.format_type_mismatch", field="format", format=str(spec), data_type=data_type
            )
        )
    return spec


def check_element(session: Session, data: ElementFields, identifier: str, self_id: int | None) -> Checked:
    """Every field of an element; aliases and the name must not belong to another element."""
    from govdata.govern.quality.rules import RULES

    checked = Checked()
    name = _text(checked, "name", data.name, required=True, limit=LIMITS["name"])
    checked.values["name"] = name
    data_type = DATA_TYPES.get((data.data_type or "").strip().lower()) or DATA_TYPES.get(
        data.data_type.strip()
    )
    if data_type is None:
        known = "、".join(k for k, v in DATA_TYPES.items() if k == v)
        checked.problems.append(
            InvalidInput(
                "govern.library.unknown_data_type", field="data_type", value=data.data_type, known=known
            )
        )
    checked.values["data_type"] = data_type
    spec = _check_format(checked, data.format, data_type)
    length = data.length
    if spec is not None and length is None:
        length = spec.max_length
    elif spec is not None and length != spec.max_length:
        checked.problems.append(
            InvalidInput("govern.library.length_mismatch", field="length", length=length, format=str(spec))
        )
    elif length is not None and length < 1:
        checked.problems.append(
            InvalidInput("govern.library.length_mismatch", field="length", length=length, format="-")
        )
    checked.values["length"] = length
    for key in ("standard", "description"):
        limit = LIMITS.get(key, 4000)
        checked.values[key] = _text(checked, key, getattr(data, key), required=False, limit=limit)

    table_code = (data.code_table or "").strip() or None
    table = None
    if table_code is not None:
        table = session.execute(select(CodeTable).where(CodeTable.code == table_code)).scalar_one_or_none()
        if table is None:
            checked.problems.append(
                InvalidInput("govern.library.unknown_code_table", field="code_table", code=table_code)
            )
    checked.values["code_table"] = table

    normalizer = (data.normalizer or "").strip() or None
    if normalizer is not None and normalizer not in NORMALIZERS:
        checked.problems.append(
            InvalidInput(
                "govern.library.unknown_normalizer",
                field="normalizer",
                name=normalizer,
                known=", ".join(normalizer_names()),
            )
        )
    elif normalizer is not None and NORMALIZERS[normalizer].needs_code_table and table_code is None:
        checked.problems.append(
            InvalidInput("govern.library.needs_code_table", field="code_table", what=normalizer)
        )
    checked.values["normalizer"] = normalizer

    rules = _clean_list(data.rules)
    known_rules = RULES.names()
    for rule in rules:
        if rule not in known_rules:
            checked.problems.append(
                InvalidInput(
                    "govern.library.unknown_rule", field="rules", name=rule, known=", ".join(known_rules)
                )
            )
        elif rule == "code_set" and table_code is None:
            checked.problems.append(
                InvalidInput("govern.library.needs_code_table", field="code_table", what=rule)
            )
        elif rule == "pattern" and not (data.format or "").strip():
            checked.problems.append(InvalidInput("govern.library.needs_format", field="format", rule=rule))
    checked.values["rules"] = rules

    aliases = _clean_list(data.aliases, keep_out={fold(name)} if name else set())
    for alias in aliases:
        if len(alias) > LIMITS["alias"]:
            checked.problems.append(
                InvalidInput("govern.library.too_long", field="aliases", max=LIMITS["alias"])
            )
    checked.values["aliases"] = aliases
    _check_taken(session, checked, identifier, self_id, name, aliases)
    return checked


def _check_taken(
    session: Session,
    checked: Checked,
    identifier: str,
    self_id: int | None,
    name: str | None,
    aliases: list[str],
) -> None:
    """The element's name and aliases must not be another element's name or alias: a column name
    has to lead to one element (``element_for_column``)."""
    owners: dict[str, str] = {}
    rows = session.execute(
        select(DataElement.id, DataElement.identifier, DataElement.name, DataElement.aliases)
    )
    for row in rows:
        if row.id == self_id:
            continue
        for spelling in [row.name, *(row.aliases or [])]:
            owners.setdefault(fold(spelling), row.identifier)
    if name and fold(name) in owners:
        checked.problems.append(
            InvalidInput("govern.library.name_taken", field="name", name=name, other=owners[fold(name)])
        )
    for alias in aliases:
        other = owners.get(fold(alias))
        if other is not None:
            checked.problems.append(
                InvalidInput(
                    "govern.library.alias_conflict",
                    field="aliases",
                    alias=alias,
                    element=identifier,
                    other=other,
                )
            )
