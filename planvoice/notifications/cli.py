"""``flask outbox …`` commands."""

import signal
import threading

import click
from flask.cli import AppGroup
from sqlalchemy.exc import SQLAlchemyError

from planvoice.core.extensions import db
from planvoice.notifications.digests import build_due_digests
from planvoice.notifications.outbox import SendSummary, send_due_messages
from planvoice.performance.services import close_month, mark_passed_limits
from planvoice.reports.drafts import sweep_draft_photos

outbox_cli = AppGroup("outbox", help="Send the e-mails waiting in the outbox.")

# Both finish the message being sent, then stop the loop.
_STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


@outbox_cli.command("run")
@click.option("--once", is_flag=True, help="Send everything that is due, then exit.")
@click.option(
    "--interval",
    type=click.FloatRange(min=0.1),
    default=5.0,
    show_default=True,
    help="Seconds to wait between rounds.",
)
@click.option(
    "--batch",
    type=click.IntRange(min=1),
    default=20,
    show_default=True,
    help="Messages per round (and per SMTP connection).",
)
def run_command(once: bool, interval: float, batch: int) -> None:
    """Send due e-mails (over SMTP) and texts, retrying failures with growing pauses; each
    round first queues the daily and weekly digests that are due.

    flask --app app outbox run --once   (e.g. from cron), or without --once as a service that
    stops cleanly on Ctrl-C or SIGTERM, once the round it is sending is done.
    """
    if once:
        build_due_digests()
        click.echo(describe_summary(drain(batch)))
        keep_house()
        return
    stop = threading.Event()
    previous = {sig: signal.signal(sig, lambda *_: stop.set()) for sig in _STOP_SIGNALS}
    try:
        while not stop.is_set():
            try:
                build_due_digests()
                summary = drain(batch, stop=stop)
                keep_house()
            except SQLAlchemyError as error:
                # The database may be restarting: keep the worker alive and try again.
                db.session.rollback()
                click.echo(f"Outbox round failed: {error}", err=True)
            else:
                if any(summary):
                    click.echo(describe_summary(summary))
            db.session.remove()
            stop.wait(interval)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    click.echo("Outbox worker stopped.")


def drain(batch: int, *, stop: threading.Event | None = None) -> SendSummary:
    """Send rounds of ``batch`` until one comes back short: nothing more is due right now."""
    total = SendSummary(0, 0, 0)
    while stop is None or not stop.is_set():
        summary = send_due_messages(batch=batch)
        total = SendSummary(*(a + b for a, b in zip(total, summary, strict=True)))
        if sum(summary) < batch:
            break
    return total


def keep_house() -> int:
    """The worker's housekeeping on each round: photos kept for report forms never sent are
    removed once a day old (``reports.drafts.sweep_draft_photos``); the time limits the clock
    has passed are counted in the scorecard, and last month's scorecard is stored once this
    month's first working day has begun (``performance.services``)."""
    removed = sweep_draft_photos()
    mark_passed_limits()
    close_month()
    db.session.commit()
    return removed


def describe_summary(summary: SendSummary) -> str:
    return f"Sent {summary.sent}, retrying {summary.retried}, failed {summary.failed}."
