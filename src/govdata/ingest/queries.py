"""Read-side queries of ingest: sources, run history, schema drift, and freshness of every table.

Run metadata only — never table data. ``table_status`` is the bureau's freshness view (every
department, for ``OVERVIEW_READ``); sources, runs and drift are a department's own
(``INGEST_RUN`` + own department; the platform's system actor sees all).
Raises ``PermissionDenied`` when the actor lacks the permission.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, selectinload

from govdata.db.base import utcnow
from govdata.ingest.models import IngestRun, LoadMode, RunStatus, SchemaChange, Source, SourceTable
from govdata.security.actor import Actor
from govdata.security.models import Department
from govdata.security.roles import Permission

# Expected cycle of a table from its catalog resource's update cycle (更新周期), in minutes.
CYCLE_MINUTES: dict[str, int] = {
    "realtime": 5,
    "daily": 24 * 60,
    "weekly": 7 * 24 * 60,
    "monthly": 31 * 24 * 60,
    "quarterly": 92 * 24 * 60,
    "semiannual": 183 * 24 * 60,
    "yearly": 366 * 24 * 60,
}
GRACE_FRACTION = 0.25
MIN_GRACE = dt.timedelta(minutes=10)


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    """Datetimes come back naive from SQLite/``timestamp`` columns; they are UTC."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=dt.UTC)


class _Out:
    def to_dict(self) -> dict[str, Any]:
        out = dataclasses.asdict(self)  # type: ignore[call-overload]
        return {k: v.isoformat() if isinstance(v, dt.datetime) else v for k, v in out.items()}


def grace_for(cycle: dt.timedelta) -> dt.timedelta:
    """How long after its cycle a table may arrive before it counts as late."""
    return max(MIN_GRACE, cycle * GRACE_FRACTION)


def _resource_cycle(session: Session, resource_id: int | None) -> str | None:
    if resource_id is None:
        return None
    from govdata.catalog import Resource

    return session.scalar(select(Resource.update_cycle).where(Resource.id == resource_id))


def cycle_minutes(session: Session, table: SourceTable) -> int | None:
    """The table's expected cycle: its own schedule, else its catalog resource's update cycle."""
    if table.schedule_minutes:
        return table.schedule_minutes
    return CYCLE_MINUTES.get(_resource_cycle(session, table.resource_id) or "")


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


@dataclass(frozen=True)
class TableStatus(_Out):
    """Freshness of one table: its last run, last success, expected cycle and whether it is late."""

    table_id: int
    department: str
    department_name: str
    source_id: int
    source: str
    connector: str
    source_table: str
    lake_table: str
    mode: str
    enabled: bool
    last_run_id: int | None
    last_run_status: str | None
    last_run_rows: int | None
    last_run_rows_read: int | None
    last_run_rejected: int | None
    last_run_finished_at: dt.datetime | None
    last_run_error: str | None
    last_success_at: dt.datetime | None
    cycle_minutes: int | None
    cycle_from: str | None  # "schedule" | "catalog" | None
    next_run_at: dt.datetime | None
    freshness: str  # fresh | pending | late | never | unscheduled | disabled | logical
    late: bool
    source_status: str
    source_error: str | None


def _freshness(
    table: SourceTable, source: Source, cycle: int | None, last_success: dt.datetime | None, now: dt.datetime
) -> tuple[str, bool]:
    if table.mode == LoadMode.logical:
        return "logical", False
    if not table.enabled:
        return "disabled", False
    if cycle is None:
        return "unscheduled", False
    span = dt.timedelta(minutes=cycle)
    since = last_success or _aware(source.created_at) or now
    late = now > since + span + grace_for(span)
    if last_success is None:
        return ("never" if late else "pending"), late
    return ("late" if late else "fresh"), late


def table_status(
    session: Session, actor: Actor, *, department_id: int | None = None, now: dt.datetime | None = None
) -> list[TableStatus]:
    """Every registered table (of one department, if given) with its freshness, late ones first."""
    actor.require(Permission.OVERVIEW_READ)
    from govdata.catalog import Resource

    now = now or utcnow()
    latest = (
        select(IngestRun.source_table_id, func.max(IngestRun.id).label("run_id"))
        .group_by(IngestRun.source_table_id)
        .subquery()
    )
    succeeded = (
        select(IngestRun.source_table_id, func.max(IngestRun.finished_at).label("at"))
        .where(IngestRun.status == RunStatus.succeeded)
        .group_by(IngestRun.source_table_id)
        .subquery()
    )
    stmt: Select[Any] = (
        select(SourceTable, Source, Department, IngestRun, Resource.update_cycle, succeeded.c.at)
        .join(Source, SourceTable.source_id == Source.id)
        .join(Department, Source.department_id == Department.id)
        .outerjoin(latest, latest.c.source_table_id == SourceTable.id)
        .outerjoin(IngestRun, IngestRun.id == latest.c.run_id)
        .outerjoin(succeeded, succeeded.c.source_table_id == SourceTable.id)
        .outerjoin(Resource, Resource.id == SourceTable.resource_id)
        .order_by(Department.code, Source.name, SourceTable.lake_table)
    )
    if department_id is not None:
        stmt = stmt.where(Source.department_id == department_id)
    out: list[TableStatus] = []
    for table, source, dept, run, update_cycle, success_at in session.execute(stmt):
        cycle, cycle_from = None, None
        if table.schedule_minutes:
            cycle, cycle_from = table.schedule_minutes, "schedule"
        elif update_cycle in CYCLE_MINUTES:
            cycle, cycle_from = CYCLE_MINUTES[update_cycle], "catalog"
        stamps = [s for s in (_aware(table.last_success_at), _aware(success_at)) if s is not None]
        last_success = max(stamps) if stamps else None
        freshness, late = _freshness(table, source, cycle, last_success, now)
        out.append(
            TableStatus(
                table_id=table.id,
                department=dept.code,
                department_name=dept.name,
                source_id=source.id,
                source=source.name,
                connector=source.connector,
                source_table=table.source_table,
                lake_table=table.lake_table,
                mode=str(table.mode),
                enabled=bool(table.enabled),
                last_run_id=run.id if run else None,
                last_run_status=str(run.status) if run else None,
                last_run_rows=run.rows_written if run else None,
                last_run_rows_read=run.rows_read if run else None,
                last_run_rejected=run.rows_rejected if run else None,
                last_run_finished_at=_aware(run.finished_at) if run else None,
                last_run_error=run.error_code if run else None,
                last_success_at=last_success,
                cycle_minutes=cycle,
                cycle_from=cycle_from,
                next_run_at=_aware(table.next_run_at),
                freshness=freshness,
                late=late,
                source_status=str(source.status),
                source_error=source.last_error,
            )
        )
    out.sort(key=lambda s: not s.late)  # stable: late tables first, then by department and name
    return out


