"""The PostgreSQL benchmark database ``planvoice_bench``, at a city's scale: built once, reused.

``ensure_database()`` creates the database if missing, always runs the app's migrations on it
(``flask --app app db upgrade``), and, unless it already holds the rows of this
``GENERATOR_VERSION`` (table ``bench_meta``), drops and recreates it, imports the plan and the
demo data through the app's own commands, then bulk-loads with COPY (rows from ``pg_rows``):
50,000 users, 1,000,000 published comments (200,000 on one measure) plus a moderation backlog,
300,000 ratings, 100,000 reports in every status with their timelines, supports and notes,
and about 2.5 million audit events. Every counter the app maintains is made exact. It returns
the fixtures a benchmark needs (computed by queries, so a reused database gives them too).

``python bench/pg_data.py [--rebuild] [--check]`` prints the fixtures as JSON and the time
taken; ``--check`` also runs the consistency checks (``check_consistency``).
"""

import json
import sys
import time

import psycopg
from pg_rows import World
from psycopg import sql
from settings import BenchError, app_env, run_flask
from sqlalchemy.engine import make_url

GENERATOR_VERSION = "2"
DATABASE = "planvoice_bench"
SERVER_URL = "postgresql+psycopg://postgres@127.0.0.1:5432"
PASSWORD = "planvoice-bench"  # noqa: S105 -- every bench account's, on a throwaway database
BUSY_MEASURE_TITLE = "实施最严格的生态保护"
MEDIUM_MEASURE_TITLE = "“绣花功夫”管理城市"
# Tables the load writes with explicit ids: their sequences are moved past the rows.
LOADED = (
    "areas", "users", "comments", "comment_flags", "ratings", "reports", "report_events",
    "report_supports", "report_notes", "audit_events",
)  # fmt: skip
COMMUNITY_NAMES = ["东风", "和平", "幸福", "民主", "胜利", "春光"]


def _urls(server_url: str) -> tuple[str, str, str]:
    """The SQLAlchemy URL of the bench database, and libpq URLs of it and of ``postgres``."""
    url = make_url(server_url).set(database=DATABASE)
    libpq = url.set(drivername="postgresql")
    return (
        url.render_as_string(hide_password=False),
        libpq.render_as_string(hide_password=False),
        libpq.set(database="postgres").render_as_string(hide_password=False),
    )


def ensure_database(server_url: str = SERVER_URL, *, rebuild: bool = False) -> dict:
    """Make sure ``planvoice_bench`` exists, is migrated and holds this generator's rows;
    return the fixtures (see the module's docstring)."""
    url, bench, admin = _urls(server_url)
    with psycopg.connect(admin, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (DATABASE,)
        ).fetchone()
        if exists and (rebuild or _version(bench) != GENERATOR_VERSION):
            connection.execute(
                sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(DATABASE))
            )
            exists = None
        if not exists:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(DATABASE)))
    run_flask(app_env(url), "db", "upgrade")
    if _version(bench) != GENERATOR_VERSION:
        started = time.monotonic()
        run_flask(app_env(url), "plan", "import")
        run_flask(app_env(url), "demo", "load")
        with psycopg.connect(bench) as connection:
            _fill(connection)
        with psycopg.connect(bench, autocommit=True) as connection:
            connection.execute("VACUUM ANALYZE")
            connection.execute(
                "CREATE TABLE IF NOT EXISTS bench_meta (key text PRIMARY KEY, value text)"
            )
            connection.execute(
                "INSERT INTO bench_meta VALUES ('generator_version', %s), ('build_seconds', %s)"
                " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (GENERATOR_VERSION, f"{time.monotonic() - started:.1f}"),
            )
    with psycopg.connect(bench) as connection:
        return fixtures(connection, url)


def _version(bench: str) -> str | None:
    try:
        with psycopg.connect(bench) as connection:
            if connection.execute("SELECT to_regclass('bench_meta')").fetchone()[0] is None:
                return None
            row = connection.execute(
                "SELECT value FROM bench_meta WHERE key = 'generator_version'"
            ).fetchone()
            return row[0] if row else None
    except psycopg.OperationalError:
        return None


