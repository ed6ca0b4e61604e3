"""attendance weeks and the workplace follow-up cadence per placement

Revision ID: a7c3e2d91f05
Revises: 15bab661864e
Create Date: 2026-12-03 22:57:24.964401
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = 'a7c3e2d91f05'
down_revision: str | None = '15bab661864e'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('attendance_week',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('week_start', sa.Date(), nullable=False),
    sa.Column('planned_days', sa.Integer(), nullable=False),
    sa.Column('attended_days', sa.Integer(), nullable=False),
    sa.Column('sick_days', sa.Integer(), nullable=False),
    sa.Column('no_show_days', sa.Integer(), nullable=False),
    sa.Column('left_early_days', sa.Integer(), nullable=False),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
    sa.Column('recorded_by', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['case.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('case_id', 'week_start', name='uq_attendance_case_week')
    )
    with op.batch_alter_table('attendance_week', schema=None) as batch_op:
        batch_op.create_index('ix_attendance_week_start', ['week_start', 'case_id'], unique=False)

    with op.batch_alter_table('placement', schema=None) as batch_op:
        batch_op.add_column(sa.Column('follow_up_cadence', sa.Enum('weekly', 'biweekly', 'monthly', name='followupcadence', native_enum=False, length=32), server_default='monthly', nullable=False))



def downgrade() -> None:
    with op.batch_alter_table('placement', schema=None) as batch_op:
        batch_op.drop_column('follow_up_cadence')

    with op.batch_alter_table('attendance_week', schema=None) as batch_op:
        batch_op.drop_index('ix_attendance_week_start')

    op.drop_table('attendance_week')
