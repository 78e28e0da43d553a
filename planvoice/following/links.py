"""The signed links of following, absolute (``PUBLIC_URL``) so that messages can carry them:
confirming an e-mail follow, an e-mail-only follower's page of what they follow, and the
one-click stop of one subject.

Every token is signed with the app's secret under a salt of its own, so one kind of link
cannot be passed off as another, and nobody can make one for an address or account that is
not theirs. Paths are written here rather than with ``url_for``, because the outbox worker
and the digests make links outside any request.
"""

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer, URLSafeTimedSerializer

from planvoice.core.links import public_url
from planvoice.following.models import Follow

CONFIRM_PATH = "/following/confirm/"
MANAGE_PATH = "/following/manage/"
STOP_PATH = "/following/stop/"

# A confirmation link works for a week; an unconfirmed follow stays unconfirmed after that.
CONFIRM_MAX_AGE = 7 * 24 * 3600  # seconds

_CONFIRM_SALT = "follow-confirm"
_MANAGE_SALT = "follow-manage"
_STOP_SALT = "follow-stop"


def _signer(salt: str) -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=salt)


# Confirming an e-mail follow (the double opt-in)


def confirm_url(follow: Follow) -> str:
    """The link that confirms ``follow`` (an e-mail follow): valid for ``CONFIRM_MAX_AGE``."""
    serializer = URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_CONFIRM_SALT)
    return public_url(CONFIRM_PATH + serializer.dumps([follow.id, follow.email]))


def follow_of_confirm_token(token: str) -> tuple[int, str] | None:
    """The (follow id, address) a confirmation token names, or None when it is forged,
    malformed or expired."""
    serializer = URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_CONFIRM_SALT)
    try:
        signed = serializer.loads(token, max_age=CONFIRM_MAX_AGE)
    except BadSignature:  # SignatureExpired is one
        return None
    if not (isinstance(signed, list) and len(signed) == 2):
        return None
    follow_id, email = signed
    if not isinstance(follow_id, int) or not isinstance(email, str):
        return None
    return follow_id, email


# The page of an e-mail-only follower


def manage_token(email: str) -> str:
    return _signer(_MANAGE_SALT).dumps(email.lower())


def manage_url(email: str) -> str:
    """The page where a follower without an account sees and ends what ``email`` follows."""
    return public_url(MANAGE_PATH + manage_token(email))


def email_of_manage_token(token: str) -> str | None:
    try:
        email = _signer(_MANAGE_SALT).loads(token)
    except BadSignature:
        return None
    return email if isinstance(email, str) and "@" in email else None


# One click: hear no more of one subject


def stop_url(
    kind: str, target_id: int, *, user_id: int | None = None, email: str | None = None
) -> str:
    """The absolute address that ends this person's follow of this subject in one click (a
    page with one button; or a POST of ``List-Unsubscribe=One-Click``, RFC 8058, without
    cookies). For a person who took part without following, it records that they want to
    hear no more of it. ``target_id`` is the measure's, report's or area's id, or for a place
    the ``Follow``'s own id. The person is an account (``user_id``) or an address."""
    if (user_id is None) == (email is None):
        raise ValueError("a stop link is for an account or for an address")
    person = {"u": user_id} if user_id is not None else {"e": email.lower()}
    return public_url(STOP_PATH + _signer(_STOP_SALT).dumps({"k": kind, "t": target_id, **person}))


def subject_of_stop_token(token: str) -> dict | None:
    """``{"kind", "target_id", "user_id", "email"}`` of a valid stop token, else None."""
    try:
        signed = _signer(_STOP_SALT).loads(token)
    except BadSignature:
        return None
    if not isinstance(signed, dict) or not isinstance(signed.get("t"), int):
        return None
    user_id, email = signed.get("u"), signed.get("e")
    if not (isinstance(user_id, int) or isinstance(email, str)):
        return None
    if signed.get("k") not in ("measure", "report", "area", "place"):
        return None
    return {"kind": signed["k"], "target_id": signed["t"], "user_id": user_id, "email": email}
