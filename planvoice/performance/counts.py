"""The monthly counts of cases (``CaseMonthCount``, ``CaseMonthDays``), kept step by step,
and the figures of a period read from them.

A case adds to the counts of the month it was routed in, once for its bureau and once for its
street: what it adds (``contribution``) depends only on the case, so each step changes the
counts by the difference between the case after and before it, in the same transaction. The
clock's part (a limit that passes with nothing done) is a step too: ``services.
mark_passed_limits`` sets the case's ``*_passed`` flags and moves the counts the same way. The
scorecard reads these few rows, never the cases.
"""

from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import and_, bindparam, func, literal, or_, select, union_all, update
from sqlalchemy import case as sql_case

from planvoice.core.caching import once_per_request
from planvoice.core.db import insert_unless_taken
from planvoice.core.extensions import db
from planvoice.performance.figures import SATISFACTION_LEVELS, STEPS, figures_from
from planvoice.performance.models import COUNTS, Case, CaseMonthCount, CaseMonthDays
from planvoice.performance.windows import Window, month_bounds, months_between


@dataclass(frozen=True)
class Contribution:
    counts: dict[str, int]
    days: dict[str, int]  # step → working days


def contribution(case: Case) -> Contribution:
    """What ``case`` adds to its month's counts as it stands."""
    not_returned = case.returned_at is None
    resolved = case.first_resolved_at is not None
    answered = case.satisfaction is not None

    def within(moment, limit) -> bool:
        return moment is not None and moment <= limit

    not_accepted = case.accepted_at is None and not_returned
    no_reply = not_returned and case.first_reply_at is None
    not_resolved = not_returned and not resolved

    counts = {
        "cases": True,
        "responded": case.accepted_at is not None or not not_returned,
        "response_ok": within(case.accepted_at, case.accept_by)
        or within(case.returned_at, case.accept_by),
        "replied": not_returned and case.first_reply_at is not None,
        "reply_ok": not_returned and within(case.first_reply_at, case.reply_by),
        "resolved_unreturned": not_returned and resolved,
        "resolution_ok": not_returned and within(case.first_resolved_at, case.resolve_by),
        "answers": answered,
        "solved": answered and case.solved is True,
        "satisfied": case.satisfaction == "satisfied",
        "basically_satisfied": case.satisfaction == "basically_satisfied",
        "not_satisfied": case.satisfaction == "not_satisfied",
        "resolved": resolved,
        "reopened": resolved and case.reopen_count > 0,
        # The clock's part, as ``mark_passed_limits`` last saw it.
        "late_response": not_accepted and case.accept_by_passed,
        "late_reply": no_reply and case.reply_by_passed,
        "late_resolution": not_resolved and case.resolve_by_passed,
        "overdue": case.is_open
        and (
            case.resolve_by_passed
            or (case.accepted_at is None and case.accept_by_passed)
            or (case.first_reply_at is None and case.reply_by_passed)
        ),
    }
    days = {
        step: value for step in STEPS if (value := getattr(case, f"days_to_{step}")) is not None
    }
    return Contribution({name: int(bool(value)) for name, value in counts.items()}, days)


NOTHING = Contribution(dict.fromkeys(COUNTS, 0), {})


def keys_of(case: Case) -> list[tuple[str, int]]:
    """The (group, id) rows a case adds to: its bureau's, and its street's when it has one."""
    keys = [("bureau", case.bureau_id)]
    if case.area_id is not None:
        keys.append(("area", case.area_id))
    return keys


def apply_change(month: str, keys, before: Contribution, after: Contribution) -> None:
    """Move the counts of ``month`` for ``keys`` from ``before`` to ``after``; flush."""
    deltas = {name: after.counts[name] - before.counts[name] for name in COUNTS}
    deltas = {name: delta for name, delta in deltas.items() if delta}
    day_deltas = Counter()
    for step, days in before.days.items():
        day_deltas[step, days] -= 1
    for step, days in after.days.items():
        day_deltas[step, days] += 1
    for group, key in keys:
        if deltas:
            _add(CaseMonthCount, {"month": month, "group": group, "key": key}, deltas)
        for (step, days), delta in day_deltas.items():
            if delta:
                where = {"month": month, "group": group, "key": key, "step": step, "days": days}
                _add(CaseMonthDays, where, {"n": delta})


