"""Full loads from a source into the raw layer, and the run record of each.

``load_to_lake`` is the pure part: connector → batches (+ ``_ingested_at``, ``_source_row``) → one
atomic Delta commit; a failure mid-stream commits nothing, so the previous version stays current.
``run_full_load`` wraps it with the metadata store: it records an ``IngestRun``, updates the source
and its table, commits the session, and re-raises failures as ``GovdataError`` (never bare).
Retries on ``TransientError`` belong to the scheduler, not here.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import column, select, table
from sqlalchemy.orm import Session

from govdata.db.base import utcnow
from govdata.errors import GovdataError, InvalidInput, NotFound
from govdata.ingest.connectors import INGESTED_AT, SOURCE_ROW, Connector, get_connector
from govdata.ingest.errors import as_govdata_error
from govdata.ingest.models import IngestRun, RunStatus, Source, SourceStatus, SourceTable
from govdata.ingest.secret import decrypt_secret, encrypt_secret
from govdata.lake import Lake, TableRef
from govdata.security.audit import AuditLog

INGESTED_AT_TYPE = pa.timestamp("us", tz="UTC")


@dataclass(frozen=True)
class LoadResult:
    """What one load wrote: the lake version, row and byte counts, how long it took."""

    table: str
    version: int
    rows_read: int
    rows_written: int
    bytes: int
    duration_ms: int
    schema: pa.Schema


class _Stream:
    """Connector batches with the platform columns added, counted as they pass."""

    def __init__(self, connector: Connector, config: Any, declared: pa.Schema, now: dt.datetime) -> None:
        self.connector = connector
        self.config = config
        self.declared = declared
        self.now = now
        self.rows = 0
        self.bytes = 0
        own_row = SOURCE_ROW in declared.names
        fields = list(declared) + ([] if own_row else [pa.field(SOURCE_ROW, pa.int64())])
        self.schema = pa.schema([*fields, pa.field(INGESTED_AT, INGESTED_AT_TYPE)])

    def __iter__(self) -> Iterator[pa.RecordBatch]:
        own_row = SOURCE_ROW in self.declared.names
        stamp = pa.scalar(self.now, INGESTED_AT_TYPE)
        for batch in self.connector.read(self.config, None):
            if not batch.schema.equals(self.declared):
                raise InvalidInput(
                    "ingest.schema_mismatch",
                    connector=self.connector.name,
                    detail=f"{batch.schema.names} != {self.declared.names}",
                )
            n = batch.num_rows
            arrays = list(batch.columns)
            if not own_row:
                ones = pa.repeat(pa.scalar(1, pa.int64()), n)
                arrays.append(pc.add(pc.cumulative_sum(ones), self.rows))
            arrays.append(pa.repeat(stamp, n))
            self.rows += n
            self.bytes += batch.nbytes
            yield pa.RecordBatch.from_arrays(arrays, schema=self.schema)


def load_to_lake(
    lake: Lake,
    dept_code: str,
    lake_table: str,
    connector_name: str,
    config: Mapping[str, Any],
    state: Mapping[str, Any] | None = None,
) -> LoadResult:
    """Replace ``raw.<dept_code>.<lake_table>`` with everything the source holds now.

    Raises ``InvalidInput``/``TransientError`` from the connector, ``GovdataError("ingest.failed")``
    for anything unexpected; in every failure case the table keeps its previous version.
    """
    started = time.monotonic()
    ref = TableRef("raw", dept_code, lake_table)
    try:
        connector = get_connector(connector_name)
        cfg = connector.parse_config(config)
        declared = connector.schema(cfg)
        for name in declared.names:
            if name == INGESTED_AT or (name == SOURCE_ROW and declared.field(name).type != pa.int64()):
                raise InvalidInput("ingest.reserved_column", column=name)
        stream = _Stream(connector, cfg, declared, utcnow())
        written = lake.write(ref, iter(stream), schema=stream.schema, mode="overwrite")
    except GovdataError:
        raise
    except Exception as exc:
        raise as_govdata_error(exc, ref.key) from exc
    return LoadResult(
        table=ref.key,
        version=written.version,
        rows_read=stream.rows,
        rows_written=written.rows,
        bytes=stream.bytes,
        duration_ms=int((time.monotonic() - started) * 1000),
        schema=stream.schema,
    )


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
    """Load ``source_table`` in full into the raw layer and record the run; commits ``session``.

    ``secret_key`` defaults to the platform settings' key; ``dept_code`` to the source's department.
    With ``audit``, the run (succeeded or failed) is written to the audit trail in the same commit.
    On failure the run is recorded as failed, the source marked ``error``, and a ``GovdataError``
    raised.
    """
    source = session.get(Source, source_table.source_id)
    if source is None:
        raise NotFound("ingest.source_not_found", source=source_table.source_id)
    run = IngestRun(
        source_table=source_table, started_at=utcnow(), status=RunStatus.running, triggered_by=_who(actor)
    )
    session.add(run)
    session.flush()
    started = time.monotonic()
    try:
        if secret_key is None:
            from govdata.config import get_settings

            secret_key = get_settings().secret_key.get_secret_value()
        config = source_config(source, secret_key)
        code = dept_code or department_code(session, source.department_id)
        result = load_to_lake(lake, code, source_table.lake_table, source.connector, config)
    except Exception as exc:
        error = as_govdata_error(exc, source_table.lake_table)
        run.status = RunStatus.failed
        run.finished_at = utcnow()
        run.duration_ms = int((time.monotonic() - started) * 1000)
        run.error_code = error.code
        run.error_message = error.message("zh")
        source.status = SourceStatus.error
        source.last_error = error.message("zh")
        _audit(session, audit, actor, run, source, source_table, error.code)
        session.commit()
        if error is exc:
            raise
        raise error from exc
    run.status = RunStatus.succeeded
    run.finished_at = utcnow()
    run.rows_read = result.rows_read
    run.rows_written = result.rows_written
    run.bytes = result.bytes
    run.duration_ms = result.duration_ms
    run.lake_version = result.version
    source.status = SourceStatus.ok
    source.last_error = None
    source_table.last_run_at = run.finished_at
    source_table.last_rows = result.rows_written
    _audit(session, audit, actor, run, source, source_table, None)
    session.commit()
    return run


def _audit(
    session: Session,
    audit: AuditLog | None,
    actor: object | None,
    run: IngestRun,
    source: Source,
    source_table: SourceTable,
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
        target=f"table:raw.{department_code(session, source.department_id)}.{source_table.lake_table}",
        rows=run.rows_written,
        outcome="failed" if error_code else "ok",
        detail={"run": run.id, "error": error_code, "lake_version": run.lake_version},
    )
