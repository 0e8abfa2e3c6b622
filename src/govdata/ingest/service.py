"""Operating ingest: registering sources and tables, enabling them, queueing and running loads.

Every function checks ``Permission.INGEST_RUN`` and that a provider acts only on its own
department, audits what it changed, and leaves committing to the caller (``run_now`` commits: the
runner records each run in its own commits). Reads (status, history) live in ``ingest.queries``.

Raises ``InvalidInput`` (bad names, modes, schedules), ``NotFound`` (unknown department, source,
table), ``Conflict`` (duplicate names, a table already being loaded), ``PermissionDenied``.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import pyarrow as pa
from sqlalchemy import select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from govdata.db.base import utcnow
from govdata.errors import Conflict, GovdataError, InvalidInput, NotFound
from govdata.ingest.connectors import get_connector
from govdata.ingest.errors import as_govdata_error
from govdata.ingest.intake import IntakeOptions
from govdata.ingest.models import (
    DriftPolicy,
    IngestRun,
    LoadMode,
    RejectPolicy,
    RunStatus,
    Source,
    SourceTable,
)
from govdata.ingest.queries import cycle_minutes, table_status
from govdata.ingest.runner import source_config, store_config
from govdata.lake import Lake, TableRef
from govdata.security.actor import Actor
from govdata.security.audit import AuditLog
from govdata.security.models import Department
from govdata.security.roles import Permission

__all__ = [
    "add_table",
    "claim_manual_run",
    "start_manual_run",
    "defer_runs",
    "rejected_rows",
    "run_in_background",
    "discover_tables",
    "get_source",
    "get_table",
    "progress_recorder",
    "register_source",
    "request_run",
    "resolve_source",
    "run_now",
    "set_enabled",
    "table_status",
]

log = logging.getLogger(__name__)
MAX_SCHEDULE_MINUTES = 366 * 24 * 60
ProgressFn = Callable[[int], None]


def _choice(field: str, value: str, allowed: type[Any]) -> str:
    known = [m.value for m in allowed]
    if value not in known:
        raise InvalidInput("ingest.bad_choice", field=field, value=value, known=", ".join(known))
    return value


def get_source(session: Session, actor: Actor, source_id: int) -> Source:
    """Source ``source_id`` of the actor's own department."""
    actor.require(Permission.INGEST_RUN)
    source = session.get(Source, source_id)
    if source is None:
        raise NotFound("ingest.source_unknown", source=source_id)
    actor.require_department(source.department_id)
    return source


def resolve_source(session: Session, actor: Actor, ref: str) -> Source:
    """A source by id (digits) or by name; a name shared by several departments must be an id."""
    if ref.isdigit():
        return get_source(session, actor, int(ref))
    actor.require(Permission.INGEST_RUN)
    stmt = select(Source).where(Source.name == ref)
    if actor.role != "system":
        stmt = stmt.where(Source.department_id == actor.department_id)
    found = list(session.scalars(stmt))
    if not found:
        raise NotFound("ingest.source_unknown", source=ref)
    if len(found) > 1:
        raise InvalidInput("ingest.source_ambiguous", source=ref, count=len(found))
    return found[0]


def get_table(session: Session, actor: Actor, table_id: int) -> SourceTable:
    """Source table ``table_id`` of the actor's own department."""
    actor.require(Permission.INGEST_RUN)
    table = session.get(SourceTable, table_id)
    if table is None:
        raise NotFound("ingest.table_unknown", table=table_id)
    actor.require_department(table.source.department_id)
    return table


def register_source(
    session: Session,
    audit: AuditLog,
    actor: Actor,
    department_code: str,
    name: str,
    connector: str,
    config: Mapping[str, Any],
    *,
    secret_key: str,
) -> Source:
    """Register a department's system or file drop; its secret is stored encrypted, never plain."""
    actor.require(Permission.INGEST_RUN)
    dept = session.scalar(select(Department).where(Department.code == department_code))
    if dept is None:
        raise NotFound("ingest.department_unknown", department=department_code)
    actor.require_department(dept.id)
    name = name.strip()
    if not name or len(name) > 200:
        raise InvalidInput("ingest.source_name_invalid", name=name[:40])
    get_connector(connector).parse_config(config)  # refuses a bad config before anything is stored
    taken = session.scalar(select(Source.id).where(Source.department_id == dept.id, Source.name == name))
    if taken is not None:
        raise Conflict("ingest.source_exists", name=name)
    source = Source(department_id=dept.id, name=name, connector=connector)
    store_config(source, config, secret_key)
    session.add(source)
    session.flush()
    audit.record(
        session,
        actor,
        "ingest.source_register",
        target=f"source:{source.id}",
        detail={"department": dept.code, "name": name, "connector": connector},
    )
    return source