def _add(model, where: dict, deltas: dict) -> None:
    """``UPDATE … SET n = n + delta`` on the row, inserting it first when it is missing (a
    concurrent insert of the same row is waited for, then updated)."""
    table = model.__table__
    condition = [table.c[name] == value for name, value in where.items()]
    values = {name: table.c[name] + delta for name, delta in deltas.items()}
    if db.session.execute(update(table).where(*condition).values(values)).rowcount:
        return
    if not insert_unless_taken(db.session, table.insert().values(**where, **deltas)):
        db.session.execute(update(table).where(*condition).values(values))


def rebuild_counts(month_of) -> int:
    """Write every month's counts again from the cases (after ``rebuild_cases``, or a bulk
    load); ``month_of`` gives a case's month. Return how many count rows there are."""
    db.session.execute(CaseMonthCount.__table__.delete())
    db.session.execute(CaseMonthDays.__table__.delete())
    totals: dict[tuple, Counter] = {}
    days: Counter = Counter()
    for case in db.session.scalars(select(Case)).yield_per(2000):
        month = month_of(case.routed_at)
        share = contribution(case)
        for group, key in keys_of(case):
            totals.setdefault((month, group, key), Counter()).update(share.counts)
            for step, value in share.days.items():
                days[month, group, key, step, value] += 1
    if totals:
        rows = [
            {"month": m, "group": g, "key": k, **{name: c[name] for name in COUNTS}}
            for (m, g, k), c in totals.items()
        ]
        db.session.execute(CaseMonthCount.__table__.insert(), rows)
    if days:
        rows = [
            {"month": m, "group": g, "key": k, "step": s, "days": d, "n": n}
            for (m, g, k, s, d), n in days.items()
        ]
        db.session.execute(CaseMonthDays.__table__.insert(), rows)
    db.session.flush()
    return len(totals)


def subject_column(group: str):
    """The column of ``cases`` a group is counted by: the bureau, or the street or town."""
    return Case.bureau_id if group == "bureau" else Case.area_id


# Reading: the figures of a window, from these counts or from the cases


def _count(*conditions):
    return func.sum(sql_case((and_(*conditions), 1), else_=0))


def late_counts() -> dict:
    """The clock's part over cases, from their ``*_passed`` flags, as ``contribution`` counts
    it: limits passed with nothing done, and cases overdue now."""
    not_returned = Case.returned_at.is_(None)
    return {
        "late_response": _count(
            Case.accepted_at.is_(None), not_returned, Case.accept_by_passed.is_(True)
        ),
        "late_reply": _count(
            not_returned, Case.first_reply_at.is_(None), Case.reply_by_passed.is_(True)
        ),
        "late_resolution": _count(
            not_returned, Case.first_resolved_at.is_(None), Case.resolve_by_passed.is_(True)
        ),
        "overdue": _count(
            Case.is_open.is_(True),
            or_(
                Case.resolve_by_passed.is_(True),
                and_(Case.accepted_at.is_(None), Case.accept_by_passed.is_(True)),
                and_(Case.first_reply_at.is_(None), Case.reply_by_passed.is_(True)),
            ),
        ),
    }


def past_a_limit(now):
    """A case that is past a time limit with its step not done, by the clock ``now``:
    overdue, if it is open (the staff lists read this live)."""
    return or_(
        Case.resolve_by < now,
        and_(Case.accepted_at.is_(None), Case.accept_by < now),
        and_(Case.first_reply_at.is_(None), Case.reply_by < now),
    )


