"""quality runs say whether they checked every effective binding of their resource

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-08 10:00:00

Runs stored before this revision are marked partial: nobody knows which bindings were effective
then, so none of them may withdraw an issue.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("quality_runs", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("all_bindings", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("quality_runs", schema=None) as batch_op:
        batch_op.drop_column("all_bindings")
