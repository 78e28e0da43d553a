"""Accounts: sign-up, sign-in, who is acting, and creating staff accounts."""

from sqlalchemy import delete, or_, select, update
from werkzeug.security import generate_password_hash

from planvoice.accounts.models import SignInCode, User
from planvoice.accounts.queries import count_admins, list_my_ratings, list_my_reports
from planvoice.bureaus.models import Bureau
from planvoice.core import signals
from planvoice.core.audit import record_event
from planvoice.core.db import utcnow
from planvoice.core.extensions import db
from planvoice.core.i18n import _
from planvoice.core.identity import normalise_login
from planvoice.core.policy import Role
from planvoice.reports.areas import Area
from planvoice.reports.models import ReportSupport


class AccountError(ValueError):
    """A request about accounts that cannot be granted; the message is for people."""


def create_user(
    login: str,
    password: str,
    *,
    role: str = Role.RESIDENT,
    phone: str | None = None,
    display_name: str | None = None,
    bureau_code: str | None = None,
    area_codes: tuple[str, ...] = (),
    email_confirmed: bool = False,
) -> User:
    """Create an account and flush. Raises AccountError when the data cannot be accepted.

    ``email_confirmed``: the address is taken as proved (an account made by an administrator
    or a command); a resident who signs up proves it with the link ``confirmation`` sends."""
    kind_value = normalise_login(login)
    if kind_value is None:
        raise AccountError(_("Enter an e-mail address or an 11-digit mobile number."))
    user = User(role=Role(role), display_name=display_name or None)
    setattr(user, kind_value[0], kind_value[1])
    if phone:
        phone_value = normalise_login(phone)
        if phone_value is None or phone_value[0] != "phone":
            raise AccountError(_("Enter an 11-digit mobile number starting with 1."))
        user.phone = phone_value[1]
    taken = [c == v for c, v in ((User.email, user.email), (User.phone, user.phone)) if v]
    # Checked first for a readable message; the unique columns still refuse a concurrent twin.
    if db.session.scalar(select(User.id).where(or_(*taken))):
        raise AccountError(_("An account with this e-mail address or mobile number exists."))
    # Only a salted, deliberately slow hash is kept, so a leaked table yields no passwords.
    user.password_hash = generate_password_hash(password)
    if bureau_code:
        user.bureau = db.session.scalar(select(Bureau).where(Bureau.code == bureau_code))
        if user.bureau is None:
            raise AccountError(_("There is no bureau with the code %(code)s.", code=bureau_code))
    for code in area_codes:
        area = db.session.scalar(select(Area).where(Area.code == code))
        if area is None:
            raise AccountError(_("There is no area with the code %(code)s.", code=code))
        user.areas.append(area)
    check_staff_scope(user.role, bureau=user.bureau, areas=user.areas)
    if email_confirmed and user.email:
        user.email_confirmed_at = utcnow()
    db.session.add(user)
    db.session.flush()
    return user


def end_sessions(user: User) -> None:
    """End every session of ``user`` (in any browser, saved cookies too) and flush: on
    sign-out, a new password or a new role. The next request of each such session is a guest's."""
    user.session_version = User.session_version + 1
    db.session.flush()


def change_password(user: User, new_password: str) -> None:
    """Set ``user``'s new password and end every session of the account (this browser signs in
    again with the new session version: see ``views.change_password``); audited; flush."""
    user.password_hash = generate_password_hash(new_password)
    end_sessions(user)
    record_event("user.password_change", subject=user, actor=user)
    db.session.flush()


def change_phone(user: User, phone: str) -> None:
    """Set ``user``'s mobile number (normalised as at sign-up), or remove it when ``phone`` is
    empty; audited; flush. Raises AccountError, changing nothing, when the number is not a
    mobile number or another account's, or when removing it would leave no confirmed e-mail
    to sign in with and be reached at."""
    if not (phone or "").strip():
        if user.email is None or user.email_confirmed_at is None:
            raise AccountError(
                _("Your mobile number stays: confirm an e-mail address first to sign in with.")
            )
        number = None
    else:
        kind_value = normalise_login(phone)
        if kind_value is None or kind_value[0] != "phone":
            raise AccountError(_("Enter an 11-digit mobile number starting with 1."))
        number = kind_value[1]
    if number == user.phone:
        return
    if number and db.session.scalar(select(User.id).where(User.phone == number)):
        raise AccountError(_("Another account has this mobile number."))
    before, user.phone = {"phone": mask(user.phone)}, number
    record_event(
        "user.phone_change", user, actor=user, before=before, after={"phone": mask(number)}
    )
    db.session.flush()


