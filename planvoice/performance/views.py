"""The scorecard's pages: the public tables, the method, a bureau's or street's page, and
the bureau's own page."""

from flask import abort, render_template, request, url_for
from flask_login import current_user

from planvoice.core import policy
from planvoice.core.caching import cached_page
from planvoice.core.db import utcnow
from planvoice.core.i18n import _
from planvoice.performance import charts, queries, windows
from planvoice.performance.figures import MIN_CASES
from planvoice.reports.models import SATISFACTION_LABELS, SOLVED_LABELS

TREND_MONTHS = 12
CODE = "__code__"


def _window(now):
    """The window the reader chose (``?window=``), or the default for a value we don't know."""
    try:
        return windows.parse_window(request.args.get("window"), now=now)
    except ValueError:
        return windows.parse_window(None, now=now)


def _window_choices(now) -> list[tuple[str, str]]:
    rolling = [
        ("30d", _("Last 30 days")),
        ("90d", _("Last 90 days")),
        ("365d", _("Last 365 days")),
    ]
    current, *earlier = windows.recent_months(TREND_MONTHS, now=now)
    months = [(current, _("This month (%(month)s)", month=current))]
    return months + [(month, month) for month in earlier] + rolling


@cached_page
def show_scorecard():
    """The public scorecard: a table of bureaus and one of streets for a window."""
    now = utcnow()
    window = _window(now)
    return render_template(
        "performance/scorecard.html",
        window=window,
        choices=_window_choices(now),
        # The table shows no medians: their histograms are not read.
        tables={
            g: _by_rank(queries.scorecard(g, window, now=now, days=False)) for g in queries.GROUPS
        },
        names={group: _display_names(group) for group in queries.GROUPS},
        # One address built per table, the code put in per row (url_for on every row was a
        # good part of the page's time).
        links={
            group: url_for(endpoint, code=CODE, window=window.key)
            for group, endpoint in (
                ("bureau", "performance.show_bureau"),
                ("area", "performance.show_area"),
            )
        },  # fmt: skip
        code_placeholder=CODE,
    )


@cached_page
def show_method():
    return render_template("performance/method.html", min_cases=MIN_CASES)


@cached_page
def show_bureau(code: str):
    return _subject_page("bureau", code)


@cached_page
def show_area(code: str):
    return _subject_page("area", code)


@policy.requires(policy.can_read_bureau_performance)
def show_own_bureau():
    """A bureau's own page: the public figures, its overdue cases and what falls due soon."""
    bureau = current_user.bureau or abort(404)
    return _subject_page("bureau", bureau.code, own=True)


def _subject_page(group: str, code: str, *, own: bool = False):
    now = utcnow()
    subject = queries.find_subject(group, code) or abort(404)
    window = _window(now)
    document = queries.scorecard(group, window, now=now)
    row = next(r for r in document["rows"] if r["code"] == subject.code)
    months = windows.recent_months(TREND_MONTHS, now=now)
    trend = queries.trend(group, subject, months=months, now=now)
    return render_template(
        "performance/subject.html",
        group=group,
        subject=subject,
        own=own,
        window=window,
        choices=_window_choices(now),
        row=row,
        trend=trend,
        charts=_charts(trend),
        overdue=queries.overdue_cases(group, subject.id, now=now),
        due_soon=queries.due_this_week(subject.id, now=now) if own else [],
        answers=queries.latest_answers(group, subject.id),
        satisfaction_labels=SATISFACTION_LABELS,
        solved_labels=SOLVED_LABELS,
        now=now,
    )


def _charts(trend) -> dict:
    labels = charts.month_labels([month for month, figures in trend])
    rates = charts.rate_chart(
        labels,
        [
            (_("Satisfied"), "line-satisfied", [f["satisfaction_rate"] for month, f in trend]),
            (
                _("Resolved in time"),
                "line-on-time",
                [f["on_time_resolution_rate"] for month, f in trend],
            ),
        ],
    )
    counts = charts.count_chart(labels, [f["cases"] for month, f in trend])
    return {"rates": rates, "counts": counts}


def _by_rank(document: dict) -> dict:
    """The page's order: ranked rows first, best first; then those with too few cases to be
    ranked; those without a case in the period apart (``idle``), in one line."""
    rows = [row for row in document["rows"] if row["cases"]]
    rows.sort(key=lambda row: (row["rank"] is None, row["rank"] or 0, -row["cases"]))
    idle = [row for row in document["rows"] if not row["cases"]]
    return document | {"rows": rows, "idle": idle}


def _display_names(group: str) -> dict[str, str]:
    return {s.code: s.display_name for s in queries.list_subjects(group)}
