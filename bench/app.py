"""The real app plus one bare route, for ``bench/run.py`` only (never deployed).

``/bench/bare`` goes through the same WSGI server, hooks and security headers as every page but
renders nothing and touches no database: the ceiling a page's throughput is measured against.
"""

from planvoice import create_app

app = create_app()


@app.get("/bench/bare")
def bare():
    return "ok", 200, {"Content-Type": "text/plain; charset=utf-8"}
