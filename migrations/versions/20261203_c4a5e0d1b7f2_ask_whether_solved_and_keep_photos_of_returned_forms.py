"""ask whether the problem was solved, keep each answer with how it came, and keep photos of forms that come back

Revision ID: c4a5e0d1b7f2
Revises: 07396759b830
Create Date: 2026-12-03 11:10:00

Beside the satisfaction level, the 12345 hotline's other question: was the problem solved
(``reports.solved``, the latest answer). Every answer on a fix is kept in
``satisfaction_answers``: the timeline step it made, the bureau whose work was judged, and the
channel it came by (the reporter's account or browser, the signed link in the "resolved"
e-mail, or a community worker's call-back, who is then named).

``draft_photos``: photos sent with a report form that came back to the resident (the place
checked, a field refused), kept for a day under the form's random key so nothing is lost.
"""
from alembic import op
import sqlalchemy as sa



# revision identifiers, used by Alembic.
revision = 'c4a5e0d1b7f2'
down_revision = '07396759b830'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.add_column(sa.Column('solved', sa.Boolean(), nullable=True))

    op.create_table(
        'satisfaction_answers',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('report_id', sa.Integer(), nullable=False),
        sa.Column('event_id', sa.Integer(), nullable=False),
        sa.Column('bureau_id', sa.Integer(), nullable=True),
        sa.Column('satisfaction', sa.String(length=20), nullable=False),
        sa.Column('solved', sa.Boolean(), nullable=False),
        sa.Column('channel', sa.String(length=10), nullable=False),
        sa.Column('recorded_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "satisfaction IN ('satisfied', 'basically_satisfied', 'not_satisfied')",
            name=op.f('ck_satisfaction_answers_satisfaction'),
        ),
        sa.CheckConstraint(
            "channel IN ('account', 'browser', 'link', 'phone')",
            name=op.f('ck_satisfaction_answers_channel'),
        ),
        sa.CheckConstraint(
            "(channel = 'phone') = (recorded_by_id IS NOT NULL)",
            name=op.f('ck_satisfaction_answers_phone_recorded_by'),
        ),
        sa.ForeignKeyConstraint(['bureau_id'], ['bureaus.id'], name=op.f('fk_satisfaction_answers_bureau_id_bureaus')),
        sa.ForeignKeyConstraint(['event_id'], ['report_events.id'], name=op.f('fk_satisfaction_answers_event_id_report_events'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_satisfaction_answers_recorded_by_id_users')),
        sa.ForeignKeyConstraint(['report_id'], ['reports.id'], name=op.f('fk_satisfaction_answers_report_id_reports'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_satisfaction_answers')),
        sa.UniqueConstraint('event_id', name=op.f('uq_satisfaction_answers_event_id')),
    )
    with op.batch_alter_table('satisfaction_answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_satisfaction_answers_bureau_id'), ['bureau_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_satisfaction_answers_report_id'), ['report_id'], unique=False)


    op.create_table(
        'draft_photos',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('draft_key', sa.String(length=43), nullable=False),
        sa.Column('author_key', sa.String(length=64), nullable=False),
        sa.Column('path', sa.String(length=80), nullable=False),
        sa.Column('thumbnail_path', sa.String(length=80), nullable=False),
        sa.Column('width', sa.Integer(), nullable=False),
        sa.Column('height', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_draft_photos')),
        sa.UniqueConstraint('path', name=op.f('uq_draft_photos_path')),
        sa.UniqueConstraint('thumbnail_path', name=op.f('uq_draft_photos_thumbnail_path')),
    )
    with op.batch_alter_table('draft_photos', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_draft_photos_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_draft_photos_draft_key'), ['draft_key'], unique=False)


def downgrade():
    with op.batch_alter_table('draft_photos', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_draft_photos_draft_key'))
        batch_op.drop_index(batch_op.f('ix_draft_photos_created_at'))
    op.drop_table('draft_photos')
    with op.batch_alter_table('satisfaction_answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_satisfaction_answers_report_id'))
        batch_op.drop_index(batch_op.f('ix_satisfaction_answers_bureau_id'))
    op.drop_table('satisfaction_answers')
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.drop_column('solved')
