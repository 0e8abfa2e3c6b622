"""The catalog ledger: information resources (信息资源) and their items (信息项)."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import JSON, Boolean, Column, ForeignKey, Integer, String, Table, Text, UniqueConstraint
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
    """Where a resource is in its life. A published resource stays published (its last published
    version is what readers see) while a revision of it walks draft → submitted → reviewed."""

    DRAFT = "draft"  # never published yet; its first revision is under way
    SUBMITTED = "submitted"
    REVIEWED = "reviewed"
    PUBLISHED = "published"
    RETIRED = "retired"


class RevisionStatus(StrEnum):
    """One proposed change to a resource (the first filing included)."""

    DRAFT = "draft"
    SUBMITTED = "submitted"  # sent to the bureau for review
    REVIEWED = "reviewed"  # the bureau approved it; publishing makes it the new version
    REJECTED = "rejected"  # the bureau sent it back with a comment; editing makes it a draft again
    PUBLISHED = "published"
    WITHDRAWN = "withdrawn"


class SharingMethod(StrEnum):
    """共享方式: how a consumer receives the data through the platform."""

    API = "api"  # 接口
    TABLE = "table"  # 库表
    FILE = "file"  # 文件


class MatterKind(StrEnum):
    SERVICE = "service"  # 政务服务事项
    POWER = "power"  # 权力事项 (权责清单)


resource_matters = Table(
    "catalog_resource_matters",
    Base.metadata,
    Column("resource_id", ForeignKey("catalog_resources.id", ondelete="CASCADE"), primary_key=True),
    Column("matter_id", ForeignKey("catalog_matters.id", ondelete="CASCADE"), primary_key=True),
)

resource_links = Table(
    "catalog_resource_links",
    Base.metadata,
    Column("resource_id", ForeignKey("catalog_resources.id", ondelete="CASCADE"), primary_key=True),
    Column("related_id", ForeignKey("catalog_resources.id", ondelete="CASCADE"), primary_key=True),
)


class System(Base):
    """A department's information system (来源信息系统) that resources come from."""

    __tablename__ = "catalog_systems"
    __table_args__ = (UniqueConstraint("department_id", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    department: Mapped[Department] = relationship()


class Matter(Base):
    """A government service matter (政务服务事项) or power-list item (权力事项) a resource serves."""

    __tablename__ = "catalog_matters"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(16), default=MatterKind.SERVICE.value)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"), nullable=True, index=True)

    department: Mapped[Department | None] = relationship()


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
    # 信息资源分类: path in the 类/项/目/细目 tree, e.g. "1/01/001" (see STANDARDS.md §6)
    classification: Mapped[str | None] = mapped_column(String(64), nullable=True)
    sharing_method: Mapped[str | None] = mapped_column(String(16), nullable=True)  # SharingMethod
    system_id: Mapped[int | None] = mapped_column(ForeignKey("catalog_systems.id"), nullable=True, index=True)
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    version: Mapped[int] = mapped_column(default=0)  # latest published version; 0 = never published
    retired_at: Mapped[dt.datetime | None] = mapped_column(nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    department: Mapped[Department] = relationship()
    system: Mapped[System | None] = relationship()
    items: Mapped[list[Item]] = relationship(
        back_populates="resource", order_by="Item.position", cascade="all, delete-orphan"
    )
    matters: Mapped[list[Matter]] = relationship(secondary=resource_matters, order_by="Matter.code")
    related: Mapped[list[Resource]] = relationship(
        secondary=resource_links,
        primaryjoin="Resource.id == catalog_resource_links.c.resource_id",
        secondaryjoin="Resource.id == catalog_resource_links.c.related_id",
        order_by="Resource.code",
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
    # the bound data element (数据元) of the standards library, by identifier; None = unbound
    element: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)

    resource: Mapped[Resource] = relationship(back_populates="items")


class Revision(Base):
    """One proposed version of a resource: the whole entry as filed (``ResourceIn`` as JSON).

    The first filing is revision 1. Publishing a reviewed revision applies it to the resource and
    freezes a ``Version``; revisions of a published resource do not touch what readers see until then.
    """

    __tablename__ = "catalog_revisions"
    __table_args__ = (UniqueConstraint("resource_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    resource_id: Mapped[int] = mapped_column(
        ForeignKey("catalog_resources.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int]
    status: Mapped[str] = mapped_column(String(16), default=RevisionStatus.DRAFT.value)
    payload: Mapped[dict[str, object]] = mapped_column(JSON)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)  # the provider's change note
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    submitted_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    submitted_at: Mapped[dt.datetime | None] = mapped_column(nullable=True)
    reviewed_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    reviewed_at: Mapped[dt.datetime | None] = mapped_column(nullable=True)
    review_comment: Mapped[str | None] = mapped_column(Text, nullable=True)
    published_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    published_at: Mapped[dt.datetime | None] = mapped_column(nullable=True)

    resource: Mapped[Resource] = relationship()


class Version(Base):
    """A published version of a resource, frozen: the reader's view (``ResourceOut`` as JSON)."""

    __tablename__ = "catalog_versions"
    __table_args__ = (UniqueConstraint("resource_id", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    resource_id: Mapped[int] = mapped_column(
        ForeignKey("catalog_resources.id", ondelete="CASCADE"), index=True
    )
    version: Mapped[int]
    snapshot: Mapped[dict[str, object]] = mapped_column(JSON)
    revision_id: Mapped[int | None] = mapped_column(ForeignKey("catalog_revisions.id"), nullable=True)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    published_by: Mapped[str] = mapped_column(String(64))
    published_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class ChangeKind(StrEnum):
    PUBLISHED = "published"  # first version
    NEW_VERSION = "new_version"
    RETIRED = "retired"


class ChangeEvent(Base):
    """One change of a published resource, as the change feed (目录变更推送) carries it."""

    __tablename__ = "catalog_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    resource_id: Mapped[int] = mapped_column(
        ForeignKey("catalog_resources.id", ondelete="CASCADE"), index=True
    )
    version: Mapped[int]
    kind: Mapped[str] = mapped_column(String(16))
    payload: Mapped[dict[str, object]] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    # the NATS outbox: None until JetStream acknowledged the event (catalog/feed_nats.py)
    nats_published_at: Mapped[dt.datetime | None] = mapped_column(nullable=True, index=True)


class Subscription(Base):
    """A department asking to hear of changes: to one resource, or (``resource_id`` None) to all.

    Holders of grants are told without subscribing; a subscription adds a webhook (HMAC-signed with
    ``secret``, stored encrypted) or just the portal notice.
    """

    __tablename__ = "catalog_subscriptions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    resource_id: Mapped[int | None] = mapped_column(
        ForeignKey("catalog_resources.id", ondelete="CASCADE"), nullable=True, index=True
    )
    webhook_url: Mapped[str | None] = mapped_column(String(500), nullable=True)
    secret: Mapped[str | None] = mapped_column(Text, nullable=True)  # encrypted (security.secrets)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Notice(Base):
    """A change event addressed to one department: its portal inbox, and the webhook delivery state."""

    __tablename__ = "catalog_notices"
    __table_args__ = (UniqueConstraint("event_id", "department_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("catalog_events.id", ondelete="CASCADE"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    reason: Mapped[str] = mapped_column(String(16))  # "grant" | "subscription"
    read_at: Mapped[dt.datetime | None] = mapped_column(nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Delivery(Base):
    """One webhook delivery of an event to a subscription, retried with backoff until it lands."""

    __tablename__ = "catalog_deliveries"
    __table_args__ = (UniqueConstraint("event_id", "subscription_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("catalog_events.id", ondelete="CASCADE"), index=True)
    subscription_id: Mapped[int] = mapped_column(ForeignKey("catalog_subscriptions.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)  # pending|delivered|failed
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    delivered_at: Mapped[dt.datetime | None] = mapped_column(nullable=True)


class InventoryTable(Base):
    """A table or file a connected source holds (found by discovery): the denominator of coverage.

    ``resource_id`` is set when a catalog resource describes it (应编尽编).
    """

    __tablename__ = "catalog_inventory"
    __table_args__ = (UniqueConstraint("source_id", "table_name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("ingest_sources.id", ondelete="CASCADE"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    table_name: Mapped[str] = mapped_column(String(300))
    columns: Mapped[list[dict[str, object]]] = mapped_column(JSON)  # [{"name", "type", "nullable"}]
    row_estimate: Mapped[int | None] = mapped_column(nullable=True)
    resource_id: Mapped[int | None] = mapped_column(
        ForeignKey("catalog_resources.id", ondelete="SET NULL"), nullable=True, index=True
    )
    discovered_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    comment: Mapped[str | None] = mapped_column(Text, nullable=True)  # the source's table comment
    # set when a scan no longer finds the table at the source (kept, not deleted: coverage and
    # the catalog entry need to know it went); cleared if it comes back
    gone_at: Mapped[dt.datetime | None] = mapped_column(nullable=True)
