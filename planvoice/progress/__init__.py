"""Progress on the plan's targets: who owns each one, its baseline, the entries its bureau
records (append-only), and the state derived from them (not started, on track, behind,
achieved, overdue)."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Connect the receiver that draws the targets' bars on measure pages
    (``core.signals.measure_page_opened``). Blinker keeps one connection per receiver, so
    building several apps (as the tests do) connects it once."""
    from planvoice.core import signals
    from planvoice.progress.views import measure_panel

    signals.measure_page_opened.connect(measure_panel)
