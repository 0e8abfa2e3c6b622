"""The ``excel`` connector: one sheet of an .xlsx/.xls/.et workbook as filled in by people.

Finds the header below title rows and unit/date lines, flattens a merged multi-row header to
``parent/child`` names, keeps the serial-number column unless asked to drop it, skips subtotal rows,
stops at the grand-total row, at a footer (instructions, preparer) or a run of blank rows.
Values stay text as written (full-width characters and placeholders included); date cells become ISO
strings; ``_source_row`` is the sheet row number a person sees in Excel.
A row holding a formula error (``#DIV/0!``, ``#N/A`` …) is reported to ``reject`` when the runner
set it (the row is then skipped); otherwise the error text is kept as the value.
Raises ``InvalidInput``: ``ingest.file_not_found``, ``ingest.excel_unreadable``,
``ingest.excel_sheet_not_found``, ``ingest.excel_no_header`` (file, sheet).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from itertools import chain, islice
from pathlib import Path
from typing import Any

import pyarrow as pa
from pydantic import Field

from govdata.errors import InvalidInput
from govdata.ingest.connectors.base import (
    Connector,
    ConnectorConfig,
    ReadRequest,
    clean_names,
    string_schema,
)
from govdata.ingest.connectors.csvfile import check_file
from govdata.ingest.connectors.sheets import Merged, open_sheet

BATCH_ROWS = 10_000
HEADER_SCAN_ROWS = 30
MAX_HEADER_DEPTH = 3
# Layout vocabulary of Chinese government spreadsheets (STANDARDS.md §12); data, not UI text.
META_LINE = re.compile(r"^\s*[^:：]{0,10}(单位|日期|时间|期间)\s*[:：]")
CELL_ERRORS = frozenset({"#DIV/0!", "#N/A", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!", "#ERR"})
FOOTER = re.compile(r"^\s*(填表说明|制表人|填表人|制表单位|审核人|负责人|说明\s*[:：]|注\s*[:：])")


class ExcelConfig(ConnectorConfig):
    path: str = Field(description="Path of the workbook (.xlsx, .xls, .et).")
    sheet: str | int | None = Field(default=None, description="Sheet name or 0-based index; first visible.")
    drop_serial: bool = Field(default=False, description="Drop the serial-number (序号) column.")
    serial_names: list[str] = Field(default=["序号"], description="Headers of a serial-number column.")
    total_markers: list[str] = Field(default=["合计", "总计"], description="A row starting so ends the data.")
    subtotal_markers: list[str] = Field(default=["小计"], description="Rows starting so are skipped.")
    blank_run: int = Field(default=3, ge=1, description="This many blank rows in a row end the data.")


def _filled(row: list[str | None]) -> list[str]:
    return [c for c in row if c is not None and c.strip()]


def _is_meta(cells: list[str]) -> bool:
    return all(META_LINE.match(c) for c in cells)


def _depth(header_row: int, merged: list[Merged]) -> int:
    depth = 1
    for m in merged:
        if m.min_row != header_row:
            continue
        rows = m.max_row - m.min_row + 1
        depth = max(depth, rows + 1 if m.max_col > m.min_col else rows)
    return min(depth, MAX_HEADER_DEPTH)


def _header_names(rows: list[list[str | None]], first_row: int, merged: list[Merged]) -> list[str | None]:
    """One name per column: the header rows' texts top-down, merged cells filled, joined by ``/``."""
    width = max(len(r) for r in rows)
    grid = [list(r) + [None] * (width - len(r)) for r in rows]
    last_row = first_row + len(rows) - 1
    for m in merged:
        if m.max_row < first_row or m.min_row > last_row or m.min_row < first_row:
            continue
        value = grid[m.min_row - first_row][m.min_col - 1] if m.min_col <= width else None
        for r in range(m.min_row, min(m.max_row, last_row) + 1):
            for c in range(m.min_col, min(m.max_col, width) + 1):
                grid[r - first_row][c - 1] = value
    names: list[str | None] = []
    for c in range(width):
        parts: list[str] = []
        for r in range(len(grid)):
            text = (grid[r][c] or "").strip()
            if text and (not parts or parts[-1] != text):
                parts.append(text)
        names.append("/".join(parts) or None)
    while names and names[-1] is None:
        names.pop()
    return names