def _raw(counted: dict) -> dict:
    """The ``figures.RAW`` counts from the cases' counts (``counts.contribution``, summed)."""
    get = lambda name: counted.get(name) or 0  # noqa: E731
    return {
        "cases": get("cases"),
        "response_n": get("responded") + get("late_response"),
        "response_ok": get("response_ok"),
        "reply_n": get("replied") + get("late_reply"),
        "reply_ok": get("reply_ok"),
        "resolution_n": get("resolved_unreturned") + get("late_resolution"),
        "resolution_ok": get("resolution_ok"),
        **{name: get(name) for name in ("answers", "solved", "resolved", "reopened")},
        **{name: get(name) for name in SATISFACTION_LEVELS},
        "overdue": get("overdue"),
    }


def live_figures(bucket, where) -> dict:
    """Figures per value of ``bucket`` over the cases ``where`` selects, counted from the
    cases themselves: two queries over every one of them."""
    return {b: figures_from(*parts) for b, parts in _live_parts(bucket, where).items()}


def _live_parts(bucket, where, *, days: bool = True) -> dict:
    """(raw counts, days) per value of ``bucket``, counted from the cases themselves (the
    days left empty without ``days``). ``bucket`` may be a tuple of columns."""
    buckets = bucket if isinstance(bucket, tuple) else (bucket,)
    not_returned = Case.returned_at.is_(None)
    resolved = Case.first_resolved_at.is_not(None)
    answered = Case.satisfaction.is_not(None)
    counted = select(
        *(column.label(f"bucket{i}") for i, column in enumerate(buckets)),
        func.count().label("cases"),
        _count(or_(Case.accepted_at.is_not(None), Case.returned_at.is_not(None))).label(
            "responded"
        ),
        _count(or_(Case.accepted_at <= Case.accept_by, Case.returned_at <= Case.accept_by)).label(
            "response_ok"
        ),
        _count(not_returned, Case.first_reply_at.is_not(None)).label("replied"),
        _count(not_returned, Case.first_reply_at <= Case.reply_by).label("reply_ok"),
        _count(not_returned, resolved).label("resolved_unreturned"),
        _count(not_returned, Case.first_resolved_at <= Case.resolve_by).label("resolution_ok"),
        _count(answered).label("answers"),
        _count(answered, Case.solved.is_(True)).label("solved"),
        *(_count(Case.satisfaction == level).label(level) for level in SATISFACTION_LEVELS),
        _count(resolved).label("resolved"),
        _count(resolved, Case.reopen_count > 0).label("reopened"),
        *(expression.label(name) for name, expression in late_counts().items()),
    )
    figures = {}
    for row in db.session.execute(counted.where(*where).group_by(*buckets)).mappings():
        value = tuple(row[f"bucket{i}"] for i in range(len(buckets)))
        figures[value if len(buckets) > 1 else value[0]] = dict(row)
    histograms = _live_days(bucket, where) if days else {}
    return {b: (_raw(c), histograms.get(b, {})) for b, c in figures.items()}


def _live_days(bucket, where) -> dict:
    parts = []
    for step in STEPS:
        column = getattr(Case, f"days_to_{step}")
        parts.append(
            select(
                literal(step).label("step"),
                bucket.label("bucket"),
                column.label("days"),
                func.count().label("n"),
            )  # fmt: skip
            .where(*where, column.is_not(None))
            .group_by(bucket, column)
        )
    days: dict = {}
    for row in db.session.execute(union_all(*parts)):
        days.setdefault(row.bucket, {}).setdefault(row.step, []).append((row.days, row.n))
    return days


def month_figures(group: str, months: list[str], *, key: int | None = None, days: bool = True):
    """Figures per (month, subject id) from the monthly counts: two queries, however many
    cases the months hold (one without ``days``: no medians, as the public table shows
    none)."""
    parts = _month_parts(group, months, key=key, days=days)
    return {pair: figures_from(*both) for pair, both in parts.items()}


def _month_parts(group: str, months: list[str], *, key: int | None = None, days: bool = True):
    """(raw counts, days) per (month, subject id), from the monthly counts: of one subject
    (``key``), or of every bureau and street at once (read once per request)."""
    if not months:
        return {}
    if key is None:
        every = once_per_request(
            "scorecard-months",
            (tuple(months), days),
            lambda: _read_month_parts(months, days=days),
        )
        return {(m, k): parts for (gr, m, k), parts in every.items() if gr == group}
    both = _read_month_parts(months, subject=(group, key), days=days)
    return {(m, k): parts for (_, m, k), parts in both.items()}