def remember_language(user: User, language: str) -> bool:
    """Keep the language ``user`` reads the site in (their e-mail is written in it); return
    whether it changed. Flushes nothing: the caller's request commits it."""
    if user.language == language:
        return False
    user.language = language
    return True


def mask(value: str | None) -> str | None:
    """An address or a number as the audit log keeps it: enough to recognise, not to write to
    (``w…@example.cn``, ``138…5678``), since the log outlives a deleted account's data."""
    if not value:
        return None
    if "@" in value:
        name, domain = value.rsplit("@", 1)
        return f"{name[:1]}…@{domain}"
    return f"{value[:3]}…{value[-4:]}"


# --- my data ---------------------------------------------------------------------------------


def delete_account(user: User) -> None:
    """Delete an account at its owner's request, then flush.

    Comments and reports stay (shown as by a "former resident"), ratings are withdrawn (the
    measures' totals change with them), and every contact detail (also the name and contact
    given on reports) and the password are erased.
    """
    from planvoice.feedback.services import withdraw_rating

    # Through withdraw_rating, not a bulk delete, so each measure's stored totals drop too.
    for rating, measure in list_my_ratings(user):
        withdraw_rating(measure, voter_key=rating.voter_key)
    for report in list_my_reports(user):
        # The reports stay public record, but the name and contact given on them are personal data.
        report.reporter_name = report.contact = None
    # Their "me too"s still count, but the e-mail typed with them is personal data too.
    db.session.execute(
        update(ReportSupport).where(ReportSupport.user_id == user.id).values(email=None)
    )
    db.session.execute(delete(SignInCode).where(SignInCode.user_id == user.id))
    addresses = [value.lower() for value in (user.email, user.phone) if value]
    # Logged before the erasure, with the role only: the audit log must not keep a copy of the
    # contact data being erased.
    record_event("account.delete", user, actor=user, before={"role": user.role})
    user.email = user.phone = user.password_hash = user.display_name = None
    # The row stays (a tombstone) so comments, reports and audit events keep a valid author.
    user.is_deleted = True
    user.deleted_at = utcnow()
    user.areas.clear()
    user.bureau = None
    db.session.flush()
    signals.account_deleted.send(user, addresses=addresses)


# --- staff roles ------------------------------------------------------------------------------


def check_staff_scope(role: str, *, bureau: Bureau | None, areas) -> None:
    """The rules a role's scope must follow (shared by ``create_user`` and ``change_role``):
    bureau staff belong to a bureau, a community worker serves at least one area."""
    if role == Role.BUREAU and bureau is None:
        raise AccountError(_("Bureau staff need a bureau: choose one."))
    if role == Role.MODERATOR and not areas:
        raise AccountError(_("A community worker serves at least one area: tick one or more."))


def change_role(user: User, *, role: str, bureau: Bureau | None, areas, actor: User) -> None:
    """Give ``user`` a role and its scope (the bureau of bureau staff, the areas a community
    worker serves), record it in the audit log and flush. Raises AccountError, changing
    nothing, when the scope does not fit the role or the site would lose its last admin."""
    role = Role(role)
    # Scope that does not fit the new role is dropped, so a former community worker or bureau
    # officer keeps no access to their old queue.
    areas = list(areas) if role == Role.MODERATOR else []
    bureau = bureau if role == Role.BUREAU else None
    check_staff_scope(role, bureau=bureau, areas=areas)
    if user.role == Role.ADMIN and role != Role.ADMIN:
        # Refused even when other admins exist, so nobody locks themselves out by a slip.
        if user.id == actor.id:
            raise AccountError(_("You cannot take away your own administrator role."))
        # count_admins locks the admin rows, so two concurrent demotions cannot both pass.
        if count_admins() <= 1:
            raise AccountError(_("This is the last administrator: appoint another one first."))
    before = _role_snapshot(user)
    user.role = role
    user.bureau = bureau
    user.areas = areas
    after = _role_snapshot(user)
    if after != before:
        record_event("user.role", user, actor=actor, before=before, after=after)
        # Sessions made under the old role (or scope) end: the person signs in again.
        end_sessions(user)
    db.session.flush()


def _role_snapshot(user: User) -> dict:
    return {
        "role": str(user.role),
        "bureau": user.bureau.code if user.bureau else None,
        "areas": sorted(area.code for area in user.areas),
    }
