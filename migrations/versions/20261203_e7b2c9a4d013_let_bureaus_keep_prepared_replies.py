"""let bureaus keep prepared replies

Revision ID: e7b2c9a4d013
Revises: c4a5e0d1b7f2
Create Date: 2026-12-03 11:26:52

``reply_templates``: each bureau's prepared replies (a short name, unique within the bureau,
and the text), which its staff insert into a public answer or a resolution note. The text is
copied into the answer when used, so nothing refers back to a template.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e7b2c9a4d013'
down_revision = 'c4a5e0d1b7f2'
branch_labels = None
depends_on = None


def upgrade():
    # A new table needs no batch mode on SQLite: nothing existing is altered.
    op.create_table(
        'reply_templates',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('bureau_id', sa.Integer(), nullable=False),
        sa.Column('title', sa.String(length=80), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['bureau_id'], ['bureaus.id'], name=op.f('fk_reply_templates_bureau_id_bureaus')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_reply_templates')),
        # Leads with bureau_id, so it also serves the lookup of one bureau's replies.
        sa.UniqueConstraint('bureau_id', 'title', name=op.f('uq_reply_templates_bureau_id_title')),
    )


def downgrade():
    op.drop_table('reply_templates')
