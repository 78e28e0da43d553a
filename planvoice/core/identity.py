"""Who is acting in a request: an account, or a guest browser known by a key in its session.

Comments, ratings, flags, reports and supports are keyed by the actor, so that one browser
rates a measure once and sees its own pending comments, without an account.
"""

import hashlib
import hmac
import re
import secrets

from flask import current_app, session
from flask_login import current_user

# The session entry holding a guest browser's key.
GUEST_KEY = "guest"


def actor_key(*, create: bool = False) -> str | None:
    """Who is acting: "user:<id>" for an account, else this browser's guest key.

    A guest key is made (and kept in the signed session cookie) only when ``create`` is set,
    i.e. when a guest first comments, rates or flags; readers stay anonymous.
    """
    if current_user.is_authenticated:
        return f"user:{current_user.id}"
    if GUEST_KEY not in session and create:
        session[GUEST_KEY] = "guest:" + secrets.token_urlsafe(16)
    return session.get(GUEST_KEY)


def hash_ip(address: str | None) -> str | None:
    """A salted hash of a client address (the app's secret is the salt): never the address."""
    if not address:
        return None
    secret = current_app.config["SECRET_KEY"].encode()
    return hmac.new(secret, address.encode(), hashlib.sha256).hexdigest()


# What people type to sign in or to be reached: a mainland mobile number or an e-mail address.
MOBILE_RE = re.compile(r"^1\d{10}$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def normalise_login(value: str) -> tuple[str, str] | None:
    """Return ("email", address) or ("phone", number) for what someone typed, else None."""
    value = (value or "").strip()
    digits = re.sub(r"[\s-]", "", value).removeprefix("+86")
    if MOBILE_RE.match(digits):
        return "phone", digits
    if EMAIL_RE.match(value) and len(value) <= 254:
        return "email", value.lower()
    return None