def _log(message: str, started: float) -> None:
    print(f"  [{time.monotonic() - started:6.1f}s] {message}", file=sys.stderr, flush=True)


def _copy(connection, table: str, columns: str, rows) -> int:
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(sql.Identifier(table), sql.SQL(columns))
    count = 0
    with connection.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def _indexes(connection) -> set[tuple[str, str]]:
    return set(
        connection.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'"
            " AND tablename <> 'bench_meta'"
        ).fetchall()
    )


def _world(connection, password_hash: str) -> World:
    """Read the reference data the app loaded; add communities to every street and town."""

    def column(query, *args):
        return [row[0] for row in connection.execute(query, args).fetchall()]

    def next_id(table):
        query = sql.SQL("SELECT coalesce(max(id), 0) + 1 FROM {}").format(sql.Identifier(table))
        return connection.execute(query).fetchone()[0]

    measures = column("SELECT id FROM measures WHERE NOT is_retired ORDER BY position, id")
    if not measures:
        raise BenchError("no measures (flask plan import)")

    def measure(title, fallback):
        found = column("SELECT id FROM measures WHERE title = %s AND NOT is_retired", title)
        return found[0] if found else fallback

    busy = measure(BUSY_MEASURE_TITLE, measures[0])
    medium = measure(MEDIUM_MEASURE_TITLE, measures[1])
    quiet = next(m for m in reversed(measures) if m not in (busy, medium))
    streets = connection.execute(
        "SELECT id, code, name, kind FROM areas WHERE parent_id IS NULL ORDER BY id"
    ).fetchall()
    area_id = next_id("areas")
    communities, audit = {}, []
    for street, code, _name, kind in streets:
        communities[street] = []
        for k, word in enumerate(COMMUNITY_NAMES[: 6 if code == "dongsheng" else 3], start=1):
            suffix = "社区" if kind == "street" else "村"
            row = (area_id, f"{code}_{k}", f"{word}{suffix}", "community", street)
            connection.execute(
                "INSERT INTO areas (id, code, name, kind, parent_id) VALUES (%s, %s, %s, %s, %s)",
                row,
            )
            communities[street].append(area_id)
            audit.append((area_id, row[1], row[2], code))
            area_id += 1
    demo = dict(
        connection.execute(
            "SELECT role, id FROM users WHERE email LIKE '%%@demo.planvoice.cn' ORDER BY id"
        ).fetchall()
    )
    world = World(
        anchor=connection.execute("SELECT date_trunc('minute', now())").fetchone()[0],
        measures=measures,
        busy=busy,
        medium=medium,
        quiet=quiet,
        streets=[(s[0], s[1]) for s in streets],
        communities=communities,
        categories=connection.execute(
            "SELECT id, code, default_bureau_id, measure_id FROM categories ORDER BY position"
        ).fetchall(),
        bureaus=dict(connection.execute("SELECT code, id FROM bureaus").fetchall()),
        demo=demo,
        bases={t: next_id(t) for t in LOADED},
        taken_codes=set(column("SELECT code FROM reports")),
        password_hash=password_hash,
        reasons=column("SELECT body FROM reason_templates ORDER BY position") or ["离题"],
        area_audit=audit,
    )
    return world


COMMENT_AUDIT = """
SELECT created_at, user_id, 'comment.submit', 'comments', id, NULL::json,
       '{"status": "pending"}'::json, NULL FROM comments WHERE id >= %(base)s
UNION ALL
SELECT published_at, moderated_by_id, 'comment.publish', 'comments', id,
       '{"status": "pending"}'::json, '{"status": "published"}'::json, NULL
  FROM comments WHERE id >= %(base)s AND published_at IS NOT NULL
UNION ALL
SELECT moderated_at, moderated_by_id,
       CASE status WHEN 'rejected' THEN 'comment.reject' ELSE 'comment.hide' END, 'comments', id,
       json_build_object('status', CASE status WHEN 'rejected' THEN 'pending'
                                   ELSE 'published' END, 'reason', NULL),
       json_build_object('status', status, 'reason', moderation_reason), NULL
  FROM comments WHERE id >= %(base)s AND status IN ('rejected', 'hidden')
"""
AUDIT_COLUMNS = "created_at, actor_id, action, subject_type, subject_id, before, after, note"


