"""Quality results kept in the metadata store: one row per checked table version, one per binding."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Integer, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from govdata.db.base import Base, utcnow


class QualityRun(Base):
    """One check of one lake table version against its bound rules, with the table's score."""

    __tablename__ = "quality_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    table_key: Mapped[str] = mapped_column(String(200), index=True)  # raw.gaj.hj_rk
    resource_id: Mapped[int | None] = mapped_column(ForeignKey("catalog_resources.id"), nullable=True)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"), nullable=True)
    lake_version: Mapped[int]
    rows: Mapped[int]
    score: Mapped[float | None] = mapped_column(Float, nullable=True)
    dimension_scores: Mapped[dict[str, float]] = mapped_column(JSON)
    checked_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # True when the run checked every effective binding of its resource (not a chosen few): only
    # such a run tells that a binding missing from it no longer applies (its issue is withdrawn)
    all_bindings: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    checks: Mapped[list[QualityCheck]] = relationship(
        back_populates="run", cascade="all, delete-orphan", order_by="QualityCheck.id"
    )


class QualityCheck(Base):
    """The outcome of one rule binding in a run: counts, failures by reason, sample keys."""

    __tablename__ = "quality_checks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("quality_runs.id"), index=True)
    rule: Mapped[str] = mapped_column(String(64))
    columns: Mapped[list[str]] = mapped_column(JSON)
    dimension: Mapped[str] = mapped_column(String(32))
    checked_rows: Mapped[int]
    failed_rows: Mapped[int]
    reasons: Mapped[dict[str, int]] = mapped_column(JSON)
    samples: Mapped[list[dict[str, object]]] = mapped_column(JSON)
    # the binding's parameters as it ran; None for checks stored before they were kept
    params: Mapped[dict[str, object] | None] = mapped_column(JSON, nullable=True)

    run: Mapped[QualityRun] = relationship(back_populates="checks")


class CodeTable(Base):
    """A code table (代码表) of the standards library, e.g. GB/T 2261.1-2003 gender; versioned."""

    __tablename__ = "govern_code_tables"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)  # e.g. "GB/T 2261.1-2003"
    name: Mapped[str] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(default=1)
    updated_by: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    values: Mapped[list[CodeValue]] = relationship(
        back_populates="table", cascade="all, delete-orphan", order_by="CodeValue.position"
    )


class CodeValue(Base):
    __tablename__ = "govern_code_values"
    __table_args__ = (UniqueConstraint("table_id", "code"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    table_id: Mapped[int] = mapped_column(ForeignKey("govern_code_tables.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    code: Mapped[str] = mapped_column(String(32))
    label: Mapped[str] = mapped_column(String(200))
    # other spellings met in department data that mean this code (男 / M / male → 1)
    synonyms: Mapped[list[str]] = mapped_column(JSON, default=list)

    table: Mapped[CodeTable] = relationship(back_populates="values")


class DataElement(Base):
    """A data element (数据元) of the standards library; catalog items bind to it by ``identifier``.

    Binding a column to an element brings its standardization (``normalizer``) and its quality
    rules (``rules``) with it.
    """

    __tablename__ = "govern_data_elements"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    identifier: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    data_type: Mapped[str] = mapped_column(String(16))  # 字符 / 数值 / 日期 / 日期时间 / 布尔
    format: Mapped[str | None] = mapped_column(String(64), nullable=True)  # e.g. c18, n8 (YYYYMMDD)
    length: Mapped[int | None] = mapped_column(nullable=True)
    code_table_id: Mapped[int | None] = mapped_column(ForeignKey("govern_code_tables.id"), nullable=True)
    standard: Mapped[str | None] = mapped_column(String(200), nullable=True)  # e.g. GB 11643-1999
    description: Mapped[str | None] = mapped_column(Text, nullable=True)
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)  # column names: sfzh, id_card …
    normalizer: Mapped[str | None] = mapped_column(String(64), nullable=True)
    rules: Mapped[list[str]] = mapped_column(JSON, default=list)  # quality rule names it brings
    version: Mapped[int] = mapped_column(default=1)
    updated_by: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    code_table: Mapped[CodeTable | None] = relationship()


class LibraryHistory(Base):
    """Every saved version of an element or a code table, frozen (``snapshot``) — the library's log."""

    __tablename__ = "govern_library_history"
    __table_args__ = (UniqueConstraint("kind", "ref_id", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # "element" | "code_table"
    ref_id: Mapped[int] = mapped_column(index=True)
    version: Mapped[int]
    snapshot: Mapped[dict[str, object]] = mapped_column(JSON)
    changed_by: Mapped[str] = mapped_column(String(64))
    changed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
