"""Lineage kept in the metadata store: datasets (nodes), jobs, runs, and table and column edges.

A dataset is named by a string: a lake key (``raw.gaj.hj_rk``), a source system's table
(``source:<source>/<table>``) or a service (``service:<name>``). An edge belongs to the job that
makes it and remembers the job's newest run; recording it again refreshes that run, never
duplicates the edge. Each run keeps the OpenLineage RunEvent it was emitted as.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from govdata.db.base import Base, utcnow


class DatasetKind(StrEnum):
    source = "source"  # a table, file or API of a department's system
    lake = "lake"  # a Delta table of the lake (raw, std, fact, topic, base)
    service = "service"  # a data service, grant or open dataset through which data leaves


class LineageDataset(Base):
    """A node of the lineage graph."""

    __tablename__ = "lineage_datasets"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(400), unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    department: Mapped[str | None] = mapped_column(String(64), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class LineageJob(Base):
    """What moves data: one ingest source table, one standardization, one merge, one service."""

    __tablename__ = "lineage_jobs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(400), unique=True)
    kind: Mapped[str] = mapped_column(String(32))


class LineageRun(Base):
    """One recorded run of a job; ``event`` is its OpenLineage RunEvent as emitted."""

    __tablename__ = "lineage_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_uuid: Mapped[str] = mapped_column(String(36), unique=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("lineage_jobs.id"), index=True)
    version: Mapped[int | None] = mapped_column(nullable=True)  # lake version the run wrote
    status: Mapped[str] = mapped_column(String(16), default="COMPLETE")
    at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    event: Mapped[dict[str, Any]] = mapped_column(JSON)
    delivered_at: Mapped[dt.datetime | None] = mapped_column(nullable=True)


class LineageEdge(Base):
    """Table-level: ``source`` feeds ``target`` through ``job``."""

    __tablename__ = "lineage_edges"
    __table_args__ = (UniqueConstraint("source_id", "target_id", "job_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("lineage_datasets.id"), index=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("lineage_datasets.id"), index=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("lineage_jobs.id"))
    run_id: Mapped[int] = mapped_column(ForeignKey("lineage_runs.id"))


class LineageColumnEdge(Base):
    """Column-level: ``source.source_column`` feeds ``target.target_column`` (with its transform)."""

    __tablename__ = "lineage_column_edges"
    __table_args__ = (UniqueConstraint("source_id", "source_column", "target_id", "target_column", "job_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("lineage_datasets.id"), index=True)
    source_column: Mapped[str] = mapped_column(String(200))
    target_id: Mapped[int] = mapped_column(ForeignKey("lineage_datasets.id"), index=True)
    target_column: Mapped[str] = mapped_column(String(200))
    job_id: Mapped[int] = mapped_column(ForeignKey("lineage_jobs.id"))
    run_id: Mapped[int] = mapped_column(ForeignKey("lineage_runs.id"))
    transform: Mapped[str | None] = mapped_column(String(400), nullable=True)
