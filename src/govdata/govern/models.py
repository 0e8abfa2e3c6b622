"""Quality results kept in the metadata store: one row per checked table version, one per binding."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Float, ForeignKey, Integer, String
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

    run: Mapped[QualityRun] = relationship(back_populates="checks")
