"""record residents satisfaction with fixes

Revision ID: ee6496bb0a3a
Revises: 12b4bf2aa6e4
Create Date: 2026-11-30 00:05:54

The resident's word on the latest fix of their report (satisfied, basically satisfied, not
satisfied) and how often a fix did not satisfy them (each time reopens the report).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'ee6496bb0a3a'
down_revision = '12b4bf2aa6e4'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.add_column(sa.Column('satisfaction', sa.String(length=20), nullable=True))
        batch_op.add_column(
            sa.Column('reopen_count', sa.Integer(), nullable=False, server_default='0')
        )
        batch_op.create_check_constraint('reopen_count', 'reopen_count >= 0')
        batch_op.create_check_constraint(
            'satisfaction',
            "satisfaction IN ('satisfied', 'basically_satisfied', 'not_satisfied')",
        )



def downgrade():
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_reports_satisfaction'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_reports_reopen_count'), type_='check')
        batch_op.drop_column('reopen_count')
        batch_op.drop_column('satisfaction')

