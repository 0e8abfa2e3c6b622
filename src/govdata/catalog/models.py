"""The catalog ledger: information resources (信息资源) and their items (信息项)."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from govdata.db.base import Base, utcnow
from govdata.security.models import Department


class ShareType(StrEnum):
    UNCONDITIONAL = "unconditional"  # 无条件共享
    CONDITIONAL = "conditional"  # 有条件共享
    NONE = "none"  # 不予共享


class OpenType(StrEnum):
    OPEN = "open"  # 无条件开放
    CONDITIONAL = "conditional"  # 有条件开放
    CLOSED = "closed"  # 不予开放


class UpdateCycle(StrEnum):
    REALTIME = "realtime"
    DAILY = "daily"
    WEEKLY = "weekly"
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    SEMIANNUAL = "semiannual"
    YEARLY = "yearly"
    OTHER = "other"


class Category(StrEnum):
    BASE = "base"  # 基础
    TOPIC = "topic"  # 主题
    DEPARTMENT = "department"  # 部门


class ResourceStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    RETIRED = "retired"


class Resource(Base):
    __tablename__ = "catalog_resources"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(100), unique=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    summary: Mapped[str] = mapped_column(Text)
    category: Mapped[str] = mapped_column(String(16))
    format: Mapped[str] = mapped_column(String(32))
    share_type: Mapped[str] = mapped_column(String(16))
    share_condition: Mapped[str | None] = mapped_column(Text, nullable=True)
    share_basis: Mapped[str | None] = mapped_column(Text, nullable=True)
    open_type: Mapped[str] = mapped_column(String(16))
    update_cycle: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default=ResourceStatus.DRAFT.value)
    published_at: Mapped[dt.datetime | None] = mapped_column(nullable=True)
    lake_table: Mapped[str | None] = mapped_column(String(200), nullable=True)  # TableRef key
    key_column: Mapped[str | None] = mapped_column(String(100), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    department: Mapped[Department] = relationship()
    items: Mapped[list[Item]] = relationship(
        back_populates="resource", order_by="Item.position", cascade="all, delete-orphan"
    )


class Item(Base):
    __tablename__ = "catalog_items"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    resource_id: Mapped[int] = mapped_column(ForeignKey("catalog_resources.id"), index=True)
    position: Mapped[int]
    column: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(200))
    data_type: Mapped[str] = mapped_column(String(16))
    length: Mapped[int | None] = mapped_column(nullable=True)
    masking: Mapped[str | None] = mapped_column(String(32), nullable=True)
    sensitive: Mapped[bool] = mapped_column(default=False)
    required: Mapped[bool] = mapped_column(default=False)

    resource: Mapped[Resource] = relationship(back_populates="items")
