"""course facts kept for the results figures

Revision ID: c3f1a9d2e8b7
Revises: f7b2c8d4e9a1
Create Date: 2026-12-04 05:40:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'c3f1a9d2e8b7'
down_revision: str | None = 'f7b2c8d4e9a1'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('course_facts',
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('extensions', sa.Integer(), nullable=False),
    sa.Column('company_days', sa.Integer(), nullable=True),
    sa.Column('paid_days', sa.Integer(), nullable=True),
    sa.Column('hours_start', sa.Float(), nullable=True),
    sa.Column('hours_peak', sa.Float(), nullable=True),
    sa.Column('hours_end', sa.Float(), nullable=True),
    sa.Column('paid_end', sa.Float(), nullable=True),
    sa.Column('paid_w13', sa.Float(), nullable=True),
    sa.Column('paid_w26', sa.Float(), nullable=True),
    sa.Column('has_hours', sa.Boolean(), nullable=False),
    sa.Column('stepped_down', sa.Boolean(), nullable=False),
    sa.Column('mentor_held', sa.Integer(), nullable=False),
    sa.Column('mentor_on_time', sa.Integer(), nullable=False),
    sa.Column('workplace_held', sa.Integer(), nullable=False),
    sa.Column('workplace_on_time', sa.Integer(), nullable=False),
    sa.Column('decisions', sa.Integer(), nullable=False),
    sa.Column('jobcenter_present', sa.Integer(), nullable=False),
    sa.Column('jobcenter_agreed', sa.Integer(), nullable=False),
    sa.Column('planned_days', sa.Integer(), nullable=False),
    sa.Column('attended_days', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['case.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('case_id')
    )
    # The courses there are, their facts made from their history. The statement is the
    # code's of today: on an empty database (a fresh install) nothing is read.
    connection = op.get_bind()
    if connection.execute(sa.text('SELECT 1 FROM "case" LIMIT 1')).first() is not None:
        from sparbot.services.course_facts import rebuild
        rebuild(connection)


def downgrade() -> None:
    op.drop_table('course_facts')
