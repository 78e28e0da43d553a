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
