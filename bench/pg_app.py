"""The real app for ``bench/pg.py`` (never deployed): ``planvoice.create_app()`` as gunicorn
serves it, plus, only when ``BENCH_MEASURE_QUERIES=1``, a count and a timing of every SQL
statement each request runs, returned in response headers:

- ``X-Bench-Queries``: how many statements the request ran;
- ``X-Bench-Slowest-Ms``: the slowest one's time (cursor execute, client side), in ms;
- ``X-Bench-Slowest-Sql``: the first 200 characters of that statement, on one line.

The hooks are SQLAlchemy ``before/after_cursor_execute`` events on the app's engine and a WSGI
wrapper that resets the tally per request and adds the headers when the response starts (so
statements run by ``after_request`` hooks count too). Without the variable nothing is hooked:
the servers ``wrk`` loads run without it.
"""

import os
import threading
import time

from sqlalchemy import event

from planvoice import create_app
from planvoice.core.extensions import db

app = create_app()

SQL_HEADER_CHARS = 200


class _Tally(threading.local):
    def __init__(self):
        self.reset()

    def reset(self) -> None:
        self.count = 0
        self.slowest_ms = 0.0
        self.slowest_sql = ""
        self.started: list[float] = []


def _header_text(statement: str) -> str:
    line = " ".join(statement.split())[:SQL_HEADER_CHARS]
    return line.encode("ascii", "backslashreplace").decode("ascii")


def install_query_measurement(flask_app) -> None:
    tally = _Tally()
    with flask_app.app_context():
        engine = db.engine

    @event.listens_for(engine, "before_cursor_execute")
    def _before(conn, cursor, statement, parameters, context, executemany):
        tally.started.append(time.perf_counter())

    @event.listens_for(engine, "after_cursor_execute")
    def _after(conn, cursor, statement, parameters, context, executemany):
        started = tally.started.pop() if tally.started else time.perf_counter()
        elapsed_ms = (time.perf_counter() - started) * 1000
        tally.count += 1
        if elapsed_ms >= tally.slowest_ms:
            tally.slowest_ms = elapsed_ms
            tally.slowest_sql = statement

    inner = flask_app.wsgi_app

    def measured(environ, start_response):
        tally.reset()

        def start(status, headers, exc_info=None):
            headers = [
                *headers,
                ("X-Bench-Queries", str(tally.count)),
                ("X-Bench-Slowest-Ms", f"{tally.slowest_ms:.3f}"),
                ("X-Bench-Slowest-Sql", _header_text(tally.slowest_sql)),
            ]
            return start_response(status, headers, exc_info)

        return inner(environ, start)

    flask_app.wsgi_app = measured


if os.environ.get("BENCH_MEASURE_QUERIES") == "1":
    install_query_measurement(app)
