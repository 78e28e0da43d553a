"""The public scorecard: how each bureau and each street answers residents' reports, computed
from cases (one routing of a report to a bureau) that this domain keeps as the reports move,
and the monthly results it stores once a month is over."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Connect the receivers that keep the cases (``services.connect_receivers``); blinker
    keeps one connection per receiver, however many apps are built."""
    from planvoice.performance.services import connect_receivers

    connect_receivers()
