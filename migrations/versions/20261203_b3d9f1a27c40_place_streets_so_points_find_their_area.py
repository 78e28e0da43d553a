"""place streets and towns, so a report given only a point finds its area

Revision ID: b3d9f1a27c40
Revises: 5e55104f0a7e
Create Date: 2026-12-03 12:05:00

An optional box (south, west, north, east; WGS84 degrees) per street or town. A report filed
with a point and no area is given the street whose box holds the point, else the nearest one,
so that only that street's community workers see it before it is published.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b3d9f1a27c40'
down_revision = '5e55104f0a7e'
branch_labels = None
depends_on = None

EDGES = ('south', 'west', 'north', 'east')


def upgrade():
    with op.batch_alter_table('areas', schema=None) as batch_op:
        for edge in EDGES:
            batch_op.add_column(sa.Column(edge, sa.Float(), nullable=True))


def downgrade():
    with op.batch_alter_table('areas', schema=None) as batch_op:
        for edge in reversed(EDGES):
            batch_op.drop_column(edge)
