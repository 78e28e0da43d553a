"""``bench/pg.py --dev``: a small development database instead of ``pg_data.ensure_database``.

``planvoice_bench_dev`` on the given server, made (or, with ``--rebuild``, remade) through the
app's own commands (``db upgrade``, ``plan import``, ``demo load``, with the demo accounts),
plus 120 published comments on one measure so that its thread has a second page; then the
same fixtures dictionary ``ensure_database`` returns, read from what is there. For developing
the bench only: its figures say nothing about a database of realistic size.
"""

from datetime import UTC, datetime, timedelta

import psycopg
from settings import BenchError, app_env, run_flask

DEV_DATABASE = "planvoice_bench_dev"
BUSY_TITLE = "实施最严格的生态保护"
QUIET_TITLE = "“绣花功夫”管理城市"
DEV_COMMENTS = 120
DEMO_PASSWORD = "planvoice-demo"  # noqa: S105 -- the demo accounts' published password
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _plain(url: str) -> str:
    """A psycopg connection string from a SQLAlchemy URL."""
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


def dev_fixtures(server_url: str, *, rebuild: bool = False) -> dict:
    url = f"{server_url.rstrip('/')}/{DEV_DATABASE}"
    with psycopg.connect(_plain(f"{server_url.rstrip('/')}/postgres"), autocommit=True) as admin:
        exists = admin.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (DEV_DATABASE,)
        ).fetchone()
        if exists and rebuild:
            admin.execute(f'DROP DATABASE "{DEV_DATABASE}" WITH (FORCE)')
            exists = None
        if not exists:
            admin.execute(f'CREATE DATABASE "{DEV_DATABASE}"')
    # Migrations every time (cheap when there is none to run): the schema moves under the bench.
    run_flask(app_env(url), "db", "upgrade")
    if not exists:
        run_flask(app_env(url), "plan", "import")
        run_flask(app_env(url), "demo", "load")
    with psycopg.connect(_plain(url)) as connection:
        return _read_fixtures(connection, url)


def _measure(connection, title: str, offset: int) -> int:
    row = (
        connection.execute(
            "SELECT id FROM measures WHERE title = %s AND NOT is_retired", (title,)
        ).fetchone()
        or connection.execute(
            "SELECT id FROM measures WHERE NOT is_retired ORDER BY position LIMIT 1 OFFSET %s",
            (offset,),
        ).fetchone()
    )
    if row is None:
        raise BenchError("no measure in the development database")
    return row[0]


def _read_fixtures(connection, url: str) -> dict:
    busy = _measure(connection, BUSY_TITLE, 14)
    quiet = _measure(connection, QUIET_TITLE, 19)
    (medium,) = connection.execute(
        "SELECT id FROM measures WHERE NOT is_retired AND id NOT IN (%s, %s) ORDER BY position"
        " LIMIT 1",
        (busy, quiet),
    ).fetchone()
    (have,) = connection.execute(
        "SELECT count(*) FROM comments WHERE measure_id = %s AND status = 'published'", (busy,)
    ).fetchone()
    if have < DEV_COMMENTS:
        started = datetime(2026, 1, 1, tzinfo=UTC)
        with connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO comments (measure_id, nickname, body, status, published_at,"
                " flag_count, reply_count, submission_token, author_key, created_at, updated_at)"
                " VALUES (%s, %s, %s, 'published', %s, 0, 0, %s, %s, %s, %s)",
                [
                    (
                        busy,
                        f"居民{n}",
                        f"第{n}条意见。",
                        stamp,
                        f"dev-{n}",
                        f"guest:dev-{n}",
                        stamp,
                        stamp,
                    )
                    for n in range(have, DEV_COMMENTS)
                    for stamp in [started + timedelta(minutes=n)]
                ],
            )
        # The app may keep each measure's count of published comments; these count too.
        (counts,) = connection.execute("SELECT to_regclass('measure_comment_counts')").fetchone()
        if counts is not None:
            connection.execute("DELETE FROM measure_comment_counts")
            connection.execute(
                "INSERT INTO measure_comment_counts (measure_id, published_count)"
                " SELECT measure_id, count(*) FROM comments WHERE status = 'published'"
                " GROUP BY measure_id"
            )
        connection.commit()
    # The cursor of the thread's second page, as feedback.queries.encode_cursor makes it.
    published_at, comment_id = connection.execute(
        "SELECT published_at, id FROM comments WHERE measure_id = %s AND status = 'published'"
        " AND parent_id IS NULL ORDER BY published_at, id LIMIT 1 OFFSET %s",
        (busy, DEV_COMMENTS // 2),
    ).fetchone()
    after = f"{(published_at - _EPOCH) // timedelta(microseconds=1)}.{comment_id}"

    def one(sql: str, params=()):
        row = connection.execute(sql, params).fetchone()
        if row is None:
            raise BenchError(f"the development database has nothing for: {sql}")
        return row[0]

    report_id = one(
        "SELECT id FROM reports WHERE status NOT IN ('submitted', 'rejected') ORDER BY id"
    )
    audited = connection.execute(
        "SELECT r.code FROM audit_events a JOIN reports r ON r.id = a.subject_id"
        " WHERE a.subject_type = 'reports' ORDER BY a.id LIMIT 1"
    ).fetchone()
    logins = {
        role: [f"{role}@demo.planvoice.cn", DEMO_PASSWORD]
        for role in ("resident", "moderator", "bureau", "admin")
    }
    return {
        "url": url,
        "plan": one("SELECT slug FROM plans ORDER BY id"),
        "section": one("SELECT id FROM sections ORDER BY id"),
        "busy_measure": busy,
        "busy_deep_after": after,
        "medium_measure": medium,
        "quiet_measure": quiet,
        "report": one("SELECT code FROM reports WHERE id = %s", (report_id,)),
        "reports_deep_before": one(
            "SELECT id FROM reports WHERE status NOT IN ('submitted', 'rejected')"
            " ORDER BY id DESC LIMIT 1 OFFSET (SELECT count(*) / 2 FROM reports)"
        ),
        "category": one("SELECT code FROM categories ORDER BY id"),
        "area": one("SELECT code FROM areas ORDER BY id"),
        "status": "published",
        "audit_report": audited[0] if audited else one("SELECT code FROM reports ORDER BY id"),
        "logins": logins,
    }
