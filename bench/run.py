"""``make bench``: throughput and latency of the public pages under gunicorn, against a ceiling.

Steps, all on loopback and in a temporary directory that is removed afterwards (also on Ctrl-C):

1. a fresh SQLite database: ``flask --app app db upgrade`` then ``flask --app app plan import``
   (the bundled plan), through ``DATABASE_URL`` with a fixed ``SECRET_KEY``;
2. ``gunicorn --workers 2`` serving ``bench.app:app`` (the real app plus a bare ``/bench/bare``
   route that renders nothing and reads no database) on a free port;
3. a bounded load on the plan home ``/``, one measure page and the bare route, with ``wrk``
   (``wrk -t2 -c8 -d5s --latency``) when it is on PATH, else a small keep-alive client in pure
   Python (8 threads, 5 s and at most 50,000 requests each);
4. requests/s and latency p50/p90/p99 for each, then the budget: the measure page must reach at
   least half the bare route's throughput. Prints "BUDGET MET" or "BUDGET MISSED"; exits 0
   either way (non-zero only when the benchmark itself cannot run).

Options through the environment: ``BENCH_DURATION`` (seconds per URL, default 5),
``BENCH_CONNECTIONS`` (default 8), ``BENCH_FORCE_PYTHON=1`` to skip wrk.
"""

import http.client
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"
WORKERS = 2
DURATION = max(1, min(int(os.environ.get("BENCH_DURATION", "5")), 60))
CONNECTIONS = max(1, min(int(os.environ.get("BENCH_CONNECTIONS", "8")), 64))
MAX_REQUESTS_PER_CONNECTION = 50_000
BUDGET_FRACTION = 0.5
MEASURE_TITLE = "“绣花功夫”管理城市"


@dataclass
class Result:
    path: str  # what was loaded, as printed
    requests_per_second: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    errors: int = 0


def main() -> int:
    # SIGTERM (e.g. from a CI timeout) cleans up like Ctrl-C does.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    workdir = Path(tempfile.mkdtemp(prefix="planvoice-bench-"))
    server = None
    try:
        env = prepare_database(workdir)
        port = free_port()
        server = start_gunicorn(env, port, workdir / "gunicorn.log")
        wait_until_ready(server, port, workdir / "gunicorn.log")
        measure_path = f"/measures/{pick_measure(workdir / 'bench.db')}"
        busy_path = f"/measures/{add_published_comments(workdir / 'bench.db')}"
        # (label, path, headers): a session cookie makes the app skip its page cache, which
        # shows the cost of rendering a measure page from the database every time.
        runs = [
            ("/", "/", {}),
            (measure_path, measure_path, {}),
            (f"{measure_path} (uncached)", measure_path, {"Cookie": SIGNED_IN_GUEST}),
            (f"{busy_path} ({BUSY_COMMENTS} comments)", busy_path, {}),
            (f"{busy_path} (uncached)", busy_path, {"Cookie": SIGNED_IN_GUEST}),
            ("/bench/bare", "/bench/bare", {}),
        ]
        use_wrk = shutil.which("wrk") and os.environ.get("BENCH_FORCE_PYTHON") != "1"
        tool = "wrk" if use_wrk else "python http.client"
        print(
            f"gunicorn {WORKERS} workers on {HOST}:{port}; load: {tool}, "
            f"{CONNECTIONS} connections, {DURATION}s per URL\n"
        )
        results = {}
        for label, path, headers in runs:
            warm_up(port, path)
            run = run_wrk if use_wrk else run_python
            results[label] = run(port, path, headers, label=label)
            print(format_result(results[label]), flush=True)
        report_budget(results[measure_path], results["/bench/bare"])
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


class BenchError(Exception):
    pass


def prepare_database(workdir: Path) -> dict:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{workdir / 'bench.db'}",
        "SECRET_KEY": SECRET_KEY,
        "UPLOAD_FOLDER": str(workdir / "uploads"),
    }
    env.pop("FLASK_SQLALCHEMY_DATABASE_URI", None)
    flask = [str(BIN / "flask"), "--app", "app"]
    for args in (["db", "upgrade"], ["plan", "import"]):
        done = subprocess.run(
            [*flask, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
        )
        if done.returncode != 0:
            raise BenchError(f"flask {' '.join(args)} failed:\n{done.stdout}{done.stderr}")
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


SECRET_KEY = "bench-secret-key-not-for-production"  # noqa: S105 -- a throwaway database


def _guest_session_cookie() -> str:
    """A session cookie of a guest who has taken part: the app renders their pages afresh."""
    from flask import Flask
    from flask.sessions import SecureCookieSessionInterface

    signer = Flask(__name__)
    signer.secret_key = SECRET_KEY
    serializer = SecureCookieSessionInterface().get_signing_serializer(signer)
    return "session=" + serializer.dumps({"guest": "guest:bench"})


SIGNED_IN_GUEST = _guest_session_cookie()
BUSY_MEASURE_TITLE = "实施最严格的生态保护"
BUSY_COMMENTS = 500


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


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def start_gunicorn(env: dict, port: int, log: Path) -> subprocess.Popen:
    with log.open("wb") as log_file:
        return subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "--workers",
                str(WORKERS),
                "--bind",
                f"{HOST}:{port}",
                "--chdir",
                str(ROOT),
                "--log-level",
                "warning",
                "bench.app:app",
            ],
            cwd=ROOT,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            # Its own process group: a Ctrl-C reaches us, and we stop it in order.
            start_new_session=True,
        )


