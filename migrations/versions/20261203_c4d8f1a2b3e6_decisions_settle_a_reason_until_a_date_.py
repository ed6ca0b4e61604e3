"""decisions settle a reason until a date; absences name a stand-in; placement agreements and their goals

Revision ID: c4d8f1a2b3e6
Revises: a7c3e2d91f05
Create Date: 2026-12-03 23:30:57.692756
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = 'c4d8f1a2b3e6'
down_revision: str | None = 'a7c3e2d91f05'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('placement_agreement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('placement_id', sa.Integer(), nullable=False),
    sa.Column('tasks', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
    sa.Column('hours_plan', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
    sa.Column('accommodations', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
    sa.Column('updated_by', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
    sa.Column('updated_on', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['placement_id'], ['placement.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('placement_id')
    )
    op.create_table('agreement_goal',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agreement_id', sa.Integer(), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('text', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('status', sa.Enum('open', 'in-progress', 'reached', 'dropped', name='goalstatus', native_enum=False, length=32), nullable=False),
    sa.Column('status_on', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['agreement_id'], ['placement_agreement.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['parent_id'], ['agreement_goal.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('agreement_goal', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agreement_goal_agreement_id'), ['agreement_id'], unique=False)

    with op.batch_alter_table('absence', schema=None) as batch_op:
        batch_op.add_column(sa.Column('stand_in_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_absence_stand_in_id_person', 'person', ['stand_in_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('decision', schema=None) as batch_op:
        batch_op.add_column(sa.Column('settles', sa.Enum('carried-over', 'requested', 'owner-away', 'away-ahead', 'course-ending', 'placement-ending', 'internship-length', 'decision-overdue', 'mentor-meeting-overdue', 'follow-up-overdue', 'attendance', 'paid-hours', 'hours-down', 'hours-flat', 'new-case', 'placement-changed', 'rotation', name='reasoncode', native_enum=False, length=32), nullable=True))
        batch_op.add_column(sa.Column('settled_until', sa.Date(), nullable=True))

    with op.batch_alter_table('placement', schema=None) as batch_op:
        batch_op.add_column(sa.Column('follows_up_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_placement_follows_up_id_person', 'person', ['follows_up_id'], ['id'], ondelete='SET NULL')


def downgrade() -> None:
    with op.batch_alter_table('placement', schema=None) as batch_op:
        batch_op.drop_constraint('fk_placement_follows_up_id_person', type_='foreignkey')
        batch_op.drop_column('follows_up_id')

    with op.batch_alter_table('decision', schema=None) as batch_op:
        batch_op.drop_column('settled_until')
        batch_op.drop_column('settles')

    with op.batch_alter_table('absence', schema=None) as batch_op:
        batch_op.drop_constraint('fk_absence_stand_in_id_person', type_='foreignkey')
        batch_op.drop_column('stand_in_id')

    with op.batch_alter_table('agreement_goal', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agreement_goal_agreement_id'))

    op.drop_table('agreement_goal')
    op.drop_table('placement_agreement')
