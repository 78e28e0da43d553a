"""index cases by routing time

Revision ID: 7d264789ab8b
Revises: a8c31f5e2d90
Create Date: 2026-12-04 18:11:19

``ix_cases_routed_at``: a scorecard window of the last 30, 90 or 365 days counts the cases of
its first, partial month straight from ``cases`` by routing time; without this index that read
scanned every case.
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '7d264789ab8b'
down_revision = 'a8c31f5e2d90'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_cases_routed_at', 'cases', ['routed_at'], unique=False)


def downgrade():
    op.drop_index('ix_cases_routed_at', table_name='cases')
