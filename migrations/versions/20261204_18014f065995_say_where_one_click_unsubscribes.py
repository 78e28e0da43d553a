"""say where one click unsubscribes

Revision ID: 18014f065995
Revises: 46e9483658c3
Create Date: 2026-12-04 19:58:00

``outbox_messages.unsubscribe_url``: where one click stops messages like this one, sent as
``List-Unsubscribe`` with ``List-Unsubscribe-Post`` (RFC 8058); empty for a message nobody
subscribed to, such as a password reset. Messages queued before have none.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '18014f065995'
down_revision = '46e9483658c3'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('unsubscribe_url', sa.String(length=500), nullable=True))


def downgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_column('unsubscribe_url')
