"""Shared fixtures: an app on a fresh, migrated database per test, on SQLite and PostgreSQL.

Each backend's schema is built once per run (and worker) by the real migrations; every test
then gets an empty database of its own (a copied SQLite file, or the worker's PostgreSQL
database emptied), so tests commit for real and still cannot see each other's data. Set
``PLANVOICE_TEST_DATABASE_URL`` to a PostgreSQL URL to run every database test there too.
"""

import contextlib
import contextvars
import os
import re
import shutil
import threading
import uuid
from dataclasses import dataclass

import pytest
from flask.testing import FlaskClient
from flask_migrate import upgrade
from jinja2 import BytecodeCache
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import make_url
from werkzeug.serving import make_server

from planvoice import create_app
from planvoice.core import storage
from planvoice.core.extensions import db, limiter
from planvoice.plans.cli import BUNDLED_PLAN
from planvoice.plans.importer import parse_plan
from planvoice.plans.services import import_plan
from tests import factories

# Cases with known times (``places``, ``make_case``), for the scorecard's tests in any folder.
pytest_plugins = ["tests.performance.cases"]

POSTGRES_URL = os.environ.get("PLANVOICE_TEST_DATABASE_URL")
BACKENDS = ["sqlite", "postgresql"] if POSTGRES_URL else ["sqlite"]


class IsolatedClient(FlaskClient):
    """A test client whose requests get their own app context, session and locale, as in
    production, even while the test itself holds an app context."""

    def open(self, *args, **kwargs):
        return contextvars.Context().run(super().open, *args, **kwargs)


class SharedBytecodeCache(BytecodeCache):
    """Compiled templates kept in memory for the whole run: each test builds a new app (and
    Jinja environment), which would otherwise compile every template it renders again."""

    def __init__(self):
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket):
        if (code := self.compiled.get(bucket.key)) is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket):
        self.compiled[bucket.key] = bucket.bytecode_to_string()


TEMPLATE_CACHE = SharedBytecodeCache()


def make_app(database_url: str, **config):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret-key",
            "SQLALCHEMY_DATABASE_URI": database_url,
            **config,
        }
    )
    app.test_client_class = IsolatedClient
    app.jinja_env.bytecode_cache = TEMPLATE_CACHE
    return app


def _migrate(database_url: str) -> None:
    app = make_app(database_url)
    with app.app_context():
        upgrade()
        db.engine.dispose()


def _server_engine():
    # Database-level statements run outside a transaction, from the server's maintenance db.
    return create_engine(
        make_url(POSTGRES_URL).set(database="postgres"), isolation_level="AUTOCOMMIT"
    )


@pytest.fixture(scope="session", params=BACKENDS)
def database_template(request, tmp_path_factory):
    """A migrated, empty database for one backend: a SQLite file to copy for each test, or
    this worker's own PostgreSQL database, emptied before each test."""
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("sqlite") / "template.db"
        _migrate(f"sqlite:///{path}")
        yield ("sqlite", path)
        return
    name = f"pv_test_{os.getpid()}"
    engine = _server_engine()
    with engine.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    _migrate(url)
    emptier = PostgresEmptier(url)
    yield ("postgresql", emptier)
    emptier.dispose()
    with engine.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


class PostgresEmptier:
    """Brings a migrated PostgreSQL database back to empty: every row deleted (triggers off, so
    the append-only audit log too) and every sequence restarted, in one transaction. That is
    a few milliseconds where ``CREATE DATABASE … TEMPLATE`` and its ``DROP`` cost over half a
    second per test, most of it waiting for the disk."""

    def __init__(self, url: str):
        self.url = url
        self.engine = create_engine(url, isolation_level="AUTOCOMMIT")
        with self.engine.connect() as connection:
            tables = connection.scalars(text(
                "SELECT quote_ident(tablename) FROM pg_tables "
                "WHERE schemaname = 'public' AND tablename <> 'alembic_version'"
            )).all()  # fmt: skip
            sequences = connection.scalars(text(
                "SELECT quote_ident(sequencename) FROM pg_sequences WHERE schemaname = 'public'"
            )).all()  # fmt: skip
        self.statements = [
            "BEGIN",
            "SET LOCAL session_replication_role = replica",
            *(f"DELETE FROM {table}" for table in tables),  # noqa: S608 -- quote_ident names
            *(f"ALTER SEQUENCE {sequence} RESTART" for sequence in sequences),
            "COMMIT",
        ]

    def empty(self) -> str:
        with self.engine.connect() as connection:
            # A connection a test left open (a thread's, say) must not see or hold the next
            # test's rows.
            connection.execute(text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            ))  # fmt: skip
            connection.exec_driver_sql("; ".join(self.statements))
        return self.url

    def dispose(self) -> None:
        self.engine.dispose()


@pytest.fixture
def database_url(database_template, tmp_path):
    """An empty migrated database: a fresh copy of the SQLite template, or this worker's
    PostgreSQL database emptied."""
    backend, template = database_template
    if backend == "sqlite":
        path = tmp_path / "test.db"
        shutil.copyfile(template, path)
        return f"sqlite:///{path}"
    return template.empty()


