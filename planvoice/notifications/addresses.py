"""The addresses the outbox writes to (e-mail addresses and mobile numbers) and what it knows
of them: failed attempts in a row, and whether an address stopped being used.

An address stops after ``MAX_ADDRESS_FAILURES`` attempts in a row that it refused (reason
"failures"), or when its owner replies STOP to a text or asks on the STOP page (reason
"stop"). ``queue_message`` queues nothing for a stopped address, and the worker sends nothing
more to it. A changed or newly confirmed address starts again (``restart``).
"""

from flask import current_app
from sqlalchemy import select

from planvoice.core.audit import record_event
from planvoice.core.db import insert_or_existing, utcnow
from planvoice.core.extensions import db
from planvoice.core.identity import normalise_login
from planvoice.notifications.models import Address, Channel


def normalise(address: str) -> str:
    """The form an address is stored in: an e-mail address lower-cased, a mobile number bare
    (11 digits, without +86 or separators); anything else stripped and lower-cased."""
    kind_value = normalise_login(address)
    return kind_value[1] if kind_value else (address or "").strip().lower()


def channel_of(address: str) -> str:
    """ "sms" for a mobile number, else "email"."""
    kind_value = normalise_login(address)
    return Channel.SMS if kind_value and kind_value[0] == "phone" else Channel.EMAIL


def find_address(address: str) -> Address | None:
    return db.session.scalar(select(Address).where(Address.address == normalise(address)))


def address_row(address: str) -> Address:
    """The row of ``address``, created (and flushed) if it has none yet."""
    if (row := find_address(address)) is not None:
        return row
    value = normalise(address)
    row = Address(address=value, channel=channel_of(value), failures=0)
    # A concurrent worker or request may create it first: then that row is the one.
    return insert_or_existing(db.session, row, lambda: find_address(value))


def is_usable(address: str) -> bool:
    """False when the address stopped being used (too many failures, or STOP)."""
    row = find_address(address)
    return row is None or row.stopped_at is None


def record_failure(address: str) -> Address:
    """Count an attempt the address refused; at ``MAX_ADDRESS_FAILURES`` in a row it stops
    (reason "failures"). Flushes."""
    row = address_row(address)
    row.failures += 1
    if row.stopped_at is None and row.failures >= current_app.config["MAX_ADDRESS_FAILURES"]:
        _stop(row, "failures")
    db.session.flush()
    return row


def record_delivery(address: str) -> None:
    """A delivery: the failures in a row start from zero again. Flushes. (An address that
    never failed keeps no row for it.)"""
    row = find_address(address)
    if row is not None and row.failures:
        row.failures = 0
        db.session.flush()


def stop(address: str, reason: str) -> Address:
    """Stop writing to ``address`` (``reason``: "failures" or "stop"); flushes. Stopping a
    stopped address keeps its first reason."""
    if reason not in ("failures", "stop"):
        raise ValueError(f"unknown stop reason {reason!r}")
    row = address_row(address)
    if row.stopped_at is None:
        _stop(row, reason)
        db.session.flush()
    return row


def _stop(row: Address, reason: str) -> None:
    row.stopped_at = utcnow()
    row.stop_reason = reason
    record_event("address.stop", row, after={"reason": reason, "failures": row.failures})


def restart(address: str) -> None:
    """Use ``address`` again (its owner changed or confirmed it): failures from zero, not
    stopped. Flushes."""
    row = find_address(address)
    if row is not None:
        row.failures = 0
        row.stopped_at = None
        row.stop_reason = None
        db.session.flush()


def stopped_addresses_of(user) -> list[Address]:
    """The rows of ``user``'s e-mail address and mobile number that stopped being used."""
    mine = [normalise(value) for value in (user.email, user.phone) if value]
    if not mine:
        return []
    query = (
        select(Address)
        .where(Address.address.in_(mine), Address.stopped_at.is_not(None))
        .order_by(Address.channel, Address.id)
    )
    return list(db.session.scalars(query))
