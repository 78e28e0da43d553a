"""Ids read from URLs: whole numbers the database's id columns can hold.

Python's ``int`` reads any length, and a number past the column's range then fails in the
database (past 2**31 - 1 on PostgreSQL, whose ``INTEGER`` keys are 32-bit; past 2**63 - 1 on
SQLite already when it is bound): a 500 for a typo. ``parse_id`` reads a query parameter
(``request.args.get("before", type=parse_id)`` gives None for anything else) and
``IdConverter`` replaces Werkzeug's ``int`` so every ``<int:…>`` route is a 404 past ``MAX_ID``.
"""

import re

from flask import Flask
from werkzeug.routing import IntegerConverter

# The smaller of the two: PostgreSQL's INTEGER. Raise it if the keys become BIGINT.
MAX_ID = 2**31 - 1
# Plain ASCII digits without a sign, spaces or leading zeros: "+1", " 1", "1.0", "01" and
# "١" are not ids, whatever ``int`` makes of them.
_ID_RE = re.compile(r"[1-9][0-9]{0,9}")


def parse_id(text: str) -> int:
    """``text`` as an id from 1 to ``MAX_ID``; ``ValueError`` for anything else."""
    if not isinstance(text, str) or not _ID_RE.fullmatch(text) or int(text) > MAX_ID:
        raise ValueError(f"not an id: {text!r}")
    return int(text)


class IdConverter(IntegerConverter):
    """``<int:…>`` with ids' bounds: 0 to ``MAX_ID`` unless the rule gives its own."""

    def __init__(self, map, fixed_digits=0, min=0, max=MAX_ID, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def init_app(app: Flask) -> None:
    # Rules pick their converter when they are added: this must run before any blueprint.
    if app.blueprints:
        raise RuntimeError("register the id converter before the blueprints")
    app.url_map.converters["int"] = IdConverter
