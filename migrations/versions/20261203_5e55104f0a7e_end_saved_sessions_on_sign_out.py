"""end saved sessions on sign-out

Revision ID: 5e55104f0a7e
Revises: e7b2c9a4d013
Create Date: 2026-12-03 11:00:00

Each account gets a session version, kept in its session cookies (``"<id>:<version>"``).
Signing out, a new password and a new role raise it, so every session made before (a saved
copy of the cookie too) stops working. Existing accounts start at 0, which also accepts the
bare ``"<id>"`` of sessions made before this revision until their first sign-out.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5e55104f0a7e'
down_revision = 'e7b2c9a4d013'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('session_version', sa.Integer(), server_default='0', nullable=False)
        )


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('session_version')
