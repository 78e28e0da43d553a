"""count what each bureau holds and index the inbox and the queue

Revision ID: 07396759b830
Revises: 02c68a376baa
Create Date: 2026-12-02 14:30:00

The bureau inbox counted its tabs with a GROUP BY over all of a bureau's reports (tens of
thousands after a year); now the counts per bureau and status are maintained rows (existing
reports are counted here). The inbox's tabs and the community workers' queue walk their own
indexes, oldest first, and a partial index finds the reports a bureau returned.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '07396759b830'
down_revision = '02c68a376baa'
branch_labels = None
depends_on = None

RETURNED = "status = 'returned'"


def upgrade():
    op.create_table('bureau_report_counts',
    sa.Column('bureau_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('report_count', sa.Integer(), nullable=False),
    sa.CheckConstraint('report_count >= 0', name=op.f('ck_bureau_report_counts_report_count')),
    sa.ForeignKeyConstraint(['bureau_id'], ['bureaus.id'], name=op.f('fk_bureau_report_counts_bureau_id_bureaus'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('bureau_id', 'status', name=op.f('pk_bureau_report_counts'))
    )
    op.execute(
        "INSERT INTO bureau_report_counts (bureau_id, status, report_count) "
        "SELECT bureau_id, status, count(*) FROM reports WHERE bureau_id IS NOT NULL "
        "GROUP BY bureau_id, status"
    )
    op.create_index(
        'ix_report_events_returned', 'report_events', ['bureau_id', 'report_id'],
        sqlite_where=sa.text(RETURNED), postgresql_where=sa.text(RETURNED),
    )
    op.create_index('ix_reports_inbox', 'reports', ['bureau_id', 'status', 'routed_at', 'id'])
    op.create_index('ix_reports_queue', 'reports', ['status', 'created_at', 'id'])


def downgrade():
    op.drop_index('ix_reports_queue', table_name='reports')
    op.drop_index('ix_reports_inbox', table_name='reports')
    op.drop_index('ix_report_events_returned', table_name='report_events')
    op.drop_table('bureau_report_counts')
