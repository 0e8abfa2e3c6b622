"""Drafts from sources (应编尽编): what a connected source holds, catalog entries proposed from it, coverage.

``scan_source`` asks the source's connector which tables it holds and what their columns are —
without reading any rows: a SQL database through SQLAlchemy's inspector (types, lengths, nullability,
table and column comments), every other connector through ``discover`` and ``schema`` — and keeps
one ``InventoryTable`` row per table. A table the source no longer offers is *marked*
(``gone_at``), never deleted: coverage stops counting it, the catalog entry describing it gets a
draft revision saying so (``govdata.catalog.follow``), and the mark is cleared if the table returns.
A row is linked to the resource of the ingest ``SourceTable`` that loads that table.

``propose_drafts`` turns every uncatalogued table into a ``ResourceIn`` (see ``propose``);
``accept_drafts`` files the chosen ones through ``create_resource`` — the same checks as any
entry — and links their inventory rows. ``coverage`` reports, per department, the tables its
sources hold, how many are catalogued and the share.

Raises ``PermissionDenied`` (not the actor's department; no ``catalog.write``/``catalog.read``),
``NotFound`` (``catalog.source_not_found``, ``catalog.draft_not_found``), and what the connector
raises (``ingest.*``: an unreachable source is a ``TransientError``).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from govdata.catalog.elements import ElementIndex
from govdata.catalog.models import InventoryTable, Resource, ResourceStatus
from govdata.catalog.schemas import ItemIn, ResourceIn
from govdata.catalog.service import create_resource
from govdata.db.base import utcnow
from govdata.errors import NotFound
from govdata.i18n import text
from govdata.security.actor import Actor
from govdata.security.audit import AuditLog
from govdata.security.models import Department
from govdata.security.roles import Permission

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")
FORMATS = {"sql": "数据库", "csv": "电子表格", "excel": "电子表格", "json": "电子文件", "parquet": "电子文件"}


@dataclass(frozen=True)
class ScanResult:
    source_id: int
    tables: int  # offered by the source now
    new: int  # first seen by this scan
    gone: int  # marked gone by this scan
    linked: int  # linked to a resource by an ingest source table


class DraftOut(BaseModel):
    """A proposed entry for one uncatalogued table of a source."""

    source_id: int
    table: str
    entry: ResourceIn


class DraftEdit(BaseModel):
    """What the officer changes before accepting a draft (everything else is as proposed)."""

    table: str = Field(min_length=1)
    name: str | None = Field(default=None, max_length=200)
    summary: str | None = None
    code: str | None = Field(default=None, max_length=100)


class Coverage(BaseModel):
    """编目覆盖率 of one department: its sources' tables, those catalogued, the share (percent)."""

    department: str
    department_name: str
    tables: int
    catalogued: int
    percent: float | None


def _source(session: Session, actor: Actor, source_id: int) -> Any:
    from govdata.ingest import Source  # the ingest pillar imports the catalog: import late

    actor.require(Permission.CATALOG_WRITE)
    source = session.get(Source, source_id)
    if source is None:
        raise NotFound("catalog.source_not_found", source=source_id)
    actor.require_department(source.department_id)
    return source


def scan_source(
    session: Session, audit: AuditLog, actor: Actor, source_id: int, secret_key: str
) -> ScanResult:
    """Discover the source's tables and columns into the inventory (upsert; absent ones marked gone)."""
    from govdata.catalog.follow import table_gone
    from govdata.catalog.sources import read_tables
    from govdata.ingest import SourceTable

    source = _source(session, actor, source_id)
    found = {t.name: t for t in read_tables(source, secret_key)}
    rows = {
        r.table_name: r
        for r in session.execute(
            select(InventoryTable).where(InventoryTable.source_id == source.id)
        ).scalars()
    }
    loaded = {
        name: rid
        for name, rid in session.execute(
            select(SourceTable.source_table, SourceTable.resource_id).where(
                SourceTable.source_id == source.id, SourceTable.resource_id.is_not(None)
            )
        )
    }
    if len(found) == 1 and len(loaded) == 1:  # a file source: its one table is the one loaded (by path)
        loaded = {next(iter(found)): next(iter(loaded.values()))}
    now = utcnow()
    new = gone = linked = 0
    for name, info in found.items():
        row = rows.get(name)
        if row is None:
            row = InventoryTable(source_id=source.id, department_id=source.department_id, table_name=name)
            session.add(row)
            new += 1
        row.columns = info.columns
        row.comment = info.comment
        row.row_estimate = info.row_estimate
        row.gone_at = None
        if name in loaded and row.resource_id is None:
            row.resource_id = loaded[name]
        linked += row.resource_id is not None
    for name, row in rows.items():
        if name not in found and row.gone_at is None:
            row.gone_at = now
            gone += 1
            if row.resource_id is not None:
                table_gone(session, audit, row)
    session.flush()
    audit.record(
        session,
        actor,
        "catalog.source_scanned",
        target=f"source:{source.id}",
        detail={"tables": len(found), "new": new, "gone": gone},
    )
    return ScanResult(source.id, len(found), new, gone, linked)