@pytest.fixture
def upload_folder(tmp_path):
    """Where this test's uploaded photos go (never the developer's instance folder)."""
    return tmp_path / "uploads"


@dataclass(frozen=True)
class S3Endpoint:
    url: str
    client: object  # a boto3 S3 client of its own, for setting up buckets

    def new_bucket(self) -> str:
        name = f"photos-{uuid.uuid4().hex}"
        self.client.create_bucket(Bucket=name)
        return name


@pytest.fixture(scope="session")
def s3_endpoint():
    """A real S3 endpoint on loopback (moto's server, over HTTP), one per run and worker;
    each test that uses it gets a bucket of its own."""
    import boto3
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    url = f"http://{host}:{port}"
    # Any credentials do for moto; set, so that boto3 never looks for the developer's own.
    with pytest.MonkeyPatch.context() as environment:
        for name, value in (("AWS_ACCESS_KEY_ID", "test"), ("AWS_SECRET_ACCESS_KEY", "test")):
            environment.setenv(name, value)
        for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_DEFAULT_REGION"):
            environment.delenv(name, raising=False)
        client = boto3.client("s3", endpoint_url=url, region_name="us-east-1")
        yield S3Endpoint(url, client)
    server.stop()


# Marks a test to run once with photos on disk and once in an object store.
BOTH_PHOTO_STORAGES = pytest.mark.parametrize(
    "photo_storage_settings", ["local", "s3"], indirect=True
)


@pytest.fixture
def photo_storage_settings(request, upload_folder) -> dict:
    """Where the test's app keeps photos: ``upload_folder`` (the default), or, in tests marked
    ``BOTH_PHOTO_STORAGES``, also a fresh bucket on the S3 endpoint."""
    settings = {"UPLOAD_FOLDER": str(upload_folder)}
    if getattr(request, "param", storage.LOCAL) == storage.S3:
        endpoint = request.getfixturevalue("s3_endpoint")
        settings |= {
            "PHOTO_STORAGE": storage.S3,
            "S3_BUCKET": endpoint.new_bucket(),
            "S3_ENDPOINT_URL": endpoint.url,
            "S3_REGION": "us-east-1",
        }
    return settings


@pytest.fixture
def app(database_url, photo_storage_settings):
    app = make_app(database_url, **photo_storage_settings)
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


@contextlib.contextmanager
def app_without_page_cache(database_url, upload_folder):
    """An app whose page cache is off, so that every request renders from the database (for
    the tests that count a page's queries), inside its app context."""
    app = make_app(
        database_url,
        CACHE_TYPE="NullCache",
        CACHE_NO_NULL_WARNING=True,
        UPLOAD_FOLDER=str(upload_folder),
    )
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def photo_storage(app):
    """The test app's photo store (``core.storage``): a folder's, or a bucket's."""
    return storage.backend(app)


@pytest.fixture
def app_factory():
    """Build an extra app on any database URL (for tests of broken or odd setups)."""
    return make_app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def english(client):
    """A client reading the site in English (flash messages and errors included)."""
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def other_guest(app):
    """A second browser, with its own session, reading in English."""
    other = app.test_client()
    other.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return other


@pytest.fixture
def no_rate_limits(app):
    """Stories post many times a minute; the rate-limit tests switch limits back on."""
    was = limiter.enabled
    limiter.enabled = False
    yield
    limiter.enabled = was


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def plan(app):
    """The bundled Erdao plan, imported and committed."""
    summary = import_plan(parse_plan(BUNDLED_PLAN.read_bytes()), slug="erdao-2021")
    db.session.commit()
    return summary.plan


@pytest.fixture
def live_server(app, plan):
    """The test's app (with the bundled plan) served over HTTP on a free loopback port."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


class QueryCounter:
    """Counts the SQL statements the app sends while active (``with count_queries as q``)."""

    def __init__(self, engine):
        self.engine = engine
        self.statements: list[str] = []

    def _record(self, conn, cursor, statement, parameters, context, executemany):
        self.statements.append(statement)

    def __enter__(self):
        self.statements.clear()
        event.listen(self.engine, "before_cursor_execute", self._record)
        return self

    def __exit__(self, *exc_info):
        event.remove(self.engine, "before_cursor_execute", self._record)

    @property
    def count(self) -> int:
        return len(self.statements)


@pytest.fixture
def count_queries(app):
    return QueryCounter(db.engine)


CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_from(client, url: str) -> str:
    """The CSRF token a form on ``url`` carries for this client's session."""
    page = client.get(url).text
    match = CSRF_RE.search(page)
    assert match, f"no CSRF token on {url}"
    return match.group(1)


@pytest.fixture
def sign_in(client):
    """Sign ``user`` in through the real form: ``sign_in(user)``."""

    def sign_in_as(user, password: str = factories.PASSWORD):
        response = client.post(
            "/login",
            data={
                "login": user.login,
                "password": password,
                "csrf_token": csrf_from(client, "/login"),
            },
        )
        assert response.status_code == 302, response.text
        return response

    return sign_in_as


@pytest.fixture
def resident(app):
    return factories.UserFactory()


@pytest.fixture
def moderator(app):
    return factories.UserFactory(moderator=True)


@pytest.fixture
def admin(app):
    return factories.UserFactory(admin=True)
