"""Telling a person of an event at the pace they chose: at once (a message in the outbox),
in their daily or weekly digest (a ``DigestItem``), or not at all.

Who is told is worked out first (``audience``), once per address, so a person who took part
in a subject several ways (commented three times, rated, follows it) hears of each event once.
"""

import hashlib
from typing import NamedTuple

from sqlalchemy import func, select

from planvoice.accounts.models import User
from planvoice.core.db import insert_or_existing
from planvoice.core.extensions import db
from planvoice.notifications.models import Address, DigestItem, Pace
from planvoice.notifications.outbox import queue_message
from planvoice.notifications.unsubscribing import unsubscribe_url

# What a piece of news is to the person: about their own report, or about what they follow
# or took part in. Each has its own pace.
OWN = "own"
FOLLOWING = "following"
DEFAULT_PACES = {OWN: Pace.IMMEDIATELY, FOLLOWING: Pace.DAILY}


class Recipient(NamedTuple):
    """One person to tell: where, in which language, at which pace, and the one-click link
    that stops news of this subject (None: the pace's own unsubscribe link)."""

    address: str
    language: str
    kind: str
    pace: str
    stop_url: str | None = None


class News(NamedTuple):
    """One event as each recipient reads it: the whole e-mail, and its line in a digest."""

    event_key: str
    subject: str
    body: str
    line: str
    link: str


def person_key(address: str) -> str:
    """A short, stable name for an address inside a dedupe key (keys are 120 characters)."""
    return hashlib.sha256(address.encode()).hexdigest()[:16]


def recipient(
    address: str,
    *,
    kind: str,
    user: User | None = None,
    language: str | None = None,
    stop_url: str | None = None,
) -> Recipient:
    """The recipient at ``address``, with the pace of an account that has it (``user``) or
    of the address itself for a person without an account."""
    address = address.strip().lower()
    if user is not None:
        pace = user.pace_own if kind == OWN else user.pace_following
        language = user.language or language
    else:
        row = db.session.scalar(select(Address).where(Address.address == address))
        pace = (row.pace_own if kind == OWN else row.pace_following) if row else None
        pace = pace or DEFAULT_PACES[kind]
        language = language or (row.language if row else None)
    return Recipient(address, language or "zh_Hans", kind, pace, stop_url)


def accounts_by_email(addresses) -> dict[str, User]:
    """The live accounts with a confirmed e-mail among ``addresses``, by lower-cased address:
    their pace and language apply to what is sent there."""
    wanted = {a.strip().lower() for a in addresses if a}
    if not wanted:
        return {}
    query = select(User).where(
        func.lower(User.email).in_(wanted),
        User.is_deleted.is_(False),
        User.email_confirmed_at.is_not(None),
    )
    return {user.email.lower(): user for user in db.session.scalars(query)}


def deliver(person: Recipient, news: News, *, dedupe_key: str | None = None) -> None:
    """Queue ``news`` for ``person`` at their pace; flush. Once per person and event: the
    outbox's ``dedupe_key`` (by default the event and the person) or the digest item's
    unique (address, event) pair make a second call a no-op."""
    if person.pace == Pace.OFF:
        return
    if person.pace == Pace.IMMEDIATELY:
        queue_message(
            recipient=person.address,
            subject=news.subject,
            body=news.body,
            language=person.language,
            dedupe_key=dedupe_key or f"{news.event_key}:{person_key(person.address)}",
            unsubscribe_url=person.stop_url or unsubscribe_url(person.address, person.kind),
        )
        return
    if _waiting_item(person.address, news.event_key) is not None:
        return
    item = DigestItem(
        address=person.address,
        language=person.language,
        kind=person.kind,
        pace=person.pace,
        event_key=news.event_key,
        line=news.line[:300],
        link=news.link[:500],
    )
    insert_or_existing(db.session, item, lambda: _waiting_item(person.address, news.event_key))


def _waiting_item(address: str, event_key: str) -> DigestItem | None:
    return db.session.scalar(
        select(DigestItem).where(DigestItem.address == address, DigestItem.event_key == event_key)
    )
