"""``flask targets …`` commands."""

import sys
from datetime import date

import click
from flask.cli import AppGroup
from sqlalchemy import select

from planvoice.accounts.models import User
from planvoice.bureaus.queries import get_bureau
from planvoice.core.extensions import db
from planvoice.core.i18n import _
from planvoice.core.policy import Role
from planvoice.progress import queries, services
from planvoice.progress.forms import STATE_LABELS

targets_cli = AppGroup("targets", help="The plan's targets and their progress.")


@targets_cli.command("progress")
@click.argument("target_id", type=int)
@click.option("--value", required=True, help="The value reached, e.g. 3 or 2.5.")
@click.option("--date", "on", required=True, help="The day it was reached, YYYY-MM-DD.")
@click.option("--note", default="", help="The public note residents read.")
@click.option("--bureau", "bureau_code", help="Code of the bureau the entry speaks for.")
@click.option("--author", help="E-mail of the author; the first administrator by default.")
def progress_command(target_id, value, on, note, bureau_code, author):
    """Record progress on a target, e.g. 3 pocket parks of 10 by 1 June 2024:

    flask --app app targets progress 12 --value 3 --date 2024-06-01 --note "三个已建成"
    """
    try:
        entry, state = _record(target_id, value, on, note, bureau_code, author)
    except services.ProgressError as error:
        db.session.rollback()
        click.echo(_("Error: %(message)s Nothing was recorded.", message=str(error)), err=True)
        sys.exit(1)
    db.session.commit()
    click.echo(
        _(
            "Recorded entry #%(id)d on target %(target)d: %(value)s on %(date)s.",
            id=entry.id,
            target=entry.target_id,
            value=f"{entry.value.normalize():f}",
            date=entry.on.isoformat(),
        )
    )
    click.echo(_("The target is now: %(state)s.", state=STATE_LABELS[state]))


def _record(target_id, value, on, note, bureau_code, author_email):
    target = queries.get_target(target_id)
    if target is None:
        raise services.ProgressError(_("There is no target %(id)d.", id=target_id))
    try:
        day = date.fromisoformat(on)
    except ValueError:
        raise services.ProgressError(_("Give the date as YYYY-MM-DD.")) from None
    author = _author(author_email)
    bureau = get_bureau(bureau_code) if bureau_code else author.bureau
    if bureau_code and bureau is None:
        raise services.ProgressError(_("There is no bureau “%(code)s”.", code=bureau_code))
    tracking = queries.trackings_of([target.id]).get(target.id)
    # A clerk speaks for their own bureau only; an administrator for any, or none.
    own_bureau = author.bureau_id is None or bureau is None or bureau.id == author.bureau_id
    if not services.may_record(author, tracking) or not own_bureau:
        raise services.ProgressError(
            _("%(author)s may not record progress on this target.", author=author.login)
        )
    entry = services.record_progress(
        target, author=author, on=day, value=value, note=note, bureau=bureau
    )
    (item,) = queries.progress_of_targets([target], target.measure.plan)
    return entry, item.state


def _author(email: str | None) -> User:
    if email:
        author = db.session.scalar(select(User).where(User.email == email.strip().lower()))
        if author is None or author.is_deleted:
            raise services.ProgressError(_("There is no account %(email)s.", email=email))
        return author
    # Commands act for a person, as every audited step does: the first administrator.
    author = db.session.scalar(
        select(User)
        .where(User.role == Role.ADMIN, User.is_deleted.is_(False))
        .order_by(User.id)
        .limit(1)
    )
    if author is None:
        raise services.ProgressError(
            _("There is no administrator yet; create one or give --author.")
        )
    return author
