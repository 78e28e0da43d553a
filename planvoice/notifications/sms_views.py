"""The STOP page for text messages."""

from flask import abort


def stop_texts():
    abort(404)  # being written (issue 17, item 5)
