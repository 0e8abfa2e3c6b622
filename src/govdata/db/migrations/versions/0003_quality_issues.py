"""quality issues and their history (feedback to providers)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 11:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import govdata.db.base

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "quality_issues",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("table_key", sa.String(length=200), nullable=False),
        sa.Column("binding", sa.String(length=400), nullable=False),
        sa.Column("resource_id", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=True),
        sa.Column("rule", sa.String(length=64), nullable=False),
        sa.Column("columns", sa.JSON(), nullable=False),
        sa.Column("dimension", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("checked_rows", sa.Integer(), nullable=False),
        sa.Column("failed_rows", sa.Integer(), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("samples", sa.JSON(), nullable=False),
        sa.Column("first_run_id", sa.Integer(), nullable=False),
        sa.Column("last_run_id", sa.Integer(), nullable=False),
        sa.Column("due_at", govdata.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("opened_at", govdata.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", govdata.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("closed_at", govdata.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["department_id"], ["departments.id"], name=op.f("fk_quality_issues_department_id_departments")
        ),
        sa.ForeignKeyConstraint(
            ["first_run_id"], ["quality_runs.id"], name=op.f("fk_quality_issues_first_run_id_quality_runs")
        ),
        sa.ForeignKeyConstraint(
            ["last_run_id"], ["quality_runs.id"], name=op.f("fk_quality_issues_last_run_id_quality_runs")
        ),
        sa.ForeignKeyConstraint(
            ["resource_id"],
            ["catalog_resources.id"],
            name=op.f("fk_quality_issues_resource_id_catalog_resources"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quality_issues")),
        sa.UniqueConstraint("table_key", "binding", name=op.f("uq_quality_issues_table_key")),
    )
    with op.batch_alter_table("quality_issues", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_quality_issues_department_id"), ["department_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_quality_issues_resource_id"), ["resource_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_quality_issues_status"), ["status"], unique=False)

    op.create_table(
        "quality_issue_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("issue_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("from_status", sa.String(length=16), nullable=True),
        sa.Column("to_status", sa.String(length=16), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("failed_rows", sa.Integer(), nullable=True),
        sa.Column("at", govdata.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["issue_id"],
            ["quality_issues.id"],
            name=op.f("fk_quality_issue_events_issue_id_quality_issues"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["run_id"], ["quality_runs.id"], name=op.f("fk_quality_issue_events_run_id_quality_runs")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quality_issue_events")),
    )
    with op.batch_alter_table("quality_issue_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_quality_issue_events_issue_id"), ["issue_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("quality_issue_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_quality_issue_events_issue_id"))
    op.drop_table("quality_issue_events")
    with op.batch_alter_table("quality_issues", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_quality_issues_status"))
        batch_op.drop_index(batch_op.f("ix_quality_issues_resource_id"))
        batch_op.drop_index(batch_op.f("ix_quality_issues_department_id"))
    op.drop_table("quality_issues")
