"""The benchmark's SQLite database: the app's own commands, then bulk inserts.

``flask --app app db upgrade``, ``flask --app app plan import`` (the bundled plan) and
``flask --app app demo load --no-accounts`` (areas, bureaus, report categories), through
``DATABASE_URL`` with a fixed ``SECRET_KEY``; then, straight through sqlite3, 500 published
comments on one measure and 100,000 public reports (mostly ``published``, some routed,
accepted, in progress or resolved; spread over the categories, the areas and the district's
box), with ``measure_report_counts`` refreshed to match; and a case (a routing to a bureau)
for each report a bureau saw, routed over the last 400 days, with acceptance, reply,
resolution and resident answers drawn for the scorecard; and every target owned by a bureau,
with a progress entry each quarter since the plan began (one of them corrected).
"""

import random
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

from settings import BenchError, app_env, run_flask

MEASURE_TITLE = "“绣花功夫”管理城市"
BUSY_MEASURE_TITLE = "实施最严格的生态保护"
BUSY_COMMENTS = 500
REPORTS = 100_000
# Public statuses a listed report may have, and how often each is drawn.
REPORT_STATUSES = {"published": 60, "routed": 10, "accepted": 10, "in_progress": 10, "resolved": 10}
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTWXYZ"  # as planvoice.reports.places
DISTRICT_BOX = (43.80, 125.35, 43.95, 125.60)  # south, west, north, east
SQLITE_TIME = "%Y-%m-%d %H:%M:%S.%f"  # how SQLAlchemy stores a DateTime on SQLite (UTC here)


def prepare_database(workdir: Path) -> dict:
    env = app_env(f"sqlite:///{workdir / 'bench.db'}", UPLOAD_FOLDER=str(workdir / "uploads"))
    for args in (["db", "upgrade"], ["plan", "import"], ["demo", "load", "--no-accounts"]):
        run_flask(env, *args, timeout=120)
    return env


def pick_measure(database: Path) -> int:
    with sqlite3.connect(database) as connection:
        row = (
            connection.execute(
                "SELECT id FROM measures WHERE title = ? AND NOT is_retired", (MEASURE_TITLE,)
            ).fetchone()
            or connection.execute(
                "SELECT id FROM measures WHERE NOT is_retired ORDER BY position LIMIT 1 OFFSET 19"
            ).fetchone()
        )
    connection.close()
    if row is None:
        raise BenchError("no measure in the database")
    return row[0]


def add_published_comments(database: Path, count: int = BUSY_COMMENTS) -> int:
    """Give one measure ``count`` published comments (a long thread); return its id."""
    with sqlite3.connect(database) as connection:
        (measure_id,) = connection.execute(
            "SELECT id FROM measures WHERE title = ?", (BUSY_MEASURE_TITLE,)
        ).fetchone()
        connection.executemany(
            "INSERT INTO comments (measure_id, nickname, body, status, published_at, flag_count,"
            " reply_count, submission_token, author_key, created_at, updated_at)"
            " VALUES (?, ?, ?, 'published', ?, 0, 0, ?, ?, ?, ?)",
            [
                (
                    measure_id,
                    f"居民{n}",
                    f"第{n}条意见:希望加强扬尘治理,尤其是施工工地周边。https://example.org/{n}",
                    stamp,
                    f"bench-{n}",
                    f"guest:bench-{n}",
                    stamp,
                    stamp,
                )
                for n in range(count)
                for stamp in [f"2026-01-01 08:{n // 60 % 60:02d}:{n % 60:02d}.000000"]
            ],
        )
    connection.close()
    return measure_id


def tracking_code(n: int) -> str:
    """A unique, random-looking ``EDQ-XXXX-XX`` code for each ``n`` (a bijection on 29⁶)."""
    base = len(CODE_ALPHABET)
    value = (n * 387_420_489 + 12_345) % base**6  # 3¹⁸ is coprime to 29⁶
    chars = ""
    for _ in range(6):
        value, digit = divmod(value, base)
        chars += CODE_ALPHABET[digit]
    return f"EDQ-{chars[:4]}-{chars[4:]}"


