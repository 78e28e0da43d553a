"""Reading what bureaus hold: the inbox and its counts, the bureaus and which one a report
should go to, their prepared replies, and the time limits of a routed report (counted in
working days; the arithmetic is in ``time_limits``). No state changes here (those are in
``services``)."""

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from flask import current_app, g
from sqlalchemy import literal_column, select, union_all
from sqlalchemy.orm import joinedload, selectinload

from planvoice.bureaus.models import (
    Bureau,
    CalendarDay,
    MeasureAnswer,
    ReplyTemplate,
    TimeLimitSettings,
)
from planvoice.bureaus.time_limits import (
    DueTimes,
    TimeLimits,
    WorkingCalendar,
    due_times,
    is_overdue,
)
from planvoice.core.db import utcnow
from planvoice.core.extensions import db
from planvoice.reports.areas import Area, RoutingRule
from planvoice.reports.models import (
    HELD_BY_BUREAU,
    BureauReportCount,
    Report,
    ReportEvent,
    ReportStatus,
)

# The inbox's tabs (but "overdue" and "returned") by the statuses they show.
INBOX_STATUSES = {
    "new": (ReportStatus.ROUTED, ReportStatus.REOPENED),
    "accepted": (ReportStatus.ACCEPTED,),
    "in_progress": (ReportStatus.IN_PROGRESS,),
    "resolved": (ReportStatus.RESOLVED, ReportStatus.CLOSED),
    "all": HELD_BY_BUREAU,
}


# A tab shows the oldest this many: a clerk works from the top, and each report carries its
# forms (the tab's download holds more, see ``views.EXPORT_LIMIT``).
INBOX_PAGE_SIZE = 20


def list_inbox(bureau_id: int, *, view: str = "new", limit: int = INBOX_PAGE_SIZE) -> list[Report]:
    """The bureau's reports for one tab of its inbox, oldest routing first, with what the
    inbox and its export show (category, area and street) in one query."""
    query = (
        select(Report)
        .order_by(Report.routed_at, Report.id)
        .limit(limit)
        .options(
            joinedload(Report.category),
            joinedload(Report.area).joinedload(Area.parent),
            # The inbox shows each case's first photo as a thumbnail: one query for them all.
            selectinload(Report.photos),
        )
    )
    if view == "returned":
        # Returned reports have left the bureau; the timeline remembers who returned them. A
        # history, so the newest reports come first, read from the end of a partial index.
        returned_by = (
            select(ReportEvent.report_id)
            .where(
                ReportEvent.status == literal_column("'returned'"),
                ReportEvent.bureau_id == bureau_id,
            )
            .group_by(ReportEvent.report_id)
            .order_by(ReportEvent.report_id.desc())
            .limit(limit)
            .subquery()
        )
        newest = query.order_by(None).order_by(Report.id.desc())
        return list(db.session.scalars(newest.where(Report.id.in_(select(returned_by)))))
    # The oldest of each status apart, each read in order from the inbox index, then merged:
    # one ordered walk over several statuses would sort all the bureau's resolved reports.
    oldest = [
        select(Report.id)
        .where(Report.bureau_id == bureau_id, Report.status == status)
        .order_by(Report.routed_at, Report.id)
        .limit(limit)
        .subquery()
        for status in INBOX_STATUSES[view]
    ]
    ids = union_all(*(select(part.c.id) for part in oldest))
    return list(db.session.scalars(query.where(Report.id.in_(ids))))


def count_inbox(bureau_id: int) -> dict[str, int]:
    """How many reports each status holds for the bureau (maintained counts: a few rows)."""
    # By status rather than by tab: the template adds up the tabs that share one.
    rows = db.session.execute(
        select(BureauReportCount.status, BureauReportCount.report_count).where(
            BureauReportCount.bureau_id == bureau_id
        )
    ).all()
    return dict(rows)


def suggest_bureau(report: Report) -> Bureau | None:
    """The bureau a routing rule names for the report's category and area (or the street the
    area belongs to), else the category's default bureau."""
    return suggest_bureaus([report])[report.id]