def discover_tables(session: Session, actor: Actor, source_id: int, *, secret_key: str) -> list[str]:
    """The tables the source offers now (a file source offers itself)."""
    source = get_source(session, actor, source_id)
    connector = get_connector(source.connector)
    try:
        return connector.discover(connector.parse_config(source_config(source, secret_key)))
    except Exception as exc:
        raise as_govdata_error(exc, source.name) from exc


def add_table(
    session: Session,
    audit: AuditLog,
    actor: Actor,
    source_id: int,
    source_table: str,
    lake_table: str,
    key_columns: Sequence[str] = (),
    mode: str = LoadMode.full,
    cursor_column: str | None = None,
    delete_detection: bool = False,
    drift_policy: str = DriftPolicy.evolve,
    reject_policy: str = RejectPolicy.commit_good,
    schedule_minutes: int | None = None,
    resource_code: str | None = None,
) -> SourceTable:
    """Take ``source_table`` of a source into ``raw.<dept>.<lake_table>``, due at once if scheduled."""
    source = get_source(session, actor, source_id)
    dept = session.get(Department, source.department_id)
    assert dept is not None  # foreign key
    TableRef("raw", dept.code, lake_table)  # validates the name
    source_table = source_table.strip()
    if not source_table:
        raise InvalidInput("ingest.table_unknown", table=source_table)
    mode = _choice("mode", str(mode), LoadMode)
    _choice("drift_policy", str(drift_policy), DriftPolicy)
    _choice("reject_policy", str(reject_policy), RejectPolicy)
    keys = [k.strip() for k in key_columns if k.strip()]
    cursor = (cursor_column or "").strip() or None
    caps = get_connector(source.connector).capabilities
    needs = {
        LoadMode.incremental: caps.incremental,
        LoadMode.upsert: caps.upsert,
        LoadMode.logical: caps.lookup,
    }
    if mode in needs and not needs[mode]:
        raise InvalidInput("ingest.mode_unsupported", connector=source.connector, mode=mode)
    if mode in (LoadMode.incremental, LoadMode.upsert) and not keys:
        raise InvalidInput("ingest.mode_needs_keys", table=lake_table, mode=mode)
    if mode == LoadMode.incremental and cursor is None:
        raise InvalidInput("ingest.mode_needs_cursor", table=lake_table, mode=mode)
    if delete_detection:
        if not caps.delete_detection:
            raise InvalidInput("ingest.mode_unsupported", connector=source.connector, mode="delete_detection")
        if not keys:
            raise InvalidInput("ingest.mode_needs_keys", table=lake_table, mode="delete_detection")
    if schedule_minutes is not None and not 1 <= schedule_minutes <= MAX_SCHEDULE_MINUTES:
        raise InvalidInput("ingest.bad_schedule", minutes=schedule_minutes)
    resource_id = None
    if resource_code:
        from govdata.catalog import get_resource

        resource = get_resource(session, resource_code)
        if resource.department_id != source.department_id:
            raise InvalidInput("ingest.resource_other_department", resource=resource_code)
        resource_id = resource.id
    if session.scalar(
        select(SourceTable.id).where(
            SourceTable.source_id == source.id, SourceTable.source_table == source_table
        )
    ):
        raise Conflict("ingest.table_exists", table=source_table)
    if session.scalar(
        select(SourceTable.id)
        .join(Source, SourceTable.source_id == Source.id)
        .where(Source.department_id == source.department_id, SourceTable.lake_table == lake_table)
    ):
        raise Conflict("ingest.lake_table_taken", table=lake_table)
    table = SourceTable(
        source_id=source.id,
        source_table=source_table,
        lake_table=lake_table,
        resource_id=resource_id,
        key_columns=keys,
        mode=mode,
        cursor_column=cursor,
        delete_detection=delete_detection,
        drift_policy=str(drift_policy),
        reject_policy=str(reject_policy),
        schedule_minutes=schedule_minutes,
        state={},
    )
    session.add(table)
    session.flush()
    if mode != LoadMode.logical and cycle_minutes(session, table) is not None:
        table.next_run_at = utcnow()
    audit.record(
        session,
        actor,
        "ingest.table_add",
        target=f"table:raw.{dept.code}.{lake_table}",
        detail={"source": source.id, "source_table": source_table, "mode": mode, "keys": keys},
    )
    return table


