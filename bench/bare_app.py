"""A bare Flask app for ``bench/pg.py``: one route that renders nothing and reads no database,
served under the same gunicorn settings as the real app. Its throughput is the ceiling pages
are compared with."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def bare():
    return "ok", 200, {"Content-Type": "text/plain; charset=utf-8"}
