"""keep the plan desk's corrections

Revision ID: 46e9483658c3
Revises: 01c975e3a195
Create Date: 2026-12-04 18:55:52

``plan_corrections``: what an administrator corrected in a plan as the importer read it (a
measure's title, text or group; a target's fields; a number that is no target; a target the
importer missed), by plan slug and measure key, so each later import of the plan applies it
again (``plans/corrections.py``). Nothing points at a correction.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '46e9483658c3'
down_revision = '01c975e3a195'
branch_labels = None
depends_on = None


def upgrade():
    # A new table needs no batch mode on SQLite: nothing existing is altered.
    op.create_table(
        'plan_corrections',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('plan_slug', sa.String(length=80), nullable=False),
        sa.Column('measure_key', sa.String(length=40), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('target_text', sa.String(length=300), nullable=True),
        sa.Column('changes', sa.JSON(), nullable=False),
        sa.Column('source', sa.Text(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind IN ('measure', 'target', 'not_target', 'add_target')", name=op.f('ck_plan_corrections_kind')),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_plan_corrections_created_by_id_users'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_corrections')),
    )
    op.create_index(op.f('ix_plan_corrections_plan_slug'), 'plan_corrections', ['plan_slug'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_plan_corrections_plan_slug'), table_name='plan_corrections')
    op.drop_table('plan_corrections')
