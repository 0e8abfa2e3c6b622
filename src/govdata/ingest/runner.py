"""The runner: one run of a source table into the lake, recorded, audited, retried.

``run_table`` is the entry point (the scheduler, the CLI, the API and the push/stream paths call it):
it creates an ``IngestRun`` and commits, loads per the table's mode (``govdata.ingest.modes`` — full
snapshot, incremental by cursor, upsert by key, each ONE atomic Delta commit; ``logical`` copies
nothing and only checks the source), records drift (``SchemaChange``) and rejected rows (the
quarantine table), updates the table's state (cursor) and source status, audits, and commits.
``TransientError`` is retried with exponential backoff up to ``SourceTable.max_retries`` times,
each attempt its own ``IngestRun`` (``attempt`` 1, 2, …). A failure is recorded, then raised as a
``GovdataError``; the lake table keeps its previous version.
``query_in_place`` answers a lookup against a logical (not copied) source.
``load_to_lake`` is a snapshot without the metadata store; ``run_full_load`` the older entry point.
Raises ``NotFound`` (``ingest.source_not_found``, ``ingest.department_not_found``), ``InvalidInput``
(``ingest.lookup_unsupported`` and the modes' codes) and whatever the connector raises.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import column, select, table
from sqlalchemy.orm import Session

from govdata.db.base import utcnow
from govdata.errors import GovdataError, InvalidInput, NotFound, TransientError
from govdata.ingest import drift
from govdata.ingest.connectors import ReadRequest, get_connector
from govdata.ingest.errors import as_govdata_error
from govdata.ingest.models import IngestRun, LoadMode, RunStatus, Source, SourceStatus, SourceTable
from govdata.ingest.modes import LoadResult, Outcome, Progress, Spec, load, load_to_lake
from govdata.ingest.quarantine import Rejects, write_rejects
from govdata.ingest.secret import decrypt_secret, encrypt_secret
from govdata.lake import Lake, TableRef
from govdata.security.audit import AuditLog

BACKOFF_SECONDS = 0.5

__all__ = [
    "BACKOFF_SECONDS",
    "LoadResult",
    "department_code",
    "load_to_lake",
    "query_in_place",
    "run_full_load",
    "run_table",
    "source_config",
    "store_config",
]


def store_config(source: Source, config: Mapping[str, Any], secret_key: str) -> None:
    """Set ``source.config`` to ``config`` minus its secret, which goes encrypted to ``source.secret``."""
    public, secret = get_connector(source.connector).split_secret(config)
    source.config = public
    source.secret = encrypt_secret(secret, secret_key) if secret is not None else None


def source_config(source: Source, secret_key: str) -> dict[str, Any]:
    """The full connector config of ``source``, secret decrypted."""
    secret = decrypt_secret(source.secret, secret_key, source.name) if source.secret else None
    return get_connector(source.connector).join_secret(source.config, secret)


def _who(actor: object | None) -> str | None:
    """The name a run records for ``actor`` (a security ``Actor``, a plain name, or nobody)."""
    if actor is None or isinstance(actor, str):
        return actor
    return str(getattr(actor, "username", actor))


def department_code(session: Session, department_id: int) -> str:
    """The code of department ``department_id`` (the security pillar's ``departments`` table)."""
    departments = table("departments", column("id"), column("code"))
    code = session.execute(select(departments.c.code).where(departments.c.id == department_id)).scalar()
    if code is None:
        raise NotFound("ingest.department_not_found", department=department_id)
    return str(code)


def run_full_load(
    session: Session,
    lake: Lake,
    source_table: SourceTable,
    actor: object | None = None,
    *,
    secret_key: str | None = None,
    dept_code: str | None = None,
    audit: AuditLog | None = None,
) -> IngestRun:
    """Load ``source_table`` as a full snapshot and record the run (``run_table`` with ``full=True``)."""
    return run_table(
        session, lake, audit, actor, source_table, secret_key=secret_key, full=True, dept_code=dept_code
    )


def run_table(
    session: Session,
    lake: Lake,
    audit: AuditLog | None,
    actor: object | None,
    source_table: SourceTable,
    *,
    secret_key: str | None = None,
    full: bool = False,
    progress: Progress | None = None,
    dept_code: str | None = None,
    sleep: Callable[[float], None] = time.sleep,
    backoff: float = BACKOFF_SECONDS,
) -> IngestRun:
    """Run ``source_table`` once per its mode (``full`` forces a snapshot and resets the cursor).

    Commits ``session`` after creating each run and after recording its outcome. A
    ``TransientError`` is retried up to ``source_table.max_retries`` more times, sleeping
    ``backoff * 2**(attempt-1)`` seconds in between. Returns the succeeded run; raises the last
    error (a ``GovdataError``) once it is recorded.
    """
    source = session.get(Source, source_table.source_id)
    if source is None:
        raise NotFound("ingest.source_not_found", source=source_table.source_id)
    if secret_key is None:
        from govdata.config import get_settings

        secret_key = get_settings().secret_key.get_secret_value()
    attempts = 1 + max(0, source_table.max_retries or 0)
    for attempt in range(1, attempts + 1):
        try:
            return _attempt(
                session,
                lake,
                audit,
                actor,
                source,
                source_table,
                secret_key,
                full,
                progress,
                dept_code,
                attempt,
            )
        except TransientError:
            if attempt == attempts:
                raise
            sleep(backoff * 2 ** (attempt - 1))
    raise AssertionError("unreachable")  # pragma: no cover


def _attempt(
    session: Session,
    lake: Lake,
    audit: AuditLog | None,
    actor: object | None,
    source: Source,
    source_table: SourceTable,
    secret_key: str,
    full: bool,
    progress: Progress | None,
    dept_code: str | None,
    attempt: int,
) -> IngestRun:
    code = dept_code or department_code(session, source.department_id)
    ref = TableRef("raw", code, source_table.lake_table)
    mode = str(LoadMode.full if full else (source_table.mode or LoadMode.full))
    state = dict(source_table.state or {})
    run = IngestRun(
        source_table=source_table,
        mode=mode,
        started_at=utcnow(),
        status=RunStatus.running,
        triggered_by=_who(actor),
        attempt=attempt,
        source_version=state.get("cursor") if mode == LoadMode.incremental else None,
    )
    session.add(run)
    session.commit()
    started = time.monotonic()
    outcome: Outcome | None = None
    connector: Any = None
    cfg: Any = None
    try:
        if mode not in set(LoadMode):
            raise InvalidInput("ingest.bad_mode", table=ref.key, mode=mode, known=", ".join(LoadMode))
        connector = get_connector(source.connector)
        cfg = connector.parse_config(source_config(source, secret_key))
        if mode == LoadMode.logical:
            schema = connector.schema(cfg)
            state["schema"] = [[f.name, str(f.type)] for f in schema]
        else:
            spec = Spec(
                mode=mode,
                keys=tuple(source_table.key_columns or ()),
                cursor_column=source_table.cursor_column,
                cursor=None if full else state.get("cursor"),
                delete_detection=bool(source_table.delete_detection),
                drift_policy=source_table.drift_policy,
                reject_policy=source_table.reject_policy,
            )

            def seen(plan: drift.Plan) -> None:
                drift.record(session, source_table, run, plan.actions)

            file = getattr(cfg, "path", None)
            if file and run.source_version is None:
                run.source_version = _file_version(str(file))
            rejects = Rejects(str(file) if file else None)
            gate = _blocking_gate(session, lake, source_table)
            try:
                outcome = load(lake, ref, connector, cfg, spec, full=full, progress=progress, on_plan=seen,
                               rejects=rejects, gate=gate)  # fmt: skip
            finally:
                if gate is not None:
                    gate.close()
                if len(rejects):
                    run.rows_rejected = write_rejects(lake, code, source_table.lake_table, run.id, rejects)
    except Exception as exc:
        _settle(connector, "after_failure", cfg)
        error = as_govdata_error(exc, ref.key)
        if error.code in drift.TABLE_GONE:
            drift.record_table_dropped(session, source_table, run)
        run.status = RunStatus.failed
        run.finished_at = utcnow()
        run.duration_ms = int((time.monotonic() - started) * 1000)
        run.error_code = error.code
        run.error_message = error.message("zh")
        source.status = SourceStatus.error
        source.last_error = error.message("zh")
        _audit(session, audit, actor, run, ref, error.code)
        session.commit()
        _follow_catalog(session, audit, run)
        if error is exc:
            raise
        raise error from exc
    _settle(connector, "after_commit", cfg)
    run.status = RunStatus.succeeded
    run.finished_at = utcnow()
    run.duration_ms = int((time.monotonic() - started) * 1000)
    if outcome is not None:
        written = outcome.written
        run.rows_read = outcome.rows_read
        run.rows_written = written.rows if written else 0
        run.rows_deleted = written.deleted if written else 0
        run.bytes = outcome.bytes
        run.lake_version = outcome.version
        run.cursor_value = outcome.cursor
        if outcome.cursor is not None:
            state["cursor"] = outcome.cursor
        elif full:
            state.pop("cursor", None)
        source_table.last_rows = lake.stats(ref).records if lake.exists(ref) else 0
    source_table.state = state
    source.status = SourceStatus.ok
    source.last_error = None
    source_table.last_run_at = run.finished_at
    source_table.last_success_at = run.finished_at
    _audit(session, audit, actor, run, ref, None)
    session.commit()
    _follow_catalog(session, audit, run)
    _govern(session, lake, audit, run)
    return run


def _follow_catalog(session: Session, audit: AuditLog | None, run: IngestRun) -> None:
    """After the run is committed: drift it recorded opens a draft revision of the linked resource."""
    from govdata.catalog.follow import after_run  # the catalog is above ingest: import late

    after_run(session, audit, run.id)


def _blocking_gate(session: Session, lake: Lake, source_table: SourceTable) -> Any:
    """Governance's blocking quality rules for the table's resource, judged per staged batch (or None)."""
    from govdata.govern.quality.blocking import blocking_gate  # governance is above ingest: import late

    return blocking_gate(session, lake, source_table)


def _govern(session: Session, lake: Lake, audit: AuditLog | None, run: IngestRun) -> None:
    """After a succeeded run: governance's steps (lineage, standardized copy, quality, profile)."""
    from govdata.govern.pipeline import after_load  # governance is above ingest: import late

    after_load(session, lake, audit, run.id)


def _file_version(path: str) -> str | None:
    """A file's modification time and size: what the run read, for the history."""
    import datetime as dt
    from pathlib import Path

    p = Path(path)
    if not p.is_file():
        return None
    stat = p.stat()
    when = dt.datetime.fromtimestamp(stat.st_mtime, dt.UTC).isoformat(timespec="seconds")
    return f"{when} {stat.st_size}B"


def _settle(connector: Any, hook: str, cfg: Any) -> None:
    """Call a connector's ``after_commit``/``after_failure`` (a stream acknowledges or hands back).

    The Delta commit has already happened or failed: a settling error cannot change that, and what
    it leaves unacknowledged is redelivered and merged by key, so it is not raised.
    """
    settle = getattr(connector, hook, None)
    if settle is None or cfg is None:
        return
    try:
        settle(cfg)
    except Exception:  # noqa: BLE001, S110 - see docstring: redelivery makes this safe
        pass


def query_in_place(
    session: Session,
    source_table: SourceTable,
    secret_key: str,
    where_equals: Mapping[str, Any] | Iterable[tuple[str, Any]] = (),
    columns: Iterable[str] | None = None,
    limit: int | None = None,
) -> pa.Table:
    """Rows of a (logical) source table matching ``where_equals``, asked of the source itself.

    Needs a connector with the ``lookup`` capability (``InvalidInput("ingest.lookup_unsupported")``
    otherwise); the filter, projection and limit are applied again here, so the answer is exact.
    """
    source = session.get(Source, source_table.source_id)
    if source is None:
        raise NotFound("ingest.source_not_found", source=source_table.source_id)
    connector = get_connector(source.connector)
    if not connector.capabilities.lookup:
        raise InvalidInput(
            "ingest.lookup_unsupported", connector=connector.name, table=source_table.lake_table
        )
    cfg = connector.parse_config(source_config(source, secret_key))
    pairs = tuple(where_equals.items() if isinstance(where_equals, Mapping) else where_equals)
    cols = tuple(columns) if columns is not None else None
    with connector.opened(cfg):  # one reflection (and, on PostgreSQL, a connection opened meanwhile)
        schema = connector.schema(cfg)
        for name in [*(k for k, _ in pairs), *(cols or ())]:
            if name not in schema.names:
                raise InvalidInput("ingest.unknown_column", table=source_table.lake_table, column=name)
        # ask for the filter columns too, so the filter can be checked here before projecting
        wanted_cols = tuple(dict.fromkeys([*cols, *(k for k, _ in pairs)])) if cols is not None else None
        request = ReadRequest(columns=wanted_cols, where_equals=pairs, limit=limit)
        parts: list[pa.Table] = []
        got = 0
        try:
            for batch in connector.read(cfg, request):
                part = pa.Table.from_batches([batch])
                for name, value in pairs:
                    part = part.filter(
                        pc.equal(part.column(name), pa.scalar(value).cast(part.schema.field(name).type))
                    )
                if cols is not None:
                    part = part.select(list(cols))
                parts.append(part)
                got += part.num_rows
                if limit is not None and got >= limit:
                    break
        except GovdataError:
            raise
        except Exception as exc:
            raise as_govdata_error(exc, source_table.lake_table) from exc
    wanted = pa.schema([schema.field(c) for c in cols]) if cols is not None else schema
    out = pa.concat_tables([p.cast(wanted) for p in parts]) if parts else wanted.empty_table()
    return out.slice(0, limit) if limit is not None else out


def _audit(
    session: Session,
    audit: AuditLog | None,
    actor: object | None,
    run: IngestRun,
    ref: TableRef,
    error_code: str | None,
) -> None:
    if audit is None:
        return
    from govdata.security.actor import Actor

    who = actor if isinstance(actor, Actor) else Actor.system(_who(actor) or "ingest")
    audit.record(
        session,
        who,
        "ingest.run",
        target=f"table:{ref.key}",
        rows=run.rows_written,
        outcome="failed" if error_code else "ok",
        detail={
            "run": run.id,
            "mode": run.mode,
            "attempt": run.attempt,
            "error": error_code,
            "lake_version": run.lake_version,
            "rejected": run.rows_rejected,
            "deleted": run.rows_deleted,
        },
    )
