"""walk the audit log by each filter

Revision ID: 02c68a376baa
Revises: 21119b46d651
Create Date: 2026-12-02 14:20:00

The audit page is newest first, a page at a time (keyset on id). With millions of entries each
of its filters (action, kind of subject, subject, actor) needs an index that ends in the id, so
the page is read in order instead of sorted. Index changes only: no table is rebuilt, and the
triggers that keep the log append-only stay as they are.
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '02c68a376baa'
down_revision = '21119b46d651'
branch_labels = None
depends_on = None


def upgrade():
    op.drop_index('ix_audit_events_subject', table_name='audit_events')
    op.create_index(
        'ix_audit_events_subject', 'audit_events', ['subject_id', 'subject_type', 'id']
    )
    op.create_index('ix_audit_events_action', 'audit_events', ['action', 'id'])
    op.create_index('ix_audit_events_type', 'audit_events', ['subject_type', 'id'])
    op.create_index('ix_audit_events_actor', 'audit_events', ['actor_id', 'id'])


def downgrade():
    op.drop_index('ix_audit_events_actor', table_name='audit_events')
    op.drop_index('ix_audit_events_type', table_name='audit_events')
    op.drop_index('ix_audit_events_action', table_name='audit_events')
    op.drop_index('ix_audit_events_subject', table_name='audit_events')
    op.create_index('ix_audit_events_subject', 'audit_events', ['subject_type', 'subject_id'])
