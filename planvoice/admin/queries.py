"""What the administration pages read: reference data with what they show of it, accounts,
the time limits in force, the calendar, Open311 client apps' keys and the audit log."""

from datetime import UTC, date, datetime, time, timedelta
from typing import NamedTuple

from flask_babel import get_timezone
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from planvoice.accounts.models import ROLE_LABELS, User
from planvoice.accounts.queries import find_user
from planvoice.bureaus.models import Bureau, CalendarDay
from planvoice.bureaus.queries import working_rules
from planvoice.bureaus.time_limits import TimeLimits
from planvoice.core.audit import FIELD_LABELS, AuditEvent
from planvoice.core.extensions import db
from planvoice.core.i18n import _
from planvoice.core.params import parse_id
from planvoice.moderation.models import COMMENT_STATUS_LABELS
from planvoice.open311.models import ApiKey
from planvoice.plans.models import Measure
from planvoice.plans.queries import get_default_plan
from planvoice.reports.areas import Area, Category, RoutingRule
from planvoice.reports.models import CHANNEL_LABELS, STATUS_LABELS, Report

USER_PAGE_SIZE = 50
AUDIT_PAGE_SIZE = 50


def list_measures() -> list[Measure]:
    """The measures of the current plan a category may concern."""
    plan = get_default_plan()
    if plan is None:
        return []
    return list(
        db.session.scalars(
            select(Measure)
            # Retired measures are left out so a new or edited category cannot point at one.
            .where(Measure.plan_id == plan.id, Measure.is_retired.is_(False))
            .order_by(Measure.position)
        )
    )


def list_categories() -> list[Category]:
    return list(
        db.session.scalars(
            select(Category)
            .order_by(Category.position, Category.id)
            # The table shows both for every row: join them in rather than a query per category.
            .options(joinedload(Category.default_bureau), joinedload(Category.measure))
        )
    )


def list_routing_rules() -> list[tuple[RoutingRule, Category, Area]]:
    """Every rule with its category and area, by category then area."""
    query = (
        select(RoutingRule, Category, Area)
        .join(Category, RoutingRule.category_id == Category.id)
        .join(Area, RoutingRule.area_id == Area.id)
        # Eager loads keep the rules page at one query however many rules there are.
        .options(joinedload(RoutingRule.bureau), joinedload(Area.parent))
        .order_by(Category.position, Category.id, Area.code)
    )
    return list(db.session.execute(query).tuples())


def search_users(text: str = "", *, after: int | None = None) -> list[User]:
    """Live accounts whose e-mail, phone or name contains ``text``, by id, a page at a time
    (keyset: ids above ``after``)."""
    # Deleted accounts are tombstones with no contact data: nothing to find or manage.
    query = select(User).where(User.is_deleted.is_(False))
    if text:
        query = query.where(
            # autoescape: a % or _ typed in the search box matches itself, not as a wildcard.
            User.email.icontains(text, autoescape=True)
            | User.phone.contains(text, autoescape=True)
            | User.display_name.icontains(text, autoescape=True)
        )
    if after is not None:
        # Keyset, not OFFSET: pages stay fast and stable while accounts are being added.
        query = query.where(User.id > after)
    query = query.order_by(User.id).limit(USER_PAGE_SIZE)
    # selectinload for the many areas (a join would repeat each user row per area).
    options = (joinedload(User.bureau), selectinload(User.areas))
    return list(db.session.scalars(query.options(*options)))


def current_time_limits() -> TimeLimits:
    """The limits in force: the saved ones, else those of the configuration."""
    return working_rules()[0]


def list_upcoming_calendar_days() -> list[CalendarDay]:
    """Holidays and make-up days from today (in the district's time zone) on."""
    # Today in the district, not in UTC: before 08:00 Beijing time UTC is still on yesterday.
    today = datetime.now(get_timezone()).date()
    query = select(CalendarDay).where(CalendarDay.day >= today).order_by(CalendarDay.day)
    return list(db.session.scalars(query))


# --- Open311 client apps' keys ---------------------------------------------------------------


def list_api_keys() -> list[tuple[ApiKey, User | None]]:
    """Every key, newest first, with the administrator who issued it (None: the command line)."""
    query = (
        select(ApiKey, User)
        # Outer join: keys issued from the command line have no issuing administrator.
        .outerjoin(User, ApiKey.created_by_id == User.id)
        .order_by(ApiKey.id.desc())
    )
    return list(db.session.execute(query).tuples())


# --- the audit log ----------------------------------------------------------------------------


class AuditPage(NamedTuple):
    events: list[AuditEvent]
    report_codes: dict[int, str]  # subject id → tracking code, for events about reports
    has_more: bool
    # event id → its changes in plain words, "status: published → sent to a bureau"
    changes: dict[int, list[str]] = {}