def _fill(connection) -> None:
    """Load every generated row in one transaction; the schema ends as the migrations left it."""
    from pg_rows import Rows
    from werkzeug.security import generate_password_hash

    started = time.monotonic()
    for setting in (
        # COPY skips the foreign-key triggers (the rows are consistent by construction and
        # checked by check_consistency); the audit log's trigger fires on UPDATE/DELETE only.
        "SET session_replication_role = replica",
        "SET maintenance_work_mem = '1GB'",
        "SET work_mem = '256MB'",
        "SET synchronous_commit = off",
    ):
        connection.execute(setting)
    password_hash = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1")
    world = _world(connection, password_hash)
    rows = Rows(world)
    for area_id, code, name, street in world.area_audit:
        after = {"code": code, "name": name, "kind": "community", "parent": street}
        rows._audit(world.start, world.demo["admin"], "area.create", "areas", area_id, None, after)
    schema = _indexes(connection)
    # Non-unique indexes are built once after the load instead of maintained row by row.
    dropped = connection.execute(
        "SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i"
        " JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid"
        " WHERE t.relname = ANY(%s) AND NOT i.indisunique AND NOT i.indisprimary"
        " AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)",
        (list(LOADED),),
    ).fetchall()
    for name, _definition in dropped:
        connection.execute(sql.SQL("DROP INDEX {}").format(sql.Identifier(name)))
    _log(f"reference data read, {len(dropped)} indexes dropped", started)
    counts = {}
    counts["users"] = _copy(
        connection,
        "users",
        "id, email, phone, password_hash, display_name, role, bureau_id, is_deleted,"
        " deleted_at, created_at, updated_at",
        rows.users(),
    )
    _copy(connection, "user_areas", "user_id, area_id", rows.user_areas)
    connection.execute(
        "UPDATE users SET password_hash = %s WHERE email LIKE '%%@demo.planvoice.cn'",
        (password_hash,),
    )
    _log("users", started)
    counts["comments"] = _copy(
        connection,
        "comments",
        "id, measure_id, parent_id, user_id, nickname, body, status, moderation_reason,"
        " moderated_at, moderated_by_id, published_at, flag_count, reply_count,"
        " submission_token, author_key, ip_hash, created_at, updated_at",
        rows.comments(),
    )
    flag_base = world.bases["comment_flags"]
    counts["comment_flags"] = _copy(
        connection,
        "comment_flags",
        "id, comment_id, flagger_key, created_at",
        ((flag_base + k, *flag) for k, flag in enumerate(rows.flags)),
    )
    _log("comments", started)
    counts["ratings"] = _copy(
        connection,
        "ratings",
        "id, measure_id, voter_key, user_id, value, created_at, updated_at",
        rows.ratings(),
    )
    _log("ratings", started)
    counts["reports"] = _copy(
        connection,
        "reports",
        "id, code, category_id, measure_id, description, area_id, address, lat, lng, status,"
        " moderation_reason, published_at, reporter_name, contact, language, user_id,"
        " submission_token, created_at, updated_at, bureau_id, routed_at, accepted_at,"
        " first_reply_at, resolved_at, return_count, satisfaction, reopen_count,"
        " duplicate_of_id, author_key, support_count",
        rows.reports(),
    )
    event_base = world.bases["report_events"]
    counts["report_events"] = _copy(
        connection,
        "report_events",
        "id, report_id, status, note, created_at, bureau_id",
        ((event_base + k, *event) for k, event in enumerate(rows.events)),
    )
    counts["report_supports"] = _copy(
        connection,
        "report_supports",
        "id, report_id, supporter_key, user_id, created_at, email, language",
        rows.support_rows(),
    )
    counts["report_notes"] = _copy(
        connection, "report_notes", "id, report_id, author_id, body, created_at", rows.notes
    )
    _log("reports", started)
    connection.execute(
        "CREATE UNLOGGED TABLE bench_audit_stage (created_at timestamptz, actor_id int,"
        " action text, subject_type text, subject_id int, before json, after json, note text)"
    )
    _copy(connection, "bench_audit_stage", AUDIT_COLUMNS, rows.audit)
    # One sorted insert, so the log's ids follow time as the app's do.
    connection.execute(
        f"INSERT INTO audit_events ({AUDIT_COLUMNS}) SELECT * FROM"  # noqa: S608 -- constants
        f" (SELECT * FROM bench_audit_stage UNION ALL {COMMENT_AUDIT}) AS a ORDER BY 1",
        {"base": world.bases["comments"]},
    )
    connection.execute("DROP TABLE bench_audit_stage")
    _log("audit events", started)
    for _name, definition in dropped:
        connection.execute(definition)
    _log("indexes rebuilt", started)
    fill_summaries(connection)
    for table in LOADED:
        connection.execute(
            sql.SQL(
                "SELECT setval(pg_get_serial_sequence({t}, 'id'), coalesce(max(id), 1),"
                " max(id) IS NOT NULL) FROM {i}"
            ).format(t=sql.Literal(table), i=sql.Identifier(table))
        )
    if _indexes(connection) != schema:
        raise BenchError("the indexes after the load differ from the migrations' schema")
    connection.commit()
    _log(f"committed: {counts}", started)


