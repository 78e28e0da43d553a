"""follow, pace, digests, text messages and sign-in codes

Revision ID: 457d40bac141
Revises: 18014f065995
Create Date: 2026-12-04 21:37:12

Issue 17's tables: follows (a measure, report, area or place, by account or confirmed
e-mail); addresses (failures and stops per e-mail address or mobile number, and the
paces of people without an account); digest_items and digests (one row per person
and period); sign_in_codes (six-digit codes by text message); measure_answers (a
bureau's public answer on a measure). outbox_messages.channel says e-mail or SMS.
users gains the confirmed e-mail time, the language and two paces; accounts made before
this keep their e-mail as confirmed (they could not have been asked).

On SQLite, adding CHECK constraints to users and outbox_messages copies the tables;
foreign keys are off while they are copied, or dropping the old users would cascade.
"""
from contextlib import contextmanager

from alembic import op
import sqlalchemy as sa

_PACES = "('immediately', 'daily', 'weekly', 'off')"


@contextmanager
def _sqlite_foreign_keys_off():
    sqlite = op.get_bind().dialect.name == 'sqlite'
    if sqlite:
        with op.get_context().autocommit_block():
            op.execute('PRAGMA foreign_keys=OFF')
    try:
        yield
    finally:
        if sqlite:
            with op.get_context().autocommit_block():
                op.execute('PRAGMA foreign_keys=ON')


