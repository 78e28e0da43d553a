"""A way back into an account: a new password through a link sent to the account's e-mail.

The link carries a token signed with the app's secret: the account's id and a fingerprint of
its current password hash. It is valid for an hour (``RESET_MAX_AGE``), and once the password
is changed the fingerprint no longer matches, so each link works once; a later request makes
a new link and the older ones die with the next change. Asking tells nothing: the answer is
the same whether or not an account has the address.
"""

import hashlib

from flask import current_app
from flask_babel import get_locale
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, select
from werkzeug.security import generate_password_hash

from planvoice.accounts.models import User
from planvoice.accounts.services import end_sessions
from planvoice.core import signals
from planvoice.core.audit import record_event
from planvoice.core.extensions import db

RESET_MAX_AGE = 3600  # seconds
_SALT = "planvoice-password-reset"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def _fingerprint(user: User) -> str:
    """Changes whenever the password does, which ends every link made before."""
    return hashlib.sha256((user.password_hash or "").encode()).hexdigest()[:20]


def reset_token(user: User) -> str:
    return _serializer().dumps({"user": user.id, "password": _fingerprint(user)})


def request_password_reset(email: str, *, link_for) -> None:
    """Send a reset link to ``email`` if an account (not deleted) has that address;
    ``link_for(token)`` gives the page's full address. Nothing is said either way."""
    address = (email or "").strip().lower()
    user = db.session.scalar(
        select(User).where(func.lower(User.email) == address, User.is_deleted.is_(False))
    )
    if user is None or not address:
        return
    language = str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])
    signals.password_reset_requested.send(user, link=link_for(reset_token(user)), language=language)


def user_for_token(token: str, *, max_age: int = RESET_MAX_AGE) -> User | None:
    """The account a valid, unexpired, unused link is for; None otherwise."""
    try:
        data = _serializer().loads(token, max_age=max_age)
    except (SignatureExpired, BadSignature):
        return None
    if not isinstance(data, dict):
        return None
    user = db.session.get(User, data.get("user")) if isinstance(data.get("user"), int) else None
    if user is None or user.is_deleted or data.get("password") != _fingerprint(user):
        return None
    return user


def reset_password(user: User, password: str) -> None:
    """Set a new password, end every session of the account (in every browser) and record it
    in the audit log; flush. The link used for it no longer works."""
    user.password_hash = generate_password_hash(password)
    end_sessions(user)
    record_event("user.password_reset", subject=user, actor=user)
    db.session.flush()
