"""quality checks keep the parameters their binding ran with

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-08 11:00:00

The failing-keys download of an issue reruns its binding; without the parameters the check used, a
binding that was since disabled, deleted or changed (a range, a custom SQL rule) could not be rerun
as it was. Checks stored before this revision have none (NULL): the download then takes the
resource's effective binding, as before.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("quality_checks", schema=None) as batch_op:
        batch_op.add_column(sa.Column("params", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("quality_checks", schema=None) as batch_op:
        batch_op.drop_column("params")