def _code(session: Session, dept: Department, table: str, taken: set[str]) -> str:
    """``<region>/<dept>-<table>`` (a code segment keeps ASCII letters, digits, ``.``, ``_``, ``-``)."""
    ascii_table = _UNSAFE.sub("", table).lstrip("._-") or "table"
    base = f"{dept.region_code}/{dept.code}-{ascii_table}"[:96]
    code, n = base, 1
    while code in taken or session.execute(select(Resource.id).where(Resource.code == code)).first():
        n += 1
        code = f"{base}-{n}"
    taken.add(code)
    return code


def propose(
    row: InventoryTable, source_name: str, connector: str, single: bool, dept: Department, code: str,
    elements: ElementIndex,
) -> ResourceIn:  # fmt: skip
    """The entry proposed for one inventory table.

    Name: the table comment, else the source's name when the source holds this one table only,
    else the table name. Items: one per column, the type mapped to the catalog's words
    (``data_type``), the length where the source declares one, ``required`` for NOT NULL, the data
    element whose alias matches the column bound (``element``), and identity and phone elements
    marked sensitive with their masking rule. Sharing is the cautious 有条件共享 with a placeholder
    condition the officer must rewrite, 不予开放, update cycle 其他, category 部门.
    """
    name = (row.comment or "").strip() or (source_name if single else row.table_name)
    items = []
    used: set[str] = set()  # item names are unique within an entry
    for col in row.columns:
        column = str(col["name"])
        element = elements.match(column)
        masking = elements.masking(element) if element else None
        label = str(col.get("comment") or (element.name if element else column))[:200]
        if label in used:
            label = column[:200] if column not in used else f"{label}({column})"[:200]
        used.add(label)
        items.append(
            ItemIn(
                column=column[:100],
                name=label,
                data_type=data_type(str(col["type"])),
                length=col.get("length"),  # type: ignore[arg-type]
                required=not col.get("nullable", True),
                element=element.identifier if element else None,
                sensitive=masking is not None,
                masking=masking,
            )
        )
    return ResourceIn(
        code=code,
        name=name[:200],
        department=dept.code,
        summary=text(
            "catalog.draft.summary",
            "zh",
            department=dept.name,
            table=row.table_name,
            source=source_name,
            items=len(items),
        ),  # fmt: skip
        category="department",
        format=FORMATS.get(connector, "其他"),
        share_type="conditional",
        share_condition=text("catalog.draft.condition", "zh"),
        open_type="closed",
        update_cycle="other",
        items=items,
    )


def data_type(arrow: str) -> str:
    """The catalog's type word (字符/数值/日期/日期时间/布尔/二进制) for an Arrow type name.

    A time of day has no word of its own and is described as 字符 (text such as ``08:30:00``).
    """
    arrow = arrow.lower()
    if arrow.startswith(("int", "uint", "float", "double", "halffloat", "decimal")):
        return "数值"
    if arrow.startswith("date"):
        return "日期"
    if arrow.startswith("timestamp"):
        return "日期时间"
    if arrow == "bool":
        return "布尔"
    if "binary" in arrow:
        return "二进制"
    return "字符"


def _uncatalogued(session: Session, source_id: int) -> list[InventoryTable]:
    return list(
        session.execute(
            select(InventoryTable)
            .where(
                InventoryTable.source_id == source_id,
                InventoryTable.resource_id.is_(None),
                InventoryTable.gone_at.is_(None),
            )
            .order_by(InventoryTable.table_name)
        ).scalars()
    )


def propose_drafts(session: Session, actor: Actor, source_id: int) -> list[DraftOut]:
    """A proposed entry for every uncatalogued table of the source (as of its last scan)."""
    source = _source(session, actor, source_id)
    dept = session.get(Department, source.department_id)
    assert dept is not None  # foreign key
    rows = _uncatalogued(session, source.id)
    single = (
        session.execute(
            select(func.count()).where(
                InventoryTable.source_id == source.id, InventoryTable.gone_at.is_(None)
            )
        ).scalar_one()
        == 1
    )
    elements = ElementIndex.load(session)
    taken: set[str] = set()
    return [
        DraftOut(
            source_id=source.id,
            table=row.table_name,
            entry=propose(
                row,
                source.name,
                source.connector,
                single,
                dept,
                _code(session, dept, row.table_name, taken),
                elements,
            ),
        )  # fmt: skip
        for row in rows
    ]


