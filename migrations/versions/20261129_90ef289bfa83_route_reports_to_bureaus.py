"""route reports to bureaus

Revision ID: 90ef289bfa83
Revises: 9b9c4ede32f7
Create Date: 2026-11-29 23:39:31

Community workers send reports to bureaus: the report keeps its bureau and the moment it was
routed (time limits count from then), the timeline names the bureau, routing rules map a
category and an area to a bureau, and bureaus get an English name.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '90ef289bfa83'
down_revision = '9b9c4ede32f7'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('routing_rules',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.Column('bureau_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['area_id'], ['areas.id'], name=op.f('fk_routing_rules_area_id_areas'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['bureau_id'], ['bureaus.id'], name=op.f('fk_routing_rules_bureau_id_bureaus')),
    sa.ForeignKeyConstraint(['category_id'], ['categories.id'], name=op.f('fk_routing_rules_category_id_categories'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_routing_rules')),
    sa.UniqueConstraint('category_id', 'area_id', name=op.f('uq_routing_rules_category_id_area_id'))
    )
    with op.batch_alter_table('bureaus', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('name_en', sa.String(length=100), nullable=False, server_default='')
        )

    with op.batch_alter_table('report_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('bureau_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_report_events_bureau_id_bureaus'), 'bureaus', ['bureau_id'], ['id'])

    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.add_column(sa.Column('bureau_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('routed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_reports_bureau_id'), ['bureau_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_reports_bureau_id_bureaus'), 'bureaus', ['bureau_id'], ['id'])



def downgrade():
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_reports_bureau_id_bureaus'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_reports_bureau_id'))
        batch_op.drop_column('routed_at')
        batch_op.drop_column('bureau_id')

    with op.batch_alter_table('report_events', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_report_events_bureau_id_bureaus'), type_='foreignkey')
        batch_op.drop_column('bureau_id')

    with op.batch_alter_table('bureaus', schema=None) as batch_op:
        batch_op.drop_column('name_en')

    op.drop_table('routing_rules')
