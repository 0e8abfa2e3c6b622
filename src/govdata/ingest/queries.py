"""Read-side queries of ingest: the latest runs, for the overview and the run history."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from govdata.ingest.models import IngestRun, Source, SourceTable
from govdata.security.actor import Actor
from govdata.security.models import Department
from govdata.security.roles import Permission


@dataclass(frozen=True)
class RunSummary:
    department: str
    source: str
    lake_table: str
    status: str
    rows_written: int
    rows_rejected: int
    duration_ms: int | None
    finished_at: dt.datetime | None
    error_code: str | None


def recent_runs(session: Session, actor: Actor, limit: int = 10) -> list[RunSummary]:
    """The newest runs, newest first (run metadata only — no data)."""
    actor.require(Permission.OVERVIEW_READ)
    stmt = (
        select(IngestRun, Department.name)
        .join(SourceTable, IngestRun.source_table_id == SourceTable.id)
        .join(Source, SourceTable.source_id == Source.id)
        .join(Department, Source.department_id == Department.id)
        .options(selectinload(IngestRun.source_table).selectinload(SourceTable.source))
        .order_by(IngestRun.id.desc())
        .limit(limit)
    )
    return [
        RunSummary(
            department=dept_name,
            source=run.source_table.source.name,
            lake_table=run.source_table.lake_table,
            status=str(run.status),
            rows_written=run.rows_written,
            rows_rejected=run.rows_rejected,
            duration_ms=run.duration_ms,
            finished_at=run.finished_at,
            error_code=run.error_code,
        )
        for run, dept_name in session.execute(stmt)
    ]