def _day_start(day: date) -> datetime:
    """Midnight of ``day`` in the site's time zone, in UTC."""
    # Audit times are stored in UTC; a day the admin picks means a local calendar day.
    return datetime.combine(day, time.min, tzinfo=get_timezone()).astimezone(UTC)


def list_audit_events(
    *,
    action=None,
    subject_type=None,
    subject=None,
    actor=None,
    date_from=None,
    date_to=None,
    before: int | None = None,
) -> AuditPage:
    """The log newest first, filtered, a page at a time (keyset: ids below ``before``).

    ``subject`` is a report's tracking code or a subject id; ``actor`` an e-mail address or
    mobile number; the dates are days in the site's time zone, both included.
    """
    query = select(AuditEvent)
    if action:
        query = query.where(AuditEvent.action == action)
    if subject_type:
        query = query.where(AuditEvent.subject_type == subject_type)
    if subject:
        subject = subject.strip()
        # Staff know reports by their tracking code, not by id, so accept the code first.
        report_id = db.session.scalar(select(Report.id).where(Report.code == subject.upper()))
        if report_id is not None:
            query = query.where(
                AuditEvent.subject_type == Report.__tablename__, AuditEvent.subject_id == report_id
            )
        else:
            try:
                query = query.where(AuditEvent.subject_id == parse_id(subject))
            except ValueError:
                # An unknown subject (or a number no id can be) matches nothing, rather than
                # being ignored and showing everything.
                return AuditPage([], {}, False)
    if actor:
        user = find_user(actor)
        # Likewise an unknown actor: silently dropping the filter would mislead the reader.
        if user is None:
            return AuditPage([], {}, False)
        query = query.where(AuditEvent.actor_id == user.id)
    if date_from:
        query = query.where(AuditEvent.created_at >= _day_start(date_from))
    if date_to:
        # Before the next day's start, so the whole of ``date_to`` is included.
        query = query.where(AuditEvent.created_at < _day_start(date_to + timedelta(days=1)))
    if before is not None:
        query = query.where(AuditEvent.id < before)
    # One extra row tells whether there is a next page without a COUNT over the whole log.
    query = query.order_by(AuditEvent.id.desc()).limit(AUDIT_PAGE_SIZE + 1)
    events = list(db.session.scalars(query.options(joinedload(AuditEvent.actor))))
    has_more = len(events) > AUDIT_PAGE_SIZE
    events = events[:AUDIT_PAGE_SIZE]
    # One query for all the page's tracking codes instead of one per event.
    report_ids = {e.subject_id for e in events if e.subject_type == Report.__tablename__}
    codes = {}
    if report_ids:
        rows = db.session.execute(select(Report.id, Report.code).where(Report.id.in_(report_ids)))
        codes = {report_id: code for report_id, code in rows}
    return AuditPage(events, codes, has_more, describe_changes(events))


# Fields whose values are bureau codes (or, for answers, a bureau id), shown by name.
_BUREAU_FIELDS = ("bureau", "default_bureau")


def describe_changes(events: list[AuditEvent]) -> dict[int, list[str]]:
    """Each event's before and after, one line per field in the reader's language: the field's
    name, and the values translated where they are codes (statuses, roles, bureaus: their
    names, read in one query for the page), "old → new" where both are known."""
    codes = {
        value
        for event in events
        for side in (event.before or {}, event.after or {})
        for field, value in side.items()
        if field in _BUREAU_FIELDS and isinstance(value, str)
    }
    bureaus = {}
    if codes:
        bureaus = {b.code: b.display_name for b in db.session.scalars(
            select(Bureau).where(Bureau.code.in_(codes))
        )}  # fmt: skip
    described = {}
    for event in events:
        before, after = event.before or {}, event.after or {}
        lines = []
        for field in dict.fromkeys([*before, *after]):
            old, new = (_value(event, field, side.get(field), bureaus) for side in (before, after))
            name = str(FIELD_LABELS.get(field, field))
            if field not in before:
                lines.append(f"{name}: {new}")
            elif field not in after:
                lines.append(f"{name}: {old} → —")
            else:
                lines.append(f"{name}: {old} → {new}")
        described[event.id] = lines
    return described


def _value(event: AuditEvent, field: str, value, bureaus: dict[str, str]) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if field == "status":
        labels = COMMENT_STATUS_LABELS if event.subject_type == "comments" else STATUS_LABELS
        return str(labels.get(value, value))
    if field in _BUREAU_FIELDS:
        return bureaus.get(value, str(value))
    if field == "role":
        return str(ROLE_LABELS.get(value, value))
    if field == "channel":
        return str(CHANNEL_LABELS.get(value, value))
    if isinstance(value, list):
        return ", ".join(_value(event, field, item, bureaus) for item in value)
    if isinstance(value, dict):
        return ", ".join(f"{key} {item}" for key, item in value.items())
    text = str(value)
    return text if len(text) <= 120 else text[:119] + "…"
