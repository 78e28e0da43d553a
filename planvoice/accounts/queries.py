"""Reading accounts: the signed-in user (Flask-Login's loader), sign-in checks, and a
person's own activity and data for ``/me``."""

import secrets

from sqlalchemy import select
from sqlalchemy.orm import joinedload
from werkzeug.security import check_password_hash, generate_password_hash

from planvoice.accounts.models import User
from planvoice.core.extensions import db
from planvoice.core.identity import normalise_login
from planvoice.core.policy import Role
from planvoice.feedback.models import Comment, Rating
from planvoice.following.models import Follow
from planvoice.plans.models import Measure
from planvoice.reports.models import Report


def load_user(session_id: str) -> User | None:
    """The account a session cookie names ("<id>:<session version>", see ``User.get_id``), or
    None when the account is deleted or the session is older than its last sign-out, password
    or role change."""
    # A bare "<id>" is a session from before versions existed: good until the first bump.
    user_id, _, version = session_id.partition(":")
    version = version or "0"
    if not (user_id.isdigit() and version.isdigit()):
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.is_active or user.session_version != int(version):
        return None
    return user


def find_user(login: str) -> User | None:
    kind_value = normalise_login(login)
    if kind_value is None:
        return None
    kind, value = kind_value
    column = User.email if kind == "email" else User.phone
    # Deleted accounts have no login left, but filter them anyway so a tombstone never signs in.
    return db.session.scalar(select(User).where(column == value, User.is_deleted.is_(False)))


def authenticate(login: str, password: str) -> User | None:
    """The live account with this login and password, or None (same answer for both misses)."""
    user = find_user(login)
    if user is None or not user.password_hash:
        # Spend the same time as a real check, so timing does not reveal which logins exist.
        check_password_hash(_DUMMY_HASH, password)
        return None
    # Same None as an unknown login, so the answer does not reveal which accounts exist.
    return user if check_password_hash(user.password_hash, password) else None


# Checked against when no account matches, so both misses cost the same time.
_DUMMY_HASH = generate_password_hash(secrets.token_urlsafe(16))


# /me shows this many of a resident's comments and of their reports at a time, newest first
# (the download holds everything).
ACTIVITY_PAGE_SIZE = 20


def list_my_comments(
    user: User, *, limit: int | None = None, before: int | None = None
) -> list[Comment]:
    """The user's comments, newest first: all of them, or ``limit`` with ids below ``before``."""
    query = (
        select(Comment)
        .where(Comment.user_id == user.id)
        .order_by(Comment.id.desc())
        # The /me page and the export show each comment's measure: load them in the same query.
        .options(joinedload(Comment.measure))
        .limit(limit)
    )
    if before is not None:
        query = query.where(Comment.id < before)
    return list(db.session.scalars(query))


def list_my_ratings(user: User) -> list[tuple[Rating, Measure]]:
    return list(
        db.session.execute(
            select(Rating, Measure)
            # Returned with its measure: account deletion needs it to withdraw the rating's totals.
            .join(Measure, Rating.measure_id == Measure.id)
            .where(Rating.user_id == user.id)
            .order_by(Rating.updated_at.desc())
        ).tuples()
    )


def list_my_reports(
    user: User, *, limit: int | None = None, before: int | None = None
) -> list[Report]:
    """The user's reports, newest first: all of them, or ``limit`` with ids below ``before``."""
    query = (
        select(Report)
        .where(Report.user_id == user.id)
        .order_by(Report.id.desc())
        .options(joinedload(Report.category))
        .limit(limit)
    )
    if before is not None:
        query = query.where(Report.id < before)
    return list(db.session.scalars(query))


def export_user_data(user: User) -> dict:
    """Everything held about this person, as a JSON-ready dict (their right of access)."""
    # Moderation reasons and the contacts given on reports are included on purpose: it is the
    # person's own data, which they may access and copy (PIPL).
    return {
        "account": {
            "id": user.id,
            "email": user.email,
            "phone": user.phone,
            "display_name": user.display_name,
            "role": user.role,
            "created_at": user.created_at.isoformat(),
            "areas": [area.name for area in user.areas],
            "bureau": user.bureau.name if user.bureau else None,
            "email_confirmed_at": _iso(user.email_confirmed_at),
            "language": user.language,
            "pace_own": user.pace_own,
            "pace_following": user.pace_following,
        },
        "follows": [
            {
                "kind": follow.kind,
                "measure": follow.measure_id,
                "report": follow.report.code if follow.report else None,
                "area": follow.area.code if follow.area else None,
                "lat": follow.lat,
                "lng": follow.lng,
                "radius_m": follow.radius_m,
                "label": follow.label,
                "created_at": follow.created_at.isoformat(),
                "ended_at": _iso(follow.ended_at),
            }
            for follow in _follows_of(user)
        ],
        "comments": [
            {
                "id": comment.id,
                "measure": {"id": comment.measure_id, "title": comment.measure.title},
                "reply_to": comment.parent_id,
                "body": comment.body,
                "status": comment.status,
                "moderation_reason": comment.moderation_reason,
                "created_at": comment.created_at.isoformat(),
                "published_at": comment.published_at.isoformat() if comment.published_at else None,
            }
            for comment in list_my_comments(user)
        ],
        "ratings": [
            {
                "measure": {"id": measure.id, "title": measure.title},
                "rating": rating.value,
                "updated_at": rating.updated_at.isoformat(),
            }
            for rating, measure in list_my_ratings(user)
        ],
        "reports": [
            {
                "code": report.code,
                "category": report.category.code,
                "description": report.description,
                "address": report.address,
                "lat": report.lat,
                "lng": report.lng,
                "name": report.reporter_name,
                "contact": report.contact,
                "status": report.status,
                "moderation_reason": report.moderation_reason,
                "created_at": report.created_at.isoformat(),
            }
            for report in list_my_reports(user)
        ],
    }


def _follows_of(user: User) -> list[Follow]:
    query = select(Follow).where(Follow.user_id == user.id).order_by(Follow.id)
    return list(db.session.scalars(query))


def _iso(moment) -> str | None:
    return moment.isoformat() if moment is not None else None


def count_admins() -> int:
    """Live administrators, their rows locked until the transaction ends (on PostgreSQL), so
    that two administrators demoting each other at once cannot both pass the last-admin check."""
    admins = select(User.id).where(User.role == Role.ADMIN, User.is_deleted.is_(False))
    # Counted in Python because FOR UPDATE cannot lock rows behind an aggregate COUNT.
    return len(db.session.scalars(admins.with_for_update()).all())
