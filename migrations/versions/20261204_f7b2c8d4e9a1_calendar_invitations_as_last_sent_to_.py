"""calendar invitations as last sent to each attendee

Revision ID: f7b2c8d4e9a1
Revises: e5a9b7c3d2f1
Create Date: 2026-12-04 00:51:25.535157
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = 'f7b2c8d4e9a1'
down_revision: str | None = 'e5a9b7c3d2f1'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('calendar_invitation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('team_key', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('email', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
    sa.Column('series_start', sa.Date(), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('fingerprint', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('cancelled_sent', sa.Text(), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('team_key', 'email', name='uq_invitation_team_email')
    )


def downgrade() -> None:
    op.drop_table('calendar_invitation')
