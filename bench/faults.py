"""``make bench-faults``: are writes kept exactly once when the server or the database dies?

Steps, on loopback, in a temporary directory removed afterwards (the database is kept for a
look afterwards, and recreated by the next run):

1. the PostgreSQL database ``planvoice_faults`` on postgres@127.0.0.1:5432 dropped and created,
   then filled by the app's own ``flask`` commands (migrations, the bundled plan, the demo
   reference data) through ``DATABASE_URL``;
2. ``gunicorn --workers 2`` serving ``bench.app:app`` with rate limiting off, as ``make bench``;
3. a bounded load of writes from a few client threads, each a browser of its own: comments
   (``GET /measures/<id>`` for the CSRF and one-time submission tokens, then
   ``POST /measures/<id>/comments``) and reports (``GET /reports/new``, then a multipart
   ``POST /reports/new``), each text carrying a unique marker. A write that gets no answer, a
   connection error or a 5xx is sent again with the same tokens and cookies, as a browser's
   retry would; a 2xx or 3xx answer acknowledges it. One write in five, once acknowledged, is
   sent again on purpose (a double click);
4. meanwhile, once each: gunicorn's master and workers killed with SIGKILL (the whole process
   group) and gunicorn started again; PostgreSQL restarted (``pg_ctlcluster 15 main restart``);
5. the markers counted in the database: acknowledged writes, lost (acknowledged but not
   stored: must be 0), duplicated (a marker stored more than once: must be 0), 5xx answers.
   Prints them and "DRILL PASSED" (exit 0) or "DRILL FAILED" (exit 1).

About a minute in all. Options through the environment: ``FAULTS_CLIENTS`` (client
threads, default 4), ``FAULTS_SECONDS`` (seconds of new writes, default 50). The clients are in
``fault_clients.py``; gunicorn is started as in ``server.py``.
"""

import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import psycopg
from fault_clients import REQUEST_TIMEOUT, Client, Tally
from server import free_port, start_gunicorn, stop, wait_until_ready
from settings import HOST, BenchError, app_env, run_flask

DATABASE = "planvoice_faults"
SERVER_URL = "postgresql+psycopg://postgres@127.0.0.1:5432"
PG_CLUSTER = ("15", "main")  # as `ls /etc/postgresql` and `pg_lsclusters` show
CLIENTS = max(1, min(int(os.environ.get("FAULTS_CLIENTS", "4")), 16))
WRITE_SECONDS = max(10, min(int(os.environ.get("FAULTS_SECONDS", "50")), 120))
KILL_AT, PG_RESTART_AT = 0.25 * WRITE_SECONDS, 0.6 * WRITE_SECONDS  # into the writes
RETRY_SECONDS = 30  # after the last new write, to get every write acknowledged