def accept_drafts(
    session: Session, audit: AuditLog, actor: Actor, source_id: int, edits: list[DraftEdit]
) -> list[Resource]:
    """File the drafts of the named tables (with the officer's edits) and link their inventory rows."""
    drafts = {d.table: d for d in propose_drafts(session, actor, source_id)}
    filed = []
    for edit in edits:
        draft = drafts.get(edit.table)
        if draft is None:
            raise NotFound("catalog.draft_not_found", table=edit.table)
        changes = {
            k: v for k, v in edit.model_dump(exclude={"table"}).items() if v is not None and str(v).strip()
        }
        entry = draft.entry.model_copy(update=changes)
        res = create_resource(session, audit, actor, ResourceIn.model_validate(entry.model_dump()))
        row = session.execute(
            select(InventoryTable).where(
                InventoryTable.source_id == source_id, InventoryTable.table_name == edit.table
            )
        ).scalar_one()
        row.resource_id = res.id
        filed.append(res)
    session.flush()
    return filed


@dataclass
class SourceDrafts:
    """One source of a department on the 待编目 page: its inventory and the drafts it offers."""

    source_id: int
    name: str
    connector: str
    tables: int  # offered at the last scan
    catalogued: int
    gone: list[str]  # tables marked gone
    drafts: list[DraftOut]


def department_drafts(session: Session, actor: Actor) -> list[SourceDrafts]:
    """Every source of the actor's department with its inventory counts and drafts."""
    from govdata.ingest import Source

    actor.require(Permission.CATALOG_WRITE)
    if actor.department_id is None:
        return []
    out = []
    for source in session.execute(
        select(Source).where(Source.department_id == actor.department_id).order_by(Source.name)
    ).scalars():
        rows = list(
            session.execute(select(InventoryTable).where(InventoryTable.source_id == source.id)).scalars()
        )
        live = [r for r in rows if r.gone_at is None]
        out.append(
            SourceDrafts(
                source_id=source.id,
                name=source.name,
                connector=source.connector,
                tables=len(live),
                catalogued=sum(r.resource_id is not None for r in live),
                gone=sorted(r.table_name for r in rows if r.gone_at is not None),
                drafts=propose_drafts(session, actor, source.id),
            )
        )
    return out


def coverage(session: Session, actor: Actor) -> list[Coverage]:
    """Per department with any inventory: tables its sources hold now, those catalogued, the share.

    A table counts as catalogued when its inventory row is linked to a resource that is not
    retired. Tables marked gone are not counted. Two grouped queries, whatever the size.
    """
    actor.require(Permission.CATALOG_READ)
    live = InventoryTable.gone_at.is_(None)
    totals: dict[int, int] = defaultdict(int)
    for dept_id, n in session.execute(
        select(InventoryTable.department_id, func.count()).where(live).group_by(InventoryTable.department_id)
    ):
        totals[dept_id] = int(n)
    done: dict[int, int] = defaultdict(int)
    for dept_id, n in session.execute(
        select(InventoryTable.department_id, func.count())
        .join(Resource, Resource.id == InventoryTable.resource_id)
        .where(live, Resource.status != ResourceStatus.RETIRED.value)
        .group_by(InventoryTable.department_id)
    ):
        done[dept_id] = int(n)
    depts = session.execute(
        select(Department).where(Department.id.in_(list(totals))).order_by(Department.code)
    ).scalars()
    return [
        Coverage(
            department=d.code,
            department_name=d.name,
            tables=totals[d.id],
            catalogued=done[d.id],
            percent=round(100.0 * done[d.id] / totals[d.id], 1) if totals[d.id] else None,
        )
        for d in depts
    ]


def total_coverage(rows: list[Coverage]) -> Coverage:
    tables = sum(r.tables for r in rows)
    done = sum(r.catalogued for r in rows)
    return Coverage(
        department="",
        department_name="",
        tables=tables,
        catalogued=done,
        percent=round(100.0 * done / tables, 1) if tables else None,
    )


__all__ = [
    "Coverage",
    "DraftEdit",
    "DraftOut",
    "ScanResult",
    "accept_drafts",
    "SourceDrafts",
    "coverage",
    "data_type",
    "department_drafts",
    "propose",
    "propose_drafts",
    "scan_source",
    "total_coverage",
]
