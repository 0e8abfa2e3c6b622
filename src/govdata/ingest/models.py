"""Metadata of the ingest pillar: sources, the tables taken from them and the run history.

``Source.config`` holds the connector config without its secret; the secret (a password or token)
lives encrypted in ``Source.secret`` (see ``govdata.ingest.secret``).
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from govdata.db.base import Base, utcnow


class SourceStatus(StrEnum):
    new = "new"
    ok = "ok"
    error = "error"


class RunStatus(StrEnum):
    queued = "queued"
    running = "running"
    succeeded = "succeeded"
    failed = "failed"


class LoadMode(StrEnum):
    """How a table is kept fresh (物理归集 modes, plus 逻辑归集 — queried in place, not copied)."""

    full = "full"  # snapshot: replace the lake table
    incremental = "incremental"  # rows whose cursor column is at or past the last value, merged by key
    upsert = "upsert"  # every source row merged by key (Delta MERGE)
    logical = "logical"  # not copied: queried at the source on demand


class DriftPolicy(StrEnum):
    """What a run does when the source's columns changed."""

    evolve = "evolve"  # follow the source: add new columns, keep removed ones as null
    freeze = "freeze"  # keep the lake's columns: drop new ones, null removed ones, cast retyped ones
    reject = "reject"  # fail the run; the data officer decides


class RejectPolicy(StrEnum):
    """What a run does with rows it cannot parse or cast."""

    commit_good = "commit_good"  # quarantine the bad rows, commit the rest
    reject_run = "reject_run"  # any bad row fails the whole run; nothing is committed


class Source(Base):
    """A department's system or file drop that data is collected from."""

    __tablename__ = "ingest_sources"
    __table_args__ = (UniqueConstraint("department_id", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    connector: Mapped[str] = mapped_column(String(64))
    config: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    secret: Mapped[str | None] = mapped_column(Text, default=None)
    status: Mapped[str] = mapped_column(String(16), default=SourceStatus.new)
    last_error: Mapped[str | None] = mapped_column(Text, default=None)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    tables: Mapped[list[SourceTable]] = relationship(back_populates="source", cascade="all, delete-orphan")


class SourceTable(Base):
    """One table (or file) of a source and the raw-layer table it lands in."""

    __tablename__ = "ingest_source_tables"
    __table_args__ = (UniqueConstraint("source_id", "source_table"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("ingest_sources.id", ondelete="CASCADE"), index=True)
    source_table: Mapped[str] = mapped_column(String(255))
    lake_table: Mapped[str] = mapped_column(String(63))
    resource_id: Mapped[int | None] = mapped_column(Integer, default=None)
    key_columns: Mapped[list[str]] = mapped_column(JSON, default=list)
    last_run_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    last_rows: Mapped[int | None] = mapped_column(BigInteger, default=None)
    # How the table is loaded (issue #3).
    mode: Mapped[str] = mapped_column(String(16), default=LoadMode.full)
    cursor_column: Mapped[str | None] = mapped_column(String(255), default=None)
    delete_detection: Mapped[bool] = mapped_column(default=False)
    drift_policy: Mapped[str] = mapped_column(String(16), default=DriftPolicy.evolve)
    reject_policy: Mapped[str] = mapped_column(String(16), default=RejectPolicy.commit_good)
    # Connector state carried between runs: the cursor's last value, a stream's last sequence …
    state: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Scheduling: minutes between runs (None → from the catalog's update cycle), and a lease so that
    # one worker runs a table at a time.
    enabled: Mapped[bool] = mapped_column(default=True)
    schedule_minutes: Mapped[int | None] = mapped_column(default=None)
    next_run_at: Mapped[dt.datetime | None] = mapped_column(default=None, index=True)
    max_retries: Mapped[int] = mapped_column(default=3)
    lease_owner: Mapped[str | None] = mapped_column(String(100), default=None)
    lease_until: Mapped[dt.datetime | None] = mapped_column(default=None)
    last_success_at: Mapped[dt.datetime | None] = mapped_column(default=None)

    source: Mapped[Source] = relationship(back_populates="tables")
    runs: Mapped[list[IngestRun]] = relationship(back_populates="source_table", cascade="all, delete-orphan")


class IngestRun(Base):
    """One load of a source table into the lake, successful or not."""

    __tablename__ = "ingest_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_table_id: Mapped[int] = mapped_column(
        ForeignKey("ingest_source_tables.id", ondelete="CASCADE"), index=True
    )
    mode: Mapped[str] = mapped_column(String(16), default="full")
    started_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    status: Mapped[str] = mapped_column(String(16), default=RunStatus.running)
    triggered_by: Mapped[str | None] = mapped_column(String(200), default=None)
    rows_read: Mapped[int] = mapped_column(BigInteger, default=0)
    rows_written: Mapped[int] = mapped_column(BigInteger, default=0)
    rows_rejected: Mapped[int] = mapped_column(BigInteger, default=0)
    bytes: Mapped[int] = mapped_column(BigInteger, default=0)
    duration_ms: Mapped[int | None] = mapped_column(BigInteger, default=None)
    lake_version: Mapped[int | None] = mapped_column(BigInteger, default=None)
    error_code: Mapped[str | None] = mapped_column(String(100), default=None)
    error_message: Mapped[str | None] = mapped_column(Text, default=None)
    attempt: Mapped[int] = mapped_column(default=1)
    rows_deleted: Mapped[int] = mapped_column(BigInteger, default=0)
    # What the source was at when read (a cursor value, a stream sequence, a file's mtime/size) and
    # the cursor reached, so "what did this run load" has an answer.
    source_version: Mapped[str | None] = mapped_column(String(200), default=None)
    cursor_value: Mapped[str | None] = mapped_column(String(200), default=None)

    source_table: Mapped[SourceTable] = relationship(back_populates="runs")


class SchemaChange(Base):
    """A column added, removed or retyped at the source, seen by a run, and what the policy did."""

    __tablename__ = "ingest_schema_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_table_id: Mapped[int] = mapped_column(
        ForeignKey("ingest_source_tables.id", ondelete="CASCADE"), index=True
    )
    run_id: Mapped[int | None] = mapped_column(
        ForeignKey("ingest_runs.id", ondelete="SET NULL"), default=None
    )
    kind: Mapped[str] = mapped_column(String(16))  # added / removed / retyped / table_dropped
    column: Mapped[str | None] = mapped_column(String(255), default=None)
    old_type: Mapped[str | None] = mapped_column(String(100), default=None)
    new_type: Mapped[str | None] = mapped_column(String(100), default=None)
    action: Mapped[str] = mapped_column(String(16))  # evolved / frozen / rejected
    detected_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    acknowledged_at: Mapped[dt.datetime | None] = mapped_column(default=None)


class PushBatch(Base):
    """A batch a department system pushed; the idempotency key makes a retried push a no-op."""

    __tablename__ = "ingest_push_batches"
    __table_args__ = (UniqueConstraint("source_table_id", "idempotency_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_table_id: Mapped[int] = mapped_column(
        ForeignKey("ingest_source_tables.id", ondelete="CASCADE"), index=True
    )
    idempotency_key: Mapped[str] = mapped_column(String(200))
    received_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    rows: Mapped[int] = mapped_column(BigInteger, default=0)
    run_id: Mapped[int | None] = mapped_column(
        ForeignKey("ingest_runs.id", ondelete="SET NULL"), default=None
    )