def fill_summaries(connection) -> None:
    """Recompute every maintained summary from the rows: per measure (ratings, public reports
    and, where the table exists, published comments) and per bureau and status."""
    connection.execute("DELETE FROM rating_summaries")
    connection.execute(
        "INSERT INTO rating_summaries (measure_id, count, total, n1, n2, n3, n4, n5)"
        " SELECT measure_id, count(*), sum(value), count(*) FILTER (WHERE value = 1),"
        " count(*) FILTER (WHERE value = 2), count(*) FILTER (WHERE value = 3),"
        " count(*) FILTER (WHERE value = 4), count(*) FILTER (WHERE value = 5)"
        " FROM ratings GROUP BY measure_id"
    )
    connection.execute("DELETE FROM measure_report_counts")
    connection.execute(
        "INSERT INTO measure_report_counts (measure_id, public_count)"
        " SELECT m.id, count(r.id) FROM measures m LEFT JOIN reports r ON r.measure_id = m.id"
        " AND r.status NOT IN ('submitted', 'rejected') GROUP BY m.id"
    )
    connection.execute("DELETE FROM bureau_report_counts")
    connection.execute(
        "INSERT INTO bureau_report_counts (bureau_id, status, report_count)"
        " SELECT bureau_id, status, count(*) FROM reports WHERE bureau_id IS NOT NULL"
        " GROUP BY bureau_id, status"
    )
    if connection.execute("SELECT to_regclass('measure_comment_counts')").fetchone()[0]:
        connection.execute("DELETE FROM measure_comment_counts")
        connection.execute(
            "INSERT INTO measure_comment_counts (measure_id, published_count)"
            " SELECT m.id, count(c.id) FROM measures m LEFT JOIN comments c"
            " ON c.measure_id = m.id AND c.status = 'published' GROUP BY m.id"
        )


