"""Lineage captured from aggregation: each succeeded ingest run links its source table to its raw table.

The source side is named ``source:<department>/<source>/<table or file name>``; every user column of the
raw table (not the ``_``-prefixed bookkeeping columns) maps to the source column it came from. The
connectors keep a source column's name (only trimmed and made unique), so the names match; a
column flattened from a merged Excel header (``母亲/身份证号``) records the transform ``flatten``.
``rebuild`` records the lineage of every source table's newest succeeded run again (for runs loaded
before lineage existed, or after lineage was cleared); it is idempotent.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from govdata.govern.lineage.models import LineageRun
from govdata.govern.lineage.record import ColumnEdge, record_lineage
from govdata.lake import Lake, TableRef
from govdata.security.actor import Actor
from govdata.security.audit import AuditLog

if TYPE_CHECKING:
    from govdata.govern.pipeline import Loaded
    from govdata.ingest.models import IngestRun, Source, SourceTable


def _table_name(table: SourceTable) -> str:
    """A file's name without its folder (a path says where it was read, not what it is)."""
    name = table.source_table
    return name.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1] or name


def source_dataset(dept: str, source: Source, table: SourceTable) -> str:
    """The lineage name of a source system's table: ``source:<dept>/<source>/<table or file name>``."""
    return f"source:{dept}/{source.name}/{_table_name(table)}"


def _record_run(
    session: Session, lake: Lake, dept: str, source: Source, table: SourceTable, run: IngestRun
) -> LineageRun | None:
    ref = TableRef("raw", dept, table.lake_table)
    if not lake.exists(ref):
        return None
    origin = source_dataset(dept, source, table)
    columns = [f.name for f in lake.schema(ref) if not f.name.startswith("_")]
    edges = [ColumnEdge(origin, c, ref.key, c, "flatten" if "/" in c else None) for c in columns]
    return record_lineage(
        session,
        job=f"ingest:{dept}/{source.name}/{_table_name(table)}",
        kind="ingest",
        inputs=[origin],
        outputs=[ref.key],
        column_edges=edges,
        version=run.lake_version,
    )


def ingest_step(ctx: Loaded) -> None:
    """The pipeline's ``lineage`` step: record the run's source → raw lineage (flushed; the pipeline commits)."""
    source = ctx.source_table.source
    _record_run(ctx.session, ctx.lake, ctx.ref.dept, source, ctx.source_table, ctx.run)


def rebuild(session: Session, lake: Lake, audit: AuditLog, actor: Actor) -> int:
    """Record every source table's newest succeeded run again (audited as ``lineage.rebuilt``);
    returns how many runs were recorded."""
    from govdata.ingest.models import IngestRun, RunStatus, Source, SourceTable
    from govdata.ingest.runner import department_code

    newest = (
        select(IngestRun.source_table_id, func.max(IngestRun.id).label("run_id"))
        .where(IngestRun.status == RunStatus.succeeded, IngestRun.lake_version.is_not(None))
        .group_by(IngestRun.source_table_id)
        .subquery()
    )
    rows = session.execute(
        select(IngestRun, SourceTable, Source)
        .join(newest, newest.c.run_id == IngestRun.id)
        .join(SourceTable, SourceTable.id == IngestRun.source_table_id)
        .join(Source, Source.id == SourceTable.source_id)
        .order_by(IngestRun.id)
    ).all()
    recorded = 0
    for run, table, source in rows:
        dept = department_code(session, source.department_id)
        recorded += _record_run(session, lake, dept, source, table, run) is not None
    audit.record(session, actor, "lineage.rebuilt", target="lineage", rows=recorded)
    return recorded
