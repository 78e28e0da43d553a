"""Administration: bureaus, categories, areas, routing rules, time limits, the working-day
calendar and e-mails that failed. Every change is written to the audit log; services flush and
never commit (the request does)."""

import re
from datetime import date

from sqlalchemy import select

from planvoice.bureaus.models import Bureau, CalendarDay, TimeLimitSettings
from planvoice.core.audit import record_event
from planvoice.core.extensions import db
from planvoice.core.i18n import _
from planvoice.notifications.models import OutboxMessage, OutboxStatus
from planvoice.notifications.outbox import retry_message
from planvoice.reports.areas import Area, Category, RoutingRule

# Stable lowercase words (``urban_management``): other software and links rely on them.
CODE_RE = re.compile(r"^[a-z][a-z0-9_]{1,39}$")


class AdminError(ValueError):
    """A change that cannot be made; the message is for people, and nothing was changed."""


def _check_new_code(model, code: str) -> None:
    if not CODE_RE.match(code or ""):
        raise AdminError(
            _("A code is 2 to 40 lowercase letters, digits or _, starting with a letter.")
        )
    # A friendly refusal; the unique column still stops two admins adding one code at once.
    if db.session.scalar(select(model.id).where(model.code == code)) is not None:
        raise AdminError(_("The code %(code)s is already taken.", code=code))


def _save(model, obj, *, name: str, actor, code, values: dict, snapshot):
    """Create (``obj`` None, with ``code``) or update ``obj``; audit what changed."""
    before = None
    if obj is None:
        _check_new_code(model, code)
        obj = model(code=code)
        db.session.add(obj)
    else:
        # Snapshot before the change so the audit event can show what an edit replaced.
        before = snapshot(obj)
    for key, value in values.items():
        setattr(obj, key, value)
    db.session.flush()
    # The flush above gives a new row its id, which the audit event needs as its subject.
    after = snapshot(obj)
    if after != before:
        # A resubmitted unchanged form changes nothing, so it leaves no audit event either.
        action = f"{name}.create" if before is None else f"{name}.update"
        record_event(action, obj, actor=actor, before=before, after=after)
        db.session.flush()
    return obj


# --- bureaus and categories -------------------------------------------------------------------


def _bureau_snapshot(bureau: Bureau) -> dict:
    return {
        "code": bureau.code,
        "name": bureau.name,
        "name_en": bureau.name_en,
        "email": bureau.email,
    }


def save_bureau(bureau: Bureau | None, *, actor, code=None, name, name_en, email) -> Bureau:
    """Add a bureau (``bureau`` None; its ``code`` never changes afterwards) or edit one."""
    # A blank e-mail is stored as None: the outbox then skips the bureau instead of mailing "".
    values = {"name": name, "name_en": name_en or "", "email": email or None}
    return _save(
        Bureau,
        bureau,
        name="bureau",
        actor=actor,
        code=code,
        values=values,
        snapshot=_bureau_snapshot,
    )


def _category_snapshot(category: Category) -> dict:
    return {
        "code": category.code,
        "position": category.position,
        "name_zh": category.name_zh,
        "name_en": category.name_en,
        "hint_zh": category.hint_zh,
        "hint_en": category.hint_en,
        # Codes, not ids, so the audit log stays readable after rows are renamed or removed.
        "default_bureau": category.default_bureau.code if category.default_bureau else None,
        "measure": category.measure.key if category.measure else None,
        "is_active": category.is_active,
    }


def save_category(
    category: Category | None,
    *,
    actor,
    code=None,
    position,
    name_zh,
    name_en,
    hint_zh,
    hint_en,
    default_bureau,
    measure,
    is_active,
) -> Category:
    """Add a category (its ``code`` never changes afterwards) or edit one; retiring it
    (``is_active`` False) keeps it on the reports filed under it."""
    values = {
        "position": position,
        "name_zh": name_zh,
        "name_en": name_en,
        "hint_zh": hint_zh or "",
        "hint_en": hint_en or "",
        "default_bureau": default_bureau,
        "measure": measure,
        "is_active": is_active,
    }
    return _save(
        Category,
        category,
        name="category",
        actor=actor,
        code=code,
        values=values,
        snapshot=_category_snapshot,
    )


# --- areas and routing rules ------------------------------------------------------------------


def _area_snapshot(area: Area) -> dict:
    return {
        "code": area.code,
        "name": area.name,
        "kind": area.kind,
        "parent": area.parent.code if area.parent else None,
        "box": list(area.box) if area.box else None,
    }


def add_community(parent: Area, *, actor, code, name) -> Area:
    """Add a community (社区/村) inside a street or town."""
    # Two levels only, as in the district's own structure: street/town, then community.
    if parent.kind == "community":
        raise AdminError(_("A community belongs to a street or a town."))
    values = {"name": name, "kind": "community", "parent": parent}
    return _save(
        Area, None, name="area", actor=actor, code=code, values=values, snapshot=_area_snapshot
    )


def update_area(area: Area, *, actor, name, box: tuple | None = None) -> Area:
    """Rename an area and, for a street or town, set where it lies (``box``: south, west,
    north, east; None for unknown). A community lies in its street: it has no box."""
    values = {"name": name}
    if area.kind != "community":
        values.update(zip(("south", "west", "north", "east"), box or (None,) * 4, strict=True))
    return _save(
        Area,
        area,
        name="area",
        actor=actor,
        code=None,
        values=values,
        snapshot=_area_snapshot,
    )


