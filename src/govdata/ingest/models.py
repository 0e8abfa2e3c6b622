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
    running = "running"
    succeeded = "succeeded"
    failed = "failed"


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

    source_table: Mapped[SourceTable] = relationship(back_populates="runs")
