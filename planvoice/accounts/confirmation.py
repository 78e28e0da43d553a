"""Proving that an e-mail address is the person's: the link sent on sign-up and on a change of
address in ``/me``.

The link carries a token signed with the app's secret (a salt of its own): the account's id,
the address to confirm and a fingerprint of the account's address as it is now (the address
and when it was confirmed). Using the link changes that state, so each link works once; it
is valid for three days (``CONFIRM_MAX_AGE``). On a change, the account keeps its old address
until the new one's link is used, and the old address is told that a change was asked.
"""

import hashlib
from enum import StrEnum

from flask import current_app
from flask_babel import get_locale
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select

from planvoice.accounts.models import User
from planvoice.accounts.services import AccountError, mask
from planvoice.core import signals
from planvoice.core.audit import record_event
from planvoice.core.db import utcnow
from planvoice.core.extensions import db
from planvoice.core.i18n import _
from planvoice.core.identity import normalise_login

CONFIRM_MAX_AGE = 3 * 24 * 3600  # seconds
_SALT = "planvoice-email-confirmation"


class Outcome(StrEnum):
    """What using a confirmation link did (the page says it in a sentence)."""

    CONFIRMED = "confirmed"  # the account's address is confirmed now
    CHANGED = "changed"  # the account's address is the new, confirmed one now
    USED = "used"  # the link was used before: the address is confirmed already
    TAKEN = "taken"  # another account took the new address meanwhile: nothing changed
    INVALID = "invalid"  # forged, cut short, expired or replaced: nothing changed


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def _fingerprint(user: User) -> str:
    """Changes when the address is confirmed or replaced, which ends every link made before."""
    confirmed = user.email_confirmed_at
    state = f"{user.email or ''}|{int(confirmed.timestamp()) if confirmed else ''}"
    return hashlib.sha256(state.encode()).hexdigest()[:20]


def confirmation_token(user: User, address: str) -> str:
    return _serializer().dumps({"user": user.id, "address": address, "state": _fingerprint(user)})


def request_confirmation(user: User, address: str, *, link_for) -> None:
    """Send ``user`` a link that proves ``address`` is theirs (their own address on sign-up,
    the new one on a change); ``link_for(token)`` gives the page's full address. The message
    is written in the language of the request."""
    language = str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])
    link = link_for(confirmation_token(user, address))
    signals.email_confirmation_requested.send(user, address=address, link=link, language=language)


def request_email_change(user: User, new_address: str, *, link_for) -> None:
    """Ask to replace ``user``'s e-mail address by ``new_address``: the link goes to the new
    address (the account's address changes only when it is used, and is audited then), the
    old one is told. Raises AccountError, sending nothing, when the address cannot be used."""
    kind_value = normalise_login(new_address)
    if kind_value is None or kind_value[0] != "email":
        raise AccountError(_("Enter an e-mail address, such as name@example.cn."))
    address = kind_value[1]
    if address == user.email and user.email_confirmed_at is not None:
        raise AccountError(_("This is your address already."))
    if address != user.email and address_taken(address):
        raise AccountError(_("Another account has this e-mail address."))
    # Nothing changes on the account yet: the change is audited when the link is used.
    request_confirmation(user, address, link_for=link_for)


def confirm_email(token: str, *, max_age: int = CONFIRM_MAX_AGE) -> tuple[Outcome, User | None]:
    """Use a confirmation link: confirm the account's address, or put the new one in its
    place (if no other account has taken it meanwhile); audited; flush. Returns what
    happened and the account (None for an invalid link, which changes nothing)."""
    try:
        data = _serializer().loads(token, max_age=max_age)
    except (SignatureExpired, BadSignature):
        return Outcome.INVALID, None
    if not isinstance(data, dict) or not isinstance(data.get("user"), int):
        return Outcome.INVALID, None
    user, address = db.session.get(User, data["user"]), data.get("address")
    if user is None or user.is_deleted or not isinstance(address, str):
        return Outcome.INVALID, None
    if data.get("state") != _fingerprint(user):
        # A link used before leaves its address confirmed on the account: say so, not "invalid".
        used = address == user.email and user.email_confirmed_at is not None
        return (Outcome.USED, user) if used else (Outcome.INVALID, None)
    if address == user.email:
        user.email_confirmed_at = utcnow()
        record_event("user.email_confirm", user, actor=user, after={"email": mask(address)})
        db.session.flush()
        return Outcome.CONFIRMED, user
    if address_taken(address):
        return Outcome.TAKEN, user
    before = {"email": mask(user.email)}
    user.email, user.email_confirmed_at = address, utcnow()
    record_event(
        "user.email_change", user, actor=user, before=before, after={"email": mask(address)}
    )
    db.session.flush()
    return Outcome.CHANGED, user


def address_taken(address: str) -> bool:
    """Whether an account has this e-mail address (checked for a readable message; the unique
    column still refuses a concurrent twin)."""
    return db.session.scalar(select(User.id).where(User.email == address)) is not None
