"""The cases behind the scorecard, kept step by step, and the months stored once closed.

Each step of a report (``core.signals.REPORT_STEPS``) updates the report's current case in the
step's own transaction: routing opens a case with the time limits of that moment, the bureau's
steps and the resident's answer fill in its times and outcome. Nothing here commits.
"""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import and_, or_, select

from planvoice.bureaus.queries import working_rules
from planvoice.bureaus.time_limits import due_times
from planvoice.core import signals
from planvoice.core.audit import record_event
from planvoice.core.db import insert_unless_taken, utcnow
from planvoice.core.extensions import db
from planvoice.performance import counts, queries, windows
from planvoice.performance.models import Case, ClosedMonth, MonthlyResult
from planvoice.reports.models import Report, ReportEvent, ReportStatus


def current_case(report: Report) -> Case | None:
    """The report's latest routing (None if it was never routed)."""
    return db.session.scalar(
        select(Case).where(Case.report_id == report.id).order_by(Case.id.desc()).limit(1)
    )


def open_case(report: Report, bureau_id: int, *, at: datetime) -> Case:
    """A new case: ``report`` routed to the bureau at ``at``, with the time limits in force
    now; filed under the street or town where the report is."""
    limits, calendar = working_rules()
    due = due_times(at, limits, calendar)
    area = report.area
    case = Case(
        report_id=report.id,
        bureau_id=bureau_id,
        area_id=(area.parent_id or area.id) if area is not None else None,
        routed_at=at,
        accept_by=due.accept_by,
        reply_by=due.reply_by,
        resolve_by=due.resolve_by,
        reopen_count=0,
        is_open=True,
        is_pending=True,
    )
    db.session.add(case)
    db.session.flush()
    month = windows.month_of(case.routed_at)
    counts.apply_change(month, counts.keys_of(case), counts.NOTHING, counts.contribution(case))
    return case


def record_step(
    case: Case,
    step: str,
    *,
    at: datetime,
    satisfaction: str | None = None,
    solved: bool | None = None,
) -> Case:
    """Write one step (a ``ReportStatus`` value, or "replied") that happened at ``at`` into
    ``case``: the first acceptance, reply and resolution count against the time limits (a
    resolution answers in public too); the latest resident answer is the case's outcome."""
    _, calendar = working_rules()
    before = counts.contribution(case)

    def days() -> int:
        return calendar.working_days_between(case.routed_at, at)

    if step == ReportStatus.ACCEPTED and case.accepted_at is None:
        case.accepted_at, case.days_to_accept = at, days()
    elif step == ReportStatus.RETURNED:
        case.returned_at, case.is_open = at, False
    elif step == "replied" and case.first_reply_at is None:
        case.first_reply_at, case.days_to_reply = at, days()
    elif step == ReportStatus.RESOLVED:
        if case.first_reply_at is None:
            case.first_reply_at, case.days_to_reply = at, days()
        if case.first_resolved_at is None:
            case.first_resolved_at, case.days_to_resolve = at, days()
        case.is_open = False
    elif step in (ReportStatus.REOPENED, ReportStatus.CLOSED):
        case.satisfaction, case.solved, case.answered_at = satisfaction, solved, at
        case.is_open = step == ReportStatus.REOPENED
        if step == ReportStatus.REOPENED:
            case.reopen_count += 1
    elif step in (ReportStatus.DUPLICATE, ReportStatus.REJECTED):
        case.is_open = False
    case.is_pending = case.is_open or (case.returned_at is None and case.first_resolved_at is None)
    month = windows.month_of(case.routed_at)
    counts.apply_change(month, counts.keys_of(case), before, counts.contribution(case))
    db.session.flush()
    return case


# The clock's part


def mark_passed_limits(now: datetime | None = None) -> int:
    """Set the ``*_passed`` flag of every pending case whose time limit the clock has passed
    by ``now``, moving the monthly counts by delta as a step does; flush. Return how many
    cases changed. The outbox worker runs this on every turn, so the scorecard is behind the
    clock by at most one turn (a few seconds), and reads no case itself."""
    now = now or utcnow()
    due = or_(
        and_(Case.accept_by_passed.is_(False), Case.accept_by < now),
        and_(Case.reply_by_passed.is_(False), Case.reply_by < now),
        and_(Case.resolve_by_passed.is_(False), Case.resolve_by < now),
    )
    changed = 0
    for case in db.session.scalars(select(Case).where(Case.is_pending.is_(True), due)):
        before = counts.contribution(case)
        case.accept_by_passed = case.accept_by_passed or case.accept_by < now
        case.reply_by_passed = case.reply_by_passed or case.reply_by < now
        case.resolve_by_passed = case.resolve_by_passed or case.resolve_by < now
        month = windows.month_of(case.routed_at)
        counts.apply_change(month, counts.keys_of(case), before, counts.contribution(case))
        changed += 1
    db.session.flush()
    return changed


