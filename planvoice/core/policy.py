"""Who may do what: the only place that looks at roles and scopes.

Views and services ask these questions; they never compare roles themselves. ``user`` is
Flask-Login's ``current_user`` (possibly anonymous); ``actor_key`` identifies a guest browser
or an account (see ``planvoice.core.identity.actor_key``). The questions read attributes of
the objects they are given (a user's role, bureau and areas, a report's area and status), so
this module imports no domain package.
"""

from enum import StrEnum
from functools import wraps

from flask import abort
from flask_login import current_user

from planvoice.core.extensions import login_manager


class Role(StrEnum):
    """What an account is for; ``users.role`` holds the value (a CHECK constraint lists them)."""

    RESIDENT = "resident"
    MODERATOR = "moderator"
    BUREAU = "bureau"
    ADMIN = "admin"


def _role(user) -> str | None:
    return getattr(user, "role", None) if getattr(user, "is_authenticated", False) else None


def is_staff(user) -> bool:
    """Community workers, bureau staff and administrators: people who work on cases."""
    return _role(user) in (Role.MODERATOR, Role.BUREAU, Role.ADMIN)


def can_moderate_comments(user) -> bool:
    # Measures concern the whole district, so any community worker may moderate comments.
    return _role(user) in (Role.MODERATOR, Role.ADMIN)


def can_read_audit_log(user) -> bool:
    return _role(user) == Role.ADMIN


def can_administer(user) -> bool:
    """Plans (the plan desk), bureaus, categories, areas, routing rules, users and roles, time
    limits, the outbox."""
    return _role(user) == Role.ADMIN


def can_see_unredacted(user) -> bool:
    """What a resident wrote or photographed before a moderator redacted personal data."""
    return _role(user) == Role.ADMIN


def can_reply_to(comment) -> bool:
    """Replies go one level deep, and only under published comments."""
    return comment.parent_id is None and comment.status == "published"


def can_flag_comment(actor_key: str, comment) -> bool:
    """Anyone may flag a published comment once, except its own author."""
    return comment.status == "published" and comment.author_key != actor_key


def can_see_report(user, actor_key: str | None, report) -> bool:
    """Published reports are public; before that (or once refused) only their author, the
    community workers of their area and administrators see them."""
    if report.is_public or can_moderate_report(user, report):
        return True
    return bool(actor_key) and report.author_key == actor_key


# A report returned this many times goes to an administrator instead of bouncing on.
ARBITRATION_AFTER_RETURNS = 2


def can_handle_report(user, report) -> bool:
    """Bureau staff act on (and see the contact of) reports routed to their own bureau."""
    return (
        _role(user) == Role.BUREAU
        and report.bureau_id is not None
        and user.bureau_id == report.bureau_id
    )


def can_work_in_bureau_inbox(user) -> bool:
    return _role(user) == Role.BUREAU and user.bureau_id is not None


def can_answer_measure(user) -> bool:
    """Bureau staff answer in public on any measure of the plan, in their bureau's name."""
    return can_work_in_bureau_inbox(user)


def can_edit_prepared_replies(user, bureau=None) -> bool:
    """A bureau's prepared replies: its own staff, and administrators for every bureau.
    Without ``bureau``: whether ``user`` keeps any bureau's (the pages' gate)."""
    if _role(user) == Role.ADMIN:
        return True
    return can_work_in_bureau_inbox(user) and (bureau is None or user.bureau_id == bureau.id)


def moderated_area_ids(user) -> list[int] | None:
    """The areas whose reports ``user`` moderates: None for every area (administrators), the
    streets, towns and communities a community worker serves, or none at all."""
    role = _role(user)
    if role == Role.ADMIN:
        return None
    return [area.id for area in user.areas] if role == Role.MODERATOR else []


def can_moderate_report(user, report) -> bool:
    """Administrators moderate every report; a community worker those in the areas they serve
    (a street covers its communities). A report whose point lies in no known street (no
    street has its box set yet) has no area: only administrators see it before it is public,
    and assign it."""
    if not can_moderate_comments(user):
        return False
    if report.return_count >= ARBITRATION_AFTER_RETURNS and _role(user) != Role.ADMIN:
        return False  # bounced between bureaus: an administrator decides where it goes
    served = moderated_area_ids(user)
    if served is None:
        return True
    if report.area_id is None:
        return False
    return report.area_id in served or (report.area is not None and report.area.parent_id in served)


def can_answer_satisfaction(user, actor_key: str | None, report) -> bool:
    """The resident who filed the report, signed in or in the browser that filed it (the
    signed link in the "resolved" e-mail is the other way in, checked by its token).

    Knowing the resident's contact proves nothing: staff read it, and anyone may guess it.
    Staff (community workers, bureau staff, administrators) never answer for a resident."""
    if is_staff(user):
        return False
    return bool(actor_key) and report.author_key == actor_key


def can_record_phone_answer(user, report) -> bool:
    """A community worker of the report's area (or an administrator) records the answer a
    resident gave on a call-back, for a report filed without an account or an e-mail address
    (a mobile number only), so the resident has no other way to answer. Never the bureau whose
    work is judged."""
    if _role(user) not in (Role.MODERATOR, Role.ADMIN) or not can_moderate_report(user, report):
        return False
    return report.user_id is None and not (report.contact and "@" in report.contact)


def can_read_report_notes(user, report) -> bool:
    """Internal notes: community workers who may moderate the report, and the bureau it is
    routed to; never the public or the reporter."""
    return can_moderate_report(user, report) or can_handle_report(user, report)


def can_record_progress(user, owner_bureau_id: int | None = None) -> bool:
    """Progress on a target: the staff of the bureau that owns it, and administrators (for
    any target, owned or not). Without ``owner_bureau_id``: whether ``user`` may record
    progress on any target (the pages' gate)."""
    if _role(user) == Role.ADMIN:
        return True
    if not can_work_in_bureau_inbox(user):
        return False
    return owner_bureau_id is None or user.bureau_id == owner_bureau_id


def can_set_target_tracking(user) -> bool:
    """A target's owner bureau, baseline and weight: administrators."""
    return _role(user) == Role.ADMIN


def can_read_bureau_performance(user) -> bool:
    """A bureau's own scorecard page with its overdue list: its staff."""
    return can_work_in_bureau_inbox(user)


def requires(rule):
    """Let a view run only for people ``rule`` (a policy question) allows; guests sign in."""

    def decorate(view):
        @wraps(view)
        def guarded(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not rule(current_user):
                abort(403)
            return view(*args, **kwargs)

        return guarded

    return decorate