def suggest_bureaus(reports: list[Report]) -> dict[int, Bureau | None]:
    """``suggest_bureau`` for each of ``reports`` (by id), with the rules read in one query, so
    a queue of reports to route costs the same however many it shows."""
    places = {r.id: _areas_of(r) for r in reports}
    area_ids = {area_id for areas in places.values() for area_id in areas}
    rules: dict[tuple[int, int], Bureau] = {}
    if area_ids:
        for rule in db.session.scalars(
            select(RoutingRule)
            .where(
                RoutingRule.category_id.in_({r.category_id for r in reports}),
                RoutingRule.area_id.in_(area_ids),
            )
            .options(joinedload(RoutingRule.bureau))
        ):
            rules[rule.category_id, rule.area_id] = rule.bureau
    suggestions = {}
    for report in reports:
        # The most specific rule wins: the community's over its street's.
        named = (rules.get((report.category_id, a)) for a in places[report.id])
        suggestions[report.id] = next(
            (bureau for bureau in named if bureau is not None), report.category.default_bureau
        )
    return suggestions


def _areas_of(report: Report) -> list[int]:
    """The report's area and, for a community, its street: where routing rules may apply."""
    if report.area_id is None:
        return []
    return [report.area_id] + ([report.area.parent_id] if report.area.parent_id else [])


def list_bureaus() -> list[Bureau]:
    # In creation order, so the routing form lists the bureaus as administrators added them.
    return list(db.session.scalars(select(Bureau).order_by(Bureau.id)))


def get_bureau(code: str | None) -> Bureau | None:
    if not code:
        return None
    return db.session.scalar(select(Bureau).where(Bureau.code == code))


def list_reply_templates(bureau_id: int | None = None) -> list[ReplyTemplate]:
    """One bureau's prepared replies in its own order, or (None) every bureau's, by bureau."""
    query = select(ReplyTemplate).options(joinedload(ReplyTemplate.bureau))
    if bureau_id is not None:
        query = query.where(ReplyTemplate.bureau_id == bureau_id)
    order = (ReplyTemplate.bureau_id, ReplyTemplate.position, ReplyTemplate.id)
    return list(db.session.scalars(query.order_by(*order)))


def get_reply_template(template_id: int | None, *, bureau_id: int | None) -> ReplyTemplate | None:
    """``bureau_id``'s prepared reply ``template_id``: another bureau's is none; ``bureau_id``
    None (for administrators) stands for any bureau."""
    # Ids come from forms and paths; one beyond the 64-bit column is none, not a database error.
    if not template_id or not 0 < template_id < 2**63:
        return None
    template = db.session.get(ReplyTemplate, template_id)
    if template is None or bureau_id not in (None, template.bureau_id):
        return None
    return template


@dataclass(frozen=True)
class Deadlines:
    """When a routed report's bureau must act, and which of those moments have passed."""

    due: DueTimes
    accept_overdue: bool
    reply_overdue: bool
    resolve_overdue: bool

    # What the bureau must do next ("accept", "reply" or "resolve"; None when nothing is
    # due), by when, and whether that moment has passed: the inbox sorts and colours by it.
    next_step: str | None = None
    next_due: datetime | None = None
    next_overdue: bool = False

    @property
    def is_overdue(self) -> bool:
        return self.accept_overdue or self.reply_overdue or self.resolve_overdue


