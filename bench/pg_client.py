"""The client side of ``bench/pg.py``: single GETs timed on the client, sign-in through the
real ``/login`` form, and ``wrk`` runs.

Single requests open a new connection each (no keep-alive: gunicorn's sync workers close the
connection after every response anyway, and ``wrk`` reconnects the same way), and every request
(``wrk``'s too) sends the same ``User-Agent``, so a signed-in session is read the same way.
"""

import http.client
import re
import statistics
import subprocess
import time
import urllib.parse
from dataclasses import dataclass

from load import Result, parse_wrk
from settings import HOST, BenchError
from submissions import Browser

USER_AGENT = "planvoice-bench-pg"
_CSRF_INPUT = re.compile(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"')


@dataclass
class WrkResult(Result):
    error_lines: str = ""  # wrk's own lines about failed requests, when any


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes
    ms: float


def request_headers(cookie: str | None) -> dict[str, str]:
    headers = {"User-Agent": USER_AGENT}
    if cookie:
        headers["Cookie"] = cookie
    return headers


def get(port: int, path: str, cookie: str | None = None) -> Reply:
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        started = time.perf_counter()
        connection.request("GET", path, headers=request_headers(cookie))
        response = connection.getresponse()
        body = response.read()
        elapsed = (time.perf_counter() - started) * 1000
        headers = {name.lower(): value for name, value in response.getheaders()}
        return Reply(response.status, headers, body, elapsed)
    finally:
        connection.close()


def median_ms(port: int, path: str, cookie: str | None, count: int = 20) -> float:
    """The median client-side time of ``count`` GETs one after the other."""
    return statistics.median(get(port, path, cookie).ms for _ in range(count))


def sign_in(port: int, login: str, password: str) -> str:
    """Sign in through the form (GET /login for the CSRF token, then POST); the Cookie header
    value that carries the signed-in session."""
    browser = Browser(port)
    try:
        ua = {"User-Agent": USER_AGENT}
        response, page = browser.request("GET", "/login", headers=ua)
        match = _CSRF_INPUT.search(page.decode(errors="replace"))
        if response.status != 200 or not match:
            raise BenchError(f"GET /login answered {response.status} without a csrf_token")
        body = urllib.parse.urlencode(
            {"csrf_token": match[1], "login": login, "password": password, "next": ""}
        ).encode()
        response, page = browser.request(
            "POST",
            "/login",
            body,
            {**ua, "Content-Type": "application/x-www-form-urlencoded"},
        )
        if response.status != 302 or "session" not in browser.cookies:
            raise BenchError(f"signing in as {login} answered {response.status}, not a redirect")
        return "; ".join(f"{name}={value}" for name, value in browser.cookies.items())
    finally:
        browser.close()


def run_wrk(
    port: int, path: str, cookie: str | None, *, connections: int, duration: int, label: str
) -> WrkResult:
    # --timeout 10s: wrk drops (and leaves out of its percentiles) answers slower than 2 s.
    command = ["wrk", f"-t{min(2, connections)}", f"-c{connections}", f"-d{duration}s"]
    command += ["--latency", "--timeout", "10s"]
    for name, value in request_headers(cookie).items():
        command += ["-H", f"{name}: {value}"]
    command.append(f"http://{HOST}:{port}{path}")
    done = subprocess.run(command, capture_output=True, text=True, timeout=duration + 30)
    if done.returncode != 0:
        raise BenchError(f"wrk failed ({done.returncode}):\n{done.stdout}{done.stderr}")
    parsed = parse_wrk(label, done.stdout)
    error_lines = "; ".join(
        " ".join(line.split())
        for line in done.stdout.splitlines()
        if "Non-2xx" in line or "Socket errors" in line
    )
    return WrkResult(**vars(parsed), error_lines=error_lines)