def fixtures(connection, url: str) -> dict:
    """What a benchmark of this database needs, read from it."""

    def one(query, *args):
        row = connection.execute(query, args).fetchone()
        return row[0] if row else None

    busy = one("SELECT id FROM measures WHERE title = %s", BUSY_MEASURE_TITLE)
    medium = one("SELECT id FROM measures WHERE title = %s", MEDIUM_MEASURE_TITLE)
    # The ~100,000th comment of the busy thread: its cursor is "<µs since epoch>.<id>".
    deep = connection.execute(
        "SELECT (extract(epoch FROM published_at) * 1000000)::bigint, id FROM comments"
        " WHERE measure_id = %s AND status = 'published' AND parent_id IS NULL"
        " ORDER BY published_at, id OFFSET 99999 LIMIT 1",
        (busy,),
    ).fetchone()
    public = "status NOT IN ('submitted', 'rejected')"
    half = one(f"SELECT count(*) / 2 FROM reports WHERE {public}")  # noqa: S608
    longest = (
        "SELECT r.code FROM reports r JOIN (SELECT report_id, count(*) AS n FROM report_events"
        " GROUP BY report_id) e ON e.report_id = r.id"
        " WHERE r.status NOT IN ('submitted', 'rejected') ORDER BY e.n DESC, r.id LIMIT 1"
    )
    long_timeline = one(longest)
    logins = {"resident": "active.resident@bench.planvoice.cn"} | {
        role: f"{role}@demo.planvoice.cn" for role in ("moderator", "bureau", "admin")
    }
    key = "pv311_demo-key-published-on-purpose"
    return {
        "url": url,
        "plan": one("SELECT slug FROM plans ORDER BY id LIMIT 1"),
        "section": one("SELECT section_id FROM measures WHERE id = %s", busy),
        "busy_measure": busy,
        "busy_deep_after": f"{deep[0]}.{deep[1]}" if deep else None,
        "medium_measure": medium,
        "quiet_measure": one(
            "SELECT m.id FROM measures m LEFT JOIN comments c ON c.measure_id = m.id"
            " AND c.status = 'published' WHERE NOT m.is_retired"
            " GROUP BY m.id ORDER BY count(c.id), m.id LIMIT 1"
        ),
        "report": long_timeline,
        "reports_deep_before": one(
            f"SELECT id FROM reports WHERE {public} ORDER BY id DESC OFFSET %s LIMIT 1",  # noqa: S608
            half,
        ),
        "category": "dust",
        "area": "dongsheng",
        "status": "in_progress",
        "audit_report": long_timeline,
        "logins": {role: [login, PASSWORD] for role, login in logins.items()},
        "open311_key": key
        if one("SELECT id FROM open311_api_keys WHERE name = 'Demo app' AND revoked_at IS NULL")
        else None,
    }