def working_rules() -> tuple[TimeLimits, WorkingCalendar]:
    """The time limits and working calendar in force: what administrators set in the app
    (``TimeLimitSettings``, ``CalendarDay``) over the configuration's ``TIME_LIMIT_*_DAYS``,
    ``HOLIDAYS`` and ``MAKEUP_WORKDAYS``. Read once per request (two small queries)."""
    config = current_app.config
    configured = (
        config["TIME_LIMIT_ACCEPT_DAYS"],
        config["TIME_LIMIT_REPLY_DAYS"],
        config["TIME_LIMIT_RESOLVE_DAYS"],
        tuple(config["HOLIDAYS"]),
        tuple(config["MAKEUP_WORKDAYS"]),
        config["BABEL_DEFAULT_TIMEZONE"],
    )
    if g.get("working_rules_of") == configured:
        return g.working_rules
    accept, reply, resolve, holidays, makeup_workdays, timezone = configured
    settings = db.session.get(TimeLimitSettings, 1)
    if settings is not None:
        accept, reply, resolve = settings.accept_days, settings.reply_days, settings.resolve_days
    days = db.session.execute(select(CalendarDay.day, CalendarDay.is_workday)).all()
    calendar = _calendar(holidays, makeup_workdays, tuple(sorted(days)), timezone)
    g.working_rules_of = configured
    g.working_rules = TimeLimits(accept, reply, resolve), calendar
    return g.working_rules


@lru_cache(maxsize=8)
def _calendar(
    holidays: tuple, makeup_workdays: tuple, set_in_app: tuple, timezone: str
) -> WorkingCalendar:
    # Parsed once per calendar, not once per report on every inbox page. A day set in the app
    # overrides the configuration's word on it.
    configured = WorkingCalendar.from_config(holidays, makeup_workdays, timezone=timezone)
    workdays = {day for day, is_workday in set_in_app if is_workday}
    days_off = {day for day, is_workday in set_in_app if not is_workday}
    return WorkingCalendar(
        holidays=frozenset((configured.holidays - workdays) | days_off),
        makeup_workdays=frozenset((configured.makeup_workdays - days_off) | workdays),
        timezone=timezone,
    )


def deadlines_of(report: Report, *, now: datetime | None = None) -> Deadlines | None:
    """The time limits of a routed report (None before routing), counted in working days
    from the moment it was routed (see ``working_rules``)."""
    if report.routed_at is None:
        return None
    limits, calendar = working_rules()
    # Every limit counts from the routing, so a report routed again gets fresh clocks.
    due = due_times(report.routed_at, limits, calendar)
    now = now or utcnow()
    # Only a report nobody has signed for yet can be late to be accepted.
    waiting = report.status == ReportStatus.ROUTED
    open_ = report.status not in (ReportStatus.RESOLVED, ReportStatus.CLOSED)
    next_step = _next_step(report)
    next_due = getattr(due, f"{next_step}_by") if next_step else None
    return Deadlines(
        next_step=next_step,
        next_due=next_due,
        next_overdue=next_due is not None and is_overdue(next_due, None, now),
        due=due,
        accept_overdue=waiting and is_overdue(due.accept_by, None, now),
        # Resolving answers in public too, so a resolved report is never reply-overdue.
        reply_overdue=open_
        and report.first_reply_at is None
        and is_overdue(due.reply_by, None, now),
        resolve_overdue=open_ and is_overdue(due.resolve_by, None, now),
    )


def _next_step(report: Report) -> str | None:
    if report.status in (ReportStatus.ROUTED, ReportStatus.REOPENED):
        return "accept"
    if report.status in (ReportStatus.ACCEPTED, ReportStatus.IN_PROGRESS):
        return "reply" if report.first_reply_at is None else "resolve"
    return None


def resolve_due(routed_at: datetime) -> datetime:
    """When a report routed at ``routed_at`` must be resolved (``deadlines_of``'s
    ``resolve_by``, without the other limits: for listings that show only this one)."""
    limits, calendar = working_rules()
    return calendar.add_working_days(routed_at, limits.resolve_days)


def report_is_overdue(report: Report) -> bool:
    """Has a time limit of the report's routing passed (acceptance, reply or resolution)?"""
    deadlines = deadlines_of(report)
    return deadlines is not None and deadlines.is_overdue


def answers_on_measure(measure_id: int) -> list:
    """The bureaus' public answers on a measure, newest first, with their bureaus."""
    return list(
        db.session.scalars(
            select(MeasureAnswer)
            .options(joinedload(MeasureAnswer.bureau))
            .where(MeasureAnswer.measure_id == measure_id)
            .order_by(MeasureAnswer.created_at.desc(), MeasureAnswer.id.desc())
        )
    )
