"""lineage datasets, jobs, runs, table and column edges

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 11:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import govdata.db.base

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "lineage_datasets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=400), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("department", sa.String(length=64), nullable=True),
        sa.Column("created_at", govdata.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lineage_datasets")),
        sa.UniqueConstraint("name", name=op.f("uq_lineage_datasets_name")),
    )
    op.create_table(
        "lineage_jobs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=400), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lineage_jobs")),
        sa.UniqueConstraint("name", name=op.f("uq_lineage_jobs_name")),
    )
    op.create_table(
        "lineage_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_uuid", sa.String(length=36), nullable=False),
        sa.Column("job_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("at", govdata.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("event", sa.JSON(), nullable=False),
        sa.Column("delivered_at", govdata.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["job_id"], ["lineage_jobs.id"], name=op.f("fk_lineage_runs_job_id_lineage_jobs")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lineage_runs")),
        sa.UniqueConstraint("run_uuid", name=op.f("uq_lineage_runs_run_uuid")),
    )
    with op.batch_alter_table("lineage_runs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_lineage_runs_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_lineage_runs_job_id"), ["job_id"], unique=False)
    op.create_table(
        "lineage_edges",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("job_id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["job_id"], ["lineage_jobs.id"], name=op.f("fk_lineage_edges_job_id_lineage_jobs")
        ),
        sa.ForeignKeyConstraint(
            ["run_id"], ["lineage_runs.id"], name=op.f("fk_lineage_edges_run_id_lineage_runs")
        ),
        sa.ForeignKeyConstraint(
            ["source_id"], ["lineage_datasets.id"], name=op.f("fk_lineage_edges_source_id_lineage_datasets")
        ),
        sa.ForeignKeyConstraint(
            ["target_id"], ["lineage_datasets.id"], name=op.f("fk_lineage_edges_target_id_lineage_datasets")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lineage_edges")),
        sa.UniqueConstraint("source_id", "target_id", "job_id", name=op.f("uq_lineage_edges_source_id")),
    )
    with op.batch_alter_table("lineage_edges", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_lineage_edges_source_id"), ["source_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_lineage_edges_target_id"), ["target_id"], unique=False)
    op.create_table(
        "lineage_column_edges",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("source_column", sa.String(length=200), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("target_column", sa.String(length=200), nullable=False),
        sa.Column("job_id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("transform", sa.String(length=400), nullable=True),
        sa.ForeignKeyConstraint(
            ["job_id"], ["lineage_jobs.id"], name=op.f("fk_lineage_column_edges_job_id_lineage_jobs")
        ),
        sa.ForeignKeyConstraint(
            ["run_id"], ["lineage_runs.id"], name=op.f("fk_lineage_column_edges_run_id_lineage_runs")
        ),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["lineage_datasets.id"],
            name=op.f("fk_lineage_column_edges_source_id_lineage_datasets"),
        ),
        sa.ForeignKeyConstraint(
            ["target_id"],
            ["lineage_datasets.id"],
            name=op.f("fk_lineage_column_edges_target_id_lineage_datasets"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lineage_column_edges")),
        sa.UniqueConstraint(
            "source_id",
            "source_column",
            "target_id",
            "target_column",
            "job_id",
            name=op.f("uq_lineage_column_edges_source_id"),
        ),
    )
    with op.batch_alter_table("lineage_column_edges", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_lineage_column_edges_source_id"), ["source_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_lineage_column_edges_target_id"), ["target_id"], unique=False)


def downgrade() -> None:
    for table in (
        "lineage_column_edges",
        "lineage_edges",
        "lineage_runs",
        "lineage_jobs",
        "lineage_datasets",
    ):
        op.drop_table(table)
