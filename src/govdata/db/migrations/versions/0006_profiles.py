"""column profiles and technical metadata snapshots

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 11:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import govdata.db.base

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "govern_profiles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("table_key", sa.String(length=200), nullable=False),
        sa.Column("resource_id", sa.Integer(), nullable=True),
        sa.Column("lake_version", sa.BigInteger(), nullable=False),
        sa.Column("profiled_at", govdata.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("profiled_by", sa.String(length=64), nullable=False),
        sa.Column("rows", sa.BigInteger(), nullable=False),
        sa.Column("bytes", sa.BigInteger(), nullable=True),
        sa.Column("files", sa.Integer(), nullable=True),
        sa.Column("columns", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["resource_id"],
            ["catalog_resources.id"],
            name=op.f("fk_govern_profiles_resource_id_catalog_resources"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_govern_profiles")),
        sa.UniqueConstraint("table_key", "lake_version", name=op.f("uq_govern_profiles_table_key")),
    )
    with op.batch_alter_table("govern_profiles", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_govern_profiles_resource_id"), ["resource_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_govern_profiles_table_key"), ["table_key"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("govern_profiles", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_govern_profiles_table_key"))
        batch_op.drop_index(batch_op.f("ix_govern_profiles_resource_id"))
    op.drop_table("govern_profiles")
