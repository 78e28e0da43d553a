"""``make bench``: throughput and latency of the public pages under gunicorn, against a ceiling.

Steps, all on loopback and in a temporary directory that is removed afterwards (also on Ctrl-C):

1. a fresh SQLite database: ``flask --app app db upgrade``, ``flask --app app plan import``
   (the bundled plan) and ``flask --app app demo load --no-accounts`` (areas, bureaus, report
   categories), through ``DATABASE_URL`` with a fixed ``SECRET_KEY``; then, straight through
   sqlite3, 500 published comments on one measure and 100,000 public reports (mostly
   ``published``, some routed, accepted, in progress or resolved; spread over the categories,
   the areas and the district's box);
2. ``gunicorn --workers 2`` serving ``bench.app:app`` (the real app plus a bare ``/bench/bare``
   route that renders nothing and reads no database) on a free port, with rate limiting off
   (``FLASK_RATELIMIT_ENABLED=false``) and photos stored under the temporary directory;
3. a bounded load on the plan home ``/``, one measure page, the report listing ``/reports``
   (first page, one category, and a page in the middle through ``?before=``) and the bare
   route, with ``wrk`` (``wrk -t2 -c8 -d5s --latency``) when it is on PATH, else a small
   keep-alive client in pure Python (8 threads, 5 s and at most 50,000 requests each); pages
   the app micro-caches are loaded twice, the second time as a guest who has taken part (the
   app renders their pages afresh: "uncached");
4. 20 report submissions one after the other, each as a browser sends it: ``GET /reports/new``
   (the session cookie, CSRF token and one-time submission token), then ``POST /reports/new``
   (multipart) with one JPEG photo of about 3 MB (4000×3000) that the app decodes, shrinks and
   stores; the time of each POST is taken on the client;
5. requests/s and latency p50/p90/p99 for each loaded URL, the submissions' median and p90,
   then the budget: the measure page must reach at least half the bare route's throughput.
   Prints "BUDGET MET" or "BUDGET MISSED"; exits 0 either way (non-zero only when the
   benchmark itself cannot run).

Options through the environment: ``BENCH_DURATION`` (seconds per URL, default 5),
``BENCH_CONNECTIONS`` (default 8), ``BENCH_FORCE_PYTHON=1`` to skip wrk.
"""

import http.client
import io
import os
import random
import re
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from http.cookies import SimpleCookie
from pathlib import Path

from PIL import Image

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
        log = workdir / "gunicorn.log"
        measure_path = f"/measures/{pick_measure(workdir / 'bench.db')}"
        busy_path = f"/measures/{add_published_comments(workdir / 'bench.db')}"
        middle_report = add_public_reports(workdir / "bench.db")
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
        runs.append(("/bench/bare", "/bench/bare", {}))
        width = max(len(label) for label, _path, _headers in runs)
        use_wrk = shutil.which("wrk") and os.environ.get("BENCH_FORCE_PYTHON") != "1"
        tool = "wrk" if use_wrk else "python http.client"
        print(
            f"gunicorn {WORKERS} workers on {HOST}:{port}; load: {tool}, "
            f"{CONNECTIONS} connections, {DURATION}s per URL; "
            f"{BUSY_COMMENTS} comments on {busy_path}, {REPORTS:,} public reports\n"
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
    for args in (["db", "upgrade"], ["plan", "import"], ["demo", "load", "--no-accounts"]):
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


REPORTS = 100_000
# Public statuses a listed report may have, and how often each is drawn.
REPORT_STATUSES = {"published": 60, "routed": 10, "accepted": 10, "in_progress": 10, "resolved": 10}
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTWXYZ"  # as planvoice.reports.places
DISTRICT_BOX = (43.80, 125.35, 43.95, 125.60)  # south, west, north, east
SQLITE_TIME = "%Y-%m-%d %H:%M:%S.%f"  # how SQLAlchemy stores a DateTime on SQLite (UTC here)


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


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def start_gunicorn(env: dict, port: int, log: Path) -> subprocess.Popen:
    # The submissions below would soon hit the per-client and per-guest limits.
    env = {**env, "FLASK_RATELIMIT_ENABLED": "false"}
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
    return Result(
        label,
        len(samples) / elapsed,
        percentile(samples, 0.50),
        percentile(samples, 0.90),
        percentile(samples, 0.99),
        sum(errors),
    )


def percentile(sorted_samples: list[float], fraction: float) -> float:
    return sorted_samples[min(len(sorted_samples) - 1, int(fraction * len(sorted_samples)))]


# --- report submissions ------------------------------------------------------------------------

SUBMISSIONS = 20
SUBMISSION_LABEL = "report submission, one 3 MB photo (median server time)"
PHOTO_SIZE = (4000, 3000)
PHOTO_BYTES = (2_500_000, 3_500_000)
_HIDDEN_INPUT = '<input[^>]*name="{}"[^>]*value="([^"]+)"'


def make_photo() -> bytes:
    """A 4000×3000 JPEG of about 3 MB: smooth noise (a camera photo's detail, roughly), saved
    at the highest quality that stays near 3 MB."""
    rng = random.Random(3)
    grain = (800, 600)
    noise = Image.frombytes("RGB", grain, rng.randbytes(grain[0] * grain[1] * 3))
    image = noise.resize(PHOTO_SIZE, Image.Resampling.BICUBIC)
    for quality in range(90, 40, -5):
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=quality)
        if buffer.tell() <= 3_200_000:
            break
    data = buffer.getvalue()
    if not PHOTO_BYTES[0] <= len(data) <= PHOTO_BYTES[1]:
        raise BenchError(f"the test photo is {len(data):,} bytes, not about 3 MB")
    return data