def set_enabled(session: Session, audit: AuditLog, actor: Actor, table_id: int, enabled: bool) -> SourceTable:
    """Switch scheduled loads of a table on or off; switching on makes it due at once."""
    table = get_table(session, actor, table_id)
    table.enabled = enabled
    table.next_run_at = utcnow() if enabled and cycle_minutes(session, table) is not None else None
    audit.record(
        session,
        actor,
        "ingest.table_enable" if enabled else "ingest.table_disable",
        target=f"ingest_table:{table.id}",
    )
    return table


def request_run(session: Session, audit: AuditLog, actor: Actor, table_id: int) -> SourceTable:
    """Queue a load of a table: the next scheduler tick (embedded or ``govdata worker``) runs it."""
    table = get_table(session, actor, table_id)
    if table.mode == LoadMode.logical:
        raise InvalidInput("ingest.logical_not_run", table=table.lake_table)
    table.next_run_at = utcnow()
    audit.record(session, actor, "ingest.run_request", target=f"ingest_table:{table.id}")
    return table


def progress_recorder(
    sessions: sessionmaker[Session],
    source_table_id: int,
    *,
    lease_owner: str | None = None,
    lease: dt.timedelta | None = None,
    every_seconds: float = 0.5,
    also: ProgressFn | None = None,
) -> ProgressFn:
    """A runner ``progress`` callback: writes the running run's ``rows_read`` in its own short
    transaction at most every ``every_seconds`` (so the portal can poll it), renews the lease of
    ``lease_owner`` while the load goes on, and passes the count to ``also`` (a progress bar)."""
    last = [0.0]

    def report(rows: int) -> None:
        if also is not None:
            also(rows)
        now = time.monotonic()
        if now - last[0] < every_seconds:
            return
        last[0] = now
        try:
            _record_progress(sessions, source_table_id, rows, lease_owner, lease)
        except SQLAlchemyError:  # progress is for display: a busy metadata store must not fail the load
            log.warning("ingest progress of table %s not recorded", source_table_id, exc_info=True)

    return report


def _record_progress(
    sessions: sessionmaker[Session],
    source_table_id: int,
    rows: int,
    lease_owner: str | None,
    lease: dt.timedelta | None,
) -> None:
    with sessions() as s:
        s.execute(
            update(IngestRun)
            .where(IngestRun.source_table_id == source_table_id, IngestRun.status == RunStatus.running)
            .values(rows_read=rows)
        )
        if lease_owner is not None and lease is not None:
            s.execute(
                update(SourceTable)
                .where(SourceTable.id == source_table_id, SourceTable.lease_owner == lease_owner)
                .values(lease_until=utcnow() + lease)
            )
        s.commit()


def manual_owner(actor: Actor) -> str:
    """The lease owner a manual run of ``actor`` records."""
    return f"manual:{actor.username}"


def claim_manual_run(session: Session, actor: Actor, table_id: int) -> SourceTable:
    """Take the lease of a table for a manual run now (commits), or raise ``ingest.table_busy``."""
    from govdata.ingest.scheduler import claim

    table = get_table(session, actor, table_id)
    if table.mode == LoadMode.logical:
        raise InvalidInput("ingest.logical_not_run", table=table.lake_table)
    if not claim(session, table.id, manual_owner(actor), due_only=False):
        session.refresh(table)
        raise Conflict("ingest.table_busy", table=table.lake_table, owner=table.lease_owner or "")
    return table