def _own(stmt: Select[Any], actor: Actor) -> Select[Any]:
    """Limit a statement joined to ``Source`` to the actor's department (the system sees all)."""
    actor.require(Permission.INGEST_RUN)
    if actor.role == "system":
        return stmt
    return stmt.where(Source.department_id == actor.department_id)


@dataclass(frozen=True)
class SourceOut(_Out):
    id: int
    department: str
    name: str
    connector: str
    config: dict[str, Any]  # without the secret
    has_secret: bool
    status: str
    last_error: str | None
    tables: int
    created_at: dt.datetime | None


def list_sources(session: Session, actor: Actor) -> list[SourceOut]:
    """The department's sources (all of them for the system actor); secrets never leave."""
    stmt = _own(
        select(Source, Department.code)
        .join(Department, Source.department_id == Department.id)
        .options(selectinload(Source.tables))
        .order_by(Department.code, Source.name),
        actor,
    )
    return [
        SourceOut(
            id=src.id,
            department=code,
            name=src.name,
            connector=src.connector,
            config=dict(src.config or {}),
            has_secret=src.secret is not None,
            status=str(src.status),
            last_error=src.last_error,
            tables=len(src.tables),
            created_at=_aware(src.created_at),
        )
        for src, code in session.execute(stmt)
    ]


@dataclass(frozen=True)
class RunOut(_Out):
    id: int
    table_id: int
    source: str
    lake_table: str
    mode: str
    status: str
    triggered_by: str | None
    attempt: int
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    duration_ms: int | None
    rows_read: int
    rows_written: int
    rows_rejected: int
    rows_deleted: int
    bytes: int
    lake_version: int | None
    source_version: str | None
    cursor_value: str | None
    error_code: str | None
    error_message: str | None


def list_runs(
    session: Session,
    actor: Actor,
    *,
    source_id: int | None = None,
    table_id: int | None = None,
    limit: int = 50,
) -> list[RunOut]:
    """Run history of the department's tables, newest first."""
    stmt = _own(
        select(IngestRun, SourceTable, Source)
        .join(SourceTable, IngestRun.source_table_id == SourceTable.id)
        .join(Source, SourceTable.source_id == Source.id)
        .order_by(IngestRun.id.desc())
        .limit(limit),
        actor,
    )
    if source_id is not None:
        stmt = stmt.where(Source.id == source_id)
    if table_id is not None:
        stmt = stmt.where(SourceTable.id == table_id)
    return [
        RunOut(
            id=run.id,
            table_id=table.id,
            source=source.name,
            lake_table=table.lake_table,
            mode=str(run.mode),
            status=str(run.status),
            triggered_by=run.triggered_by,
            attempt=run.attempt,
            started_at=_aware(run.started_at),
            finished_at=_aware(run.finished_at),
            duration_ms=run.duration_ms,
            rows_read=run.rows_read,
            rows_written=run.rows_written,
            rows_rejected=run.rows_rejected,
            rows_deleted=run.rows_deleted,
            bytes=run.bytes,
            lake_version=run.lake_version,
            source_version=run.source_version,
            cursor_value=run.cursor_value,
            error_code=run.error_code,
            error_message=run.error_message,
        )
        for run, table, source in session.execute(stmt)
    ]


@dataclass(frozen=True)
class SchemaChangeOut(_Out):
    id: int
    table_id: int
    lake_table: str
    run_id: int | None
    kind: str
    column: str | None
    old_type: str | None
    new_type: str | None
    action: str
    detected_at: dt.datetime | None


def list_schema_changes(
    session: Session, actor: Actor, *, table_id: int | None = None, limit: int = 200
) -> list[SchemaChangeOut]:
    """Columns added, removed or retyped at the department's sources, newest first."""
    stmt = _own(
        select(SchemaChange, SourceTable)
        .join(SourceTable, SchemaChange.source_table_id == SourceTable.id)
        .join(Source, SourceTable.source_id == Source.id)
        .order_by(SchemaChange.id.desc())
        .limit(limit),
        actor,
    )
    if table_id is not None:
        stmt = stmt.where(SourceTable.id == table_id)
    return [
        SchemaChangeOut(
            id=change.id,
            table_id=table.id,
            lake_table=table.lake_table,
            run_id=change.run_id,
            kind=change.kind,
            column=change.column,
            old_type=change.old_type,
            new_type=change.new_type,
            action=change.action,
            detected_at=_aware(change.detected_at),
        )
        for change, table in session.execute(stmt)
    ]
