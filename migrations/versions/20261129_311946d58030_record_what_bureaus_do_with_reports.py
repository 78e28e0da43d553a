"""record what bureaus do with reports

Revision ID: 311946d58030
Revises: f31d6f5c63b6
Create Date: 2026-11-29 23:46:11

What a bureau does with a report and when (accepted, first public reply, resolved), how often
bureaus returned it, and which photos show the fix ("after" photos).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '311946d58030'
down_revision = 'f31d6f5c63b6'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('report_photos', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('is_after', sa.Boolean(), nullable=False, server_default=sa.false())
        )

    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.add_column(sa.Column('accepted_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('first_reply_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column('return_count', sa.Integer(), nullable=False, server_default='0')
        )
        batch_op.create_check_constraint('return_count', 'return_count >= 0')



def downgrade():
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_reports_return_count'), type_='check')
        batch_op.drop_column('return_count')
        batch_op.drop_column('resolved_at')
        batch_op.drop_column('first_reply_at')
        batch_op.drop_column('accepted_at')

    with op.batch_alter_table('report_photos', schema=None) as batch_op:
        batch_op.drop_column('is_after')

