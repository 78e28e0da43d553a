"""``make bench``: throughput and latency of the public pages under gunicorn, against a ceiling.

Steps, all on loopback and in a temporary directory that is removed afterwards (also on Ctrl-C):

1. a fresh SQLite database through the app's own ``flask`` commands (migrations, the bundled
   plan, the demo reference data), then 500 published comments on one measure, 100,000
   public reports and a case (a routing to a bureau) for each report a bureau saw, inserted
   straight through sqlite3, and a bureau and quarterly progress entries for every target;
   then the monthly counts of the cases and every month before this
   one stored, as a district that has run for a year would have them;
2. ``gunicorn --workers 2`` serving ``bench.app:app`` (the real app plus a bare ``/bench/bare``
   route that renders nothing and reads no database) on a free port, with rate limiting off;
3. a bounded load on the plan home ``/``, one measure page, the report listing ``/reports``
   (first page, one category, and a page in the middle through ``?before=``), the scorecard
   ``/performance`` (this month, and the last 365 days), ``/progress`` and the bare route,
   with ``wrk`` when it is on PATH, else a small keep-alive client in pure Python; pages the
   app micro-caches are loaded twice, the second time as a guest who has taken part (the
   app renders their pages afresh: "uncached");
4. 20 report submissions one after the other, each as a browser sends it, with one JPEG photo
   of about 3 MB; the time of each POST is taken on the client;
5. requests/s and latency p50/p90/p99 for each loaded URL, the submissions' median and p90,
   then the budgets: the measure page must reach at least half the bare route's throughput
   ("BUDGET MET" or "BUDGET MISSED"), and the scorecard (this month) and progress pages,
   rendered afresh, at least the throughput of the report listing rendered afresh ("MET" or
   "MISSED" on each line; the scorecard's last 365 days is printed for information); exits 0
   either way (non-zero only when the benchmark itself cannot run).

Options through the environment: ``BENCH_DURATION`` (seconds per URL, default 5),
``BENCH_CONNECTIONS`` (default 8), ``BENCH_FORCE_PYTHON=1`` to skip wrk.

The parts, in ``bench/`` (imported as top-level modules: this file runs as a script):

- ``settings.py``: paths, host, the environment options, the secret key, ``BenchError``;
- ``database.py``: step 1, the database and its bulk inserts;
- ``server.py``: step 2, gunicorn started, awaited and stopped, and a plain GET;
- ``load.py``: step 3, ``wrk`` or the pure-Python client, percentiles, one line per URL;
- ``submissions.py``: step 4, the report form filled in with a 3 MB photo;
- ``app.py``: the app gunicorn serves, with the bare route.
"""

import os
import shutil
import signal
import sys
import tempfile
from pathlib import Path

from database import (
    BUSY_COMMENTS,
    REPORTS,
    add_cases,
    add_progress,
    add_public_reports,
    add_published_comments,
    first_case_month,
    pick_measure,
    prepare_database,
)
from load import Result, format_result, run_python, run_wrk, warm_up
from server import WORKERS, free_port, start_gunicorn, stop, wait_until_ready
from settings import CONNECTIONS, DURATION, HOST, SECRET_KEY, BenchError, run_flask
from submissions import format_submissions, submit_reports

BUDGET_FRACTION = 0.5


