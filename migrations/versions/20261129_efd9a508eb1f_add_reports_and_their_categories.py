"""add reports, categories, photos, supports and report events

Revision ID: efd9a508eb1f
Revises: 5d1e0a7c9b21
Create Date: 2026-11-29 22:30:46

Residents' reports of local problems, with their categories (each with a default bureau and
plan measure), photos, supporters and public timeline. Bureau codes become stable lowercase
words with underscores (``urban_management``), as other software will rely on them.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'efd9a508eb1f'
down_revision = '5d1e0a7c9b21'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('categories',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name_zh', sa.String(length=60), nullable=False),
    sa.Column('name_en', sa.String(length=60), nullable=False),
    sa.Column('hint_zh', sa.String(length=200), nullable=False),
    sa.Column('hint_en', sa.String(length=200), nullable=False),
    sa.Column('default_bureau_id', sa.Integer(), nullable=True),
    sa.Column('measure_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['default_bureau_id'], ['bureaus.id'], name=op.f('fk_categories_default_bureau_id_bureaus')),
    sa.ForeignKeyConstraint(['measure_id'], ['measures.id'], name=op.f('fk_categories_measure_id_measures')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_categories')),
    sa.UniqueConstraint('code', name=op.f('uq_categories_code'))
    )
    op.create_table('reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('measure_id', sa.Integer(), nullable=True),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=True),
    sa.Column('address', sa.String(length=200), nullable=True),
    sa.Column('lat', sa.Float(), nullable=True),
    sa.Column('lng', sa.Float(), nullable=True),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('moderation_reason', sa.Text(), nullable=True),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reporter_name', sa.String(length=40), nullable=True),
    sa.Column('contact', sa.String(length=254), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('author_key', sa.String(length=64), nullable=False),
    sa.Column('submission_token', sa.String(length=64), nullable=False),
    sa.Column('ip_hash', sa.String(length=64), nullable=True),
    sa.Column('support_count', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('submitted', 'published', 'routed', 'accepted', 'in_progress', 'resolved', 'closed', 'returned', 'rejected', 'duplicate', 'reopened')", name=op.f('ck_reports_status')),
    sa.CheckConstraint('(lat IS NULL) = (lng IS NULL)', name=op.f('ck_reports_whole_point')),
    sa.CheckConstraint('area_id IS NOT NULL OR lat IS NOT NULL', name=op.f('ck_reports_has_place')),
    sa.CheckConstraint('support_count >= 0', name=op.f('ck_reports_support_count')),
    sa.ForeignKeyConstraint(['area_id'], ['areas.id'], name=op.f('fk_reports_area_id_areas')),
    sa.ForeignKeyConstraint(['category_id'], ['categories.id'], name=op.f('fk_reports_category_id_categories')),
    sa.ForeignKeyConstraint(['measure_id'], ['measures.id'], name=op.f('fk_reports_measure_id_measures')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_reports_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reports')),
    sa.UniqueConstraint('code', name=op.f('uq_reports_code')),
    sa.UniqueConstraint('submission_token', name=op.f('uq_reports_submission_token'))
    )
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.create_index('ix_reports_area', ['area_id', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reports_author_key'), ['author_key'], unique=False)
        batch_op.create_index('ix_reports_category', ['category_id', 'id'], unique=False)
        batch_op.create_index('ix_reports_status', ['status', 'id'], unique=False)
        batch_op.create_index('ix_reports_measure', ['measure_id', 'id'], unique=False)
        batch_op.create_index('ix_reports_nearby', ['category_id', 'lat'], unique=False)
        batch_op.create_index(batch_op.f('ix_reports_user_id'), ['user_id'], unique=False)

    op.create_table('report_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['report_id'], ['reports.id'], name=op.f('fk_report_events_report_id_reports'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_events'))
    )
    with op.batch_alter_table('report_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_events_report_id'), ['report_id'], unique=False)

    op.create_table('report_photos',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('path', sa.String(length=80), nullable=False),
    sa.Column('thumbnail_path', sa.String(length=80), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['report_id'], ['reports.id'], name=op.f('fk_report_photos_report_id_reports'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_photos')),
    sa.UniqueConstraint('path', name=op.f('uq_report_photos_path')),
    sa.UniqueConstraint('report_id', 'position', name=op.f('uq_report_photos_report_id_position')),
    sa.UniqueConstraint('thumbnail_path', name=op.f('uq_report_photos_thumbnail_path'))
    )
    op.create_table('report_supports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('supporter_key', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['report_id'], ['reports.id'], name=op.f('fk_report_supports_report_id_reports'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_report_supports_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_supports')),
    sa.UniqueConstraint('report_id', 'supporter_key', name=op.f('uq_report_supports_report_id_supporter_key'))
    )
    with op.batch_alter_table('report_supports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_supports_user_id'), ['user_id'], unique=False)

    bureaus = sa.table("bureaus", sa.column("code", sa.String))
    op.execute(bureaus.update().values(code=sa.func.replace(bureaus.c.code, "-", "_")))


def downgrade():
    bureaus = sa.table("bureaus", sa.column("code", sa.String))
    op.execute(bureaus.update().values(code=sa.func.replace(bureaus.c.code, "_", "-")))
    with op.batch_alter_table('report_supports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_supports_user_id'))

    op.drop_table('report_supports')
    op.drop_table('report_photos')
    with op.batch_alter_table('report_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_events_report_id'))

    op.drop_table('report_events')
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reports_user_id'))
        batch_op.drop_index('ix_reports_nearby')
        batch_op.drop_index('ix_reports_measure')
        batch_op.drop_index('ix_reports_status')
        batch_op.drop_index('ix_reports_category')
        batch_op.drop_index(batch_op.f('ix_reports_author_key'))
        batch_op.drop_index('ix_reports_area')

    op.drop_table('reports')
    op.drop_table('categories')