# Receivers of the report signals


def _on_report_step(report: Report, *, event: ReportEvent, **_kwargs) -> None:
    # The step's time is its timeline entry's, so ``rebuild_cases`` finds the same times.
    if event.status == ReportStatus.ROUTED:
        open_case(report, report.bureau_id, at=event.created_at)
        return
    case = current_case(report)
    if case is not None:
        _record_event(case, event)


def _record_event(case: Case, event: ReportEvent) -> None:
    answer = event.answer
    record_step(
        case,
        event.status,
        at=event.created_at,
        satisfaction=answer.satisfaction if answer is not None else None,
        solved=answer.solved if answer is not None else None,
    )


def connect_receivers() -> None:
    """Keep cases in step with every report signal (``performance.init_app``)."""
    for signal in signals.REPORT_STEPS:
        signal.connect(_on_report_step)


def rebuild_cases() -> int:
    """Write the cases again from the reports' timelines (for a database that had reports
    before cases were kept); return how many. Safe to run twice: it replaces them."""
    db.session.execute(Case.__table__.delete())
    counts.rebuild_counts(windows.month_of)  # empty, then filled case by case below
    events = db.session.scalars(select(ReportEvent).order_by(ReportEvent.id)).all()
    case_of: dict[int, Case] = {}  # each report's current case
    opened = 0
    for event in events:
        if event.status == ReportStatus.ROUTED and event.bureau_id is not None:
            report = db.session.get(Report, event.report_id)
            case_of[report.id] = open_case(report, event.bureau_id, at=event.created_at)
            opened += 1
        elif (case := case_of.get(event.report_id)) is not None:
            _record_event(case, event)
    mark_passed_limits()
    return opened


# Closed months


def month_due_for_closing(now: datetime | None = None) -> str | None:
    """The previous month, once the first working day of this month has begun (local time)
    and if it is not stored yet; else None."""
    now = now or utcnow()
    _, calendar = working_rules()
    today = now.astimezone(ZoneInfo(calendar.timezone)).date()
    first = today.replace(day=1)
    first_working = first
    while not calendar.is_working_day(first_working):
        first_working += timedelta(days=1)
    if today < first_working:
        return None
    month = _previous_month(first)
    if db.session.get(ClosedMonth, month) is not None:
        return None
    return month


def close_month(month: str | None = None, *, now: datetime | None = None) -> bool:
    """Compute and store the scorecard of ``month`` ("YYYY-MM"; default: the month due, see
    ``month_due_for_closing``) for every bureau and street, as it stands now; flush. A month
    already stored is left as it is (False): later events never move it."""
    now = now or utcnow()
    month = month or month_due_for_closing(now)
    if month is None:
        return False
    window = windows.month_window(month)
    if window.end > now:
        raise ValueError(f"month {month} has not ended yet")
    if not insert_unless_taken(db.session, ClosedMonth(month=month, closed_at=now)):
        return False
    mark_passed_limits(now)  # the month as it stands at this moment, clock included
    for group in queries.GROUPS:
        for row in queries.live_rows(group, window):
            db.session.add(
                MonthlyResult(month=month, group=group, code=row["code"], version=1, figures=row)
            )
    db.session.flush()
    return True


def correct_month(
    month: str, *, admin, reason: str, group: str | None = None, code: str | None = None
) -> list[MonthlyResult]:
    """Compute a stored month again (after a case was put right, say) and keep the result as
    a new version of each row that changed, with the administrator's reason, audited; the
    earlier versions stay. Limited to one ``group`` and ``code`` when given; flush."""
    if not (reason or "").strip():
        raise ValueError("a correction needs a reason")
    if db.session.get(ClosedMonth, month) is None:
        raise ValueError(f"month {month} is not closed")
    window = windows.month_window(month)
    mark_passed_limits()
    stored = queries.stored_rows_by_key(month)
    written = []
    for row_group in [group] if group else queries.GROUPS:
        for row in queries.live_rows(row_group, window):
            if code and row["code"] != code:
                continue
            previous = stored.get((row_group, row["code"]))
            if previous is not None and previous.figures == row:
                continue
            result = MonthlyResult(
                month=month,
                group=row_group,
                code=row["code"],
                version=(previous.version + 1) if previous else 1,
                figures=row,
                reason=reason.strip(),
                recorded_by_id=admin.id,
            )
            db.session.add(result)
            db.session.flush()
            record_event(
                "performance.correct_month",
                result,
                actor=admin,
                before=previous.figures if previous else None,
                after=row,
                note=reason.strip(),
            )
            written.append(result)
    db.session.flush()
    return written


def _previous_month(first_of_month: date) -> str:
    last_day = first_of_month - timedelta(days=1)
    return f"{last_day.year:04d}-{last_day.month:02d}"
