"""Open311: issuing and revoking client apps' keys, and filing the reports they send.

A report filed through Open311 is an ordinary report (``reports.services.submit_report``): it
waits in the same moderation queue as one from the web form. The client app follows it by a
token until a community worker publishes it; from then on by its tracking code.
"""

import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import select

from planvoice.core.audit import record_event
from planvoice.core.db import utcnow
from planvoice.core.extensions import db
from planvoice.open311.models import ApiKey, Open311Request
from planvoice.reports.areas import Area, Category
from planvoice.reports.services import submit_report

# A recognisable prefix lets secret scanners and people spot a leaked key for what it is.
KEY_PREFIX = "pv311_"


def hash_key(key: str) -> str:
    # A fast unsalted hash is enough for 256 random bits, and lets the key be looked up by hash.
    return hashlib.sha256(key.encode()).hexdigest()


# Keys


def issue_key(name: str, *, actor=None) -> tuple[ApiKey, str]:
    """Issue a key for the client app ``name``; return it with the key itself, which is not
    stored and cannot be shown again."""
    # secrets, not random: the key is a bearer credential and must be unguessable.
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    api_key = ApiKey(
        name=name,
        key_hash=hash_key(key),
        # Only a prefix is kept in clear, enough to tell keys apart but useless for signing in.
        key_prefix=key[:12],
        created_by_id=actor.id if actor is not None else None,
    )
    db.session.add(api_key)
    db.session.flush()
    record_event("open311_key.issue", api_key, actor=actor, after={"name": name})
    db.session.flush()
    return api_key, key


def revoke_key(api_key: ApiKey, *, actor=None) -> bool:
    """Revoke a key: its app can no longer file reports. False if it was already revoked."""
    if api_key.revoked_at is not None:
        return False
    # Revoked, not deleted: reports filed with it still name their app and the audit trail holds.
    api_key.revoked_at = utcnow()
    record_event("open311_key.revoke", api_key, actor=actor, before={"name": api_key.name})
    db.session.flush()
    return True


def authenticate(key: str | None) -> ApiKey | None:
    """The active key matching ``key``, marked as used now; None for a wrong or revoked one."""
    if not key:
        return None
    # Looked up by hash, so no stored secret is compared byte by byte; timing reveals nothing
    # useful about a 256-bit key.
    api_key = db.session.scalar(select(ApiKey).where(ApiKey.key_hash == hash_key(key)))
    if api_key is None or not api_key.is_active:
        return None
    api_key.last_used_at = utcnow()
    return api_key


# Requests


@dataclass(frozen=True)
class Reporter:
    """Who filed a request, as the client app tells it (all private, all optional)."""

    email: str | None = None
    phone: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    device_id: str | None = None
    account_id: str | None = None

    @property
    def name(self) -> str | None:
        return " ".join(part for part in (self.first_name, self.last_name) if part) or None


def file_request(
    *,
    api_key: ApiKey,
    category: Category,
    description: str,
    area: Area | None = None,
    address: str | None = None,
    point: tuple[float, float] | None = None,
    media_url: str | None = None,
    reporter: Reporter = Reporter(),
    language: str | None = None,
    ip_hash: str | None = None,
) -> Open311Request:
    """File a report sent by a client app and flush; return its Open311 record, whose token
    the app follows until the report is published. Raises ``ReportError`` as the web form's
    filing does (no place, a point outside the district)."""
    # The app needs a handle before moderation: the tracking code is only public once the
    # report is published, so an unguessable token stands in until then.
    token = secrets.token_urlsafe(18)
    report = submit_report(
        category=category,
        description=description,
        submission_token=f"open311:{token}",
        author_key=f"open311:{api_key.id}",
        area=area,
        address=address,
        point=point,
        reporter_name=reporter.name,
        # The report holds one contact; e-mail is preferred as the outbox can write to it.
        contact=reporter.email or reporter.phone,
        ip_hash=ip_hash,
        language=language,
    )
    report.media_url = media_url
    request = Open311Request(
        report=report,
        api_key=api_key,
        token=token,
        device_id=reporter.device_id,
        account_id=reporter.account_id,
        # Kept aside only when the contact slot went to the e-mail, so no phone is lost or doubled.
        phone=reporter.phone if reporter.email else None,
    )
    db.session.add(request)
    db.session.flush()
    return request
