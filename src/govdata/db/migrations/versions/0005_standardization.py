"""standardization specs (raw to std)

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 11:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import govdata.db.base

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "govern_std_specs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("table_key", sa.String(length=200), nullable=False),
        sa.Column("resource_id", sa.Integer(), nullable=True),
        sa.Column("spec", sa.JSON(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=True),
        sa.Column("updated_at", govdata.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("last_report", sa.JSON(), nullable=True),
        sa.Column("last_run_at", govdata.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", govdata.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["resource_id"],
            ["catalog_resources.id"],
            name=op.f("fk_govern_std_specs_resource_id_catalog_resources"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_govern_std_specs")),
        sa.UniqueConstraint("table_key", name=op.f("uq_govern_std_specs_table_key")),
    )
    with op.batch_alter_table("govern_std_specs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_govern_std_specs_resource_id"), ["resource_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("govern_std_specs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_govern_std_specs_resource_id"))
    op.drop_table("govern_std_specs")
