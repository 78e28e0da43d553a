"""Every rate limit of the app, in one place, and the key of the second set of limits.

Most actions have two limits: one per client address (Flask-Limiter's default key), and one
per account or guest browser (``per_actor``). Many residents share one address behind a mobile
carrier's NAT, so the per-client limits are looser than those per actor. Limits apply to
POSTs; tests switch them off with ``RATELIMIT_ENABLED``.
"""

from flask import current_app, g, request
from itsdangerous import BadSignature, URLSafeSerializer

from planvoice.core.identity import actor_key, normalise_login

# Sign-in has two limits (see ``sign_in_account``), both counting failed attempts only: per
# client address (so the many residents behind one carrier NAT never use it up by signing
# in) and per account. A browser that signed in before skips the address limit
# (``is_known_browser``). No address limit lasts longer than the account window: an address
# shut out by an attacker's guesses is open again at most 15 minutes after the guessing stops.
SIGN_INS_PER_CLIENT = "10 per minute; 50 per 15 minutes"
SIGN_IN_FAILURES_PER_ACCOUNT = "10 per 15 minutes"
SIGN_UPS_PER_CLIENT = "5 per minute; 30 per hour"
# Asking for a reset link sends an e-mail: a few per address of the asker.
PASSWORD_RESETS_PER_CLIENT = "3 per minute; 10 per hour"  # noqa: S105 -- a rate, not a secret

COMMENTS_PER_CLIENT = "10 per minute; 200 per day"
COMMENTS_PER_ACTOR = "5 per minute; 50 per day"
RATINGS_PER_CLIENT = "30 per minute; 500 per day"
RATINGS_PER_ACTOR = "15 per minute; 200 per day"
FLAGS_PER_CLIENT = "20 per minute; 200 per day"
FLAGS_PER_ACTOR = "10 per minute; 100 per day"

REPORTS_PER_CLIENT = "10 per minute; 100 per day"
REPORTS_PER_ACTOR = "4 per minute; 30 per day"
SUPPORTS_PER_CLIENT = "20 per minute; 200 per day"
SUPPORTS_PER_ACTOR = "10 per minute; 100 per day"

# Open311 clients: reads per api_key or address; filing per key is OPEN311_POSTS_PER_KEY
# (configuration), and per address as below.
OPEN311_READS_PER_CLIENT = "120 per minute"
OPEN311_POSTS_PER_ADDRESS = "60 per minute"


def per_actor() -> str:
    """The account or guest browser acting, as a limiter key (only on POSTs: it makes a
    guest key)."""
    return "actor:" + actor_key(create=True)


def sign_in_account() -> str:
    """The account a sign-in names, as a limiter key: the login as typed, normalised (so
    ``Me@X.cn`` and ``me@x.cn``, or ``+86 138…`` and ``138…``, share one count).

    Only failed attempts count (``sign_in_failed``), and refused ones do not, so the account
    window is the longest anyone can keep an account shut: guesses from many addresses shut
    it for at most 15 minutes after the last one, and a correct password from any address
    works again then. A real user's own successes never use up the budget.
    """
    typed = request.form.get("login", "")
    kind_value = normalise_login(typed)
    return "login:" + (kind_value[1] if kind_value else typed.strip().lower()[:254])


# A browser someone signed in with before carries a signed cookie naming that account: its
# sign-ins skip the address limit (an attacker guessing from the same address, say behind a
# carrier's NAT, cannot shut its owner out), and only the account's own limit applies.
KNOWN_BROWSER_COOKIE = "pv_known"
KNOWN_BROWSER_MAX_AGE = 365 * 24 * 3600
_KNOWN_BROWSER_SALT = "known-browser"


def _known_browser_serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=_KNOWN_BROWSER_SALT)


def known_browser_token() -> str:
    """The cookie's value after a successful sign-in with the login typed in this request."""
    return _known_browser_serializer().dumps(sign_in_account())


def is_known_browser() -> bool:
    """Did this browser sign in before with the account this sign-in names?"""
    token = request.cookies.get(KNOWN_BROWSER_COOKIE)
    if not token:
        return False
    try:
        return _known_browser_serializer().loads(token) == sign_in_account()
    except BadSignature:
        return False


def record_failed_sign_in() -> None:
    """Count this request against the account's sign-in limit (a wrong login or password)."""
    g.sign_in_failed = True


def sign_in_failed(response) -> bool:
    return g.get("sign_in_failed", False)


# Text messages (issue 17). Asking for a sign-in code sends a text: a few per client address
# and fewer per number (``code_views.number_typed``), so nobody floods a phone. Checking a
# code is limited too; each code also dies after five wrong tries (``accounts.sign_in_codes``).
SIGN_IN_CODES_PER_CLIENT = "5 per minute; 30 per hour"
SIGN_IN_CODES_PER_NUMBER = "3 per 15 minutes; 10 per day"
SIGN_IN_CODE_CHECKS_PER_CLIENT = "10 per minute; 50 per 15 minutes"
SIGN_IN_CODE_CHECKS_PER_NUMBER = "10 per 15 minutes"
# The STOP page stops texts to any number typed: a few per client address.
SMS_STOPS_PER_CLIENT = "5 per minute; 50 per day"
# Following (issue 17): per client address and per account or guest browser; a typed e-mail
# address gets at most a few confirmation links (``following.views``).
FOLLOWS_PER_CLIENT = "20 per minute; 200 per day"
FOLLOWS_PER_ACTOR = "10 per minute; 100 per day"
FOLLOW_CONFIRMATIONS_PER_ADDRESS = "3 per hour; 10 per day"
# Links that confirm an e-mail address (``/me/email``, ``/me/email/again``), per account.
CONFIRMATION_LINKS_PER_ACCOUNT = "3 per minute; 10 per hour"
