"""``make bench-pg``: every page a user or client reads, on PostgreSQL, against budgets.

Steps (loopback only; servers and the temporary directory are removed on exit, Ctrl-C and
SIGTERM):

1. the database: ``pg_data.ensure_database`` (``--rebuild`` remakes it), or with ``--dev`` a
   small development database (``pg_dev.py``: plan, demo data, a short thread);
2. four ``gunicorn --workers 2`` servers (``pg_servers.py``): the real app with per-request
   query counting (``BENCH_MEASURE_QUERIES=1``), the real app without it, both with the page
   cache off; the real app with the page cache on; and a bare Flask app (the ceiling);
3. sign-ins through the real ``/login`` form for the resident, moderator, bureau and admin;
4. per page: three requests to the measuring server (status, query count, slowest query and
   its SQL; the count from the last request, the slowest query from the request where it was
   least slow, so that a stall of a busy machine is not taken for a slow statement; all
   kept), then on the plain server the median of 20 single requests one after the other
   (client side, a new connection each: no keep-alive, as gunicorn's sync workers close it)
   and ``wrk -t2 -c4 -d5s --latency`` (with the session cookie when signed in); the bare app
   once under the same ``wrk`` settings, and req/s of each page as a fraction of it;
5. the page cache on: ``wrk`` on the quiet measure page (anonymous) and on the bare app, back
   to back;
6. the table, the budgets (``MET``/``MISSED`` with the figure) and
   ``bench/results/<UTC time>-<git sha>.json``.

Exits 0 when budgets are missed; non-zero only when the benchmark cannot run.

Options: ``--dev``, ``--rebuild``, ``--only SUBSTRING`` (pages whose label or path holds it;
``cache`` selects the page-cache comparison), ``--server-url``; ``BENCH_DURATION`` (seconds per
``wrk`` run, default 5), ``BENCH_CONNECTIONS`` (default 4).
"""

import argparse
import http.client
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import quote

import psycopg
from pg_client import get, median_ms, run_wrk, sign_in
from pg_report import (
    PageResult,
    budget_json,
    budgets,
    format_budgets,
    page_json,
    table_header,
    table_row,
    write_json,
)
from pg_servers import start_all, stop_all
from server import WORKERS
from settings import DURATION, BenchError

SERVER_URL = "postgresql+psycopg://postgres@127.0.0.1:5432"
CONNECTIONS = max(1, min(int(os.environ.get("BENCH_CONNECTIONS", "4")), 64))
SINGLE_REQUESTS = 20
MEASURED_REQUESTS = 3
WARM_UPS = 4


