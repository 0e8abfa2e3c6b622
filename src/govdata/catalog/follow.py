"""The catalog follows its sources: schema drift becomes a draft revision of the resource.

When a load records that a column was added, removed or retyped at the source (``SchemaChange``,
see ``govdata.ingest.drift``) and the lake followed it (action ``evolved`` or ``cast_to_lake``), the
resource linked to that source table gets a draft revision whose items follow the source: a new
column becomes a new item (its type mapped like a draft's), a removed column's item is removed, a
retyped column's item takes the new type. Changes the lake held back (``frozen``, ``rejected``)
leave the entry alone — the lake still has the old shape and the officer decides. A source table
that is gone (a run's ``table_dropped``, or a scan no longer finding it) marks its inventory row
and opens the same kind of revision, entry unchanged, with a note saying so: retiring the resource
is the officer's call. Every revision's note names the ``SchemaChange`` rows it follows, and it is
filed by the platform actor ``Actor.system("drift")`` through ``lifecycle.revise``, so it lands
in the department officer's drafts to check and submit. A revision already open is built upon,
never overwritten.

``after_run`` is called by the ingest runner after a run's outcome is committed; it commits what it
files. A failure here never fails the run: it is logged (the change records stay). A run without
an audit log (``audit=None``, tests and scripts) files nothing: every catalog change is audited.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from govdata.catalog.drafts import data_type
from govdata.catalog.models import InventoryTable, Resource
from govdata.catalog.schemas import ItemIn, ResourceIn
from govdata.db.base import utcnow
from govdata.errors import GovdataError
from govdata.i18n import text
from govdata.security.actor import Actor
from govdata.security.audit import AuditLog

log = logging.getLogger(__name__)
FOLLOWED = frozenset({"evolved", "cast_to_lake"})
DRIFT_ACTOR = "drift"


@dataclass(frozen=True)
class Change:
    """One change at the source, as a ``SchemaChange`` records it (``id`` 0: seen by a scan)."""

    id: int
    kind: str  # added / removed / retyped / table_dropped
    column: str | None
    old_type: str | None = None
    new_type: str | None = None

    @classmethod
    def of(cls, row: Any) -> Change:
        return cls(row.id, row.kind, row.column, row.old_type, row.new_type)


def _base_entry(session: Session, res: Resource) -> ResourceIn:
    """The pending revision's entry if there is one (the officer's edits are kept), else the resource's."""
    from govdata.catalog.lifecycle import pending_revision
    from govdata.catalog.lifecycle_view import entry_of

    open_rev = pending_revision(session, res)
    if open_rev is not None:
        return ResourceIn.model_validate(open_rev.payload)
    return entry_of(res)


def follow_items(entry: ResourceIn, changes: list[Change]) -> ResourceIn:
    """``entry`` with its items following ``changes``."""
    items = list(entry.items)
    for change in changes:
        at = next((i for i, it in enumerate(items) if it.column == change.column), None)
        if change.kind == "added" and at is None:
            items.append(
                ItemIn(column=change.column, name=change.column, data_type=data_type(change.new_type or ""))
            )
        elif change.kind == "removed" and at is not None and len(items) > 1:
            items.pop(at)  # an entry keeps at least one item: the last one goes with the resource
        elif change.kind == "retyped" and at is not None:
            items[at] = items[at].model_copy(update={"data_type": data_type(change.new_type or "")})
    return entry.model_copy(update={"items": items})


def _revise(session: Session, audit: AuditLog, res: Resource, entry: ResourceIn, note: str) -> Any:
    from govdata.catalog import lifecycle

    return lifecycle.revise(session, audit, Actor.system(DRIFT_ACTOR), res.code, entry, note=note)


def _describe(changes: list[Change]) -> str:
    return "; ".join(
        (f"SchemaChange #{c.id} " if c.id else "")
        + f"{c.kind} {c.column}"
        + (f" {c.old_type}→{c.new_type}" if c.kind == "retyped" else "")
        for c in changes
    )


def follow_changes(session: Session, audit: AuditLog, res: Resource, changes: list[Change]) -> Any:
    """Open (or update) the draft revision of ``res`` that follows ``changes``; the revision."""
    entry = _base_entry(session, res)
    dropped = [c for c in changes if c.kind == "table_dropped"]
    if dropped:
        note = text(
            "catalog.drift.table_dropped", "zh", table=dropped[0].column or "", changes=_describe(changes)
        )
    else:
        entry = follow_items(entry, changes)
        note = text("catalog.drift.note", "zh", changes=_describe(changes))
    return _revise(session, audit, res, entry, note)


def after_run(session: Session, audit: AuditLog | None, run_id: int) -> Any:
    """Follow what run ``run_id`` recorded into the catalog (a no-op when nothing changed)."""
    from govdata.ingest.models import SchemaChange, Source, SourceTable

    changes = list(
        session.execute(
            select(SchemaChange).where(SchemaChange.run_id == run_id).order_by(SchemaChange.id)
        ).scalars()
    )
    rows = [c for c in changes if c.action in FOLLOWED or c.kind == "table_dropped"]
    if not rows:
        return None
    wanted = [Change.of(c) for c in rows]
    table = session.get(SourceTable, rows[0].source_table_id)
    if table is None:
        return None
    if any(c.kind == "table_dropped" for c in wanted):
        source = session.get(Source, table.source_id)
        rows_ = list(
            session.execute(
                select(InventoryTable).where(InventoryTable.source_id == table.source_id)
            ).scalars()
        )
        # by name; a file source's one table is named by its path on the ingest side, by its stem here
        row = next(
            (r for r in rows_ if r.table_name == table.source_table), rows_[0] if len(rows_) == 1 else None
        )
        if row is not None and row.gone_at is None and source is not None:
            row.gone_at = utcnow()
    res = session.get(Resource, table.resource_id) if table.resource_id else None
    if res is None or audit is None:
        session.commit()
        return None
    try:
        with session.begin_nested():
            revision = follow_changes(session, audit, res, wanted)
        session.commit()
        return revision
    except GovdataError as exc:
        log.warning("catalog entry %s did not follow run %s: %s", res.code, run_id, exc.message("en"))
        session.rollback()
        return None


def table_gone(session: Session, audit: AuditLog, row: InventoryTable) -> Any:
    """A scan no longer finds ``row``'s table: tell the catalog entry describing it (a revision)."""
    res = session.get(Resource, row.resource_id) if row.resource_id else None
    if res is None:
        return None
    try:
        with session.begin_nested():
            return follow_changes(session, audit, res, [Change(0, "table_dropped", row.table_name)])
    except GovdataError as exc:  # a revision under review cannot take it: the scan still records the mark
        log.warning(
            "catalog entry %s not told of gone table %s: %s", res.code, row.table_name, exc.message("en")
        )
        return None
