"""Quality issues (问题数据反馈) kept in the metadata store: one row per failing rule binding of a
table, and every status change of it as an event (the issue's history)."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from govdata.db.base import Base, utcnow


class IssueStatus(StrEnum):
    open = "open"
    acknowledged = "acknowledged"
    fixed = "fixed"
    verified = "verified"  # a later run passed the binding, or the bureau verified the fix
    withdrawn = "withdrawn"  # the binding no longer applies (disabled, deleted, its column gone)


class QualityIssue(Base):
    """A rule binding that fails on a table, assigned to the department that provides the table.

    ``binding`` identifies it (``id_number(sfzh)``); one issue per table and binding: a binding that
    fails again after it was verified or withdrawn reopens its issue. ``last_run`` is the newest run in which the
    binding failed; its lake version is what the keys download reads.
    """

    __tablename__ = "quality_issues"
    __table_args__ = (UniqueConstraint("table_key", "binding"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    table_key: Mapped[str] = mapped_column(String(200))  # raw.gaj.hj_rk
    binding: Mapped[str] = mapped_column(String(400))  # RuleBinding.key
    resource_id: Mapped[int] = mapped_column(ForeignKey("catalog_resources.id"), index=True)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"), nullable=True, index=True)
    rule: Mapped[str] = mapped_column(String(64))
    columns: Mapped[list[str]] = mapped_column(JSON)
    dimension: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16), default=IssueStatus.open, index=True)
    checked_rows: Mapped[int]
    failed_rows: Mapped[int]
    reasons: Mapped[dict[str, int]] = mapped_column(JSON)
    samples: Mapped[list[dict[str, object]]] = mapped_column(JSON)  # masked per the catalog items
    first_run_id: Mapped[int] = mapped_column(ForeignKey("quality_runs.id"))
    last_run_id: Mapped[int] = mapped_column(ForeignKey("quality_runs.id"))
    due_at: Mapped[dt.datetime]
    opened_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[dt.datetime | None] = mapped_column(nullable=True)

    events: Mapped[list[QualityIssueEvent]] = relationship(
        back_populates="issue", cascade="all, delete-orphan", order_by="QualityIssueEvent.id"
    )


class QualityIssueEvent(Base):
    """One status change of an issue: who, when, from → to, the comment, and the run behind it."""

    __tablename__ = "quality_issue_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    issue_id: Mapped[int] = mapped_column(ForeignKey("quality_issues.id", ondelete="CASCADE"), index=True)
    # opened, acknowledged, fixed, verified, reopened, withdrawn
    action: Mapped[str] = mapped_column(String(16))
    from_status: Mapped[str | None] = mapped_column(String(16), nullable=True)
    to_status: Mapped[str] = mapped_column(String(16))
    actor: Mapped[str] = mapped_column(String(64))
    comment: Mapped[str | None] = mapped_column(Text, nullable=True)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("quality_runs.id"), nullable=True)
    failed_rows: Mapped[int | None] = mapped_column(nullable=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    issue: Mapped[QualityIssue] = relationship(back_populates="events")