def pages(f: dict) -> list[PageResult]:
    """(label, path, who, budget[, expected status]) for every page a user or client reads."""
    busy, medium, quiet = f["busy_measure"], f["medium_measure"], f["quiet_measure"]
    rows = [
        ("plan home", "/", "anonymous", "public"),
        ("plan", f"/plans/{f['plan']}", "anonymous", "public"),
        ("section", f"/sections/{f['section']}", "anonymous", "public"),
        ("measure busy", f"/measures/{busy}", "anonymous", "public"),
        (
            "measure busy deep",
            f"/measures/{busy}?after={quote(str(f['busy_deep_after']))}",
            "anonymous",
            "public",
        ),
        ("measure medium", f"/measures/{medium}", "anonymous", "public"),
        ("measure quiet", f"/measures/{quiet}", "anonymous", "public"),
        ("reports", "/reports", "anonymous", "public"),
        ("reports category", f"/reports?category={quote(f['category'])}", "anonymous", "public"),
        ("reports area", f"/reports?area={quote(f['area'])}", "anonymous", "public"),
        ("reports status", f"/reports?status={quote(f['status'])}", "anonymous", "public"),
        ("reports measure", f"/reports?measure={busy}", "anonymous", "public"),
        ("reports deep", f"/reports?before={f['reports_deep_before']}", "anonymous", "public"),
        ("report page", f"/reports/{f['report']}", "anonymous", "public"),
        ("ranking", "/ranking", "anonymous", "public"),
        # A known code redirects to the report's page: 302 is the answer expected.
        ("track", f"/track?code={quote(f['report'])}", "anonymous", "public", 302),
        # A resident's own page: signed in, but held to the public budget.
        ("me", "/me", "resident", "public"),
        ("moderation", "/moderation", "moderator", "staff"),
    ]
    for view in ("new", "accepted", "in_progress", "overdue", "resolved", "returned"):
        rows.append((f"bureau {view}", f"/bureau?view={view}", "bureau", "staff"))
    rows += [
        ("bureau export csv", "/bureau/export.csv?view=new", "bureau", "staff"),
        ("admin audit", "/admin/audit", "admin", "staff"),
        ("admin audit report", f"/admin/audit?report={quote(f['audit_report'])}", "admin", "staff"),
        ("api plans", "/api/v1/plans", "anonymous", "public"),
        ("api measures", "/api/v1/measures", "anonymous", "public"),
        ("api measure busy", f"/api/v1/measures/{busy}", "anonymous", "public"),
        ("api reports", "/api/v1/reports", "anonymous", "public"),
        ("api ranking", "/api/v1/ranking", "anonymous", "public"),
        ("open311 requests", "/open311/v2/requests.json", "anonymous", "public"),
    ]
    result = [PageResult(*row) for row in rows]
    for page in result:
        if "None" in page.path.split("/") or page.path.endswith("=None"):
            page.problem = "a fixture this page needs is missing (None)"
    return result


def measure_page(page: PageResult, servers, cookie: str | None) -> None:
    measure, plain = servers["measure"], servers["plain"]
    slowest = []  # (ms, sql) of each measured request's slowest statement
    for _ in range(MEASURED_REQUESTS):
        reply = get(measure.port, page.path, cookie)
        page.status = reply.status
        if "x-bench-queries" in reply.headers:
            page.query_counts.append(int(reply.headers["x-bench-queries"]))
            ms = float(reply.headers.get("x-bench-slowest-ms", "0"))
            slowest.append((ms, reply.headers.get("x-bench-slowest-sql", "")))
    page.queries = page.query_counts[-1] if page.query_counts else None
    # The best of the requests: a statement slow every time, not one the machine stalled.
    if slowest:
        page.slowest_ms_each = [ms for ms, _sql in slowest]
        page.slowest_ms, page.slowest_sql = min(slowest)
    if reply.status != page.expected_status:
        text = reply.body.decode(errors="replace")
        title = re.search(r"<title>(.*?)</title>", text, re.S)
        shown = title[1] if title else text
        page.problem = (
            f"answered {reply.status}, expected {page.expected_status}: "
            + " ".join(shown.split())[:120]
        )
        return
    for _ in range(WARM_UPS):
        get(plain.port, page.path, cookie)
    page.median_ms = median_ms(plain.port, page.path, cookie, SINGLE_REQUESTS)
    result = run_wrk(
        plain.port,
        page.path,
        cookie,
        connections=CONNECTIONS,
        duration=DURATION,
        label=page.label,
    )
    page.requests_per_second = result.requests_per_second
    page.p50_ms, page.p90_ms, page.p99_ms = result.p50_ms, result.p90_ms, result.p99_ms
    page.wrk_errors = result.errors
    if result.errors:
        page.problem = f"under wrk: {result.errors} errors ({result.error_lines})"


def wrk(server, path: str, label: str, cookie: str | None = None):
    return run_wrk(
        server.port, path, cookie, connections=CONNECTIONS, duration=DURATION, label=label
    )