def _read_month_parts(months: list[str], *, subject=None, days=True) -> dict:
    """(raw counts, days) per (group, month, subject id): two queries (one without
    ``days``)."""
    counted, days_of = _month_statements(subject[0] if subject else None)
    params = {"months": months, "key": subject[1] if subject else None}
    counts = {
        (row["group"], row["month"], row["key"]): row
        for row in db.session.execute(counted, params).mappings()
    }
    histograms: dict = {}
    for group, month, key, step, value, n in db.session.execute(days_of, params) if days else ():
        histograms.setdefault((group, month, key), {}).setdefault(step, []).append((value, n))
    return {
        triple: (_raw(counted_row), histograms.get(triple, {}))
        for triple, counted_row in counts.items()
    }


@lru_cache(maxsize=4)
def _month_statements(group: str | None):
    """The two statements of ``_read_month_parts``, built once (their values are bound
    parameters): building them took longer than running them. With a ``group``, for one
    subject of it (the ``key`` parameter); else for every bureau and street."""
    counts, days = CaseMonthCount.__table__, CaseMonthDays.__table__
    months = bindparam("months", expanding=True)

    def where(table):
        conditions = [table.c.month.in_(months)]
        if group is not None:
            conditions += [table.c.group == group, table.c.key == bindparam("key")]
        return conditions

    counted = select(counts).where(*where(counts))
    days_of = select(
        days.c.group, days.c.month, days.c.key, days.c.step, days.c.days, days.c.n
    ).where(*where(days))
    return counted, days_of


def window_figures(group: str, window: Window, *, days: bool = True) -> dict:
    """Figures per subject id for ``window``: whole months from the monthly counts; the part
    of a month where a window of the last N days begins, from its cases (read once per request
    for bureaus and streets together). Without ``days``, no medians."""
    if window.month is not None:
        figures = month_figures(group, [window.month], days=days)
        return {key: f for (_, key), f in figures.items()}
    months = months_between(window.start, window.end)
    whole = [m for m in months if month_bounds(m)[0] >= window.start]
    totals: dict = {}
    for (_, key), parts in _month_parts(group, whole, days=days).items():
        _add_parts(totals, key, parts)
    edge_end = month_bounds(whole[0])[0] if whole else window.end
    if edge_end > window.start:
        where = (Case.routed_at >= window.start, Case.routed_at < edge_end)
        edge = once_per_request(
            "scorecard-edge", (window.start, edge_end), lambda: _edge_counts(where)
        )
        for key, raw in edge[group].items():
            _add_parts(totals, key, (raw, {}))
        if days:
            for key, histograms in _live_days(subject_column(group), where).items():
                _add_parts(totals, key, ({}, histograms))
    return {key: figures_from(*parts) for key, parts in totals.items()}


def _edge_counts(where) -> dict:
    """Raw counts per group and subject id of the cases ``where`` selects: counted once by
    bureau and street together, then summed for each."""
    by_pair = _live_parts((Case.bureau_id, Case.area_id), where, days=False)
    counts: dict = {"bureau": {}, "area": {}}
    for (bureau_id, area_id), (raw, _none) in by_pair.items():
        for group, key in (("bureau", bureau_id), ("area", area_id)):
            if key is not None:
                kept = counts[group].setdefault(key, {})
                for name, value in raw.items():
                    kept[name] = kept.get(name, 0) + (value or 0)
    return counts


def _add_parts(totals: dict, key, parts) -> None:
    raw, days = parts
    kept_raw, kept_days = totals.setdefault(key, ({}, {}))
    for name, value in raw.items():
        kept_raw[name] = kept_raw.get(name, 0) + (value or 0)
    for step, pairs in days.items():
        kept_days.setdefault(step, []).extend(pairs)
