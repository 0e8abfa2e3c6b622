"""Standardization specs kept in the metadata store: one per raw table, versioned, with its last run."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from govdata.db.base import Base, utcnow


class StdSpecRecord(Base):
    """The saved spec (``StdSpec`` as JSON) of raw table ``table_key`` and the report of its last run.

    A table standardized without a saved spec (the suggested one) gets a row too, with ``version`` 0,
    so its last report is kept; saving makes it version 1.
    """

    __tablename__ = "govern_std_specs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    table_key: Mapped[str] = mapped_column(String(200), unique=True)  # raw.gaj.hj_rk
    resource_id: Mapped[int | None] = mapped_column(
        ForeignKey("catalog_resources.id"), nullable=True, index=True
    )
    spec: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)  # None: never saved
    version: Mapped[int] = mapped_column(default=0)
    updated_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    updated_at: Mapped[dt.datetime | None] = mapped_column(nullable=True)
    last_report: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    last_run_at: Mapped[dt.datetime | None] = mapped_column(nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