def compare_cached(servers, quiet_path: str) -> dict:
    """The quiet measure page with the page cache on, and the bare app, back to back."""
    cached = servers["cached"]
    reply = get(cached.port, quiet_path)
    if reply.status != 200:
        return {"path": quiet_path, "problem": f"{quiet_path} answered {reply.status}"}
    for _ in range(WARM_UPS):
        get(cached.port, quiet_path)
    page = wrk(cached, quiet_path, "cached")
    bare = wrk(servers["bare"], "/", "bare")
    return {
        "path": quiet_path,
        "page_rps": page.requests_per_second,
        "page_p50_ms": page.p50_ms,
        "page_p90_ms": page.p90_ms,
        "page_p99_ms": page.p99_ms,
        "bare_rps": bare.requests_per_second,
        "bare_p50_ms": bare.p50_ms,
        "bare_p90_ms": bare.p90_ms,
        "bare_p99_ms": bare.p99_ms,
        "fraction": page.requests_per_second / bare.requests_per_second,
        "errors": page.errors + bare.errors,
    }


def database_identity(url: str) -> int | None:
    """The database's oid: a different one after the run means it was dropped and remade."""
    server, name = url.replace("postgresql+psycopg://", "postgresql://", 1).rsplit("/", 1)
    try:
        with psycopg.connect(f"{server}/postgres", connect_timeout=5) as connection:
            row = connection.execute(
                "SELECT oid FROM pg_database WHERE datname = %s", (name,)
            ).fetchone()
    except psycopg.Error:
        return None
    return row[0] if row else None


def print_log_tails(servers, names, lines: int = 30) -> None:
    """The end of the servers' logs (the app logs its errors there), when something failed."""
    for name in names:
        log = servers[name].log
        text = log.read_text(errors="replace") if log.exists() else ""
        useful = [line for line in text.splitlines() if "NullCache" not in line]
        useful = [line for line in useful if "cache.init_app(app)" not in line]
        if useful:
            tail = "\n".join(useful[-lines:])
            print(f"\n--- gunicorn {name} log (end):\n{tail}", file=sys.stderr, flush=True)


