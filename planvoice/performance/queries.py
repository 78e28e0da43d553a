"""The scorecard's reads: a month from the store once closed, else from the monthly counts
plus the few pending cases, counted live; the last N days from the cases themselves.

Each read is a fixed number of grouped queries, whatever the number of cases. The rules are
the ones the method page (``/performance/method``) states in plain words.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import get_locale
from sqlalchemy import case as sql_case
from sqlalchemy import func, select

from planvoice.bureaus.models import Bureau
from planvoice.core.caching import once_per_request
from planvoice.core.db import utcnow
from planvoice.core.extensions import db
from planvoice.performance.counts import (
    month_figures,
    past_a_limit,
    subject_column,
    window_figures,
)
from planvoice.performance.figures import (
    difference,
    empty_figures,
    rank_rows,
    score_of,
)
from planvoice.performance.models import (
    Case,
    ClosedMonth,
    MonthlyResult,
)
from planvoice.performance.windows import Window
from planvoice.reports.areas import Area

GROUPS = ("bureau", "area")


# Subjects: bureaus and streets


@dataclass(frozen=True)
class Subject:
    id: int
    code: str
    name: str
    display_name: str


def list_subjects(group: str) -> list[Subject]:
    """Every bureau, or every street and town, in the order the scorecard lists them (read
    once per request)."""
    return once_per_request("scorecard-subjects", group, lambda: _read_subjects(group))


def _read_subjects(group: str) -> list[Subject]:
    if group == "bureau":
        english = str(get_locale()) == "en"
        rows = db.session.execute(
            select(Bureau.id, Bureau.code, Bureau.name, Bureau.name_en).order_by(Bureau.code)
        )
        return [
            Subject(i, code, name, (english and name_en) or name) for i, code, name, name_en in rows
        ]
    rows = db.session.execute(
        select(Area.id, Area.code, Area.name).where(Area.parent_id.is_(None)).order_by(Area.code)
    )
    return [Subject(i, code, name, name) for i, code, name in rows]


def find_subject(group: str, code: str) -> Subject | None:
    return next((s for s in list_subjects(group) if s.code == code), None)


# The scorecard


def _rows(group: str, figures_by_id: dict) -> list[dict]:
    rows = []
    for subject in list_subjects(group):
        row = {"code": subject.code, "name": subject.name}
        row |= figures_by_id.get(subject.id) or empty_figures()
        row["score"] = score_of(row)
        rows.append(row)
    rank_rows(rows)
    return rows


def live_rows(group: str, window: Window, *, days: bool = True) -> list[dict]:
    """One row per bureau (or street) for the cases of ``window`` as the monthly counts stand
    (the clock's part as ``services.mark_passed_limits`` last saw it), ranked (without medians
    unless ``days``)."""
    return _rows(group, window_figures(group, window, days=days))


def stored_rows_by_key(month: str) -> dict[tuple[str, str], MonthlyResult]:
    """The newest version of each stored row of ``month``, by (group, code)."""
    results = db.session.scalars(
        select(MonthlyResult).where(MonthlyResult.month == month).order_by(MonthlyResult.version)
    )
    return {(r.group, r.code): r for r in results}


def _stored_figures(month: str) -> dict[tuple[str, str], dict]:
    """The newest figures of each stored row of ``month`` with their version and reason, by
    (group, code): plain rows, as a page reads them."""
    results = db.session.execute(
        select(
            MonthlyResult.group,
            MonthlyResult.code,
            MonthlyResult.figures,
            MonthlyResult.version,
            MonthlyResult.reason,
        )
        .where(MonthlyResult.month == month)
        .order_by(MonthlyResult.version)
    )
    return {
        (group, code): figures | {"version": version, "correction": reason}
        for group, code, figures, version, reason in results
    }


def _stored_rows(month: str) -> dict[tuple[str, str], dict]:
    """``_stored_figures``, read once per request (a page shows both groups)."""
    return once_per_request("scorecard-stored", month, lambda: _stored_figures(month))


def closed_months(months: list[str]) -> set[str]:
    """Which of ``months`` are stored (asked once per request for the same months)."""

    def read() -> set[str]:
        query = select(ClosedMonth.month).where(ClosedMonth.month.in_(months))
        return set(db.session.scalars(query))

    return once_per_request("scorecard-closed", tuple(months), read)


def rows_for(group: str, window: Window, *, closed: set[str], days: bool = True) -> list[dict]:
    """A window's rows: from the store for a closed month (corrections included), else live
    (without medians unless ``days``)."""
    if window.month in closed:
        stored = _stored_rows(window.month)
        return [dict(row) for (row_group, _), row in sorted(stored.items()) if row_group == group]
    return live_rows(group, window, days=days)


def scorecard(
    group: str, window: Window, *, now: datetime | None = None, days: bool = True
) -> dict:
    """The rows of ``group`` ("bureau" or "area") for ``window``; for a month, each with its
    change of rank and score against the month before: the API's and the page's document.
    ``days=False`` leaves the medians out (the public table shows none; the rank needs
    none), which saves reading the working-days histograms."""
    now = now or utcnow()
    previous = window.previous() if window.month else None
    closed = closed_months([m for m in (window.month, previous and previous.month) if m])
    rows = rows_for(group, window, closed=closed, days=days)
    if previous is not None:
        earlier = rows_for(group, previous, closed=closed, days=days)
        before = {r["code"]: r for r in earlier}
        for row in rows:
            old = before.get(row["code"], {})
            row["change"] = {
                "rank": difference(old.get("rank"), row.get("rank")),
                "score": difference(row.get("score"), old.get("score")),
            }
    return {
        "window": window.key,
        "group": group,
        "from": window.start.isoformat(),
        "until": min(window.end, now).isoformat(),
        "stored": window.month in closed,
        "rows": rows,
    }


# One bureau's or street's page


def trend(group: str, subject: Subject, *, months: list[str], now: datetime | None = None):
    """The figures of each of ``months`` (oldest first) for one subject: closed months from
    the store, the others from the monthly counts, in a fixed number of queries."""
    now = now or utcnow()
    closed = closed_months(months)
    stored = db.session.scalars(
        select(MonthlyResult)
        .where(
            MonthlyResult.month.in_(closed),
            MonthlyResult.group == group,
            MonthlyResult.code == subject.code,
        )
        .order_by(MonthlyResult.version)
    )
    by_month = {result.month: dict(result.figures) for result in stored}
    live = [m for m in months if m not in closed]
    for (month, _key_id), figures in month_figures(group, live, key=subject.id).items():
        by_month[month] = figures
    return [(month, by_month.get(month) or empty_figures()) for month in sorted(months)]


def _cases_of(group: str, subject_id: int):
    return (
        select(Case)
        .join(Case.report)
        .where(subject_column(group) == subject_id)
        .options(db.contains_eager(Case.report))
    )


def overdue_cases(group: str, subject_id: int, *, now=None, limit: int = 50) -> list[Case]:
    """Open cases past a time limit, the longest overdue first."""
    now = now or utcnow()
    query = _cases_of(group, subject_id).where(Case.is_open.is_(True), past_a_limit(now))
    return list(db.session.scalars(query.order_by(Case.routed_at, Case.id).limit(limit)))


def due_this_week(bureau_id: int, *, now=None, limit: int = 50) -> list[Case]:
    """Open cases of a bureau whose resolution falls due in the next seven days."""
    now = now or utcnow()
    query = _cases_of("bureau", bureau_id).where(
        Case.is_open.is_(True), Case.resolve_by >= now, Case.resolve_by < now + timedelta(days=7)
    )
    return list(db.session.scalars(query.order_by(Case.resolve_by, Case.id).limit(limit)))


def latest_answers(group: str, subject_id: int, *, limit: int = 10) -> list[Case]:
    """The residents' latest answers on this subject's fixes, newest first."""
    query = _cases_of(group, subject_id).where(Case.answered_at.is_not(None))
    return list(db.session.scalars(query.order_by(Case.answered_at.desc()).limit(limit)))


def open_and_overdue(*, now=None) -> dict[str, list[dict]]:
    """Open and overdue cases now, by bureau and by street: the administrators' overview."""
    now = now or utcnow()
    overview = {}
    for group in GROUPS:
        key = subject_column(group)
        query = (
            select(key, func.count(), func.sum(sql_case((past_a_limit(now), 1), else_=0)))
            .where(Case.is_pending.is_(True), Case.is_open.is_(True))
            .group_by(key)
        )
        counted = {row[0]: (row[1], row[2]) for row in db.session.execute(query)}
        overview[group] = [
            {"subject": s, "open": counted[s.id][0], "overdue": counted[s.id][1]}
            for s in list_subjects(group)
            if s.id in counted
        ]
    return overview
