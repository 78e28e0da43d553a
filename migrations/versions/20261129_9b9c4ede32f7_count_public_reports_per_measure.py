"""count public reports per measure

Revision ID: 9b9c4ede32f7
Revises: efd9a508eb1f
Create Date: 2026-11-29 23:24:18

Measure pages show how many public reports concern the measure; a maintained count keeps that
one row read however many reports there are. Existing public reports are counted here.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '9b9c4ede32f7'
down_revision = 'efd9a508eb1f'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('measure_report_counts',
    sa.Column('measure_id', sa.Integer(), nullable=False),
    sa.Column('public_count', sa.Integer(), nullable=False),
    sa.CheckConstraint('public_count >= 0', name=op.f('ck_measure_report_counts_public_count')),
    sa.ForeignKeyConstraint(['measure_id'], ['measures.id'], name=op.f('fk_measure_report_counts_measure_id_measures'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('measure_id', name=op.f('pk_measure_report_counts'))
    )
    op.execute(
        "INSERT INTO measure_report_counts (measure_id, public_count) "
        "SELECT measure_id, count(*) FROM reports "
        "WHERE measure_id IS NOT NULL AND status NOT IN ('submitted', 'rejected') "
        "GROUP BY measure_id"
    )


def downgrade():
    op.drop_table('measure_report_counts')
