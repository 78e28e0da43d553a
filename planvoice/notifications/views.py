"""A person's paces, and the one-click unsubscribe address in every message."""

from flask import abort


def save_pace():
    abort(404)  # being written (issue 17, item 2)


def unsubscribe(token: str):
    abort(404)  # being written (issue 17, item 6)