def multipart(fields: dict[str, str], files: list[tuple[str, str, str, bytes]]) -> tuple:
    """A multipart/form-data body and its content type; ``files`` are (field, file name,
    content type, bytes)."""
    boundary = f"----planvoice-bench-{random.getrandbits(64):016x}"
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
            + value.encode()
            + b"\r\n"
        )
    for name, filename, content_type, data in files:
        head = (
            f"--{boundary}\r\n"
            f'Content-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            f"Content-Type: {content_type}\r\n\r\n"
        )
        parts.append(head.encode() + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


class Browser:
    """A connection and a cookie jar, enough to fill in a form. (gunicorn's sync workers close
    the connection after each response; http.client then opens a new one by itself.)"""

    def __init__(self, port: int):
        self.connection = http.client.HTTPConnection(HOST, port, timeout=60)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: bytes | None = None, headers=None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        response_body = response.read()
        for header in response.headers.get_all("Set-Cookie") or ():
            for name, morsel in SimpleCookie(header).items():
                if morsel.value and morsel["max-age"] != "0":
                    self.cookies[name] = morsel.value
                else:
                    self.cookies.pop(name, None)
        return response, response_body

    def close(self) -> None:
        self.connection.close()


def submit_reports(port: int, log: Path, database: Path, count: int = SUBMISSIONS) -> list[float]:
    """File ``count`` reports through the form, one after the other; the POSTs' times in ms.
    Each must be answered with a redirect to its page and have its photo stored."""
    photo = make_photo()
    browser = Browser(port)
    timings = []
    try:
        for n in range(count):
            response, page = browser.request("GET", "/reports/new")
            if response.status != 200:
                raise BenchError(f"GET /reports/new answered {response.status}")
            html = page.decode()
            fields = {
                name: match[1]
                for name in ("csrf_token", "submission_token")
                if (match := re.search(_HIDDEN_INPUT.format(name), html))
            }
            if len(fields) != 2:
                raise BenchError("no csrf_token or submission_token on /reports/new")
            fields |= {
                "category": "bare_ground",
                "description": f"第{n}次测试:工地旁边的空地没有覆盖,刮风时尘土很大。",
                "area": "dongsheng",
                "lat": "43.87",
                "lng": "125.37",
            }
            body, content_type = multipart(fields, [("photos", "photo.jpg", "image/jpeg", photo)])
            started = time.perf_counter()
            response, page = browser.request(
                "POST", "/reports/new", body, {"Content-Type": content_type}
            )
            timings.append((time.perf_counter() - started) * 1000)
            location = response.getheader("Location") or ""
            if response.status != 302 or not re.search(r"/reports/EDQ-", location):
                raise BenchError(
                    f"POST /reports/new answered {response.status} {location}\n"
                    f"{page.decode(errors='replace')[:2000]}\n{log.read_text()[-4000:]}"
                )
    finally:
        browser.close()
    with sqlite3.connect(database) as connection:
        (stored,) = connection.execute("SELECT count(*) FROM report_photos").fetchone()
    connection.close()
    if stored != count:
        raise BenchError(f"{count} reports sent with a photo each, but {stored} photos stored")
    return timings


# --- report ------------------------------------------------------------------------------------


def format_result(result: Result, width: int = 27) -> str:
    line = (
        f"{result.path:<{width}} {result.requests_per_second:>9.1f} req/s   "
        f"p50 {result.p50_ms:7.2f} ms   p90 {result.p90_ms:7.2f} ms   "
        f"p99 {result.p99_ms:7.2f} ms"
    )
    if result.errors:
        line += f"   ({result.errors} errors)"
    return line


def format_submissions(timings: list[float]) -> str:
    samples = sorted(timings)
    return (
        f"\n{SUBMISSION_LABEL}: {len(samples)} posts   "
        f"median {statistics.median(samples):7.2f} ms   p90 {percentile(samples, 0.90):7.2f} ms"
    )


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
