"""count published comments per measure and walk threads in order

Revision ID: 21119b46d651
Revises: f3be6c832d51
Create Date: 2026-12-02 13:44:51

A measure page read its comment count with COUNT(*) over the thread and its first page by
collecting and sorting every top-level comment (status and parent_id sat inside the index key).
Now the count is a maintained row per measure (existing comments are counted here), the thread
index is partial (published top-level comments only) so it is walked in order, and a partial
index serves the flagged comments of the moderation queue.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '21119b46d651'
down_revision = 'f3be6c832d51'
branch_labels = None
depends_on = None

THREAD = "status = 'published' AND parent_id IS NULL"
FLAGGED = "status = 'published' AND flag_count > 0"


def upgrade():
    op.create_table('measure_comment_counts',
    sa.Column('measure_id', sa.Integer(), nullable=False),
    sa.Column('published_count', sa.Integer(), nullable=False),
    sa.CheckConstraint('published_count >= 0', name=op.f('ck_measure_comment_counts_published_count')),
    sa.ForeignKeyConstraint(['measure_id'], ['measures.id'], name=op.f('fk_measure_comment_counts_measure_id_measures'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('measure_id', name=op.f('pk_measure_comment_counts'))
    )
    op.execute(
        "INSERT INTO measure_comment_counts (measure_id, published_count) "
        "SELECT measure_id, count(*) FROM comments WHERE status = 'published' "
        "GROUP BY measure_id"
    )
    op.drop_index('ix_comments_thread', table_name='comments')
    op.create_index(
        'ix_comments_thread', 'comments', ['measure_id', 'published_at', 'id'],
        sqlite_where=sa.text(THREAD), postgresql_where=sa.text(THREAD),
    )
    op.create_index(
        'ix_comments_flagged', 'comments', ['flag_count', 'created_at'],
        sqlite_where=sa.text(FLAGGED), postgresql_where=sa.text(FLAGGED),
    )


def downgrade():
    op.drop_index('ix_comments_flagged', table_name='comments')
    op.drop_index('ix_comments_thread', table_name='comments')
    op.create_index(
        'ix_comments_thread', 'comments',
        ['measure_id', 'status', 'parent_id', 'published_at', 'id'],
    )
    op.drop_table('measure_comment_counts')