def prepare_database(workdir: Path) -> dict:
    """Drop and create ``planvoice_faults``, then migrate and fill it with the app's commands."""
    with psycopg.connect(_conninfo("postgres"), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{DATABASE}"')
    env = app_env(f"{SERVER_URL}/{DATABASE}", UPLOAD_FOLDER=str(workdir / "uploads"))
    for args in (["db", "upgrade"], ["plan", "import"], ["demo", "load", "--no-accounts"]):
        run_flask(env, *args, timeout=180)
    return env


def _conninfo(dbname: str) -> str:
    return f"host=127.0.0.1 port=5432 user=postgres dbname={dbname} connect_timeout=5"


def _query(sql: str, *params) -> list[tuple]:
    """A query on the drill's database, retried while PostgreSQL comes back."""
    for _attempt in range(50):
        try:
            with psycopg.connect(_conninfo(DATABASE)) as connection:
                return connection.execute(sql, params).fetchall()
        except psycopg.OperationalError:
            time.sleep(0.2)
    raise BenchError("PostgreSQL does not answer")


def kill_gunicorn(server: subprocess.Popen) -> None:
    os.killpg(server.pid, signal.SIGKILL)  # master and workers: their own process group
    server.wait(timeout=10)


def restart_postgresql() -> None:
    version, cluster = PG_CLUSTER
    if not Path(f"/etc/postgresql/{version}/{cluster}").is_dir():
        raise BenchError(f"no PostgreSQL cluster {version}/{cluster} (see pg_lsclusters)")
    done = subprocess.run(
        ["pg_ctlcluster", version, cluster, "restart"], capture_output=True, text=True, timeout=60
    )
    if done.returncode != 0:
        raise BenchError(f"pg_ctlcluster restart failed:\n{done.stdout}{done.stderr}")


def stored_markers(run: str) -> Counter:
    """How many times each of this run's markers is in a comment or a report."""
    pattern = re.compile(rf"FD{run}-\d+-\d+")
    rows = _query(
        "SELECT body FROM comments WHERE body LIKE %s"
        " UNION ALL SELECT description FROM reports WHERE description LIKE %s",
        f"%FD{run}-%",
        f"%FD{run}-%",
    )
    return Counter(marker for (text,) in rows for marker in pattern.findall(text))


def drill(workdir: Path) -> int:
    run = secrets.token_hex(3)
    print(f"fault drill {run}: preparing PostgreSQL database {DATABASE}", flush=True)
    env = prepare_database(workdir)
    (measure_id,) = _query(
        "SELECT id FROM measures WHERE NOT is_retired ORDER BY position LIMIT 1"
    )[0]
    port = free_port()
    logs = iter(workdir / f"gunicorn-{n}.log" for n in range(1, 10))
    server = start_gunicorn(env, port, log := next(logs))
    try:
        wait_until_ready(server, port, log)
        print(
            f"gunicorn 2 workers on {HOST}:{port}; {CLIENTS} clients writing comments on "
            f"/measures/{measure_id} and reports for {WRITE_SECONDS} s",
            flush=True,
        )
        stop_writing, give_up = threading.Event(), threading.Event()
        clients = [Client(n, port, measure_id, run, stop_writing, give_up) for n in range(CLIENTS)]
        started = time.monotonic()
        for client in clients:
            client.start()

        def at(seconds: float) -> None:
            time.sleep(max(0.0, started + seconds - time.monotonic()))

        def say(what: str) -> None:
            print(f"{time.monotonic() - started:6.1f} s  {what}", flush=True)

        at(KILL_AT)
        kill_gunicorn(server)
        say(f"gunicorn killed (SIGKILL to process group {server.pid})")
        server = start_gunicorn(env, port, log := next(logs))
        wait_until_ready(server, port, log)
        say("gunicorn started again and answering")
        at(PG_RESTART_AT)
        say("restarting PostgreSQL (pg_ctlcluster {} {} restart)".format(*PG_CLUSTER))
        restart_postgresql()
        say("PostgreSQL restarted")
        at(WRITE_SECONDS)
        stop_writing.set()
        say("no new writes; waiting for retries")
        for client in clients:
            client.join(
                timeout=max(0.1, started + WRITE_SECONDS + RETRY_SECONDS - time.monotonic())
            )
        give_up.set()
        for client in clients:
            client.join(timeout=REQUEST_TIMEOUT + 1)
        say("clients done")
    finally:
        stop(server)
    print_server_errors(workdir)
    return report([client.tally for client in clients], stored_markers(run), started)


def print_server_errors(workdir: Path) -> None:
    """The exceptions gunicorn's logs end their tracebacks with, counted (what the 5xx were)."""
    last_lines = Counter(
        line.strip()[:160]
        for log in sorted(workdir.glob("gunicorn-*.log"))
        for line in log.read_text(errors="replace").splitlines()
        if re.match(r"^[\w.]+(Error|Exception|Exit)\b", line)
    )
    for line, count in last_lines.most_common(5):
        print(f"server log, {count}×: {line}")


def report(tallies: list[Tally], stored: Counter, started: float) -> int:
    acknowledged = set().union(*(t.acknowledged for t in tallies))
    unacknowledged = set().union(*(t.unacknowledged for t in tallies))
    sent = sum((t.sent for t in tallies), Counter())
    refused = sum((t.refused for t in tallies), Counter())
    lost = sorted(m for m in acknowledged if stored[m] == 0)
    duplicated = sorted(m for m, count in stored.items() if count > 1)
    errors = sorted(moment - started for t in tallies for moment in t.server_errors)
    when = f" (from {errors[0]:.1f} s to {errors[-1]:.1f} s)" if errors else ""
    print(
        f"\nwrites sent: {sum(sent.values())} ({sent['comment']} comments, "
        f"{sent['report']} reports); retries: {sum(t.retries for t in tallies)} "
        f"(writes acknowledged on a retry: {sum(t.retried for t in tallies)}); "
        f"sent twice on purpose: {sum(t.resubmitted for t in tallies)}; "
        f"connection errors: {sum(t.connection_errors for t in tallies)}\n"
        f"acknowledged: {len(acknowledged)}   lost: {len(lost)}   "
        f"duplicated: {len(duplicated)}   5xx answers: {len(errors)}{when}\n"
        f"refused (4xx): {dict(refused) or 0}   never acknowledged: {len(unacknowledged)}"
        f" (of them stored: {sum(1 for m in unacknowledged if stored[m])})"
    )
    if lost:
        print("lost:", ", ".join(lost[:20]))
    if duplicated:
        print("duplicated:", ", ".join(f"{m} ×{stored[m]}" for m in duplicated[:20]))
    passed = not lost and not duplicated
    print("DRILL PASSED" if passed else "DRILL FAILED")
    return 0 if passed else 1


def main() -> int:
    # SIGTERM (e.g. from a CI timeout) cleans up like Ctrl-C does.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    workdir = Path(tempfile.mkdtemp(prefix="planvoice-faults-"))
    try:
        return drill(workdir)
    except KeyboardInterrupt:
        print("\ninterrupted", file=sys.stderr)
        return 130
    except BenchError as error:
        print(f"fault drill failed to run: {error}", file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
