"""Signing in with a six-digit code sent by text message, for residents whose account has a
mobile number (and often no e-mail address).

A code is kept only as an HMAC (keyed with the app's secret and salted), is good for
``CODE_LIFETIME``, works once, and dies after ``MAX_WRONG_TRIES`` wrong tries; asking for a
new one kills the older ones. Asking tells nothing: the answer is the same whether or not an
account has the number, and only an account's own number is ever sent a code.
"""

import hashlib
import hmac
import secrets
from datetime import timedelta

from flask import current_app
from flask_babel import get_locale
from sqlalchemy import select, update

from planvoice.accounts.models import SignInCode, User
from planvoice.core import signals
from planvoice.core.audit import record_event
from planvoice.core.db import utcnow
from planvoice.core.extensions import db
from planvoice.core.identity import normalise_login

CODE_LIFETIME = timedelta(minutes=10)
MAX_WRONG_TRIES = 5
CODE_DIGITS = 6


def phone_account(phone: str) -> User | None:
    """The live account with this mobile number (typed in any usual spelling), or None."""
    kind_value = normalise_login(phone)
    if kind_value is None or kind_value[0] != "phone":
        return None
    return db.session.scalar(
        select(User).where(User.phone == kind_value[1], User.is_deleted.is_(False))
    )


def send_sign_in_code(phone: str) -> None:
    """If a live account has this number: make a new code (the older ones die), flush, and
    send ``signals.sign_in_code_requested`` with it (``notifications.texts`` texts it).
    Nothing is said either way."""
    user = phone_account(phone)
    if user is None:
        return
    now = utcnow()
    # A new request kills the codes asked for before: only the newest text works.
    db.session.execute(
        update(SignInCode)
        .where(SignInCode.user_id == user.id, SignInCode.used_at.is_(None))
        .where(SignInCode.expires_at > now)
        .values(expires_at=now)
    )
    code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    db.session.add(
        SignInCode(
            user_id=user.id,
            code_hash=_hash(code, user),
            created_at=now,
            expires_at=now + CODE_LIFETIME,
            attempts=0,
        )  # fmt: skip
    )
    db.session.flush()
    language = str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])
    signals.sign_in_code_requested.send(user, code=code, language=language)


def check_sign_in_code(phone: str, code: str) -> User | None:
    """The account whose newest live code this is, with the code spent (and the sign-in
    audited), or None: a wrong code counts a try, and the fifth wrong try kills it."""
    user = phone_account(phone)
    if user is None:
        return None
    now = utcnow()
    # Locked, so concurrent guesses on PostgreSQL count one by one and a code is spent once.
    live = db.session.scalar(
        select(SignInCode)
        .where(
            SignInCode.user_id == user.id,
            SignInCode.used_at.is_(None),
            SignInCode.expires_at > now,
            SignInCode.attempts < MAX_WRONG_TRIES,
        )
        .order_by(SignInCode.created_at.desc(), SignInCode.id.desc())
        .limit(1)
        .with_for_update()
    )
    if live is None:
        return None
    typed = "".join((code or "").split())
    if not hmac.compare_digest(live.code_hash, _hash(typed, user, salt=_salt_of(live))):
        live.attempts += 1
        db.session.flush()
        return None
    live.used_at = now
    record_event("user.sign_in_code", user, actor=user)
    db.session.flush()
    return user


def _hash(code: str, user: User, *, salt: str | None = None) -> str:
    """``salt$hex``: an HMAC-SHA256 of the account and the code, keyed with the secret."""
    salt = salt or secrets.token_hex(8)
    key = current_app.config["SECRET_KEY"].encode()
    digest = hmac.new(key, f"{salt}:{user.id}:{code}".encode(), hashlib.sha256).hexdigest()
    return f"{salt}${digest}"


def _salt_of(row: SignInCode) -> str:
    return row.code_hash.partition("$")[0]