# revision identifiers, used by Alembic.
revision = '457d40bac141'
down_revision = '18014f065995'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('addresses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('address', sa.String(length=254), nullable=False),
    sa.Column('channel', sa.String(length=5), nullable=False),
    sa.Column('language', sa.String(length=10), nullable=True),
    sa.Column('pace_own', sa.String(length=12), nullable=False),
    sa.Column('pace_following', sa.String(length=12), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('stopped_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('stop_reason', sa.String(length=12), nullable=True),
    sa.CheckConstraint("channel IN ('email', 'sms')", name=op.f('ck_addresses_channel')),
    sa.CheckConstraint("pace_following IN ('immediately', 'daily', 'weekly', 'off')", name=op.f('ck_addresses_pace_following')),
    sa.CheckConstraint("pace_own IN ('immediately', 'daily', 'weekly', 'off')", name=op.f('ck_addresses_pace_own')),
    sa.CheckConstraint("stop_reason IN ('failures', 'stop')", name=op.f('ck_addresses_stop_reason')),
    sa.CheckConstraint('failures >= 0', name=op.f('ck_addresses_failures')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_addresses')),
    sa.UniqueConstraint('address', name=op.f('uq_addresses_address'))
    )
    op.create_table('digests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('address', sa.String(length=254), nullable=False),
    sa.Column('period', sa.String(length=20), nullable=False),
    sa.Column('item_count', sa.Integer(), nullable=False),
    sa.Column('message_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['message_id'], ['outbox_messages.id'], name=op.f('fk_digests_message_id_outbox_messages'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_digests')),
    sa.UniqueConstraint('address', 'period', name=op.f('uq_digests_address_period'))
    )
    op.create_table('digest_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('address', sa.String(length=254), nullable=False),
    sa.Column('language', sa.String(length=10), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('pace', sa.String(length=8), nullable=False),
    sa.Column('event_key', sa.String(length=120), nullable=False),
    sa.Column('line', sa.String(length=300), nullable=False),
    sa.Column('link', sa.String(length=500), nullable=False),
    sa.Column('digest_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("kind IN ('own', 'following')", name=op.f('ck_digest_items_kind')),
    sa.CheckConstraint("pace IN ('daily', 'weekly')", name=op.f('ck_digest_items_pace')),
    sa.ForeignKeyConstraint(['digest_id'], ['digests.id'], name=op.f('fk_digest_items_digest_id_digests'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_digest_items')),
    sa.UniqueConstraint('address', 'event_key', name=op.f('uq_digest_items_address_event_key'))
    )
    with op.batch_alter_table('digest_items', schema=None) as batch_op:
        batch_op.create_index('ix_digest_items_waiting', ['digest_id', 'address'], unique=False)

    op.create_table('sign_in_codes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sa.String(length=255), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.CheckConstraint('attempts >= 0', name=op.f('ck_sign_in_codes_attempts')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_sign_in_codes_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sign_in_codes'))
    )
    with op.batch_alter_table('sign_in_codes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sign_in_codes_user_id'), ['user_id'], unique=False)

    op.create_table('measure_answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('measure_id', sa.Integer(), nullable=False),
    sa.Column('bureau_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_measure_answers_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['bureau_id'], ['bureaus.id'], name=op.f('fk_measure_answers_bureau_id_bureaus')),
    sa.ForeignKeyConstraint(['measure_id'], ['measures.id'], name=op.f('fk_measure_answers_measure_id_measures')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_measure_answers'))
    )
    with op.batch_alter_table('measure_answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_measure_answers_measure_id'), ['measure_id'], unique=False)

    op.create_table('follows',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('language', sa.String(length=10), nullable=True),
    sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('measure_id', sa.Integer(), nullable=True),
    sa.Column('report_id', sa.Integer(), nullable=True),
    sa.Column('area_id', sa.Integer(), nullable=True),
    sa.Column('lat', sa.Float(), nullable=True),
    sa.Column('lng', sa.Float(), nullable=True),
    sa.Column('radius_m', sa.Integer(), nullable=True),
    sa.Column('label', sa.String(length=60), nullable=True),
    sa.CheckConstraint("(kind = 'measure') = (measure_id IS NOT NULL) AND (kind = 'report') = (report_id IS NOT NULL) AND (kind = 'area') = (area_id IS NOT NULL) AND (kind = 'place') = (lat IS NOT NULL AND lng IS NOT NULL AND radius_m IS NOT NULL)", name=op.f('ck_follows_target')),
    sa.CheckConstraint("kind IN ('measure', 'report', 'area', 'place')", name=op.f('ck_follows_kind')),
    sa.CheckConstraint('radius_m IS NULL OR radius_m BETWEEN 200 AND 2000', name=op.f('ck_follows_radius_m')),
    sa.CheckConstraint('user_id IS NOT NULL OR email IS NOT NULL', name=op.f('ck_follows_has_person')),
    sa.ForeignKeyConstraint(['area_id'], ['areas.id'], name=op.f('fk_follows_area_id_areas'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['measure_id'], ['measures.id'], name=op.f('fk_follows_measure_id_measures'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['report_id'], ['reports.id'], name=op.f('fk_follows_report_id_reports'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_follows_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_follows'))
    )
    with op.batch_alter_table('follows', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_follows_area_id'), ['area_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_follows_email'), ['email'], unique=False)
        batch_op.create_index(batch_op.f('ix_follows_measure_id'), ['measure_id'], unique=False)
        batch_op.create_index('ix_follows_places', ['kind', 'lat', 'lng'], unique=False)
        batch_op.create_index(batch_op.f('ix_follows_report_id'), ['report_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_follows_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('channel', sa.String(length=5), server_default='email', nullable=False))
    with _sqlite_foreign_keys_off(), op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.create_check_constraint('channel', "channel IN ('email', 'sms')")

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email_confirmed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('language', sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column('pace_own', sa.String(length=12), server_default='immediately', nullable=False))
        batch_op.add_column(sa.Column('pace_following', sa.String(length=12), server_default='daily', nullable=False))
    with _sqlite_foreign_keys_off(), op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.create_check_constraint('pace_own', f"pace_own IN {_PACES}")
        batch_op.create_check_constraint('pace_following', f"pace_following IN {_PACES}")
    op.execute("UPDATE users SET email_confirmed_at = created_at WHERE email IS NOT NULL")



def downgrade():
    with _sqlite_foreign_keys_off(), op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint('pace_following', type_='check')
        batch_op.drop_constraint('pace_own', type_='check')
        batch_op.drop_column('pace_following')
        batch_op.drop_column('pace_own')
        batch_op.drop_column('language')
        batch_op.drop_column('email_confirmed_at')

    with _sqlite_foreign_keys_off(), op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_constraint('channel', type_='check')
        batch_op.drop_column('channel')

    with op.batch_alter_table('follows', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_follows_user_id'))
        batch_op.drop_index(batch_op.f('ix_follows_report_id'))
        batch_op.drop_index('ix_follows_places')
        batch_op.drop_index(batch_op.f('ix_follows_measure_id'))
        batch_op.drop_index(batch_op.f('ix_follows_email'))
        batch_op.drop_index(batch_op.f('ix_follows_area_id'))

    op.drop_table('follows')
    with op.batch_alter_table('measure_answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_measure_answers_measure_id'))

    op.drop_table('measure_answers')
    with op.batch_alter_table('sign_in_codes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sign_in_codes_user_id'))

    op.drop_table('sign_in_codes')
    with op.batch_alter_table('digest_items', schema=None) as batch_op:
        batch_op.drop_index('ix_digest_items_waiting')

    op.drop_table('digest_items')
    op.drop_table('digests')
    op.drop_table('addresses')
