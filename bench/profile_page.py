"""Where one page spends its time, in-process, on the ``make bench-pg`` database.

    .venv/bin/python bench/profile_page.py /moderation --as moderator
    .venv/bin/python bench/profile_page.py /measures/15 --requests 20

Builds the app on ``planvoice_bench`` (``pg_data.ensure_database``: made once, then reused)
with the page cache and rate limits off, signs in through the real form when ``--as`` names one
of the fixtures' logins (resident, moderator, bureau, admin), requests the page once to warm
it, then ``--requests`` more times under pyinstrument, and prints the call tree: the view,
its queries and its templates, with the time each took. Nothing is written.
"""

import argparse
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pg_data import ensure_database  # noqa: E402 -- bench scripts import their neighbours
from pyinstrument import Profiler  # noqa: E402

from planvoice import create_app  # noqa: E402

CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", help="the page, e.g. /measures/15")
    parser.add_argument("--as", dest="who", choices=("resident", "moderator", "bureau", "admin"))
    parser.add_argument("--requests", type=int, default=10)
    args = parser.parse_args()

    fixtures = ensure_database()
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": fixtures["url"],
            "CACHE_TYPE": "NullCache",
            "CACHE_NO_NULL_WARNING": True,
            "RATELIMIT_ENABLED": False,
            "SECRET_KEY": "bench-profile-not-for-production",
        }
    )
    client = app.test_client()
    if args.who:
        login, password = fixtures["logins"][args.who]
        token = CSRF_RE.search(client.get("/login").text)[1]
        form = {"login": login, "password": password, "csrf_token": token}
        if client.post("/login", data=form).status_code != 302:
            print(f"could not sign in as {login}", file=sys.stderr)
            return 1
    first = client.get(args.path)
    if first.status_code >= 400:
        print(f"{args.path} answered {first.status_code}", file=sys.stderr)
        return 1
    profiler = Profiler(interval=0.0005)
    profiler.start()
    for _ in range(args.requests):
        client.get(args.path)
    profiler.stop()
    print(profiler.output_text(unicode=True, color=sys.stdout.isatty()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