def load_fixtures(args) -> dict:
    if args.dev:
        from pg_dev import dev_fixtures

        return dev_fixtures(args.server_url, rebuild=args.rebuild)
    try:
        import pg_data
    except ImportError as error:
        raise BenchError(f"bench/pg_data.py cannot be imported ({error}); try --dev") from error
    if not hasattr(pg_data, "ensure_database"):
        raise BenchError("bench/pg_data.py has no ensure_database yet; try --dev")
    return pg_data.ensure_database(args.server_url, rebuild=args.rebuild)


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dev", action="store_true", help="a small development database")
    parser.add_argument("--rebuild", action="store_true", help="remake the database first")
    parser.add_argument("--only", metavar="SUBSTRING", help="pages whose label or path holds it")
    parser.add_argument("--server-url", default=SERVER_URL, help=f"default {SERVER_URL}")
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    # SIGTERM (e.g. a CI timeout) cleans up as Ctrl-C does.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    if not shutil.which("wrk"):
        print("bench failed: wrk is not on PATH", file=sys.stderr)
        return 1
    workdir = Path(tempfile.mkdtemp(prefix="planvoice-bench-pg-"))
    servers = {}
    load_before = os.getloadavg()
    try:
        fixtures = load_fixtures(args)
        selected = [
            p
            for p in pages(fixtures)
            if not args.only or args.only in p.label or args.only in p.path
        ]
        quiet_path = f"/measures/{fixtures['quiet_measure']}"
        # The page-cache comparison: on a full run, with the quiet measure page, or --only cache.
        want_cache = (
            not args.only or args.only == "cache" or any(p.path == quiet_path for p in selected)
        )
        identity = database_identity(fixtures["url"])
        servers = start_all(fixtures["url"], workdir)
        print(
            f"database {fixtures['url']}{' (--dev)' if args.dev else ''}; gunicorn {WORKERS} "
            f"workers per server; wrk -t{min(2, CONNECTIONS)} -c{CONNECTIONS} -d{DURATION}s; "
            f"{SINGLE_REQUESTS} single requests per page (new connection each, no keep-alive); "
            f"nproc {len(os.sched_getaffinity(0))}; load average {load_before[0]:.2f}\n",
            flush=True,
        )
        cookies: dict[str, str] = {}
        for who in sorted({p.who for p in selected} - {"anonymous"}):
            login, password = fixtures["logins"][who]
            try:
                cookies[who] = sign_in(servers["plain"].port, login, password)
            except BenchError as error:  # once more, loudly: a 500 here was seen to pass
                print(f"!! {error}; trying once more", flush=True)
                cookies[who] = sign_in(servers["plain"].port, login, password)
        bare = wrk(servers["bare"], "/", "bare app")
        print(table_header(), flush=True)
        for page in selected:
            if page.problem is None:
                try:
                    measure_page(page, servers, cookies.get(page.who))
                except (OSError, http.client.HTTPException, subprocess.SubprocessError) as error:
                    page.problem = f"request failed: {error!r}"
            if page.requests_per_second is not None:
                page.ratio_to_bare = page.requests_per_second / bare.requests_per_second
            print(table_row(page), flush=True)
        print(
            f"{'bare app':<22} {'/':<40} {'-':<9} {'':>3} {'':>3} {'':>7} {'':>8} "
            f"{bare.requests_per_second:>7.0f} {bare.p50_ms:>7.2f} {bare.p90_ms:>7.2f} "
            f"{bare.p99_ms:>7.2f} {1:>5.2f}"
        )
        cached = compare_cached(servers, quiet_path) if want_cache else None
        if cached and "fraction" in cached:
            print(
                f"\npage cache on, back to back: {quiet_path} {cached['page_rps']:.0f} req/s "
                f"(p50 {cached['page_p50_ms']:.2f} p90 {cached['page_p90_ms']:.2f} "
                f"p99 {cached['page_p99_ms']:.2f} ms), bare app {cached['bare_rps']:.0f} req/s "
                f"(p50 {cached['bare_p50_ms']:.2f} p90 {cached['bare_p90_ms']:.2f} "
                f"p99 {cached['bare_p99_ms']:.2f} ms): {cached['fraction']:.2f} ×"
            )
        if any(page.problem for page in selected):
            print_log_tails(servers, ("measure", "plain"))
        rebuilt = database_identity(fixtures["url"]) != identity
        if rebuilt:
            print(
                "\n!! the database was dropped and made again during this run (another"
                " pg_data.ensure_database?): the figures above are not to be trusted",
                flush=True,
            )
        checked = budgets(selected, cached)
        print("\nBudgets (the fixed-count test lives in the test suite; counts printed above)")
        print(format_budgets(checked))
        path = write_json(
            {
                "dev": args.dev,
                "database_rebuilt_during_run": rebuilt,
                # Other work on the machine skews the figures: the 1-minute load, before/after.
                "load_average_1m": [load_before[0], os.getloadavg()[0]],
                "only": args.only,
                "settings": {
                    "workers": WORKERS,
                    "wrk_threads": min(2, CONNECTIONS),
                    "connections": CONNECTIONS,
                    "duration_s": DURATION,
                    "single_requests": SINGLE_REQUESTS,
                    "keep_alive": False,
                },
                "fixtures": {k: v for k, v in fixtures.items() if k not in ("logins", "url")},
                "database": fixtures["url"].rsplit("/", 1)[-1],
                "bare": {
                    "requests_per_second": bare.requests_per_second,
                    "p50_ms": bare.p50_ms,
                    "p90_ms": bare.p90_ms,
                    "p99_ms": bare.p99_ms,
                },
                "pages": [page_json(p) for p in selected],
                "cached": cached,
                "budgets": [budget_json(b) for b in checked],
            }
        )
        print(
            f"\nwritten {path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path}"
        )
        return 0
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        return 130
    except BenchError as error:
        print(f"bench failed: {error}", file=sys.stderr)
        print_log_tails(servers, servers)
        return 1
    finally:
        stop_all(servers)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
