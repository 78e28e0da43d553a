"""gunicorn for the benchmark: a free loopback port, the server started in its own process
group, a wait until it answers, an orderly stop, and a plain GET.

``gunicorn --workers 2`` serves ``bench.app:app`` (the real app plus a bare ``/bench/bare``
route that renders nothing and reads no database) from the repository root, with rate
limiting off (``FLASK_RATELIMIT_ENABLED=false``) and photos stored under the temporary
directory (``UPLOAD_FOLDER`` in the environment the database step returns).
"""

import http.client
import os
import signal
import socket
import subprocess
import time
from pathlib import Path

from settings import BIN, HOST, ROOT, BenchError

WORKERS = 2


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def start_gunicorn(
    env: dict, port: int, log: Path, *, module: str = "bench.app:app"
) -> subprocess.Popen:
    """``gunicorn --workers 2`` serving ``module`` on ``port``, rate limits off, in its own
    process group, its output in ``log``."""
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
                module,
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
