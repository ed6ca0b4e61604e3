"""teams with their own meetings

Revision ID: 6da204880fd9
Revises: 4e1d742db8a0
Create Date: 2026-12-02 03:33:56.993846
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '6da204880fd9'
down_revision: str | None = '4e1d742db8a0'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _unique_week_name() -> str:
    """The old one-meeting-a-week constraint had no name: PostgreSQL named it itself, and
    SQLite's batch mode finds it through a naming convention."""
    return ("meeting_regular_date_key" if op.get_bind().dialect.name == "postgresql"
            else "uq_meeting_regular_date")


_CONVENTION = {"uq": "uq_%(table_name)s_%(column_0_name)s"}


def upgrade() -> None:
    op.create_table('team',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('channel_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('meeting_weekday', sa.Integer(), nullable=True),
    sa.Column('meeting_time', sa.Time(), nullable=True),
    sa.Column('jobcenter_attendees', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('channel_id'),
    sa.UniqueConstraint('name')
    )
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.add_column(sa.Column('team_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_case_team_id'), ['team_id'], unique=False)
        batch_op.create_foreign_key('fk_case_team_id_team', 'team', ['team_id'], ['id'])

    # One meeting a week for each team, not one a week in all.
    with op.batch_alter_table('meeting', schema=None, naming_convention=_CONVENTION) as batch_op:
        batch_op.drop_constraint(_unique_week_name(), type_='unique')
        batch_op.add_column(sa.Column('team_id', sa.Integer(), nullable=True))
        batch_op.create_index('uq_meeting_team_week', ['team_id', 'regular_date'], unique=True, sqlite_where=sa.text('team_id IS NOT NULL'), postgresql_where=sa.text('team_id IS NOT NULL'))
        batch_op.create_index('uq_meeting_week_own_team', ['regular_date'], unique=True, sqlite_where=sa.text('team_id IS NULL'), postgresql_where=sa.text('team_id IS NULL'))
        batch_op.create_foreign_key('fk_meeting_team_id_team', 'team', ['team_id'], ['id'])


def downgrade() -> None:
    # Only the deployment's own meetings and cases can go back to one meeting a week.
    op.execute("DELETE FROM meeting WHERE team_id IS NOT NULL")
    with op.batch_alter_table('meeting', schema=None, naming_convention=_CONVENTION) as batch_op:
        batch_op.drop_constraint('fk_meeting_team_id_team', type_='foreignkey')
        batch_op.drop_index('uq_meeting_week_own_team', sqlite_where=sa.text('team_id IS NULL'), postgresql_where=sa.text('team_id IS NULL'))
        batch_op.drop_index('uq_meeting_team_week', sqlite_where=sa.text('team_id IS NOT NULL'), postgresql_where=sa.text('team_id IS NOT NULL'))
        batch_op.drop_column('team_id')
        batch_op.create_unique_constraint(_unique_week_name(), ['regular_date'])

    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.drop_constraint('fk_case_team_id_team', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_case_team_id'))
        batch_op.drop_column('team_id')

    op.drop_table('team')
