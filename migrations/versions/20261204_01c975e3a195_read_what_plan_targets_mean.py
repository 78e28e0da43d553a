"""read what plan targets mean

Revision ID: 01c975e3a195
Revises: 30c056b6eb25
Create Date: 2026-12-04 18:34:01

Targets say what the plan says: three more comparators, ``decrease`` (下降/降低 N% or N个百分点),
``annual_growth`` (年均增长 N%) and ``about`` (左右, 约), so the column is widened from 10
characters (``annual_growth`` has 13); and a range ("4.5%—5%", "3至5个") keeps its two ends in
``low`` and ``high`` (``value`` is the low one). Existing targets keep what they were.

SQLite changes a CHECK constraint by copying the table, and dropping the old ``targets`` with
foreign keys on would delete every target's tracking (``ON DELETE CASCADE``) and fail on its
progress entries, so foreign keys are off while the table is copied (which SQLite allows only
outside a transaction).
"""
from contextlib import contextmanager

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '01c975e3a195'
down_revision = '30c056b6eb25'
branch_labels = None
depends_on = None

_OLD = "comparator IN ('at_least', 'reach', 'at_most', 'increase')"
_NEW = (
    "comparator IN ('at_least', 'reach', 'at_most', 'increase', 'decrease', 'annual_growth',"
    " 'about')"
)


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


def upgrade():
    with _sqlite_foreign_keys_off(), op.batch_alter_table('targets', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_targets_comparator'), type_='check')
        batch_op.alter_column(
            'comparator', existing_type=sa.VARCHAR(length=10), type_=sa.String(length=20),
            existing_nullable=False,
        )
        batch_op.add_column(sa.Column('low', sa.Numeric(precision=14, scale=4), nullable=True))
        batch_op.add_column(sa.Column('high', sa.Numeric(precision=14, scale=4), nullable=True))
        batch_op.create_check_constraint(batch_op.f('ck_targets_comparator'), _NEW)
        batch_op.create_check_constraint(
            batch_op.f('ck_targets_range'), 'low IS NULL OR (high IS NOT NULL AND low <= high)'
        )


def downgrade():
    with _sqlite_foreign_keys_off(), op.batch_alter_table('targets', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_targets_range'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_targets_comparator'), type_='check')
        batch_op.drop_column('high')
        batch_op.drop_column('low')
        batch_op.alter_column(
            'comparator', existing_type=sa.String(length=20), type_=sa.VARCHAR(length=10),
            existing_nullable=False,
        )
        batch_op.create_check_constraint(batch_op.f('ck_targets_comparator'), _OLD)
