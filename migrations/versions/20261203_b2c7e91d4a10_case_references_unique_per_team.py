"""case references unique per team

Revision ID: b2c7e91d4a10
Revises: 488a98acb588
Create Date: 2026-12-03 19:00:00.000000
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = 'b2c7e91d4a10'
down_revision: str | None = '488a98acb588'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ACTIVE = "status = 'active'"
_IN_TEAM = "status = 'active' AND team_id IS NOT NULL"
_OWN = "status = 'active' AND team_id IS NULL"


def upgrade() -> None:
    # Every row that met "unique among active cases" meets both of these: nothing to move.
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.drop_index('uq_case_ref_key_active', sqlite_where=sa.text(_ACTIVE), postgresql_where=sa.text(_ACTIVE))
        batch_op.create_index('uq_case_team_ref_active', ['team_id', 'ref_key'], unique=True, sqlite_where=sa.text(_IN_TEAM), postgresql_where=sa.text(_IN_TEAM))
        batch_op.create_index('uq_case_own_ref_active', ['ref_key'], unique=True, sqlite_where=sa.text(_OWN), postgresql_where=sa.text(_OWN))


def downgrade() -> None:
    # Fails, as it must, where two teams hold the same active reference.
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.drop_index('uq_case_own_ref_active', sqlite_where=sa.text(_OWN), postgresql_where=sa.text(_OWN))
        batch_op.drop_index('uq_case_team_ref_active', sqlite_where=sa.text(_IN_TEAM), postgresql_where=sa.text(_IN_TEAM))
        batch_op.create_index('uq_case_ref_key_active', ['ref_key'], unique=True, sqlite_where=sa.text(_ACTIVE), postgresql_where=sa.text(_ACTIVE))
