"""track progress on targets and keep cases for the scorecard

Targets get a tracking row (owner bureau, baseline, weight, latest entry) and an append-only
history of progress entries; each routing of a report becomes a case, counted per month and
bureau or street as it moves, and closed months of the scorecard are stored. Plans learn the
years they cover.

Revision ID: a8c31f5e2d90
Revises: b3d9f1a27c40
Create Date: 2026-12-03 19:26:20.530698

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a8c31f5e2d90'
down_revision = 'b3d9f1a27c40'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('case_month_counts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('month', sa.String(length=7), nullable=False),
    sa.Column('group', sa.String(length=10), nullable=False),
    sa.Column('key', sa.Integer(), nullable=False),
    sa.Column('cases', sa.Integer(), nullable=False),
    sa.Column('responded', sa.Integer(), nullable=False),
    sa.Column('response_ok', sa.Integer(), nullable=False),
    sa.Column('replied', sa.Integer(), nullable=False),
    sa.Column('reply_ok', sa.Integer(), nullable=False),
    sa.Column('resolved_unreturned', sa.Integer(), nullable=False),
    sa.Column('resolution_ok', sa.Integer(), nullable=False),
    sa.Column('answers', sa.Integer(), nullable=False),
    sa.Column('solved', sa.Integer(), nullable=False),
    sa.Column('satisfied', sa.Integer(), nullable=False),
    sa.Column('basically_satisfied', sa.Integer(), nullable=False),
    sa.Column('not_satisfied', sa.Integer(), nullable=False),
    sa.Column('resolved', sa.Integer(), nullable=False),
    sa.Column('reopened', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_month_counts')),
    sa.UniqueConstraint('month', 'group', 'key', name=op.f('uq_case_month_counts_month_group_key'))
    )
    op.create_table('case_month_days',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('month', sa.String(length=7), nullable=False),
    sa.Column('group', sa.String(length=10), nullable=False),
    sa.Column('key', sa.Integer(), nullable=False),
    sa.Column('step', sa.String(length=7), nullable=False),
    sa.Column('days', sa.Integer(), nullable=False),
    sa.Column('n', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_month_days')),
    sa.UniqueConstraint('month', 'group', 'key', 'step', 'days', name=op.f('uq_case_month_days_month_group_key_step_days'))
    )
    op.create_table('performance_closed_months',
    sa.Column('month', sa.String(length=7), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('month', name=op.f('pk_performance_closed_months'))
    )
    op.create_table('performance_months',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('month', sa.String(length=7), nullable=False),
    sa.Column('group', sa.String(length=10), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('figures', sa.JSON(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_performance_months_recorded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_performance_months')),
    sa.UniqueConstraint('month', 'group', 'code', 'version', name=op.f('uq_performance_months_month_group_code_version'))
    )
    with op.batch_alter_table('performance_months', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_performance_months_month'), ['month'], unique=False)

    op.create_table('progress_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('on', sa.Date(), nullable=False),
    sa.Column('value', sa.Numeric(precision=14, scale=4), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('evidence_url', sa.String(length=2000), nullable=True),
    sa.Column('photo_path', sa.String(length=80), nullable=True),
    sa.Column('thumbnail_path', sa.String(length=80), nullable=True),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('bureau_id', sa.Integer(), nullable=True),
    sa.Column('supersedes_id', sa.Integer(), nullable=True),
    sa.Column('upload_key', sa.String(length=64), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("evidence_url IS NULL OR evidence_url LIKE 'https://%'", name=op.f('ck_progress_entries_evidence_https')),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_progress_entries_author_id_users')),
    sa.ForeignKeyConstraint(['bureau_id'], ['bureaus.id'], name=op.f('fk_progress_entries_bureau_id_bureaus')),
    sa.ForeignKeyConstraint(['supersedes_id'], ['progress_entries.id'], name=op.f('fk_progress_entries_supersedes_id_progress_entries')),
    sa.ForeignKeyConstraint(['target_id'], ['targets.id'], name=op.f('fk_progress_entries_target_id_targets')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_progress_entries')),
    sa.UniqueConstraint('photo_path', name=op.f('uq_progress_entries_photo_path')),
    sa.UniqueConstraint('supersedes_id', name=op.f('uq_progress_entries_supersedes_id')),
    sa.UniqueConstraint('thumbnail_path', name=op.f('uq_progress_entries_thumbnail_path')),
    sa.UniqueConstraint('upload_key', name=op.f('uq_progress_entries_upload_key'))
    )
    with op.batch_alter_table('progress_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_progress_entries_target_id'), ['target_id'], unique=False)

    op.create_table('target_tracking',
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('owner_bureau_id', sa.Integer(), nullable=True),
    sa.Column('baseline_value', sa.Numeric(precision=14, scale=4), nullable=True),
    sa.Column('baseline_date', sa.Date(), nullable=True),
    sa.Column('weight', sa.Numeric(precision=8, scale=4), nullable=True),
    sa.Column('latest_entry_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('weight IS NULL OR weight >= 0', name=op.f('ck_target_tracking_weight')),
    sa.ForeignKeyConstraint(['latest_entry_id'], ['progress_entries.id'], name=op.f('fk_target_tracking_latest_entry_id_progress_entries')),
    sa.ForeignKeyConstraint(['owner_bureau_id'], ['bureaus.id'], name=op.f('fk_target_tracking_owner_bureau_id_bureaus')),
    sa.ForeignKeyConstraint(['target_id'], ['targets.id'], name=op.f('fk_target_tracking_target_id_targets'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('target_id', name=op.f('pk_target_tracking'))
    )
    with op.batch_alter_table('target_tracking', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_target_tracking_owner_bureau_id'), ['owner_bureau_id'], unique=False)

    op.create_table('cases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('bureau_id', sa.Integer(), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=True),
    sa.Column('routed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('accept_by', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reply_by', sa.DateTime(timezone=True), nullable=False),
    sa.Column('resolve_by', sa.DateTime(timezone=True), nullable=False),
    sa.Column('accepted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('returned_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('first_reply_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('first_resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('days_to_accept', sa.Integer(), nullable=True),
    sa.Column('days_to_reply', sa.Integer(), nullable=True),
    sa.Column('days_to_resolve', sa.Integer(), nullable=True),
    sa.Column('reopen_count', sa.Integer(), nullable=False),
    sa.Column('is_open', sa.Boolean(), nullable=False),
    sa.Column('is_pending', sa.Boolean(), nullable=False),
    sa.Column('satisfaction', sa.String(length=20), nullable=True),
    sa.Column('solved', sa.Boolean(), nullable=True),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['area_id'], ['areas.id'], name=op.f('fk_cases_area_id_areas')),
    sa.ForeignKeyConstraint(['bureau_id'], ['bureaus.id'], name=op.f('fk_cases_bureau_id_bureaus')),
    sa.ForeignKeyConstraint(['report_id'], ['reports.id'], name=op.f('fk_cases_report_id_reports'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cases'))
    )
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.create_index('ix_cases_area_id_routed_at', ['area_id', 'routed_at'], unique=False)
        batch_op.create_index('ix_cases_bureau_id_routed_at', ['bureau_id', 'routed_at'], unique=False)
        batch_op.create_index('ix_cases_pending', ['is_pending', 'routed_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_cases_report_id'), ['report_id'], unique=False)

    with op.batch_alter_table('plans', schema=None) as batch_op:
        batch_op.add_column(sa.Column('start_year', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('end_year', sa.Integer(), nullable=True))



def downgrade():
    with op.batch_alter_table('plans', schema=None) as batch_op:
        batch_op.drop_column('end_year')
        batch_op.drop_column('start_year')

    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cases_report_id'))
        batch_op.drop_index('ix_cases_pending')
        batch_op.drop_index('ix_cases_bureau_id_routed_at')
        batch_op.drop_index('ix_cases_area_id_routed_at')

    op.drop_table('cases')
    with op.batch_alter_table('target_tracking', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_target_tracking_owner_bureau_id'))

    op.drop_table('target_tracking')
    with op.batch_alter_table('progress_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_progress_entries_target_id'))

    op.drop_table('progress_entries')
    with op.batch_alter_table('performance_months', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_performance_months_month'))

    op.drop_table('performance_months')
    op.drop_table('performance_closed_months')
    op.drop_table('case_month_days')
    op.drop_table('case_month_counts')
