"""Daily and weekly digests: the news a person chose to hear less often, gathered into one
e-mail per person and period by the outbox worker.

A daily digest is due from ``DIGEST_HOUR`` in the district's time zone and holds what waited
before that hour; a weekly one is due from that hour on Monday. A ``Digest`` row per address
and period ("daily:2026-12-04", "weekly:2026-W49") makes sure a period is sent once, also if
the worker runs again or two workers race. An e-mail lists at most ``MAX_ITEMS`` items and
says how many more there are, with a link to the page that lists them all.
"""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import force_locale
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import func, select

from planvoice.core.db import insert_unless_taken, utcnow
from planvoice.core.extensions import db
from planvoice.core.i18n import _, ngettext
from planvoice.core.links import public_url
from planvoice.following.links import manage_url
from planvoice.notifications.delivery import FOLLOWING, OWN, accounts_by_email
from planvoice.notifications.models import Digest, DigestItem, Pace
from planvoice.notifications.outbox import queue_message
from planvoice.notifications.unsubscribing import unsubscribe_url

MAX_ITEMS = 20
_SALT = "planvoice-digest"


def due_periods(now: datetime) -> list[tuple[str, str, datetime]]:
    """The (pace, period, cut-off) of the digests due at ``now``: items that waited since
    before the cut-off (UTC) go into that period's digest."""
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    local = now.astimezone(zone)
    hour = time(current_app.config["DIGEST_HOUR"])
    today_cut = datetime.combine(local.date(), hour, tzinfo=zone)
    monday = local.date() - timedelta(days=local.weekday())
    week_cut = datetime.combine(monday, hour, tzinfo=zone)
    due = []
    if local >= today_cut:
        due.append((Pace.DAILY, f"daily:{local.date().isoformat()}", today_cut))
    if local >= week_cut:
        year, week, _day = monday.isocalendar()
        due.append((Pace.WEEKLY, f"weekly:{year}-W{week:02d}", week_cut))
    return due


def build_due_digests(*, now: datetime | None = None) -> int:
    """Queue every digest that is due and not yet sent; commit after each (the worker owns
    its transactions). Returns how many were queued."""
    now = now or utcnow()
    built = 0
    for pace, period, cut in due_periods(now):
        waiting = (
            select(DigestItem.address)
            .where(
                DigestItem.digest_id.is_(None),
                DigestItem.pace == pace,
                DigestItem.created_at < cut,
            )
            .group_by(DigestItem.address)
            .order_by(func.min(DigestItem.id))
        )
        for address in list(db.session.scalars(waiting)):
            if _build(address, pace=pace, period=period, cut=cut):
                built += 1
            db.session.commit()
    return built


def _build(address: str, *, pace: str, period: str, cut: datetime) -> bool:
    digest = Digest(address=address, period=period)
    if not insert_unless_taken(db.session, digest):
        return False  # this period's digest went out already: the rest waits for the next
    items = list(
        db.session.scalars(
            select(DigestItem)
            .where(
                DigestItem.address == address,
                DigestItem.digest_id.is_(None),
                DigestItem.pace == pace,
                DigestItem.created_at < cut,
            )
            .order_by(DigestItem.created_at, DigestItem.id)
        )
    )
    for item in items:
        item.digest_id = digest.id
    digest.item_count = len(items)
    language = items[-1].language
    kinds = {item.kind for item in items}
    with force_locale(language):
        subject, body = digest_message(digest, items, pace=pace)
    message = queue_message(
        recipient=address,
        subject=subject,
        body=body,
        language=language,
        dedupe_key=f"digest:{digest.id}",
        unsubscribe_url=unsubscribe_url(address, FOLLOWING if FOLLOWING in kinds else OWN),
    )
    digest.message_id = message.id if message is not None else None
    db.session.flush()
    return True


def digest_message(digest: Digest, items: list[DigestItem], *, pace: str) -> tuple[str, str]:
    """The subject and text of a digest (call inside ``force_locale``)."""
    count = len(items)
    if pace == Pace.DAILY:
        subject = ngettext(
            "PlanVoice today: %(num)d update", "PlanVoice today: %(num)d updates", count
        )
    else:
        subject = ngettext(
            "PlanVoice this week: %(num)d update", "PlanVoice this week: %(num)d updates", count
        )
    paragraphs = [[_("Hello,")], [_("Here is what happened to what you follow and took part in:")]]
    paragraphs += [[f"• {item.line}", item.link] for item in items[:MAX_ITEMS]]
    if count > MAX_ITEMS:
        paragraphs.append(
            [
                ngettext("And %(num)d more:", "And %(num)d more:", count - MAX_ITEMS),
                public_url(f"/digests/{digest_token(digest)}"),
            ]
        )
    # A person without an account manages what they follow through a signed page of theirs.
    has_account = bool(accounts_by_email([digest.address]))
    paragraphs.append(
        [
            _("Choose how often you hear from us, or stop, on the page of what you follow:"),
            public_url("/me/following") if has_account else manage_url(digest.address),
        ]
    )
    paragraphs.append(
        [_("PlanVoice"), _("This e-mail was sent automatically; replies are not read.")]
    )
    return subject, "\n\n".join("\n".join(lines) for lines in paragraphs)


def digest_token(digest: Digest) -> str:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=_SALT).dumps(digest.id)


def digest_for_token(token: str) -> Digest | None:
    try:
        digest_id = URLSafeSerializer(current_app.config["SECRET_KEY"], salt=_SALT).loads(token)
    except BadSignature:
        return None
    return db.session.get(Digest, digest_id) if isinstance(digest_id, int) else None


def items_of(digest: Digest) -> list[DigestItem]:
    return list(
        db.session.scalars(
            select(DigestItem)
            .where(DigestItem.digest_id == digest.id)
            .order_by(DigestItem.created_at, DigestItem.id)
        )
    )
