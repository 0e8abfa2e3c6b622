"""Cell-level reading of workbooks for the ``excel`` connector: .xlsx (openpyxl) and .xls/.et (xlrd).

Owns ``open_sheet`` which yields each row as a list of text cells (dates as ISO strings, integral
numbers without ``.0``, everything else as written) plus the sheet's merged ranges. Merged ranges of
.xlsx are read from the sheet XML, so the workbook itself streams in openpyxl's read-only mode.
Raises ``InvalidInput``: ``ingest.excel_unreadable`` (file), ``ingest.excel_sheet_not_found``
(file, sheet, known sheets).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from govdata.errors import InvalidInput

_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0"


@dataclass(frozen=True)
class Merged:
    """A merged range, 1-based and inclusive."""

    min_row: int
    max_row: int
    min_col: int
    max_col: int


@dataclass
class Sheet:
    name: str
    rows: Iterator[list[str | None]]
    merged: list[Merged]


def cell_text(value: Any) -> str | None:
    """A cell value as the raw layer keeps it."""
    if value is None:
        return None
    if isinstance(value, str):
        return value if value != "" else None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(value)
    return str(value)


@contextmanager
def open_sheet(path: Path, sheet: str | int | None) -> Iterator[Sheet]:
    """The chosen sheet (name, 0-based index, or the first visible one) of the workbook at ``path``."""
    with path.open("rb") as fh:
        magic = fh.read(4)
    if magic == _ZIP:
        with _open_xlsx(path, sheet) as found:
            yield found
    elif magic == _OLE:
        with _open_xls(path, sheet) as found:
            yield found
    else:
        raise InvalidInput("ingest.excel_unreadable", file=str(path))


def _pick(path: Path, names: list[str], visible: list[bool], sheet: str | int | None) -> int:
    if sheet is None:
        for index, shown in enumerate(visible):
            if shown:
                return index
        return 0
    if isinstance(sheet, int) and 0 <= sheet < len(names):
        return sheet
    if isinstance(sheet, str) and sheet in names:
        return names.index(sheet)
    raise InvalidInput("ingest.excel_sheet_not_found", file=str(path), sheet=sheet, known=", ".join(names))


@contextmanager
def _open_xlsx(path: Path, sheet: str | int | None) -> Iterator[Sheet]:
    import zipfile

    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise InvalidInput("ingest.excel_unreadable", file=str(path)) from exc
    try:
        names = wb.sheetnames
        index = _pick(path, names, [ws.sheet_state == "visible" for ws in wb.worksheets], sheet)
        ws = wb.worksheets[index]
        ws.reset_dimensions()  # some writers record a wrong used range
        rows = ([cell_text(v) for v in row] for row in ws.iter_rows(min_row=1, min_col=1, values_only=True))
        yield Sheet(names[index], rows, _xlsx_merged(ws))
    finally:
        wb.close()


def _xlsx_merged(ws: Any) -> list[Merged]:
    """Merged ranges from the sheet XML (openpyxl's read-only mode does not expose them)."""
    from xml.etree.ElementTree import iterparse

    from openpyxl.utils.cell import range_boundaries

    found: list[Merged] = []
    source = ws._get_source()
    try:
        for _, elem in iterparse(source):
            tag = elem.tag.rsplit("}", 1)[-1]
            if tag == "mergeCell":
                min_col, min_row, max_col, max_row = range_boundaries(elem.get("ref"))
                found.append(Merged(min_row, max_row, min_col, max_col))
            elif tag in ("row", "c"):
                elem.clear()
    finally:
        source.close()
    return found


@contextmanager
def _open_xls(path: Path, sheet: str | int | None) -> Iterator[Sheet]:
    import xlrd

    try:
        book = xlrd.open_workbook(str(path), formatting_info=True, on_demand=True)
    except (xlrd.XLRDError, OSError, AssertionError, KeyError) as exc:
        raise InvalidInput("ingest.excel_unreadable", file=str(path)) from exc
    try:
        names = book.sheet_names()
        visible = [book.sheet_by_index(i).visibility == 0 for i in range(len(names))]
        index = _pick(path, names, visible, sheet)
        sh = book.sheet_by_index(index)
        merged = [Merged(r0 + 1, r1, c0 + 1, c1) for r0, r1, c0, c1 in sh.merged_cells]
        yield Sheet(names[index], _xls_rows(book, sh), merged)
    finally:
        book.release_resources()


def _xls_rows(book: Any, sh: Any) -> Iterator[list[str | None]]:
    import xlrd

    for r in range(sh.nrows):
        out: list[str | None] = []
        for cell in sh.row(r):
            if cell.ctype == xlrd.XL_CELL_DATE:
                out.append(cell_text(xlrd.xldate_as_datetime(cell.value, book.datemode)))
            elif cell.ctype == xlrd.XL_CELL_BOOLEAN:
                out.append(cell_text(bool(cell.value)))
            elif cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                out.append(None)
            elif cell.ctype == xlrd.XL_CELL_ERROR:
                out.append(xlrd.error_text_from_code.get(cell.value, "#ERR"))
            else:
                out.append(cell_text(cell.value))
        yield out
