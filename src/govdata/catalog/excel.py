"""The catalog's Excel round trip: the fill-in template, the export, and (re-exported) the import.

The workbook has a 说明 guide sheet, a 资源 sheet of resources and a 信息项 sheet of items, each with a
Chinese and an English header row (frozen), drop-downs for the attribute columns and a hidden version
marker (layout in ``catalog.excel_layout``). The export uses the same layout, so an exported workbook
imports back (``catalog.excel_import``) into the same catalog.

Raises ``PermissionDenied`` without ``catalog.read`` (export), ``NotFound`` for an unknown department,
and what ``import_workbook`` raises.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from sqlalchemy import or_, select
from sqlalchemy.orm import Session, aliased

from govdata.catalog.excel_import import ImportRejected, ImportReport, ImportRowError, import_workbook
from govdata.catalog.excel_layout import (
    FIRST_DATA_ROW,
    ITEM_COLUMNS,
    ITEM_ROWS_PER_SHEET,
    LIST_SEPARATOR,
    MARKER,
    MATTER_SEPARATOR,
    MAX_BYTES,
    MAX_SHEET_ROWS,
    META_SHEET,
    RESOURCE_COLUMNS,
    TEMPLATE_VERSION,
    VALIDATED_ROWS,
    VOCAB,
    Column,
    choices,
    header,
    item_sheet_name,
    sheet_name,
)
from govdata.catalog.excel_xml import rows_xml, splice
from govdata.catalog.models import (
    Item,
    Matter,
    MatterKind,
    Resource,
    ResourceStatus,
    System,
    resource_links,
    resource_matters,
)
from govdata.catalog.vocab import label
from govdata.i18n import text
from govdata.security.actor import Actor
from govdata.security.audit import AuditLog
from govdata.security.models import Department
from govdata.security.org import department_by_code
from govdata.security.roles import Permission

__all__ = [
    "ITEM_COLUMNS",
    "MAX_BYTES",
    "META_SHEET",
    "RESOURCE_COLUMNS",
    "TEMPLATE_VERSION",
    "ImportRejected",
    "ImportReport",
    "ImportRowError",
    "export_workbook",
    "import_workbook",
    "template",
]

# --- writing ------------------------------------------------------------------------------------

_YIELD = 10_000  # rows fetched at a time by the export's streamed queries


def _data_sheet(book: Workbook, key: str, columns: tuple[Column, ...], name: str | None = None) -> Any:
    ws = book.create_sheet(name or sheet_name(key))
    ws.freeze_panes = f"A{FIRST_DATA_ROW}"
    for i, col in enumerate(columns, 1):
        ws.column_dimensions[get_column_letter(i)].width = col.width
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    for lang in ("zh", "en"):
        cells = []
        for col in columns:
            cell = WriteOnlyCell(ws, header(col.key, lang) + ("*" if col.required and lang == "zh" else ""))
            cell.font = bold if lang == "zh" else Font(italic=True, color="808080")
            cell.fill = fill
            cells.append(cell)
        ws.append(cells)
    return ws


def _add_validations(ws: Any, columns: tuple[Column, ...], last_row: int) -> None:
    lists = choices()
    for i, col in enumerate(columns, 1):
        if col.key not in lists:
            continue
        values, strict = lists[col.key]
        letter = get_column_letter(i)
        dv = DataValidation(
            type="list",
            formula1='"' + ",".join(values) + '"',
            allow_blank=True,
            showErrorMessage=True,
            errorStyle="stop" if strict else "warning",
        )
        dv.add(f"{letter}{FIRST_DATA_ROW}:{letter}{last_row}")
        ws.data_validations.append(dv)


def _workbook(resources: Iterable[list[Any]], items: Iterable[list[Any]]) -> bytes:
    with contextlib.ExitStack() as files:
        res_xml = files.enter_context(tempfile.TemporaryFile())
        yes, no = text("catalog_x.yes"), text("catalog_x.no")
        counts = [rows_xml(iter(resources), len(RESOURCE_COLUMNS), res_xml, FIRST_DATA_ROW, yes, no)]
        item_xmls: list[IO[bytes]] = []
        rest = iter(items)
        while True:  # 信息项, 信息项(2) …: a sheet holds at most 1,048,576 rows
            item_xml = files.enter_context(tempfile.TemporaryFile())
            n = rows_xml(rest, len(ITEM_COLUMNS), item_xml, FIRST_DATA_ROW, yes, no, ITEM_ROWS_PER_SHEET)
            if n or not item_xmls:
                item_xmls.append(item_xml)
                counts.append(n)
            if n < ITEM_ROWS_PER_SHEET:
                break
        book = Workbook(write_only=True)
        guide = book.create_sheet(sheet_name("guide"))
        guide.column_dimensions["A"].width = 120
        title = WriteOnlyCell(guide, text("catalog_x.guide.title", version=TEMPLATE_VERSION))
        title.font = Font(bold=True, size=14)
        guide.append([title])
        for n in range(1, 10):
            guide.append([text(f"catalog_x.guide.{n}", limit_mb=MAX_BYTES // (1024 * 1024))])
        res_ws = _data_sheet(book, "resources", RESOURCE_COLUMNS)
        item_sheets = [
            _data_sheet(book, "items", ITEM_COLUMNS, item_sheet_name(k)) for k in range(1, len(item_xmls) + 1)
        ]
        last = min(MAX_SHEET_ROWS, FIRST_DATA_ROW - 1 + max(VALIDATED_ROWS, max(counts) + 1000))
        _add_validations(res_ws, RESOURCE_COLUMNS, last)
        for item_ws in item_sheets:
            _add_validations(item_ws, ITEM_COLUMNS, last)
        meta = book.create_sheet(META_SHEET)
        meta.sheet_state = "hidden"
        meta.append([MARKER, TEMPLATE_VERSION])
        skeleton = io.BytesIO()
        book.save(skeleton)
        # write-only sheets are saved as sheet<n>.xml in creation order: guide 1, resources 2, items 3 …
        parts = {"xl/worksheets/sheet2.xml": res_xml}
        parts.update({f"xl/worksheets/sheet{k + 3}.xml": f for k, f in enumerate(item_xmls)})
        return splice(skeleton.getvalue(), parts)


def template() -> bytes:
    """An empty catalog workbook to fill in (guide, both data sheets, drop-downs, version marker)."""
    return _workbook([], [])


def _joined(values: Iterable[str]) -> str | None:
    found = LIST_SEPARATOR.join(values)
    return found or None


def _links(
    session: Session, resource_filter: Any
) -> tuple[dict[int, list[tuple[str, str, str]]], dict[int, list[str]]]:
    """Per resource id: its matters (kind, code, name) and its related codes — two streamed queries."""
    matters: dict[int, list[tuple[str, str, str]]] = defaultdict(list)
    rows = session.execute(
        select(resource_matters.c.resource_id, Matter.kind, Matter.code, Matter.name)
        .join(Matter, Matter.id == resource_matters.c.matter_id)
        .join(Resource, Resource.id == resource_matters.c.resource_id)
        .where(resource_filter)
        .order_by(resource_matters.c.resource_id, Matter.code)
        .execution_options(yield_per=_YIELD)
    )
    for rid, kind, code, name in rows:
        matters[rid].append((kind, code, name))
    related: dict[int, list[str]] = defaultdict(list)
    other = aliased(Resource)
    rows = session.execute(
        select(resource_links.c.resource_id, other.code)
        .join(other, other.id == resource_links.c.related_id)
        .join(Resource, Resource.id == resource_links.c.resource_id)
        .where(resource_filter)
        .order_by(resource_links.c.resource_id, other.code)
        .execution_options(yield_per=_YIELD)
    )
    for rid, code in rows:
        related[rid].append(code)
    return matters, related


def _export_rows(session: Session, resource_filter: Any) -> tuple[Iterator[list[Any]], Iterator[Any]]:
    """The resource and item rows of the export, streamed from the database (items after resources)."""
    labels = {kind: {m.value: label(kind, m.value) for m in enum} for kind, enum in VOCAB.values()}

    def resources() -> Iterator[list[Any]]:
        matters, related = _links(session, resource_filter)
        rows = session.execute(
            select(
                Resource.id,
                Resource.code,
                Resource.name,
                Department.code,
                Resource.summary,
                Resource.category,
                Resource.format,
                Resource.share_type,
                Resource.share_condition,
                Resource.share_basis,
                Resource.open_type,
                Resource.update_cycle,
                Resource.lake_table,
                Resource.key_column,
                Resource.classification,
                Resource.sharing_method,
                System.name,
                Resource.tags,
            )
            .join(Department, Department.id == Resource.department_id)
            .outerjoin(System, System.id == Resource.system_id)
            .where(resource_filter)
            .order_by(Resource.code)
            .execution_options(yield_per=_YIELD)
        )
        for r in rows:
            row = list(r[1:17])
            for index, kind in (
                (4, "category"),
                (6, "share_type"),
                (9, "open_type"),
                (10, "update_cycle"),
                (14, "sharing_method"),
            ):
                if row[index] is not None:
                    row[index] = labels[kind].get(row[index], row[index])
            linked = matters.get(r[0], [])
            for kind in (MatterKind.SERVICE.value, MatterKind.POWER.value):
                row.append(
                    _joined(f"{code}{MATTER_SEPARATOR}{name}" for k, code, name in linked if k == kind)
                )
            row.append(_joined(r[17] or []))
            row.append(_joined(related.get(r[0], [])))
            yield row

    def items() -> Iterator[Any]:
        # rows straight from the driver, in batches (booleans become yes/no when written)
        result = session.connection().execute(
            select(Resource.code, Item.position + 1, Item.name, Item.column, Item.data_type, Item.length)
            .add_columns(Item.masking, Item.sensitive, Item.required, Item.element)
            .join(Resource, Resource.id == Item.resource_id)
            .join(Department, Department.id == Resource.department_id)
            .where(resource_filter)
            .order_by(Resource.code, Item.position)
            .execution_options(yield_per=_YIELD)
        )
        yield from itertools.chain.from_iterable(result.partitions())

    return resources(), items()


def export_workbook(
    session: Session, actor: Actor, department: str | None = None, *, audit: AuditLog | None = None
) -> bytes:
    """The catalog (or one department's part) in the template's layout.

    Readers get published resources; a writer also gets its own department's drafts, the platform
    every draft. Retired resources are left out. Audited as ``catalog.exported`` when ``audit`` is given.
    """
    actor.require(Permission.CATALOG_READ)
    visible: Any = Resource.status == ResourceStatus.PUBLISHED.value
    if actor.role == "system":
        visible = Resource.status != ResourceStatus.RETIRED.value
    elif actor.can(Permission.CATALOG_WRITE) and actor.department_id is not None:
        own_draft = (Resource.department_id == actor.department_id) & (
            Resource.status == ResourceStatus.DRAFT.value
        )
        visible = or_(visible, own_draft)
    if department:
        visible = visible & (Resource.department_id == department_by_code(session, department).id)
    resources, items = _export_rows(session, visible)
    counted = _Counted(resources)
    data = _workbook(counted, items)
    if audit is not None:
        target = f"department:{department}" if department else "catalog"
        audit.record(session, actor, "catalog.exported", target=target, rows=counted.n)
    return data


class _Counted:
    """An iterator that counts what passes through it."""

    def __init__(self, rows: Iterator[list[Any]]) -> None:
        self.rows, self.n = rows, 0

    def __iter__(self) -> Iterator[list[Any]]:
        for row in self.rows:
            self.n += 1
            yield row
