"""Database base class, column types and the once-per-request commit."""

from datetime import UTC, datetime

from flask import Flask, make_response, request
from sqlalchemy import DateTime, MetaData, TypeDecorator, and_, event, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.sql.expression import Executable

# Named constraints make migrations reproducible and downgrades possible (Alembic needs names
# to drop constraints, and SQLite would otherwise leave them anonymous).
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UTCDateTime(TypeDecorator):
    """A timestamp that is always timezone-aware UTC, also on SQLite (which drops the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


def utcnow() -> datetime:
    return datetime.now(UTC)


def insert_unless_taken(session, row) -> bool:
    """Insert ``row`` (a model instance, or an INSERT statement) inside a SAVEPOINT and return
    True; return False, with nothing inserted and the caller's transaction intact, when a
    unique constraint shows that a concurrent transaction inserted it first.

    Callers look for the existing row first as well; this covers the race in between."""
    try:
        with session.begin_nested():
            if isinstance(row, Executable):
                session.execute(row)
            else:
                session.add(row)
    except IntegrityError:
        return False
    return True


def add_to_count(session, table, key: dict, column: str, delta: int) -> None:
    """Add ``delta`` to ``column`` of the counter row of ``table`` named by ``key`` (column →
    value), creating the row at zero first if it is missing. Both steps are SQL (a relative
    ``UPDATE … SET n = n + delta``), so counts stay exact however many requests change them
    at once; the maintained counts pages read instead of counting rows all go through here."""
    match = and_(*(table.c[name] == value for name, value in key.items()))
    first = next(iter(key))
    if session.scalar(select(table.c[first]).where(match)) is None:
        # (a concurrent first change may create it first: fine)
        insert_unless_taken(session, table.insert().values({**key, column: 0}))
    session.execute(update(table).where(match).values({column: table.c[column] + delta}))


def insert_or_existing(session, instance, find):
    """Insert ``instance`` and return it; if a concurrent transaction inserted its duplicate
    first, return that row (``find()``) instead."""
    if insert_unless_taken(session, instance):
        return instance
    existing = find()
    if existing is None:
        raise LookupError(f"a unique violation inserting {instance!r}, but no row to return")
    return existing


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


@event.listens_for(Engine, "connect")
def _configure_sqlite(dbapi_connection, connection_record):
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        # SQLite ignores foreign keys unless asked on every connection.
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()


@event.listens_for(Engine, "savepoint")
def _begin_before_first_sqlite_savepoint(connection, name):
    # Python's sqlite3 opens a transaction before INSERT/UPDATE/DELETE but not before a
    # SAVEPOINT, so releasing a savepoint that came first would commit it for good (and a
    # later rollback would lose nothing). Open the transaction ourselves in that case.
    if connection.dialect.name == "sqlite":
        dbapi_connection = connection.connection.dbapi_connection
        if not dbapi_connection.in_transaction:
            connection.exec_driver_sql("BEGIN")


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def init_app(app: Flask, db) -> None:
    """Commit once per request, after the view succeeded, so a 2xx/3xx means committed."""

    @app.after_request
    def commit_session(response):
        if request.method not in SAFE_METHODS and response.status_code < 400:
            try:
                db.session.commit()
            except DBAPIError as error:
                # The database went away after the view: "please try again", with the form.
                # (Imported here: core.errors needs the extensions, which need this module.)
                from planvoice.core.errors import handle_database_error

                return make_response(handle_database_error(error))
        return response
