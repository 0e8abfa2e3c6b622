"""Cell-level reading of workbooks for the ``excel`` connector: .xlsx (openpyxl) and .xls/.et (xlrd).

Owns ``open_sheet`` which yields each row as a list of text cells (dates as ISO strings, integral
numbers without ``.0``, everything else as written) plus the sheet's merged ranges. Merged ranges of
.xlsx are found by a byte scan of the sheet XML and its rows by a lean XML loop (``_xlsx_rows``), with
the workbook opened in openpyxl's read-only mode for shared strings and date styles.
Raises ``InvalidInput``: ``ingest.excel_unreadable`` (file), ``ingest.excel_sheet_not_found``
(file, sheet, known sheets).
"""

from __future__ import annotations

import datetime as dt
import re
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


@dataclass(frozen=True)
class _XlsxSheet:
    """One worksheet of a read-only openpyxl workbook: what ``_xlsx_rows`` and ``_xlsx_merged`` need."""

    parent: Any  # the openpyxl Workbook (shared strings, date styles, epoch, the open archive)
    member: str  # the worksheet's path inside the archive

    def _get_source(self) -> Any:
        return self.parent._archive.open(self.member)


@contextmanager
def _open_xlsx(path: Path, sheet: str | int | None) -> Iterator[Sheet]:
    """The workbook's parts through openpyxl's reader, minus its worksheet objects.

    ``load_workbook(read_only=True)`` builds every worksheet, and a worksheet without a
    ``<dimension>`` element (files written by many tools) is parsed to its end just to size it —
    for every sheet, on every open. The connector opens a file twice (schema, then read) and needs
    one sheet, so it takes the shared strings, styles and sheet list from the same reader and reads
    the chosen sheet's XML itself.
    """
    import zipfile

    from openpyxl.reader.excel import ExcelReader
    from openpyxl.styles.stylesheet import apply_stylesheet

    reader = None
    try:
        reader = ExcelReader(str(path), read_only=True, data_only=True)
        reader.read_manifest()
        reader.read_strings()
        reader.read_workbook()
        apply_stylesheet(reader.archive, reader.wb)
        sheets = [(ws.name, ws.state or "visible", rel.target) for ws, rel in reader.parser.find_sheets()
                  if rel.target in reader.valid_files and "chartsheet" not in rel.Type]  # fmt: skip
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as exc:
        if reader is not None:
            reader.archive.close()
        raise InvalidInput("ingest.excel_unreadable", file=str(path)) from exc
    wb = reader.wb
    try:
        names = [name for name, _, _ in sheets]
        index = _pick(path, names, [state == "visible" for _, state, _ in sheets], sheet)
        ws = _XlsxSheet(wb, sheets[index][2])
        yield Sheet(names[index], _xlsx_rows(ws), _xlsx_merged(ws))
    finally:
        reader.archive.close()


_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_ROW, _CELL, _VALUE, _INLINE, _TEXT, _RUN = (_NS + t for t in ("row", "c", "v", "is", "t", "r"))


def _inline_text(element: Any) -> str:
    """The text of an inline string (``<is>``): its plain text and rich-text runs, phonetic hints left out."""
    parts = [element.findtext(_TEXT) or ""]
    parts.extend(run.findtext(_TEXT) or "" for run in element.iterfind(_RUN))
    return "".join(parts)


def _xlsx_rows(ws: Any) -> Iterator[list[str | None]]:
    """Every row of a read-only worksheet as text cells, from row 1 (a missing row is ``[]``).

    The values of openpyxl's ``iter_rows(values_only=True)`` passed through ``cell_text``, read by a
    leaner loop over the sheet XML than openpyxl's (which builds a dict per cell): shared strings,
    date styles and the epoch still come from openpyxl's workbook.
    """
    from xml.etree.ElementTree import iterparse

    from openpyxl.utils.cell import column_index_from_string
    from openpyxl.utils.datetime import from_excel, from_ISO8601

    wb = ws.parent
    strings, dates, spans, epoch = wb.shared_strings, wb._date_formats, wb._timedelta_formats, wb.epoch
    columns: dict[str, int] = {}

    def value(cell: Any) -> str | None:
        kind = cell.get("t", "n")
        if kind == "inlineStr":
            child = cell.find(_INLINE)
            return cell_text(_inline_text(child)) if child is not None else None
        text = cell.findtext(_VALUE) or None
        if text is None:
            return None
        if kind == "n":
            number = float(text) if ("." in text or "E" in text or "e" in text) else int(text)
            style = cell.get("s")
            if style and int(style) in dates:
                try:
                    return cell_text(from_excel(number, epoch, timedelta=int(style) in spans))
                except (OverflowError, ValueError):
                    return "#VALUE!"
            return cell_text(number)
        if kind == "s":
            return cell_text(strings[int(text)])
        if kind == "b":
            return cell_text(bool(int(text)))
        if kind == "d":
            return cell_text(from_ISO8601(text))
        return cell_text(text)  # "str" (a formula's text), "e" (an error such as #DIV/0!)

    expected = 1
    source = ws._get_source()
    try:
        for _, el in iterparse(source):
            if el.tag != _ROW:
                continue
            ref = el.get("r")
            number = int(float(ref)) if ref else expected
            while expected < number:
                yield []
                expected += 1
            out: list[str | None] = []
            for cell in el:
                if cell.tag != _CELL:
                    continue
                coordinate = cell.get("r")
                if coordinate:
                    letters = coordinate.rstrip("0123456789")
                    col = columns.get(letters) or columns.setdefault(
                        letters, column_index_from_string(letters)
                    )
                    if col <= len(out):  # out of order: a later cell of the same column wins, as in openpyxl
                        out[col - 1] = value(cell)
                        continue
                    out.extend([None] * (col - 1 - len(out)))
                out.append(value(cell))
            el.clear()  # a read row keeps only its empty element
            yield out
            expected = number + 1
    finally:
        source.close()


_MERGE_REF = re.compile(rb"""<(?:[A-Za-z_][\w.-]*:)?mergeCell\s[^>]*?\bref\s*=\s*["']([^"']+)["']""")
_SCAN_CHUNK = 1 << 20
_TAG_ROOM = 512  # a <mergeCell …> tag is far shorter: one starting this far from a chunk's end is whole


def _xlsx_merged(ws: Any) -> list[Merged]:
    """Merged ranges from the sheet XML (openpyxl's read-only mode does not expose them).

    The XML is scanned as bytes for ``<mergeCell ref=…>`` tags rather than parsed: in XML text a
    ``<`` is always escaped, so the pattern only meets markup, and the scan costs a small fraction
    of parsing every cell of the sheet a second time.
    """
    from openpyxl.utils.cell import range_boundaries

    refs: list[bytes] = []
    source = ws._get_source()
    try:
        buf = b""
        while True:
            chunk = source.read(_SCAN_CHUNK)
            buf += chunk
            safe = len(buf) if not chunk else max(0, len(buf) - _TAG_ROOM)
            done = 0
            for m in _MERGE_REF.finditer(buf):
                if m.start() >= safe:
                    break
                refs.append(m.group(1))
                done = m.end()
            if not chunk:
                break
            buf = buf[max(done, safe) :]
    finally:
        source.close()
    found = []
    for ref in refs:
        min_col, min_row, max_col, max_row = range_boundaries(ref.decode("ascii", "replace"))
        found.append(Merged(min_row, max_row or min_row, min_col, max_col or min_col))
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
