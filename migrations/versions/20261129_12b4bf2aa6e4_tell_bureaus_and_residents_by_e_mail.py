"""tell bureaus and residents by e-mail

Revision ID: 12b4bf2aa6e4
Revises: 311946d58030
Create Date: 2026-11-29 23:56:20

E-mails about reports go through the outbox: a bureau's address receives the reports routed to
it, and a resident who left an e-mail hears of each step in the language they wrote in.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '12b4bf2aa6e4'
down_revision = '311946d58030'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('bureaus', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email', sa.String(length=254), nullable=True))

    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=10), nullable=True))



def downgrade():
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.drop_column('language')

    with op.batch_alter_table('bureaus', schema=None) as batch_op:
        batch_op.drop_column('email')

