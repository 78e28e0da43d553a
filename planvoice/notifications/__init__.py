"""Notifications: the outbox of e-mails, the worker that sends them, and the receivers that
queue an e-mail when a step of a report calls for one."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Connect the receivers to their signals (``core.signals``). Blinker keeps one connection
    per receiver, so building several apps (as the tests do) connects each one once."""
    from planvoice.notifications.services import connect_receivers

    connect_receivers()