def add_public_reports(database: Path, count: int = REPORTS) -> int:
    """Insert ``count`` public reports, oldest first, in one transaction; return the id of
    the one in the middle (a ``?before=`` page deep in the listing)."""
    rng = random.Random(20261129)  # the same reports on every run
    south, west, north, east = DISTRICT_BOX
    started = datetime(2025, 1, 1, tzinfo=UTC)
    statuses, weights = list(REPORT_STATUSES), list(REPORT_STATUSES.values())
    with sqlite3.connect(database) as connection:
        categories = connection.execute("SELECT id, measure_id FROM categories").fetchall()
        areas = [row[0] for row in connection.execute("SELECT id FROM areas")]
        if not categories or not areas:
            raise BenchError("no report categories or areas (flask demo load)")

        def row(n: int) -> tuple:
            category_id, measure_id = rng.choice(categories)
            created = started + timedelta(minutes=5 * n)
            published = (created + timedelta(hours=2)).strftime(SQLITE_TIME)
            return (
                tracking_code(n),
                category_id,
                measure_id,
                f"第{n}号问题:小区门口的路面有一片裸露黄土,刮风时尘土飞扬,希望尽快处理。",
                rng.choice(areas),
                round(rng.uniform(south, north), 6),
                round(rng.uniform(west, east), 6),
                rng.choices(statuses, weights)[0],
                published,
                f"guest:bench-{n}",
                f"bench-report-{n}",
                created.strftime(SQLITE_TIME),
                published,
            )

        connection.executemany(
            "INSERT INTO reports (code, category_id, measure_id, description, area_id, lat, lng,"
            " status, published_at, author_key, submission_token, support_count, created_at,"
            " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)",
            (row(n) for n in range(count)),
        )
        # The app keeps each measure's count of public reports; rows inserted here count too.
        connection.execute("DELETE FROM measure_report_counts")
        connection.execute(
            "INSERT INTO measure_report_counts (measure_id, public_count) SELECT measure_id,"
            " count(*) FROM reports WHERE measure_id IS NOT NULL"
            " AND status NOT IN ('submitted', 'rejected') GROUP BY measure_id"
        )
        (middle,) = connection.execute(
            "SELECT id FROM reports ORDER BY id LIMIT 1 OFFSET ?", (count // 2,)
        ).fetchone()
    connection.close()
    return middle


def add_cases(database: Path) -> int:
    """One case per report past ``published``, routed over the 400 days before now (so every
    window of the scorecard holds cases), in one transaction; return how many. The older a
    case, the likelier it is finished, as in a district that works its cases: past 45 days,
    all are resolved (a few returned), and most residents have answered."""
    rng = random.Random(20261203)
    now = datetime.now(UTC)
    day = timedelta(days=1)
    with sqlite3.connect(database) as connection:
        bureaus = [row[0] for row in connection.execute("SELECT id FROM bureaus")]
        streets = [
            row[0] for row in connection.execute("SELECT id FROM areas WHERE parent_id IS NULL")
        ]
        reports = [
            row[0]
            for row in connection.execute("SELECT id FROM reports WHERE status != 'published'")
        ]
        if not bureaus or not streets:
            raise BenchError("no bureaus or streets (flask demo load)")

        def at(moment: datetime | None) -> str | None:
            return moment.strftime(SQLITE_TIME) if moment and moment < now else None

        def due(moment: datetime) -> str:
            return moment.strftime(SQLITE_TIME)

        def working_days(start: datetime, end: datetime | None) -> int | None:
            # Near enough for the bench: five working days in seven.
            return None if end is None or end > now else int((end - start).days * 5 / 7)

        def row(report_id: int) -> tuple:
            routed = now - rng.uniform(0, 400) * day
            finished = (now - routed) > 45 * day
            stage = 3 if finished else rng.choice((0, 1, 2, 3))  # routed … resolved
            returned = routed + rng.uniform(0.1, 2) * day if rng.random() < 0.05 else None
            accepted = routed + rng.uniform(0.1, 2) * day if stage >= 1 and not returned else None
            replied = accepted + rng.uniform(0.1, 4) * day if accepted and stage >= 2 else None
            resolved = replied + rng.uniform(1, 20) * day if replied and stage >= 3 else None
            resolved = resolved if resolved and resolved < now else None
            answered = resolved is not None and rng.random() < 0.6
            satisfaction = rng.choice(["satisfied", "basically_satisfied", "not_satisfied"])
            reopened = answered and satisfaction == "not_satisfied"
            is_open = returned is None and (resolved is None or (reopened and not finished))
            pending = is_open or (returned is None and resolved is None)
            return (
                report_id, rng.choice(bureaus), rng.choice(streets), at(routed),
                due(routed + 1 * day), due(routed + 3 * day), due(routed + 15 * day),
                at(accepted), at(returned), at(replied or resolved), at(resolved),
                working_days(routed, accepted), working_days(routed, replied or resolved),
                working_days(routed, resolved), int(reopened), int(is_open), int(pending),
                satisfaction if answered else None,
                (satisfaction != "not_satisfied") if answered else None,
                at(resolved + day) if answered else None,
            )  # fmt: skip

        connection.executemany(
            "INSERT INTO cases (report_id, bureau_id, area_id, routed_at, accept_by, reply_by,"
            " resolve_by, accepted_at, returned_at, first_reply_at, first_resolved_at,"
            " days_to_accept, days_to_reply, days_to_resolve, reopen_count, is_open,"
            " is_pending, satisfaction, solved, answered_at) VALUES"
            " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (row(report_id) for report_id in reports),
        )
    connection.close()
    return len(reports)


def add_progress(database: Path) -> int:
    """Every target owned by a bureau (in turn), half of them with a baseline, and a progress
    entry each quarter from 2021 to 2025 by a bench clerk, the latest kept in the tracking, as
    the bureaus of a district that reports would leave them; return how many entries."""
    rng = random.Random(20261204)
    now = datetime.now(UTC).strftime(SQLITE_TIME)
    quarters = [f"{year}-{month:02d}-01" for year in range(2021, 2026) for month in (3, 6, 9, 12)]
    entries = 0
    with sqlite3.connect(database) as connection:
        bureaus = [row[0] for row in connection.execute("SELECT id FROM bureaus ORDER BY id")]
        targets = connection.execute("SELECT id, value FROM targets ORDER BY id").fetchall()
        if not bureaus:
            raise BenchError("no bureaus (flask demo load)")
        author = connection.execute(
            "INSERT INTO users (email, display_name, role, bureau_id, is_deleted, created_at,"
            " updated_at, session_version) VALUES ('clerk@bench.invalid', 'bench clerk',"
            " 'bureau', ?, 0, ?, ?, 1)",
            (bureaus[0], now, now),
        ).lastrowid
        for n, (target_id, goal) in enumerate(targets):
            bureau = bureaus[n % len(bureaus)]
            latest = None
            for step, on in enumerate(quarters, start=1):
                value = round(float(goal) * step / len(quarters) * rng.uniform(0.6, 1.1), 2)
                latest = connection.execute(
                    "INSERT INTO progress_entries (target_id, \"on\", value, note, author_id,"
                    " bureau_id, supersedes_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (target_id, on, value, "按季度报送。", author, bureau,
                     latest if step == len(quarters) and n == 0 else None, now),
                ).lastrowid  # fmt: skip
                entries += 1
            baseline = (0, "2020-12-31") if n % 2 else (None, None)
            connection.execute(
                "INSERT INTO target_tracking (target_id, owner_bureau_id, baseline_value,"
                " baseline_date, latest_entry_id) VALUES (?, ?, ?, ?, ?)",
                (target_id, bureau, *baseline, latest),
            )
    connection.close()
    return entries


def first_case_month(database: Path) -> str:
    """The month (UTC, near enough) of the earliest routing, as YYYY-MM."""
    with sqlite3.connect(database) as connection:
        (first,) = connection.execute("SELECT min(routed_at) FROM cases").fetchone()
    connection.close()
    return first[:7]
