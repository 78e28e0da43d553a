"""keep plan drafts for the desk

Revision ID: 30c056b6eb25
Revises: d7eb22e6796f
Create Date: 2026-12-04 18:16:58

``plan_drafts``: plan files an administrator uploaded at the plan desk (``/admin/plans``),
kept with their bytes and the parsed plan as JSON until they are previewed and then published
into the plan ``slug`` or discarded. Nothing points at a draft, and a published draft is
deleted.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '30c056b6eb25'
down_revision = 'd7eb22e6796f'
branch_labels = None
depends_on = None


def upgrade():
    # A new table needs no batch mode on SQLite: nothing existing is altered.
    op.create_table(
        'plan_drafts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('slug', sa.String(length=80), nullable=False),
        sa.Column('file_name', sa.String(length=200), nullable=True),
        sa.Column('data', sa.LargeBinary(), nullable=False),
        sa.Column('parsed', sa.JSON(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_plan_drafts_created_by_id_users'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_drafts')),
    )


def downgrade():
    op.drop_table('plan_drafts')
