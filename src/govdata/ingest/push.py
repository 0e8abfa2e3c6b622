"""The push intake: department systems POST batches (JSON or CSV) with an idempotency key.

``push_batch`` checks the caller (``INGEST_RUN``, own department), parses the body into text columns
(JSON: an array of objects or ``{"records": [...]}``; CSV: UTF-8 or GBK/GB18030, detected), writes it
to ``raw.<dept>.<table>`` in one Delta commit — merged by the table's key columns, else appended —
and records a ``PushBatch`` and an ``IngestRun`` (mode ``push``, ``source_version`` = the body's
SHA-256). A repeated key returns the original batch without writing again; the same key with a
different body is a conflict. Rows carry ``_source_row`` (record number), ``_ingested_at`` and
``_push_batch`` (the batch id). A push source uses the ``push`` connector, which has nothing to pull.

Raises ``InvalidInput``: ``ingest.push_key_required``, ``ingest.push_not_push_source``,
``ingest.push_bad_json`` (line, column), ``ingest.push_not_array``, ``ingest.push_not_object``
(index), ``ingest.push_empty``, ``ingest.push_bad_encoding`` (line), ``ingest.push_csv`` (line),
``ingest.push_missing_key`` (index, column), ``ingest.push_new_columns`` (drift policy reject),
``ingest.reserved_column``, ``ingest.push_only``; ``PushTooLarge`` (413), ``UnsupportedMediaType``
(415); ``NotFound("ingest.push_table_not_found")``; ``Conflict("ingest.push_key_reused")``.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from govdata.db.base import utcnow
from govdata.errors import Conflict, InvalidInput, NotFound
from govdata.ingest.connectors.base import (
    INGESTED_AT,
    SOURCE_ROW,
    Connector,
    ConnectorConfig,
    ReadRequest,
    clean_names,
)
from govdata.ingest.connectors.csvfile import sniff_delimiter
from govdata.ingest.connectors.records import text_table, union_keys
from govdata.ingest.models import DriftPolicy, IngestRun, PushBatch, RunStatus, SourceStatus, SourceTable
from govdata.ingest.runner import department_code
from govdata.lake import Lake, TableRef
from govdata.security.actor import Actor
from govdata.security.audit import AuditLog
from govdata.security.roles import Permission

PUSH_BATCH = "_push_batch"
PUSH_MODE = "push"
CONNECTOR = "push"
DEFAULT_MAX_BYTES = 50 * 1024 * 1024
MAX_KEY_LENGTH = 200
INGESTED_AT_TYPE = pa.timestamp("us", tz="UTC")


class PushTooLarge(InvalidInput):
    """A pushed body over the size limit (HTTP 413)."""

    http_status = 413


class UnsupportedMediaType(InvalidInput):
    """A pushed body that is neither JSON nor CSV (HTTP 415)."""

    http_status = 415


@dataclass(frozen=True)
class PushResult:
    """What a push wrote (or, replayed, what the original push with this key wrote)."""

    batch_id: int
    table: str
    rows: int
    run_id: int | None
    lake_version: int | None
    replayed: bool


class PushConfig(ConnectorConfig):
    """A push source has no settings: departments POST to /api/v1/ingest/push/{source_table_id}."""


class PushConnector(Connector):
    """The ``push`` connector: data arrives through the push API; there is nothing to pull."""

    name = CONNECTOR
    label = "ingest.connector.push"
    Config = PushConfig

    def schema(self, config: Any) -> pa.Schema:
        raise InvalidInput("ingest.push_only")

    def read(self, config: Any, request: ReadRequest | None = None) -> Iterator[pa.RecordBatch]:
        raise InvalidInput("ingest.push_only")


def _decode(body: bytes, charset: str | None) -> str:
    """``body`` as text: the declared charset, else BOM / strict UTF-8 / strict GB18030 (STANDARDS §12)."""
    candidates = [charset] if charset else []
    if body.startswith(codecs.BOM_UTF8):
        candidates = ["utf-8-sig"]
    elif body.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ["utf-16"]
    elif not candidates:
        candidates = ["utf-8", "gb18030"]
    error: UnicodeDecodeError | None = None
    for encoding in candidates:
        try:
            return body.decode(encoding)
        except (UnicodeDecodeError, LookupError) as exc:
            error = exc if isinstance(exc, UnicodeDecodeError) else error
    offset = error.start if error else 0
    raise InvalidInput("ingest.push_bad_encoding", line=body[:offset].count(b"\n") + 1, offset=offset)


def _json_table(body: bytes) -> pa.Table:
    try:
        data = json.loads(body)
    except UnicodeDecodeError as exc:
        raise InvalidInput(
            "ingest.push_bad_encoding", line=body[: exc.start].count(b"\n") + 1, offset=exc.start
        ) from exc
    except json.JSONDecodeError as exc:
        raise InvalidInput("ingest.push_bad_json", line=exc.lineno, column=exc.colno) from exc
    if isinstance(data, dict) and isinstance(data.get("records"), list):
        data = data["records"]
    if not isinstance(data, list):
        raise InvalidInput("ingest.push_not_array")
    for index, record in enumerate(data):
        if not isinstance(record, dict):
            raise InvalidInput("ingest.push_not_object", index=index)
    return text_table(data, union_keys(data))


def _csv_table(body: bytes, charset: str | None) -> pa.Table:
    from pyarrow import csv as pacsv

    text = _decode(body, charset).lstrip("\ufeff")
    if not text.strip():
        raise InvalidInput("ingest.push_empty")
    delimiter = sniff_delimiter(text[:65536])
    rows = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = next(rows)
    try:
        table = pacsv.read_csv(
            pa.py_buffer(text.encode("utf-8")),
            read_options=pacsv.ReadOptions(column_names=header, skip_rows=1),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(header, pa.string()), strings_can_be_null=False
            ),
        )
    except pa.ArrowInvalid as exc:
        # pyarrow does not say where; the csv module does, and bodies are size-limited
        for fields in rows:
            if fields and len(fields) != len(header):
                raise InvalidInput(
                    "ingest.push_csv", line=rows.line_num, detail=f"{len(fields)} != {len(header)}"
                ) from exc
        raise InvalidInput("ingest.push_csv", line=rows.line_num, detail=str(exc)[:200]) from exc
    return table.rename_columns(clean_names(table.column_names))


def parse_body(body: bytes, content_type: str) -> pa.Table:
    """A pushed body as a table of text columns (one row per record, in order)."""
    media, _, params = (content_type or "").partition(";")
    media = media.strip().lower()
    charset = None
    for param in params.split(";"):
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset" and value.strip():
            charset = value.strip().strip('"')
    if media == "application/json" or media.endswith("+json"):
        table = _json_table(body)
    elif media in ("text/csv", "application/csv", "text/plain"):
        table = _csv_table(body, charset)
    else:
        raise UnsupportedMediaType("ingest.push_unsupported_type", content_type=media or "-")
    if table.num_rows == 0:
        raise InvalidInput("ingest.push_empty")
    for name in table.column_names:
        if name in (SOURCE_ROW, INGESTED_AT, PUSH_BATCH):
            raise InvalidInput("ingest.reserved_column", column=name)
    return table


def _check_keys(table: pa.Table, keys: list[str]) -> None:
    for key in keys:
        if key not in table.column_names:
            raise InvalidInput("ingest.push_missing_key", index=0, column=key)
        column = table.column(key)
        empty = pc.or_(pc.is_null(column), pc.equal(pc.utf8_trim_whitespace(column), ""))
        first = pc.index(empty, True).as_py()
        if first >= 0:
            raise InvalidInput("ingest.push_missing_key", index=first, column=key)


def _existing(session: Session, source_table_id: int, key: str) -> PushBatch | None:
    return session.execute(
        select(PushBatch).where(
            PushBatch.source_table_id == source_table_id, PushBatch.idempotency_key == key
        )
    ).scalar_one_or_none()


def _replay(session: Session, batch: PushBatch, digest: str, ref: TableRef) -> PushResult:
    run = session.get(IngestRun, batch.run_id) if batch.run_id else None
    if run is not None and run.source_version and run.source_version != digest:
        raise Conflict("ingest.push_key_reused", key=batch.idempotency_key)
    return PushResult(
        batch_id=batch.id,
        table=ref.key,
        rows=batch.rows,
        run_id=batch.run_id,
        lake_version=run.lake_version if run else None,
        replayed=True,
    )


def _apply_drift(lake: Lake, ref: TableRef, table: pa.Table, policy: str) -> pa.Table:
    if policy == DriftPolicy.evolve or not lake.exists(ref):
        return table
    known = set(lake.schema(ref).names)
    new = [n for n in table.column_names if n not in known]
    if new and policy == DriftPolicy.reject:
        raise InvalidInput("ingest.push_new_columns", columns=", ".join(new))
    return table.drop_columns(new) if new else table


def push_batch(
    session: Session,
    lake: Lake,
    audit: AuditLog,
    actor: Actor,
    source_table_id: int,
    idempotency_key: str | None,
    body: bytes,
    content_type: str,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> PushResult:
    """Write one pushed batch to the source table's raw-layer table; idempotent per key.

    Does not commit: the caller's unit of work does (the web request's session).
    """
    actor.require(Permission.INGEST_RUN)
    source_table = session.get(SourceTable, source_table_id)
    if source_table is None:
        raise NotFound("ingest.push_table_not_found", table=source_table_id)
    source = source_table.source
    actor.require_department(source.department_id)
    if source.connector != CONNECTOR:
        raise InvalidInput("ingest.push_not_push_source", source=source.name, connector=source.connector)
    key = (idempotency_key or "").strip()
    if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable():
        raise InvalidInput("ingest.push_key_required", limit=MAX_KEY_LENGTH)
    ref = TableRef("raw", department_code(session, source.department_id), source_table.lake_table)
    digest = "sha256:" + hashlib.sha256(body).hexdigest()
    found = _existing(session, source_table.id, key)
    if found is not None:
        result = _replay(session, found, digest, ref)
        _audit(session, audit, actor, ref, result, key)
        return result
    if len(body) > max_bytes:
        raise PushTooLarge("ingest.push_too_large", limit_mb=max_bytes // (1024 * 1024))
    started = time.monotonic()
    table = parse_body(body, content_type)
    keys = list(source_table.key_columns or [])
    _check_keys(table, keys)
    table = _apply_drift(lake, ref, table, source_table.drift_policy)

    batch = PushBatch(source_table_id=source_table.id, idempotency_key=key, rows=table.num_rows)
    try:
        with session.begin_nested():
            session.add(batch)
            session.flush()
    except IntegrityError:  # the same key pushed concurrently and committed first
        found = _existing(session, source_table.id, key)
        if found is None:
            raise
        return _replay(session, found, digest, ref)
    now = utcnow()
    run = IngestRun(
        source_table=source_table,
        mode=PUSH_MODE,
        started_at=now,
        status=RunStatus.running,
        triggered_by=actor.username,
        source_version=digest,
        rows_read=table.num_rows,
        bytes=len(body),
    )
    session.add(run)
    session.flush()
    batch.run_id = run.id
    n = table.num_rows
    data = (
        table.append_column(pa.field(SOURCE_ROW, pa.int64()), pa.array(range(1, n + 1), pa.int64()))
        .append_column(
            pa.field(INGESTED_AT, INGESTED_AT_TYPE), pa.repeat(pa.scalar(now, INGESTED_AT_TYPE), n)
        )
        .append_column(pa.field(PUSH_BATCH, pa.int64()), pa.repeat(pa.scalar(batch.id, pa.int64()), n))
    )
    if keys:
        written = lake.merge(ref, data, keys, evolve=source_table.drift_policy == DriftPolicy.evolve)
    else:
        written = lake.write(ref, data, mode="append")
    run.status = RunStatus.succeeded
    run.finished_at = utcnow()
    run.duration_ms = int((time.monotonic() - started) * 1000)
    run.rows_written = written.rows
    run.lake_version = written.version
    source_table.last_run_at = source_table.last_success_at = run.finished_at
    source_table.last_rows = lake.stats(ref).records
    source.status = SourceStatus.ok
    source.last_error = None
    result = PushResult(
        batch_id=batch.id, table=ref.key, rows=n, run_id=run.id, lake_version=written.version, replayed=False
    )
    _audit(session, audit, actor, ref, result, key)
    return result


def _audit(
    session: Session, audit: AuditLog, actor: Actor, ref: TableRef, result: PushResult, key: str
) -> None:
    audit.record(
        session,
        actor,
        "ingest.push",
        target=f"table:{ref.key}",
        rows=result.rows,
        detail={
            "batch": result.batch_id,
            "run": result.run_id,
            "key": key,
            "replayed": result.replayed,
            "lake_version": result.lake_version,
        },
    )
