"""``flask performance …``: close a month of the scorecard, correct one, rebuild the cases."""

import click
from flask.cli import AppGroup
from sqlalchemy import select

from planvoice.accounts.models import User
from planvoice.core import policy
from planvoice.core.extensions import db
from planvoice.performance import counts, queries, services, windows

performance_cli = AppGroup("performance", help="The scorecard's cases and stored months.")


def _month(_ctx, _param, value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return windows.month_window(value).month
    except ValueError:
        raise click.BadParameter("give the month as YYYY-MM, e.g. 2026-11") from None


@performance_cli.command("close-month")
@click.option("--month", callback=_month, help="YYYY-MM; default: last month, when due.")
@click.option("--since", callback=_month, help="YYYY-MM: every ended month from this one.")
def close_month_command(month: str | None, since: str | None) -> None:
    """Store a month's results for every bureau and street. Safe to run twice: a month
    already stored is never computed again. Without --month, last month once the first
    working day of this month has begun (the outbox worker does this on its own); --since
    stores every month that has ended since then (for a district that starts mid-plan)."""
    if month and since:
        raise click.UsageError("give --month or --since, not both")
    months = windows.ended_months(since) if since else [month]
    try:
        stored = [m for m in months if services.close_month(m)]
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    db.session.commit()
    if stored:
        click.echo(f"Stored {', '.join(m or 'last month' for m in stored)}.")
    else:
        click.echo("Nothing to store: that month is stored already, or not due yet.")


@performance_cli.command("correct-month")
@click.option("--month", callback=_month, required=True, help="YYYY-MM, a stored month.")
@click.option("--reason", required=True, help="Why the month is computed again (public).")
@click.option("--admin", "admin_email", required=True, help="E-mail of the administrator.")
@click.option("--group", type=click.Choice(queries.GROUPS), help="Only bureaus or streets.")
@click.option("--code", help="Only this bureau's or street's code.")
def correct_month_command(month, reason, admin_email, group, code) -> None:
    """Compute a stored month again and keep each changed row as a new version with the
    reason; earlier versions stay, and the change is in the audit log."""
    admin = db.session.scalar(select(User).where(User.email == admin_email.strip().lower()))
    if admin is None or not policy.can_administer(admin):
        raise click.ClickException(f"{admin_email} is not an administrator.")
    try:
        written = services.correct_month(month, admin=admin, reason=reason, group=group, code=code)
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"{len(written)} rows of {month} corrected.")


@performance_cli.command("rebuild-cases")
def rebuild_cases_command() -> None:
    """Write every case again from the reports' timelines, and the monthly counts."""
    count = services.rebuild_cases()
    db.session.commit()
    click.echo(f"{count} cases written.")


@performance_cli.command("rebuild-counts")
def rebuild_counts_command() -> None:
    """Write the monthly counts again from the cases (after a bulk load of cases)."""
    rows = counts.rebuild_counts(windows.month_of)
    services.mark_passed_limits()
    db.session.commit()
    click.echo(f"{rows} monthly rows written.")


@performance_cli.command("check-limits")
def check_limits_command() -> None:
    """Count the time limits the clock has passed with nothing done (the outbox worker does
    this on every round; run it from cron where no worker runs)."""
    changed = services.mark_passed_limits()
    db.session.commit()
    click.echo(f"{changed} cases passed a time limit.")
