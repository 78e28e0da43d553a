"""One-click unsubscribing (RFC 8058) for every message that is not a password reset: a
signed link that sets the pace of one kind of news to "off" for the address it was sent to
(an account's own paces when an account has the address), or stops the address altogether
(``all``: staff and confirmation e-mails, which have no pace)."""

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import func, select

from planvoice.accounts.models import User
from planvoice.core.audit import record_event
from planvoice.core.extensions import db
from planvoice.core.links import public_url
from planvoice.notifications.models import Address, Pace

SCOPES = ("own", "following", "all")
# A token of the same kind lets an e-mail-only follower set their paces (``pace_token``).
PACE = "pace"
_SALT = "planvoice-unsubscribe"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def unsubscribe_url(address: str, scope: str) -> str:
    """The absolute address (``PUBLIC_URL``) that stops ``scope`` for ``address``."""
    token = _serializer().dumps({"a": address.strip().lower(), "s": scope})
    return public_url(f"/unsubscribe/{token}")


def pace_token(address: str) -> str:
    return _serializer().dumps({"a": address.strip().lower(), "s": PACE})


def read_token(token: str, *, scopes=SCOPES) -> tuple[str, str] | None:
    """(address, scope) of a genuine link; None for anything else."""
    try:
        data = _serializer().loads(token)
    except BadSignature:
        return None
    if not isinstance(data, dict) or data.get("s") not in scopes:
        return None
    address = data.get("a")
    return (address, data["s"]) if isinstance(address, str) and address else None


def unsubscribe(address: str, scope: str) -> None:
    """Stop ``scope`` for ``address``; flush. Doing it twice changes nothing more."""
    user = db.session.scalar(
        select(User).where(func.lower(User.email) == address, User.is_deleted.is_(False))
    )
    row = db.session.scalar(select(Address).where(Address.address == address))
    if row is None:
        row = Address(address=address, channel="email")
        db.session.add(row)
    if scope == "all":
        from planvoice.notifications import addresses

        db.session.flush()
        addresses.stop(address, "stop")
    for kind in ("own", "following") if scope == "all" else (scope,):
        setattr(row, f"pace_{kind}", Pace.OFF)
        if user is not None:
            setattr(user, f"pace_{kind}", Pace.OFF)
    db.session.flush()
    record_event("notifications.unsubscribe", row, actor=user, after={"scope": scope})
    db.session.flush()
