"""let moderators mark duplicates, redact and note; let administrators set time limits

Revision ID: 99e4da3081cd
Revises: ee6496bb0a3a
Create Date: 2026-11-30 00:56:50

What issue 5 still needed in the schema:
- a report marked as the duplicate of an earlier one points to it;
- redacting personal data keeps the resident's text (``original_description``) and photo
  (``original_path``) for administrators only;
- internal notes on reports, for community workers and the bureau handling them;
- supporters may leave an e-mail (and their language) to hear of each public step;
- administrators retire categories, and set time limits and the holiday calendar in the app
  (until they do, the configuration's values apply).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '99e4da3081cd'
down_revision = 'ee6496bb0a3a'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('calendar_days',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('is_workday', sa.Boolean(), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.PrimaryKeyConstraint('day', name=op.f('pk_calendar_days'))
    )
    op.create_table('time_limit_settings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('accept_days', sa.Integer(), nullable=False),
    sa.Column('reply_days', sa.Integer(), nullable=False),
    sa.Column('resolve_days', sa.Integer(), nullable=False),
    sa.CheckConstraint('accept_days >= 0', name=op.f('ck_time_limit_settings_accept_days')),
    sa.CheckConstraint('id = 1', name=op.f('ck_time_limit_settings_single_row')),
    sa.CheckConstraint('reply_days >= 0', name=op.f('ck_time_limit_settings_reply_days')),
    sa.CheckConstraint('resolve_days >= 0', name=op.f('ck_time_limit_settings_resolve_days')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_time_limit_settings'))
    )
    op.create_table('report_notes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_report_notes_author_id_users')),
    sa.ForeignKeyConstraint(['report_id'], ['reports.id'], name=op.f('fk_report_notes_report_id_reports'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_notes'))
    )
    with op.batch_alter_table('report_notes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_notes_report_id'), ['report_id'], unique=False)

    with op.batch_alter_table('categories', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('is_active', sa.Boolean(), nullable=False, server_default=sa.true())
        )

    with op.batch_alter_table('report_photos', schema=None) as batch_op:
        batch_op.add_column(sa.Column('original_path', sa.String(length=80), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_report_photos_original_path'), ['original_path'])

    with op.batch_alter_table('report_supports', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email', sa.String(length=254), nullable=True))
        batch_op.add_column(sa.Column('language', sa.String(length=10), nullable=True))

    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.add_column(sa.Column('duplicate_of_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('original_description', sa.Text(), nullable=True))
        batch_op.create_index(batch_op.f('ix_reports_duplicate_of_id'), ['duplicate_of_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_reports_duplicate_of_id_reports'), 'reports', ['duplicate_of_id'], ['id'])


def downgrade():
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_reports_duplicate_of_id_reports'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_reports_duplicate_of_id'))
        batch_op.drop_column('original_description')
        batch_op.drop_column('duplicate_of_id')

    with op.batch_alter_table('report_supports', schema=None) as batch_op:
        batch_op.drop_column('language')
        batch_op.drop_column('email')

    with op.batch_alter_table('report_photos', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_report_photos_original_path'), type_='unique')
        batch_op.drop_column('original_path')

    with op.batch_alter_table('categories', schema=None) as batch_op:
        batch_op.drop_column('is_active')

    with op.batch_alter_table('report_notes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_notes_report_id'))

    op.drop_table('report_notes')
    op.drop_table('time_limit_settings')
    op.drop_table('calendar_days')
