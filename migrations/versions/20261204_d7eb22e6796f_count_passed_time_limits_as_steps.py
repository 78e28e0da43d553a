"""count passed time limits as steps

Revision ID: d7eb22e6796f
Revises: 7d264789ab8b
Create Date: 2026-12-04 18:17:39

A time limit that passes with its step not done now changes the scorecard's monthly counts by
delta, like any step: ``cases`` gains a flag per limit (``accept_by_passed``, ...), set by
``performance.services.mark_passed_limits`` (the outbox worker runs it on every round, and
``flask performance check-limits`` does once), and ``case_month_counts`` gains the counts
those flags add (late response, reply and resolution, and overdue now), so the scorecard reads
no case at all. Existing cases start unflagged: the worker's first round (or the command)
flags and counts the limits that have already passed.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd7eb22e6796f'
down_revision = '7d264789ab8b'
branch_labels = None
depends_on = None

_COUNTS = ('late_response', 'late_reply', 'late_resolution', 'overdue')
_FLAGS = ('accept_by_passed', 'reply_by_passed', 'resolve_by_passed')


def upgrade():
    with op.batch_alter_table('case_month_counts', schema=None) as batch_op:
        for name in _COUNTS:
            batch_op.add_column(sa.Column(name, sa.Integer(), server_default='0', nullable=False))
    with op.batch_alter_table('cases', schema=None) as batch_op:
        for name in _FLAGS:
            batch_op.add_column(
                sa.Column(name, sa.Boolean(), server_default=sa.false(), nullable=False)
            )


def downgrade():
    with op.batch_alter_table('cases', schema=None) as batch_op:
        for name in reversed(_FLAGS):
            batch_op.drop_column(name)
    with op.batch_alter_table('case_month_counts', schema=None) as batch_op:
        for name in reversed(_COUNTS):
            batch_op.drop_column(name)
