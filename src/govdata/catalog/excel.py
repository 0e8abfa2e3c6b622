"""The catalog's Excel round trip: the fill-in template, the export, and (re-exported) the import.

The workbook has a 说明 guide sheet, a 资源 sheet of resources and a 信息项 sheet of items, each with a
Chinese and an English header row (frozen), drop-downs for the attribute columns and a hidden version
marker (layout in ``catalog.excel_layout``). The export uses the same layout, so an exported workbook
imports back (``catalog.excel_import``) into the same catalog.

Raises ``PermissionDenied`` without ``catalog.read`` (export), ``NotFound`` for an unknown department,
and what ``import_workbook`` raises.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from govdata.catalog.excel_import import ImportRejected, ImportReport, ImportRowError, import_workbook
from govdata.catalog.excel_layout import (
    FIRST_DATA_ROW,
    ITEM_COLUMNS,
    MARKER,
    MAX_BYTES,
    META_SHEET,
    RESOURCE_COLUMNS,
    TEMPLATE_VERSION,
    VALIDATED_ROWS,
    VOCAB,
    Column,
    choices,
    header,
    sheet_name,
)
from govdata.catalog.models import Item, Resource, ResourceStatus
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


def _data_sheet(book: Workbook, key: str, columns: tuple[Column, ...]) -> Any:
    ws = book.create_sheet(sheet_name(key))
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
    book = Workbook(write_only=True)
    guide = book.create_sheet(sheet_name("guide"))
    guide.column_dimensions["A"].width = 120
    title = WriteOnlyCell(guide, text("catalog_x.guide.title", version=TEMPLATE_VERSION))
    title.font = Font(bold=True, size=14)
    guide.append([title])
    for n in range(1, 8):
        guide.append([text(f"catalog_x.guide.{n}", limit_mb=MAX_BYTES // (1024 * 1024))])
    res_ws = _data_sheet(book, "resources", RESOURCE_COLUMNS)
    item_ws = _data_sheet(book, "items", ITEM_COLUMNS)
    counts = []
    for ws, rows in ((res_ws, resources), (item_ws, items)):
        n = 0
        for row in rows:
            ws.append(row)
            n += 1
        counts.append(n)
    last = FIRST_DATA_ROW - 1 + max(VALIDATED_ROWS, max(counts) + 1000)
    _add_validations(res_ws, RESOURCE_COLUMNS, last)
    _add_validations(item_ws, ITEM_COLUMNS, last)
    meta = book.create_sheet(META_SHEET)
    meta.sheet_state = "hidden"
    meta.append([MARKER, TEMPLATE_VERSION])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def template() -> bytes:
    """An empty catalog workbook to fill in (guide, both data sheets, drop-downs, version marker)."""
    return _workbook([], [])


def _export_rows(session: Session, resource_filter: Any) -> tuple[list[list[Any]], list[list[Any]]]:
    labels = {kind: {m.value: label(kind, m.value) for m in enum} for kind, enum in VOCAB.values()}
    yes, no = text("catalog_x.yes"), text("catalog_x.no")
    res_rows = session.execute(
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
        )
        .join(Department, Department.id == Resource.department_id)
        .where(resource_filter)
        .order_by(Resource.code)
    ).all()
    resources, codes = [], {}
    for r in res_rows:
        codes[r[0]] = r[1]
        row = list(r[1:])
        for index, kind in ((4, "category"), (6, "share_type"), (9, "open_type"), (10, "update_cycle")):
            row[index] = labels[kind].get(row[index], row[index])
        resources.append(row)
    item_rows = session.execute(
        select(Item.resource_id, Item.position, Item.name, Item.column, Item.data_type, Item.length)
        .add_columns(Item.masking, Item.sensitive, Item.required)
        .join(Resource, Resource.id == Item.resource_id)
        .join(Department, Department.id == Resource.department_id)
        .where(resource_filter)
        .order_by(Resource.code, Item.position)
    ).all()
    items = [
        [codes[i[0]], i[1] + 1, i[2], i[3], i[4], i[5], i[6], yes if i[7] else no, yes if i[8] else no]
        for i in item_rows
    ]
    return resources, items


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
    if audit is not None:
        target = f"department:{department}" if department else "catalog"
        audit.record(session, actor, "catalog.exported", target=target, rows=len(resources))
    return _workbook(resources, items)
