"""Stored profiles: one row per profiled version of a lake table, so a column's history can be shown."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from govdata.db.base import Base, utcnow


class ProfileSnapshot(Base):
    """The profile of one lake table version: rows, size, and every column's profile (masked)."""

    __tablename__ = "govern_profiles"
    __table_args__ = (UniqueConstraint("table_key", "lake_version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    table_key: Mapped[str] = mapped_column(String(200), index=True)  # raw.gaj.hj_rk
    resource_id: Mapped[int | None] = mapped_column(
        ForeignKey("catalog_resources.id"), nullable=True, index=True
    )
    lake_version: Mapped[int] = mapped_column(BigInteger)
    profiled_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    profiled_by: Mapped[str] = mapped_column(String(64))
    rows: Mapped[int] = mapped_column(BigInteger)
    bytes: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    files: Mapped[int | None] = mapped_column(Integer, nullable=True)
    columns: Mapped[list[dict[str, Any]]] = mapped_column(JSON)  # ColumnProfile.model_dump(mode="json")