def main() -> int:
    # SIGTERM (e.g. from a CI timeout) cleans up like Ctrl-C does.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    workdir = Path(tempfile.mkdtemp(prefix="planvoice-bench-"))
    server = None
    try:
        env = prepare_database(workdir)
        port = free_port()
        log = workdir / "gunicorn.log"
        measure_path = f"/measures/{pick_measure(workdir / 'bench.db')}"
        busy_path = f"/measures/{add_published_comments(workdir / 'bench.db')}"
        middle_report = add_public_reports(workdir / "bench.db")
        cases = add_cases(workdir / "bench.db")
        entries = add_progress(workdir / "bench.db")
        # As a district that has run for a while: monthly counts kept, past months stored.
        run_flask(env, "performance", "rebuild-counts")
        run_flask(
            env, "performance", "close-month", "--since", first_case_month(workdir / "bench.db")
        )
        server = start_gunicorn(env, port, log)
        wait_until_ready(server, port, log)
        # (label, path, headers): a session cookie makes the app skip its page cache, which
        # shows the cost of rendering a page from the database every time.
        runs = [
            ("/", "/", {}),
            (measure_path, measure_path, {}),
            (f"{measure_path} (uncached)", measure_path, {"Cookie": SIGNED_IN_GUEST}),
            (f"{busy_path} ({BUSY_COMMENTS} comments)", busy_path, {}),
            (f"{busy_path} (uncached)", busy_path, {"Cookie": SIGNED_IN_GUEST}),
        ]
        for path in ("/reports", "/reports?category=dust", f"/reports?before={middle_report}"):
            runs += [(path, path, {}), (f"{path} (uncached)", path, {"Cookie": SIGNED_IN_GUEST})]
        # The accountability pages, read from maintained rows: no slower than the listing.
        for path in ("/performance", "/performance?window=365d", "/progress"):
            runs.append((f"{path} (uncached)", path, {"Cookie": SIGNED_IN_GUEST}))
        runs.append(("/bench/bare", "/bench/bare", {}))
        width = max(len(label) for label, _path, _headers in runs)
        use_wrk = shutil.which("wrk") and os.environ.get("BENCH_FORCE_PYTHON") != "1"
        tool = "wrk" if use_wrk else "python http.client"
        print(
            f"gunicorn {WORKERS} workers on {HOST}:{port}; load: {tool}, "
            f"{CONNECTIONS} connections, {DURATION}s per URL; "
            f"{BUSY_COMMENTS} comments on {busy_path}, {REPORTS:,} public reports, "
            f"{cases:,} cases, {entries:,} progress entries\n"
        )
        results = {}
        for label, path, headers in runs:
            warm_up(port, path)
            run = run_wrk if use_wrk else run_python
            results[label] = run(port, path, headers, label=label)
            print(format_result(results[label], width), flush=True)
        timings = submit_reports(port, log, workdir / "bench.db")
        print(format_submissions(timings), flush=True)
        report_budget(results[measure_path], results["/bench/bare"])
        report_accountability(results)
        return 0
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        return 130
    except BenchError as error:
        print(f"bench failed: {error}", file=sys.stderr)
        return 1
    finally:
        stop(server)
        shutil.rmtree(workdir, ignore_errors=True)


def _guest_session_cookie() -> str:
    """A session cookie of a guest who has taken part: the app renders their pages afresh."""
    from flask import Flask
    from flask.sessions import SecureCookieSessionInterface

    signer = Flask(__name__)
    signer.secret_key = SECRET_KEY
    serializer = SecureCookieSessionInterface().get_signing_serializer(signer)
    return "session=" + serializer.dumps({"guest": "guest:bench"})


SIGNED_IN_GUEST = _guest_session_cookie()


def report_budget(measure: Result, bare: Result) -> None:
    fraction = measure.requests_per_second / bare.requests_per_second
    print(
        f"\nmeasure page throughput = {fraction:.2f} × bare route "
        f"(budget: ≥ {BUDGET_FRACTION:.2f} ×)"
    )
    if measure.errors:
        print(f"measure page had {measure.errors} failed requests")
    met = fraction >= BUDGET_FRACTION and not measure.errors
    print("BUDGET MET" if met else "BUDGET MISSED")


def report_accountability(results: dict[str, Result]) -> None:
    """The scorecard and progress pages must serve at least as many requests per second as
    the report listing, all three rendered afresh (issue 15's budget). The scorecard's last
    365 days is printed beside them, for information: it also counts the part month where
    the window begins from that month's cases."""
    listing = results["/reports (uncached)"].requests_per_second
    for label in ("/performance (uncached)", "/progress (uncached)"):
        result = results[label]
        ratio = result.requests_per_second / listing
        met = ratio >= 1 and not result.errors
        print(f"{label} = {ratio:.2f} × /reports (uncached) (budget: ≥ 1.00 ×): "
              + ("MET" if met else "MISSED"))  # fmt: skip
    rolling = results["/performance?window=365d (uncached)"].requests_per_second / listing
    print(f"/performance?window=365d (uncached) = {rolling:.2f} × /reports (uncached) (no budget)")


if __name__ == "__main__":
    sys.exit(main())
