"""The migrations build the schema the models describe, and can be undone."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from planvoice.core.extensions import db


def _tables() -> set[str]:
    db.session.remove()
    return set(inspect(db.engine).get_table_names()) - {"alembic_version"}


def test_models_and_migrations_agree(app):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_downgrade_to_base_and_upgrade_again(app):
    every_table = set(db.metadata.tables)
    assert _tables() == every_table

    downgrade(revision="base")
    assert _tables() == set()

    upgrade()
    assert _tables() == every_table


def test_widening_the_targets_keeps_their_tracking_and_progress(app):
    """The migration that widens ``targets`` copies the table on SQLite: a target's tracking
    (ON DELETE CASCADE) and its progress entries must survive it."""
    from sqlalchemy import text

    downgrade(revision="30c056b6eb25")
    db.session.remove()
    with db.engine.begin() as connection:
        rows = [
            "INSERT INTO plans (id, slug, title, intro, created_at, updated_at)"
            " VALUES (1, 'p', 'P', '', '2026-01-01', '2026-01-01')",
            "INSERT INTO sections (id, plan_id, position, title) VALUES (1, 1, 0, 'S')",
            "INSERT INTO measures (id, plan_id, section_id, position, key, title, text, is_retired,"
            " created_at, updated_at) VALUES (1, 1, 1, 0, 'm', 'M', 'T', false, '2026-01-01',"
            " '2026-01-01')",
            "INSERT INTO targets (id, measure_id, position, text, value, unit, subject,"
            " comparator, span_start, span_end) VALUES (1, 1, 0, 't', 10, '个', 's', 'reach',"
            " 0, 1)",
            "INSERT INTO users (id, email, display_name, role, is_deleted, created_at,"
            " updated_at, session_version) VALUES (1, 'a@b.cn', 'a', 'admin', false,"
            " '2026-01-01', '2026-01-01', 1)",
            'INSERT INTO progress_entries (id, target_id, "on", value, note, author_id,'
            " created_at) VALUES (1, 1, '2024-01-01', 3, '', 1, '2026-01-01')",
            "INSERT INTO target_tracking (target_id, latest_entry_id) VALUES (1, 1)",
        ]
        for row in rows:
            connection.execute(text(row))
    upgrade()
    db.session.remove()
    with db.engine.connect() as connection:
        kept = connection.execute(
            text("SELECT count(*) FROM target_tracking WHERE latest_entry_id = 1")
        ).scalar()
        entries = connection.execute(text("SELECT count(*) FROM progress_entries")).scalar()
    assert (kept, entries) == (1, 1)