class _Layout:
    """Where the table sits in the sheet."""

    def __init__(self, names: list[str], keep: list[int], data_start: int) -> None:
        self.names = names
        self.keep = keep
        self.data_start = data_start


class ExcelConnector(Connector):
    name = "excel"
    label = "ingest.connector.excel"
    Config = ExcelConfig
    reject: Callable[[Any], None] | None = None  # receives a quarantine.Rejected per row with a cell error

    def discover(self, config: Any) -> list[str]:
        return [Path(self.parse_config(config).path).stem]

    def _layout(self, path: Path, cfg: ExcelConfig, sheet_name: str, head: list[list[str | None]],
                merged: list[Merged]) -> _Layout:  # fmt: skip
        for index, row in enumerate(head):
            cells = _filled(row)
            if len(cells) < 2 or _is_meta(cells):
                continue
            header_row = index + 1
            depth = _depth(header_row, merged)
            raw_names = _header_names(head[index : index + depth], header_row, merged)
            if len([n for n in raw_names if n]) < 2:
                continue
            names = clean_names(raw_names)
            keep = [
                i
                for i, n in enumerate(raw_names)
                if not (cfg.drop_serial and n is not None and n.strip() in cfg.serial_names)
            ]
            return _Layout([names[i] for i in keep], keep, header_row + depth)
        raise InvalidInput("ingest.excel_no_header", file=str(path), sheet=sheet_name)

    def schema(self, config: Any) -> pa.Schema:
        cfg = self.parse_config(config)
        path = check_file(cfg.path)
        with open_sheet(path, cfg.sheet) as sheet:
            head = list(islice(sheet.rows, HEADER_SCAN_ROWS))
            layout = self._layout(path, cfg, sheet.name, head, sheet.merged)
        return string_schema(layout.names, with_source_row=True)

    def read(self, config: Any, request: ReadRequest | None = None) -> Iterator[pa.RecordBatch]:
        cfg = self.parse_config(config)
        path = check_file(cfg.path)
        with open_sheet(path, cfg.sheet) as sheet:
            head = list(islice(sheet.rows, HEADER_SCAN_ROWS))
            layout = self._layout(path, cfg, sheet.name, head, sheet.merged)
            schema = string_schema(layout.names, with_source_row=True)
            rows = chain(head, sheet.rows)
            records = self._records(cfg, layout, islice(rows, layout.data_start - 1, None))
            if self.reject is not None:
                records = self._without_errors(path, layout, records)
            while chunk := list(islice(records, BATCH_ROWS)):
                columns = [pa.array([r[i] for _, r in chunk], pa.string()) for i in range(len(layout.keep))]
                columns.append(pa.array([n for n, _ in chunk], pa.int64()))
                yield pa.RecordBatch.from_arrays(columns, schema=schema)

    def _without_errors(
        self, path: Path, layout: _Layout, records: Iterator[tuple[int, list[str | None]]]
    ) -> Iterator[tuple[int, list[str | None]]]:
        from govdata.ingest.quarantine import Rejected

        assert self.reject is not None
        for number, cells in records:
            bad = next((i for i, c in enumerate(cells) if c is not None and c.strip() in CELL_ERRORS), None)
            if bad is None:
                yield number, cells
                continue
            raw = dict(zip(layout.names, cells, strict=True))
            self.reject(
                Rejected(
                    number, "ingest.reject.excel_error", column=layout.names[bad], raw=raw, file=str(path)
                )
            )

    def _records(
        self, cfg: ExcelConfig, layout: _Layout, rows: Iterator[list[str | None]]
    ) -> Iterator[tuple[int, list[str | None]]]:
        """(sheet row number, kept cells) of every data row."""
        blanks = 0
        for number, row in enumerate(rows, start=layout.data_start):
            cells = _filled(row)
            if not cells:
                blanks += 1
                if blanks >= cfg.blank_run:
                    return
                continue
            blanks = 0
            first = cells[0].strip()
            if any(first.replace(" ", "").replace("\u3000", "").startswith(m) for m in cfg.total_markers):
                return
            if FOOTER.match(first):
                return
            if any(first.replace(" ", "").replace("\u3000", "").startswith(m) for m in cfg.subtotal_markers):
                continue
            width = len(row)
            yield number, [row[i] if i < width else None for i in layout.keep]
