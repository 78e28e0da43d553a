"""The gunicorn servers ``bench/pg.py`` runs, all on loopback, each in its own process group:

- ``measure``: the real app with the query hooks (``BENCH_MEASURE_QUERIES=1``), page cache
  off: one request per page, for its status, query count and slowest query;
- ``plain``: the real app without hooks, page cache off (``NullCache``): single requests and
  ``wrk``;
- ``cached``: the real app with the page cache on (``SimpleCache``, its default timeout);
- ``bare``: ``bench/bare_app.py``, the ceiling.

Every one: ``gunicorn --workers 2`` (sync workers, as ``make bench``), rate limits off, the
fixtures' ``DATABASE_URL``, a fixed throwaway ``SECRET_KEY`` (so one sign-in's cookie is good on
every server), ``UPLOAD_FOLDER`` in a temporary directory, ``PLANVOICE_ENV=development``.
"""

import http.client
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from server import free_port, start_gunicorn, stop
from settings import HOST, BenchError, app_env


@dataclass
class Server:
    name: str
    port: int
    process: subprocess.Popen
    log: Path
    ready_path: str


def server_env(database_url: str, workdir: Path, *, cache: str, measure: bool) -> dict:
    env = app_env(
        database_url,
        UPLOAD_FOLDER=str(workdir / "uploads"),
        PLANVOICE_ENV="development",
        FLASK_CACHE_TYPE=cache,
    )
    env.pop("BENCH_MEASURE_QUERIES", None)
    if measure:
        env["BENCH_MEASURE_QUERIES"] = "1"
    return env


def start(name: str, module: str, env: dict, workdir: Path, ready_path: str) -> Server:
    port = free_port()
    log = workdir / f"gunicorn-{name}.log"
    process = start_gunicorn(env, port, log, module=module)
    return Server(name, port, process, log, ready_path)


def wait_until_ready(server: Server, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise BenchError(
                f"gunicorn ({server.name}) exited with {server.process.returncode}:\n"
                f"{server.log.read_text()}"
            )
        try:
            connection = http.client.HTTPConnection(HOST, server.port, timeout=5)
            try:
                connection.request("GET", server.ready_path)
                response = connection.getresponse()
                response.read()
            finally:
                connection.close()
            if response.status == 200:
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise BenchError(
        f"gunicorn ({server.name}) did not answer within {timeout}s:\n{server.log.read_text()}"
    )


def start_all(database_url: str, workdir: Path) -> dict[str, Server]:
    """The four servers, started together and awaited; stopped by ``stop_all``."""
    servers: dict[str, Server] = {}
    try:
        for name, module, cache, measure, ready in (
            ("measure", "bench.pg_app:app", "NullCache", True, "/healthz"),
            ("plain", "bench.pg_app:app", "NullCache", False, "/healthz"),
            ("cached", "bench.pg_app:app", "SimpleCache", False, "/healthz"),
            ("bare", "bench.bare_app:app", "NullCache", False, "/"),
        ):
            env = server_env(database_url, workdir, cache=cache, measure=measure)
            servers[name] = start(name, module, env, workdir, ready)
        for server in servers.values():
            wait_until_ready(server)
    except BaseException:
        stop_all(servers)
        raise
    return servers


def stop_all(servers: dict[str, Server]) -> None:
    for server in servers.values():
        stop(server.process)
