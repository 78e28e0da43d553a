"""``flask reports sweep-drafts``: remove photos of report forms that were never sent."""

import click
from flask.cli import AppGroup

from planvoice.core.extensions import db
from planvoice.reports import drafts

reports_cli = AppGroup("reports", help="Residents' reports.")


@reports_cli.command("sweep-drafts")
def sweep_drafts() -> None:
    """Remove the photos kept for report forms that were not sent within a day (the outbox
    worker does this too on each round)."""
    removed = drafts.sweep_draft_photos()
    db.session.commit()
    click.echo(f"Removed {removed} photo(s) of forms never sent.")
