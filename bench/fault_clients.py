"""The fault drill's clients (``bench/faults.py``): each a thread and a browser of its own,
writing comments and reports in turn, every text with a unique marker, and sending a write again
with the same tokens and cookies until it is acknowledged (2xx/3xx), as a browser's retry would.
What each saw is kept in its ``Tally``."""

import itertools
import re
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlencode

from settings import BenchError
from submissions import Browser, multipart

MAX_WRITES_PER_CLIENT = 300
REQUEST_TIMEOUT = 10
_HIDDEN_INPUT = '<input[^>]*name="{}"[^>]*value="([^"]+)"'


@dataclass
class Tally:
    """What the clients saw; one per client, summed at the end."""

    sent: Counter = field(default_factory=Counter)  # per kind of write
    acknowledged: set = field(default_factory=set)  # markers
    unacknowledged: set = field(default_factory=set)
    refused: Counter = field(default_factory=Counter)  # 4xx answers, per status
    server_errors: list = field(default_factory=list)  # when each 5xx came (monotonic)
    connection_errors: int = 0  # no answer: refused, reset, timed out
    retries: int = 0
    retried: int = 0  # writes acknowledged only on a second or later try
    resubmitted: int = 0  # acknowledged writes sent again on purpose, with the same tokens


class Client(threading.Thread):
    """One resident's browser writing comments and reports in turn until ``stop_writing``."""

    def __init__(self, number: int, port: int, measure_id: int, run: str, stop_writing, give_up):
        super().__init__(name=f"client-{number}", daemon=True)
        self.browser = Browser(port, timeout=REQUEST_TIMEOUT, fresh=True)
        self.number, self.measure_id, self.run_id = number, measure_id, run
        self.stop_writing, self.give_up = stop_writing, give_up
        self.tally = Tally()

    def run(self) -> None:
        for n in range(MAX_WRITES_PER_CLIENT):
            if self.stop_writing.is_set():
                return
            marker = f"FD{self.run_id}-{self.number}-{n:04d}"
            try:
                kind, form = (
                    ("report", self.report_form) if n % 2 else ("comment", self.comment_form)
                )
                request = form(marker)
                self.tally.sent[kind] += 1
                self.write(kind, marker, *request)
                if n % 10 in (0, 9):  # a double click: the same form sent again, once
                    self.tally.resubmitted += 1
                    self.write(kind, marker, *request)
            except BenchError as error:  # out of time before the form came back
                print(error, file=sys.stderr)
                return
            time.sleep(0.05)

    def comment_form(self, marker: str) -> tuple[str, bytes, dict]:
        path = f"/measures/{self.measure_id}"
        fields = self.tokens(path)
        fields |= {"body": f"故障演练意见 {marker}:希望路灯按时修好。", "nickname": "演练居民"}
        body = urlencode(fields).encode()
        return f"{path}/comments", body, {"Content-Type": "application/x-www-form-urlencoded"}

    def report_form(self, marker: str) -> tuple[str, bytes, dict]:
        fields = self.tokens("/reports/new") | {
            "category": "bare_ground",
            "description": f"故障演练报告 {marker}:工地旁边的空地没有覆盖,刮风时尘土很大。",
            "area": "dongsheng",
            "lat": "43.87",
            "lng": "125.37",
        }
        body, content_type = multipart(fields, [])
        return "/reports/new", body, {"Content-Type": content_type}

    def tokens(self, path: str) -> dict[str, str]:
        """The CSRF and submission tokens of the form on ``path``, asked until it answers."""
        while not self.give_up.is_set():
            try:
                response, page = self.browser.request("GET", path)
                status = response.status
            except OSError:
                self.tally.connection_errors += 1
            else:
                html = page.decode(errors="replace")
                found = {
                    name: match[1]
                    for name in ("csrf_token", "submission_token")
                    if (match := re.search(_HIDDEN_INPUT.format(name), html))
                }
                if status == 200 and len(found) == 2:
                    return found
                if status >= 500:
                    self.tally.server_errors.append(time.monotonic())
            time.sleep(0.2)
        raise BenchError(f"{self.name}: {path} never answered with a form")

    def write(self, kind: str, marker: str, path: str, body: bytes, headers: dict) -> None:
        """POST until acknowledged (2xx/3xx), refused (4xx) or out of time; same tokens."""
        for attempt in itertools.count():
            if self.give_up.is_set():
                break
            if attempt:
                self.tally.retries += 1
                time.sleep(0.2)
            try:
                response, _page = self.browser.request("POST", path, body, headers)
                status = response.status
            except OSError:  # refused, reset, timed out: no answer
                self.tally.connection_errors += 1
                continue
            if status >= 500:
                self.tally.server_errors.append(time.monotonic())
                continue
            if status >= 400:
                self.tally.refused[status] += 1
                return
            self.tally.acknowledged.add(marker)
            self.tally.retried += attempt > 0
            return
        self.tally.unacknowledged.add(marker)
