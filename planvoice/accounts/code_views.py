"""Signing in with a six-digit code sent by text message, for residents without e-mail."""

from flask import abort


def request_sign_in_code():
    abort(404)  # being written (issue 17, item 5)


def check_sign_in_code():
    abort(404)  # being written (issue 17, item 5)