# Each query returns the number of rows that break one rule (0 when consistent).
CHECKS = {
    "reply_count": "SELECT count(*) FROM comments p LEFT JOIN (SELECT parent_id, count(*) n"
    " FROM comments WHERE status = 'published' AND parent_id IS NOT NULL GROUP BY parent_id) c"
    " ON c.parent_id = p.id WHERE p.reply_count <> coalesce(c.n, 0)",
    "reply_depth_and_measure": "SELECT count(*) FROM comments c JOIN comments p"
    " ON p.id = c.parent_id WHERE p.parent_id IS NOT NULL OR p.measure_id <> c.measure_id"
    " OR p.status <> 'published'",
    "flag_count": "SELECT count(*) FROM comments c LEFT JOIN (SELECT comment_id, count(*) n"
    " FROM comment_flags GROUP BY comment_id) f ON f.comment_id = c.id"
    " WHERE c.flag_count <> coalesce(f.n, 0)",
    "support_count": "SELECT count(*) FROM reports r LEFT JOIN (SELECT report_id, count(*) n"
    " FROM report_supports GROUP BY report_id) s ON s.report_id = r.id"
    " WHERE r.support_count <> coalesce(s.n, 0)",
    "rating_summaries": "SELECT count(*) FROM (SELECT measure_id, count(*) n, sum(value) t"
    " FROM ratings GROUP BY measure_id) r FULL JOIN rating_summaries s USING (measure_id)"
    " WHERE s.count IS DISTINCT FROM r.n OR s.total IS DISTINCT FROM r.t",
    "measure_report_counts": "SELECT count(*) FROM measures m LEFT JOIN measure_report_counts"
    " c ON c.measure_id = m.id LEFT JOIN (SELECT measure_id, count(*) n FROM reports WHERE"
    " status NOT IN ('submitted', 'rejected') GROUP BY measure_id) r ON r.measure_id = m.id"
    " WHERE coalesce(c.public_count, 0) <> coalesce(r.n, 0)",
    "return_count": "SELECT count(*) FROM reports r LEFT JOIN (SELECT report_id, count(*) n"
    " FROM report_events WHERE status = 'returned' GROUP BY report_id) e"
    " ON e.report_id = r.id WHERE r.return_count <> coalesce(e.n, 0)",
    "reopen_count": "SELECT count(*) FROM reports r LEFT JOIN (SELECT report_id, count(*) n"
    " FROM report_events WHERE status = 'reopened' GROUP BY report_id) e"
    " ON e.report_id = r.id WHERE r.reopen_count <> coalesce(e.n, 0)",
    "status_is_last_event": "SELECT count(*) FROM reports r JOIN LATERAL (SELECT status FROM"
    " report_events e WHERE e.report_id = r.id AND e.status <> 'replied'"
    " ORDER BY e.created_at DESC, e.id DESC LIMIT 1) e ON true WHERE e.status <> r.status",
    "status_columns": "SELECT count(*) FROM reports WHERE (status IN ('routed', 'accepted',"
    " 'in_progress', 'resolved', 'closed', 'reopened') AND (bureau_id IS NULL OR routed_at"
    " IS NULL)) OR (status IN ('submitted', 'rejected', 'published', 'returned')"
    " AND bureau_id IS NOT NULL) OR ((status = 'submitted') <> (published_at IS NULL)"
    " AND status <> 'rejected') OR (status IN ('resolved', 'closed') AND resolved_at IS NULL)"
    " OR (status = 'duplicate' AND duplicate_of_id IS NULL)",
    "foreign_keys": "SELECT (SELECT count(*) FROM comments c LEFT JOIN users u ON u.id ="
    " c.user_id WHERE c.user_id IS NOT NULL AND u.id IS NULL) + (SELECT count(*) FROM"
    " reports r LEFT JOIN areas a ON a.id = r.area_id WHERE r.area_id IS NOT NULL AND a.id"
    " IS NULL) + (SELECT count(*) FROM report_events e LEFT JOIN reports r ON r.id ="
    " e.report_id WHERE r.id IS NULL) + (SELECT count(*) FROM audit_events e LEFT JOIN"
    " users u ON u.id = e.actor_id WHERE e.actor_id IS NOT NULL AND u.id IS NULL)",
    "measure_comment_counts": "SELECT count(*) FROM measures m LEFT JOIN"
    " measure_comment_counts c ON c.measure_id = m.id LEFT JOIN (SELECT measure_id,"
    " count(*) n FROM comments WHERE status = 'published' GROUP BY measure_id) p"
    " ON p.measure_id = m.id"
    " WHERE coalesce(c.published_count, 0) <> coalesce(p.n, 0)",
}


def check_consistency(connection) -> dict[str, int]:
    """How many rows break each rule of ``CHECKS`` (all zeros when the data is consistent)."""
    results = {}
    for name, query in CHECKS.items():
        if name == "measure_comment_counts":
            exists = connection.execute("SELECT to_regclass('measure_comment_counts')")
            if exists.fetchone()[0] is None:
                results[name] = "no such table"
                continue
        results[name] = connection.execute(query).fetchone()[0]
    return results


def main(argv: list[str]) -> int:
    started = time.monotonic()
    try:
        fixture = ensure_database(rebuild="--rebuild" in argv)
    except BenchError as error:
        print(f"bench database failed: {error}", file=sys.stderr)
        return 1
    print(json.dumps(fixture, ensure_ascii=False, indent=2))
    print(f"ready in {time.monotonic() - started:.1f}s", file=sys.stderr)
    if "--check" in argv:
        with psycopg.connect(_urls(SERVER_URL)[1]) as connection:
            print(json.dumps(check_consistency(connection), indent=2), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