def wait_until_ready(server: subprocess.Popen, port: int, log: Path, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise BenchError(f"gunicorn exited with {server.returncode}:\n{log.read_text()}")
        try:
            status, _ = get(port, "/bench/bare")
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise BenchError(f"gunicorn did not answer within {timeout}s:\n{log.read_text()}")


def stop(server: subprocess.Popen | None) -> None:
    if server is None or server.poll() is not None:
        return
    server.terminate()  # gunicorn: graceful shutdown of the workers
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=5)


def get(port: int, path: str) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection(HOST, port, timeout=5)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def warm_up(port: int, path: str, count: int = 20) -> None:
    for _ in range(count):
        status, _ = get(port, path)
        if status != 200:
            raise BenchError(f"GET {path} answered {status}")


# --- wrk -------------------------------------------------------------------------------------

UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def run_wrk(port: int, path: str, headers: dict, *, label: str) -> Result:
    command = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{DURATION}s", "--latency"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    command.append(f"http://{HOST}:{port}{path}")
    done = subprocess.run(command, capture_output=True, text=True, timeout=DURATION + 30)
    if done.returncode != 0:
        raise BenchError(f"wrk failed ({done.returncode}):\n{done.stdout}{done.stderr}")
    return parse_wrk(label, done.stdout)


def parse_wrk(path: str, output: str) -> Result:
    def latency(percent: str) -> float:
        match = re.search(rf"^\s*{percent}%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.M)
        if not match:
            raise BenchError(f"no {percent}% latency in wrk output:\n{output}")
        return float(match.group(1)) * UNITS_MS[match.group(2)]

    rate = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.M)
    if not rate:
        raise BenchError(f"no Requests/sec in wrk output:\n{output}")
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    error_count = int(errors.group(1)) if errors else 0
    if socket_errors:
        error_count += sum(int(n) for n in socket_errors.groups())
    return Result(
        path, float(rate.group(1)), latency("50"), latency("90"), latency("99"), error_count
    )


# --- pure-Python fallback ----------------------------------------------------------------------


def run_python(port: int, path: str, headers: dict, *, label: str) -> Result:
    latencies: list[list[float]] = [[] for _ in range(CONNECTIONS)]
    errors = [0] * CONNECTIONS
    stop_at = time.monotonic() + DURATION

    def client(index: int) -> None:
        connection = http.client.HTTPConnection(HOST, port, timeout=5)
        try:
            for _ in range(MAX_REQUESTS_PER_CONNECTION):
                if time.monotonic() >= stop_at:
                    break
                started = time.perf_counter()
                try:
                    connection.request("GET", path, headers=headers)
                    response = connection.getresponse()
                    response.read()
                except (OSError, http.client.HTTPException):
                    errors[index] += 1
                    connection.close()
                    continue
                latencies[index].append((time.perf_counter() - started) * 1000)
                if response.status != 200:
                    errors[index] += 1
        finally:
            connection.close()

    started = time.monotonic()
    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(CONNECTIONS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=DURATION + 10)
    elapsed = time.monotonic() - started
    samples = sorted(ms for per_thread in latencies for ms in per_thread)
    if not samples:
        raise BenchError(f"no successful request to {path}")

    def percentile(fraction: float) -> float:
        return samples[min(len(samples) - 1, int(fraction * len(samples)))]

    return Result(
        label,
        len(samples) / elapsed,
        percentile(0.50),
        percentile(0.90),
        percentile(0.99),
        sum(errors),
    )


# --- report ------------------------------------------------------------------------------------


def format_result(result: Result) -> str:
    line = (
        f"{result.path:<27} {result.requests_per_second:>9.1f} req/s   "
        f"p50 {result.p50_ms:7.2f} ms   p90 {result.p90_ms:7.2f} ms   "
        f"p99 {result.p99_ms:7.2f} ms"
    )
    if result.errors:
        line += f"   ({result.errors} errors)"
    return line


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


if __name__ == "__main__":
    sys.exit(main())
