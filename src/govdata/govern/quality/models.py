"""Stored rule bindings per catalog resource, edited through the API (``govern.quality.stored``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from govdata.db.base import Base, utcnow


class StoredBinding(Base):
    """One rule bound to columns of a resource's table by a person: added, or overriding a derived one.

    A stored binding with the same rule and columns as a derived one (required item, key column,
    column-name suggestion, data element) replaces it; ``enabled = False`` switches it off.
    ``blocking`` bindings also judge each staged batch before load and reject failing rows.
    """

    __tablename__ = "govern_rule_bindings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    resource_id: Mapped[int] = mapped_column(
        ForeignKey("catalog_resources.id", ondelete="CASCADE"), index=True
    )
    rule: Mapped[str] = mapped_column(String(64))
    columns: Mapped[list[str]] = mapped_column(JSON)
    params: Mapped[dict[str, Any]] = mapped_column(JSON)
    blocking: Mapped[bool] = mapped_column(default=False)
    enabled: Mapped[bool] = mapped_column(default=True)
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