def start_manual_run(
    session: Session,
    sessions: sessionmaker[Session],
    lake: Lake,
    audit: AuditLog,
    actor: Actor,
    table_id: int,
    *,
    secret_key: str,
    intake: Any,
    full: bool,
    defer: Callable[..., Any],
) -> SourceTable:
    """Claim a table for a manual run, audit the request, and hand the load to ``defer``.

    ``defer`` runs ``run_in_background`` after the response (the API's and the portal's
    ``BackgroundTasks.add_task``), so the request returns at once and the page polls progress.
    """
    table = claim_manual_run(session, actor, table_id)
    audit.record(
        session, actor, "ingest.run_request", target=f"ingest_table:{table.id}", detail={"full": full}
    )
    defer_runs(
        defer, sessions, lake, audit, actor, [table.id], secret_key=secret_key, intake=intake, full=full
    )
    return table


def defer_runs(
    defer: Callable[..., Any],
    sessions: sessionmaker[Session],
    lake: Lake,
    audit: AuditLog,
    actor: Actor,
    table_ids: Sequence[int],
    *,
    secret_key: str,
    intake: Any,
    full: bool = False,
) -> None:
    """Hand already-claimed tables to ``defer`` (``BackgroundTasks.add_task``) to load after the response."""
    for table_id in table_ids:
        defer(
            run_in_background,
            sessions,
            lake,
            audit,
            actor,
            table_id,
            secret_key=secret_key,
            full=full,
            intake=intake,
        )


def run_now(
    sessions: sessionmaker[Session],
    lake: Lake,
    audit: AuditLog,
    actor: Actor,
    table_id: int,
    *,
    secret_key: str,
    full: bool = False,
    progress: ProgressFn | None = None,
    claimed: bool = False,
    intake: IntakeOptions | None = None,
) -> IngestRun:
    """Load one table now, under its lease so no scheduler runs it at the same time.

    ``claimed=True`` when the caller already took the lease with ``claim_manual_run`` (the portal
    claims in the request, then loads in the background). Raises ``Conflict("ingest.table_busy")``
    when someone else holds it, and the runner's ``GovdataError`` when the load fails (recorded).
    ``intake`` lets a table fed from a URL download its file first (``govdata.ingest.intake``).
    """
    from govdata.ingest.scheduler import DEFAULT_LEASE, run_one

    if not claimed:
        with sessions() as s:
            claim_manual_run(s, actor, table_id)
    return run_one(
        sessions,
        lake,
        audit,
        actor,
        table_id,
        secret_key=secret_key,
        owner=manual_owner(actor),
        full=full,
        progress=progress,
        lease=DEFAULT_LEASE,
        intake=intake,
    )


def run_in_background(
    sessions: sessionmaker[Session],
    lake: Lake,
    audit: AuditLog,
    actor: Actor,
    table_id: int,
    *,
    secret_key: str,
    full: bool = False,
    intake: IntakeOptions | None = None,
) -> None:
    """``run_now`` for a lease already claimed, swallowing the (recorded) failure: the web's
    background task, whose caller watches the run record instead of an exception."""
    try:
        run_now(
            sessions,
            lake,
            audit,
            actor,
            table_id,
            secret_key=secret_key,
            full=full,
            claimed=True,
            intake=intake,
        )
    except GovdataError as exc:
        log.info("manual run of ingest table %s failed: %s", table_id, exc.code)
    except Exception:
        log.exception("manual run of ingest table %s crashed", table_id)


def rejected_rows(
    session: Session, lake: Lake, audit: AuditLog, actor: Actor, table_id: int, run_id: int | None = None
) -> pa.Table:
    """The quarantined rows of a table (raw values: its own department only), audited."""
    from govdata.ingest.quarantine import quarantine_rows

    table = get_table(session, actor, table_id)
    dept = session.get(Department, table.source.department_id)
    assert dept is not None
    rows = quarantine_rows(lake, dept.code, table.lake_table, run_id)
    audit.record(
        session,
        actor,
        "ingest.quarantine_read",
        target=f"table:raw.{dept.code}.{table.lake_table}",
        rows=rows.num_rows,
        detail={"run": run_id},
    )
    return rows
