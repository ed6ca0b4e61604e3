"""people as Slack knows them: when last checked, and whether it can reach them

Revision ID: e5a9b7c3d2f1
Revises: c4d8f1a2b3e6
Create Date: 2026-12-03 23:52:48.477798
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'e5a9b7c3d2f1'
down_revision: str | None = 'c4d8f1a2b3e6'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.add_column(sa.Column('slack_checked_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('unreachable', sa.Boolean(), server_default=sa.false(), nullable=False))



def downgrade() -> None:
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.drop_column('unreachable')
        batch_op.drop_column('slack_checked_at')

