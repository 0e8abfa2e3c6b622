"""Sharing: applications for a resource and the grants that approval creates."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import JSON, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from govdata.catalog.models import Resource
from govdata.db.base import Base, utcnow
from govdata.security.models import Department, User


class ApplicationStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class Application(Base):
    __tablename__ = "share_applications"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    resource_id: Mapped[int] = mapped_column(ForeignKey("catalog_resources.id"), index=True)
    consumer_department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    applicant_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    fields: Mapped[list[str]] = mapped_column(JSON)
    purpose: Mapped[str] = mapped_column(Text)
    service_types: Mapped[list[str]] = mapped_column(JSON)
    days: Mapped[int]
    status: Mapped[str] = mapped_column(String(16), default=ApplicationStatus.PENDING.value)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    decided_at: Mapped[dt.datetime | None] = mapped_column(nullable=True)
    decision_note: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    resource: Mapped[Resource] = relationship()
    consumer: Mapped[Department] = relationship()
    applicant: Mapped[User | None] = relationship(foreign_keys=[applicant_id])


class Grant(Base):
    """Permission for a consumer department to read named fields of a resource until it expires."""

    __tablename__ = "share_grants"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("share_applications.id"))
    resource_id: Mapped[int] = mapped_column(ForeignKey("catalog_resources.id"), index=True)
    consumer_department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    fields: Mapped[list[str]] = mapped_column(JSON)
    purpose: Mapped[str] = mapped_column(Text)
    service_types: Mapped[list[str]] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[dt.datetime]
    revoked_at: Mapped[dt.datetime | None] = mapped_column(nullable=True)

    resource: Mapped[Resource] = relationship()
    consumer: Mapped[Department] = relationship()
