"""Import of a filled-in catalog workbook: every row checked, all resources filed or none.

Owns the row checks (required fields, lengths, vocabulary values, departments, duplicate codes in the
file and against the catalog, items without a resource, resources without items, duplicate columns and
序号, masking rule names, data type and length, 是/否 flags) and the report. Resources are filed as
drafts through ``create_resource`` (same validation, same audit) in the caller's transaction.

Raises ``InvalidInput`` for a file over 50 MB (``catalog_x.too_large``), a file that is not an xlsx
workbook (``catalog_x.not_workbook``) or a template of another version (``catalog_x.wrong_template``);
``ImportRejected`` (an ``InvalidInput``) listing every bad row; ``PermissionDenied`` without
``catalog.write``.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any
from xml.parsers import expat

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException
from pydantic import BaseModel, ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from govdata.catalog.entry import Problem, entry_problems, file_entries, known_for
from govdata.catalog.excel_layout import (
    DATA_TYPES,
    DIGITS,
    FIRST_DATA_ROW,
    ITEM_COLUMNS,
    MARKER,
    MAX_BYTES,
    MAX_LENGTH,
    MAX_SHEET_ROWS,
    META_SHEET,
    NO,
    RESOURCE_COLUMNS,
    TEMPLATE_VERSION,
    VOCAB,
    YES,
    Column,
    header,
    item_sheet_name,
    sheet_and_row,
    sheet_name,
)
from govdata.catalog.models import MatterKind, Resource, ShareType
from govdata.catalog.schemas import ItemIn, ResourceIn
from govdata.catalog.vocab import parse
from govdata.errors import GovdataError, InvalidInput
from govdata.i18n import text
from govdata.security.actor import Actor
from govdata.security.audit import AuditLog
from govdata.security.masking import MASKERS
from govdata.security.models import Department
from govdata.security.roles import Permission


class ImportRowError(BaseModel):
    """One bad cell: where it is (sheet, Excel row, column header) and what is wrong, in zh and en."""

    sheet: str
    row: int
    column: str
    code: str
    message_zh: str
    message_en: str


class ImportReport(BaseModel):
    filename: str
    resources: int
    items: int
    codes: list[str]


class ImportRejected(InvalidInput):
    """Nothing imported: ``errors`` lists every bad row (also in ``params["errors"]`` for the API)."""

    def __init__(self, filename: str, errors: list[ImportRowError]) -> None:
        self.errors = errors
        dumped = [e.model_dump() for e in errors]
        super().__init__("catalog_x.rejected", filename=filename, count=len(errors), errors=dumped)


# --- reading ------------------------------------------------------------------------------------


class _Errors:
    def __init__(self) -> None:
        self.items: list[ImportRowError] = []

    def add(self, sheet: str, row: int, column: str, code: str, **params: Any) -> None:
        name, row = sheet_and_row(sheet, row)
        self.items.append(
            ImportRowError(
                sheet=name,
                row=row,
                column=header(column),
                code=code,
                message_zh=text(code, "zh", column=header(column, "zh"), **params),
                message_en=text(code, "en", column=header(column, "en"), **params),
            )
        )

    def problem(self, sheet: str, row: int, column: str, found: Problem) -> None:
        """A broken entry rule (``catalog.entry``) reported at its cell."""
        error = found.error()
        name, row = sheet_and_row(sheet, row)
        self.items.append(
            ImportRowError(
                sheet=name,
                row=row,
                column=header(column),
                code=found.code,
                message_zh=error.message("zh"),
                message_en=error.message("en"),
            )
        )


def _cell(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool):
        value = text("catalog_x.yes") if value else text("catalog_x.no")
    found = str(value).strip()
    return found or None


def _open(data: bytes, filename: str) -> Any:
    if len(data) > MAX_BYTES:
        raise InvalidInput("catalog_x.too_large", filename=filename, limit_mb=MAX_BYTES // (1024 * 1024))
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError, TypeError) as exc:
        raise InvalidInput("catalog_x.not_workbook", filename=filename) from exc
    found = "-"
    if META_SHEET in book.sheetnames:
        first = next(book[META_SHEET].iter_rows(min_row=1, max_row=1, values_only=True), ())
        if len(first) >= 2 and first[0] == MARKER:
            found = str(first[1])
    wanted = {sheet_name("resources"), sheet_name("items")}
    if found != TEMPLATE_VERSION or not wanted <= set(book.sheetnames):
        raise InvalidInput(
            "catalog_x.wrong_template", filename=filename, found=found, expected=TEMPLATE_VERSION
        )
    return book


def _column_index(ref: str) -> int:
    """1-based column of a cell reference like ``AB12``."""
    n = 0
    for ch in ref:
        if "A" <= ch <= "Z":
            n = n * 26 + ord(ch) - 64
        elif "a" <= ch <= "z":
            n = n * 26 + ord(ch) - 96
        else:
            break
    return n


class _SheetReader:
    """A streaming reader of one worksheet's XML (expat): (row number, {column: value}) per row.

    openpyxl's read-only reader takes about 20 s per 100k rows on the benchmark machine; this reads
    the cell values only (shared and inline strings, numbers, booleans, formula results), 4–5× faster.
    """

    def __init__(self, shared: list[str]) -> None:
        self.shared = shared
        self.rows: list[tuple[int, dict[int, Any]]] = []
        self.row: dict[int, Any] = {}
        self.number = self.col = 0
        self.kind = "n"
        self.parts: list[str] = []
        self.inside = False
        self.parser = expat.ParserCreate()
        self.parser.buffer_text = True
        self.parser.StartElementHandler = self._start
        self.parser.EndElementHandler = self._end
        self.parser.CharacterDataHandler = self._text

    def _start(self, name: str, attrs: dict[str, str]) -> None:
        name = name.rpartition(":")[2]
        if name == "row":
            self.number = int(attrs["r"]) if "r" in attrs else self.number + 1
            self.row, self.col = {}, 0
        elif name == "c":
            ref = attrs.get("r")
            self.col = _column_index(ref) if ref else self.col + 1
            self.kind, self.parts = attrs.get("t", "n"), []
        elif name in ("v", "t"):
            self.inside = True

    def _end(self, name: str) -> None:
        name = name.rpartition(":")[2]
        if name in ("v", "t"):
            self.inside = False
        elif name == "c":
            value = self._value("".join(self.parts))
            if value is not None:
                self.row[self.col] = value
        elif name == "row" and self.row:
            self.rows.append((self.number, self.row))

    def _text(self, data: str) -> None:
        if self.inside:
            self.parts.append(data)

    def _value(self, raw: str) -> Any:
        if self.kind == "inlineStr" or self.kind == "str":
            return raw
        if raw == "":
            return None
        if self.kind == "s":
            return self.shared[int(raw)]
        if self.kind == "b":
            return raw == "1"
        if self.kind == "n":
            try:
                return int(raw) if raw.lstrip("-").isdigit() else float(raw)
            except ValueError:
                return raw
        return raw

    def read(self, stream: IO[bytes]) -> Iterator[tuple[int, dict[int, Any]]]:
        while chunk := stream.read(1 << 20):
            self.parser.Parse(chunk, False)
            yield from self.rows
            self.rows.clear()
        self.parser.Parse(b"", True)
        yield from self.rows


def _rows(book: Any, key: str, columns: tuple[Column, ...]) -> Iterator[tuple[int, dict[str, str | None]]]:
    """(row number, column key → trimmed text) of every non-empty data row; items continue on
    信息项(2) … with rows numbered across the sheets (``excel_layout.sheet_and_row``)."""
    names = [sheet_name(key)]
    if key == "items":
        while item_sheet_name(len(names) + 1) in book.sheetnames:
            names.append(item_sheet_name(len(names) + 1))
    strings = list(book.shared_strings)
    for k, name in enumerate(names):
        ws = book[name]
        # openpyxl opened the file and parsed the shared strings; the sheet's XML is streamed here
        reader = _SheetReader(strings)
        with book._archive.open(ws._worksheet_path) as stream:  # noqa: SLF001 - see _SheetReader
            for number, values in reader.read(stream):
                if number < FIRST_DATA_ROW:
                    continue
                cells = [_cell(values.get(i)) for i in range(1, len(columns) + 1)]
                if any(cells):
                    yield k * MAX_SHEET_ROWS + number, {col.key: cells[i] for i, col in enumerate(columns)}


def _basic(
    sheet: str, number: int, row: dict[str, str | None], columns: tuple[Column, ...], errors: _Errors
) -> bool:
    """Required and too-long cells; True when the row passed."""
    ok = True
    for col in columns:
        value = row[col.key]
        if col.required and not value:
            errors.add(sheet, number, col.key, "catalog_x.row.required")
            ok = False
        elif value and col.limit and len(value) > col.limit:
            errors.add(sheet, number, col.key, "catalog_x.row.too_long", limit=col.limit)
            ok = False
    return ok


@dataclass
class _Draft:
    row: int
    fields: dict[str, Any]
    items: list[tuple[int | None, int, ItemIn]]  # (序号, Excel row, item)


_ITEM_FIELD_COLUMN = {"name": "item_name"}  # ItemIn field → template column key, where they differ


def _build(errors: _Errors, sheet: str, number: int, model: type[BaseModel], **fields: Any) -> Any:
    """``model(**fields)``; a validation failure becomes row errors (None returned)."""
    try:
        return model(**fields)
    except ValidationError as exc:
        for problem in exc.errors():
            where = str(problem["loc"][0]) if problem["loc"] else "code"
            column = _ITEM_FIELD_COLUMN.get(where, where) if model is ItemIn else where
            errors.add(sheet, number, column, "catalog_x.row.invalid", detail=problem["msg"])
        return None


def _existing_codes(session: Session, codes: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(codes), 500):
        chunk = codes[start : start + 500]
        found.update(session.execute(select(Resource.code).where(Resource.code.in_(chunk))).scalars())
    return found


_LIST = re.compile(r"[;；,，]")
_MATTERS = re.compile(r"[;；]")
_CODE_NAME = re.compile(r"[:：]")


def _split(value: str | None, separators: re.Pattern[str]) -> list[str]:
    return [part.strip() for part in separators.split(value or "") if part.strip()]


def _lists(errors: _Errors, number: int, row: dict[str, str | None], fields: dict[str, Any]) -> None:
    """The list cells as entry fields: matters and power-list items (code:name；…), tags, related codes."""
    matters = []
    for key, kind in (("matters", MatterKind.SERVICE), ("powers", MatterKind.POWER)):
        for part in _split(row[key], _MATTERS):
            code, *name = _CODE_NAME.split(part, maxsplit=1)
            if not code.strip() or not name or not name[0].strip():
                errors.add("resources", number, key, "catalog_x.row.bad_matter", value=part)
                continue
            matters.append({"code": code.strip(), "name": name[0].strip(), "kind": kind.value})
    fields.pop("powers", None)
    fields["matters"] = matters
    fields["tags"] = _split(row["tags"], _LIST)
    fields["related"] = _split(row["related"], _LIST)


def _check_resources(
    session: Session, actor: Actor, rows: Iterable[tuple[int, dict[str, str | None]]], errors: _Errors
) -> tuple[dict[str, _Draft], dict[str, int], dict[str, int]]:
    """Valid resource rows as drafts (code → draft), every code listed (code → first row), departments."""
    departments = {d.code: d.id for d in session.execute(select(Department)).scalars()}
    listed: dict[str, int] = {}
    checked: list[tuple[int, dict[str, Any]]] = []
    for number, row in rows:
        before = len(errors.items)
        code = row["code"]
        if code and code in listed:
            errors.add(
                "resources", number, "code", "catalog_x.row.duplicate_in_file", value=code, first=listed[code]
            )
            continue
        if code:
            listed[code] = number
        _basic("resources", number, row, RESOURCE_COLUMNS, errors)
        fields: dict[str, Any] = dict(row)
        for key, (kind, enum) in VOCAB.items():
            if row[key]:
                try:
                    fields[key] = parse(enum, kind, row[key] or "", header(key)).value
                except InvalidInput as exc:
                    known = exc.params.get("known", "")
                    errors.add(
                        "resources", number, key, "catalog_x.row.bad_value", value=row[key], known=known
                    )
        _lists(errors, number, row, fields)
        if fields["share_type"] == ShareType.CONDITIONAL.value and not row["share_condition"]:
            errors.add("resources", number, "share_condition", "catalog_x.row.no_condition")
        if fields["share_type"] == ShareType.NONE.value and not row["share_basis"]:
            errors.add("resources", number, "share_basis", "catalog_x.row.no_basis")
        dept = row["department"]
        if dept and dept not in departments:
            errors.add("resources", number, "department", "catalog_x.row.unknown_department", value=dept)
        elif dept:
            try:
                actor.require_department(departments[dept])
            except GovdataError:
                errors.add("resources", number, "department", "catalog_x.row.other_department", value=dept)
        if len(errors.items) == before:
            checked.append((number, fields))
    taken = _existing_codes(session, list(listed))
    drafts: dict[str, _Draft] = {}
    for number, fields in checked:
        if fields["code"] in taken:
            errors.add(
                "resources", number, "code", "catalog_x.row.duplicate_in_catalog", value=fields["code"]
            )
        else:
            drafts[fields["code"]] = _Draft(number, fields, [])
    for code in taken:
        if code in listed and code not in drafts and all(e.row != listed[code] for e in errors.items):
            errors.add("resources", listed[code], "code", "catalog_x.row.duplicate_in_catalog", value=code)
    return drafts, listed, departments


def _integer(errors: _Errors, number: int, key: str, value: str | None) -> int | None:
    if value is None:
        return None
    if DIGITS.match(value) and 1 <= int(value) <= MAX_LENGTH:
        return int(value)
    errors.add("items", number, key, "catalog_x.row.bad_integer", value=value, low=1, high=MAX_LENGTH)
    return None


def _flag(errors: _Errors, number: int, key: str, value: str | None) -> bool:
    if value is None or value.lower() in NO:
        return False
    if value.lower() in YES:
        return True
    known = f"{text('catalog_x.yes')}、{text('catalog_x.no')}"
    errors.add("items", number, key, "catalog_x.row.bad_value", value=value, known=known)
    return False


def _check_items(
    rows: Iterable[tuple[int, dict[str, str | None]]],
    listed: dict[str, int],
    drafts: dict[str, _Draft],
    errors: _Errors,
) -> set[str]:
    """Attach the valid item rows to their drafts; returns the codes any item row names."""
    maskers = set(MASKERS.names())
    named: set[str] = set()
    columns: dict[tuple[str, str], int] = {}
    positions: dict[tuple[str, int], int] = {}
    for number, row in rows:
        before = len(errors.items)
        _basic("items", number, row, ITEM_COLUMNS, errors)
        code = row["resource"] or ""
        if code:
            named.add(code)
            if code not in listed:
                errors.add("items", number, "resource", "catalog_x.row.missing_resource", value=code)
        position = _integer(errors, number, "position", row["position"])
        length = _integer(errors, number, "length", row["length"])
        data_type = row["data_type"]
        if data_type and data_type.lower() not in DATA_TYPES and data_type not in DATA_TYPES:
            known = "、".join(k for k, v in DATA_TYPES.items() if k == v)
            errors.add("items", number, "data_type", "catalog_x.row.bad_value", value=data_type, known=known)
        masking = row["masking"]
        if masking and masking not in maskers:
            known = ", ".join(sorted(maskers))
            errors.add("items", number, "masking", "catalog_x.row.bad_value", value=masking, known=known)
        sensitive = _flag(errors, number, "sensitive", row["sensitive"])
        required = _flag(errors, number, "required", row["required"])
        column = row["column"]
        if code and column:
            first = columns.setdefault((code, column), number)
            if first != number:
                errors.add(
                    "items",
                    number,
                    "column",
                    "catalog_x.row.duplicate_column",
                    value=column,
                    resource=code,
                    first=first,
                )
        if code and position is not None:
            first = positions.setdefault((code, position), number)
            if first != number:
                errors.add(
                    "items",
                    number,
                    "position",
                    "catalog_x.row.duplicate_position",
                    value=position,
                    resource=code,
                    first=first,
                )
        if len(errors.items) > before or code not in drafts:
            continue
        item = _build(
            errors,
            "items",
            number,
            ItemIn,
            column=column,
            name=row["item_name"],
            data_type=DATA_TYPES.get(data_type or "", DATA_TYPES.get((data_type or "").lower(), "")),
            length=length,
            masking=masking,
            sensitive=sensitive,
            required=required,
            element=row["element"],
        )
        if item is not None:
            drafts[code].items.append((position, number, item))
    return named


def import_workbook(
    session: Session, audit: AuditLog, actor: Actor, data: bytes, filename: str
) -> ImportReport:
    """Check every row of both sheets; file all resources as drafts, or none (``ImportRejected``)."""
    actor.require(Permission.CATALOG_WRITE)
    book = _open(data, filename)
    errors = _Errors()
    try:
        drafts, listed, departments = _check_resources(
            session, actor, _rows(book, "resources", RESOURCE_COLUMNS), errors
        )
        named = _check_items(_rows(book, "items", ITEM_COLUMNS), listed, drafts, errors)
    finally:
        book.close()
    for code, first in listed.items():
        if code not in named:
            errors.add("resources", first, "code", "catalog_x.row.no_items", value=code)
    inputs: list[tuple[int, ResourceIn, list[int]]] = []  # (Excel row, entry, Excel row of each item)
    for draft in drafts.values():
        if not draft.items:  # its item rows are missing (reported above) or all bad (reported by row)
            continue
        ordered = sorted(draft.items, key=lambda e: (e[0] is None, e[0] or 0, e[1]))
        resource = _build(
            errors, "resources", draft.row, ResourceIn, **draft.fields, items=[e[2] for e in ordered]
        )
        if resource is not None:
            inputs.append((draft.row, resource, [e[1] for e in ordered]))
    known = known_for(session, [r for _, r, _ in inputs])
    known.codes |= {r.code for _, r, _ in inputs}  # related resources filed by the same file
    resource_keys = {c.key for c in RESOURCE_COLUMNS}
    for number, resource, item_rows in inputs:
        for found in entry_problems(resource, known):
            if found.item is None:
                column = found.field if found.field in resource_keys else "code"
                errors.problem("resources", number, column, found)
            else:
                column = _ITEM_FIELD_COLUMN.get(found.field, found.field)
                errors.problem("items", item_rows[found.item], column, found)
    if errors.items:
        order = {sheet_name("resources"): 0, **{item_sheet_name(k): k for k in range(1, 10)}}
        raise ImportRejected(filename, sorted(errors.items, key=lambda e: (order.get(e.sheet, 10), e.row)))
    entries = [r for _, r, _ in inputs]
    file_entries(session, actor, entries, departments)
    item_count = sum(len(r.items) for r in entries)
    codes = [r.code for r in entries]
    audit.record(
        session,
        actor,
        "catalog.imported",
        target=f"file:{filename}",
        rows=len(entries),
        detail={"items": item_count, "codes": codes},
    )
    return ImportReport(filename=filename, resources=len(entries), items=item_count, codes=codes)
