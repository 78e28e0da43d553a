"""Report submissions, one after the other, each as a browser sends it: ``GET /reports/new``
(the session cookie, CSRF token and one-time submission token), then ``POST /reports/new``
(multipart) with one JPEG photo of about 3 MB (4000×3000) that the app decodes, shrinks and
stores; the time of each POST is taken on the client, and the photos stored are counted."""

import http.client
import io
import random
import re
import sqlite3
import statistics
import time
from http.cookies import SimpleCookie
from pathlib import Path

from load import percentile
from PIL import Image
from settings import HOST, BenchError

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
    the connection after each response; http.client then opens a new one by itself.) With
    ``fresh``, every request has a connection of its own: the fault drill's server may die
    between two requests."""

    def __init__(self, port: int, *, timeout: float = 60, fresh: bool = False):
        self.port, self.timeout, self.fresh = port, timeout, fresh
        self.connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: bytes | None = None, headers=None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if self.fresh:
            self.connection.close()
            self.connection = http.client.HTTPConnection(HOST, self.port, timeout=self.timeout)
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            response_body = response.read()
        finally:
            if self.fresh:
                self.connection.close()
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


def format_submissions(timings: list[float]) -> str:
    samples = sorted(timings)
    return (
        f"\n{SUBMISSION_LABEL}: {len(samples)} posts   "
        f"median {statistics.median(samples):7.2f} ms   p90 {percentile(samples, 0.90):7.2f} ms"
    )