def _rule_snapshot(rule: RoutingRule) -> dict:
    # The rule stores only ids; look the rows up so the audit log names them by code.
    category = db.session.get(Category, rule.category_id)
    area = db.session.get(Area, rule.area_id)
    return {"category": category.code, "area": area.code, "bureau": rule.bureau.code}


def add_routing_rule(*, category: Category, area: Area, bureau: Bureau, actor) -> RoutingRule:
    """Send reports of ``category`` from ``area`` (and its communities) to ``bureau``."""
    taken = select(RoutingRule.id).where(
        RoutingRule.category_id == category.id, RoutingRule.area_id == area.id
    )
    # One rule per category and area (also a unique constraint), so routing is never ambiguous.
    if db.session.scalar(taken) is not None:
        raise AdminError(_("There is already a rule for this category and area: delete it first."))
    rule = RoutingRule(category_id=category.id, area_id=area.id, bureau=bureau)
    db.session.add(rule)
    db.session.flush()
    record_event("routing_rule.create", rule, actor=actor, after=_rule_snapshot(rule))
    db.session.flush()
    return rule


def delete_routing_rule(rule: RoutingRule, *, actor) -> None:
    # Recorded before the delete, while the rule can still be described.
    record_event("routing_rule.delete", rule, actor=actor, before=_rule_snapshot(rule))
    db.session.delete(rule)
    db.session.flush()


# --- users ------------------------------------------------------------------------------------


# --- time limits and the calendar -------------------------------------------------------------


def save_time_limits(*, accept_days: int, reply_days: int, resolve_days: int, actor):
    """Store the three limits in working days from routing."""
    if min(accept_days, reply_days, resolve_days) < 0:
        raise AdminError(_("A time limit cannot be negative."))
    # Limits all count from routing, so a resolve limit shorter than the others would make
    # reports overdue for resolving before they were even due to be accepted.
    if accept_days > resolve_days or reply_days > resolve_days:
        raise AdminError(_("Resolving cannot be due before accepting or the first reply."))
    settings = db.session.get(TimeLimitSettings, 1)
    before = _limits_snapshot(settings) if settings else None
    if settings is None:
        # The first save creates the single row; until then the configured defaults apply.
        settings = TimeLimitSettings(id=1)
        db.session.add(settings)
    settings.accept_days, settings.reply_days = accept_days, reply_days
    settings.resolve_days = resolve_days
    db.session.flush()
    after = _limits_snapshot(settings)
    if after != before:
        record_event("time_limits.update", settings, actor=actor, before=before, after=after)
        db.session.flush()
    return settings


def _limits_snapshot(settings: TimeLimitSettings) -> dict:
    return {
        "accept_days": settings.accept_days,
        "reply_days": settings.reply_days,
        "resolve_days": settings.resolve_days,
    }


class _CalendarSubject:
    """A calendar day as an audit subject: its key is the date, so its id reads 20261001."""

    __tablename__ = CalendarDay.__tablename__

    def __init__(self, day: date):
        # AuditEvent.subject_id is an integer; a date read as YYYYMMDD stays unique and legible.
        self.id = int(day.strftime("%Y%m%d"))


def add_calendar_day(*, day: date, is_workday: bool, name: str, actor) -> CalendarDay:
    """Add a public holiday on a weekday, or a make-up working day (调休) on a weekend."""
    weekend = day.weekday() >= 5
    # Only exceptions to Monday-to-Friday are stored, as the State Council's holiday notice
    # lists them: a holiday falls on a weekday, a make-up day (调休) on a weekend.
    if is_workday and not weekend:
        raise AdminError(_("A make-up working day must be a Saturday or a Sunday."))
    if not is_workday and weekend:
        raise AdminError(
            _(
                "%(day)s is a Saturday or Sunday: nobody works then anyway, so a holiday there "
                "changes nothing.",
                day=day.isoformat(),
            )
        )
    # The date is the primary key: refuse with a message rather than fail on the constraint.
    if db.session.get(CalendarDay, day) is not None:
        raise AdminError(_("%(day)s is already in the calendar.", day=day.isoformat()))
    entry = CalendarDay(day=day, is_workday=is_workday, name=name or "")
    db.session.add(entry)
    db.session.flush()
    record_event("calendar.add", _CalendarSubject(day), actor=actor, after=_day_snapshot(entry))
    db.session.flush()
    return entry


def delete_calendar_day(entry: CalendarDay, *, actor) -> None:
    record_event(
        "calendar.delete", _CalendarSubject(entry.day), actor=actor, before=_day_snapshot(entry)
    )
    db.session.delete(entry)
    db.session.flush()


def _day_snapshot(entry: CalendarDay) -> dict:
    return {"day": entry.day.isoformat(), "is_workday": entry.is_workday, "name": entry.name}


# --- e-mails that failed ----------------------------------------------------------------------


def send_again(message: OutboxMessage, *, actor) -> None:
    """Queue a failed e-mail again (attempts start from zero)."""
    # Only failed mail: resetting a pending or sent one could send it twice.
    if message.status != OutboxStatus.FAILED:
        raise AdminError(
            _("This e-mail is not waiting for a retry: it is %(status)s.", status=message.status)
        )
    # The attempts are reset, so keep the old count in the audit log for the record.
    before = {"status": message.status, "attempts": message.attempts}
    retry_message(message)
    record_event(
        "outbox.retry",
        message,
        actor=actor,
        before=before,
        after={"status": message.status, "attempts": message.attempts},
    )
    db.session.flush()
