"""The scorecard's figures from cases with known times, counted in working days of a calendar
with a holiday (Friday 25 September 2026) and a make-up working day (Sunday 27 September).

Every case is routed on Thursday 24 September at 10:00 local time, with the default limits
(accept 1, reply 3, resolve 15 working days): accept by the end of Sunday 27 (Friday is off,
Sunday is worked), reply by the end of Tuesday 29, resolve by the end of Thursday 15 October.
"""

import pytest
from sqlalchemy import select

from planvoice.core.extensions import db
from planvoice.performance import counts, figures, queries, services, windows
from planvoice.performance.models import MonthlyResult
from tests.factories import UserFactory
from tests.performance.cases import at, make_case


@pytest.fixture
def built(places):
    um = "urban_management"
    return {
        # On time throughout (accepted on the holiday: 0 working days), satisfied, solved.
        "c1": make_case(places, um, ("accepted", at(9, 25)), ("replied", at(9, 26)),
                       ("resolved", at(9, 28)), ("closed", at(9, 29), "satisfied", True)),
        # Accepted on the make-up Sunday (1 day), replied late (4), resolved on time (6).
        "c2": make_case(places, um, ("accepted", at(9, 27, 15)), ("replied", at(9, 30)),
                       ("resolved", at(10, 2)), ("closed", at(10, 3), "basically_satisfied", True)),
        # Late at each step (the resolution is its first public answer); reopened, then the
        # latest answer is "satisfied, solved".
        "c3": make_case(places, um, ("accepted", at(9, 28)), ("resolved", at(10, 16)),
                       ("reopened", at(10, 17), "not_satisfied", False), ("accepted", at(10, 19)),
                       ("resolved", at(10, 20)), ("closed", at(10, 21), "satisfied", True)),
        # Returned in time, in another street: counted for the response only.
        "c4": make_case(places, um, ("returned", at(9, 26)), street="jilin"),
        # Never accepted, in another street: late to respond, overdue now.
        "c5": make_case(places, um, street="jilin"),
        # Quick, but the resident says it is not solved: reopened and still open (overdue).
        "c6": make_case(places, um, ("accepted", at(9, 27)), ("replied", at(9, 28)),
                       ("resolved", at(9, 29)), ("reopened", at(9, 30), "satisfied", False)),
        # Resolved on time without a reply first; not satisfied; resolved again, no answer yet.
        "c7": make_case(places, um, ("accepted", at(9, 27)), ("resolved", at(9, 28)),
                       ("reopened", at(9, 29), "not_satisfied", True), ("accepted", at(9, 30)),
                       ("resolved", at(10, 1))),
        # Routed in October: outside September's window.
        "c8": make_case(places, um, ("accepted", at(10, 10)), routed=at(10, 9)),
        # Another bureau with one case: too few for any rate.
        "c9": make_case(places, "housing", ("accepted", at(9, 25)), street="rongguang"),
    }  # fmt: skip


@pytest.fixture
def cases(built):
    """The cases once the outbox worker has counted the limits passed by 2 December."""
    services.mark_passed_limits(at(12, 2))
    db.session.commit()
    return built


def _row(client, group: str, code: str, window: str = "2026-09") -> dict:
    response = client.get(f"/api/v1/performance?group={group}&window={window}")
    assert response.status_code == 200
    document = response.json
    assert (document["window"], document["group"]) == (window, group)
    return next(row for row in document["rows"] if row["code"] == code)


def _figures(row: dict) -> dict:
    keys = (
        "cases", "response_rate", "on_time_reply_rate", "on_time_resolution_rate",
        "resolution_rate", "satisfaction_rate", "reopen_rate", "median_days_to_accept",
        "median_days_to_reply", "median_days_to_resolve", "overdue_now", "n",
    )  # fmt: skip
    return {key: row[key] for key in keys}


def test_a_bureaus_figures_count_working_days_around_a_holiday_and_a_make_up_day(client, cases):
    row = _row(client, "bureau", "urban_management")
    assert _figures(row) == {
        "cases": 7,
        "response_rate": round(5 / 7, 4),  # c3 and c5 late
        "on_time_reply_rate": 0.5,  # c1, c6, c7 of the six not returned
        "on_time_resolution_rate": round(4 / 6, 4),  # c3 and c5 late
        "resolution_rate": 0.8,  # latest answers: c1, c2, c3, c7 solved; c6 not
        "satisfaction_rate": 0.8,  # c7 not satisfied
        "reopen_rate": 0.6,  # c3, c6, c7 of five resolved
        "median_days_to_accept": 1.0,  # 0, 1, 1, 1, 2
        "median_days_to_reply": 2.0,  # 0, 2, 2, 4, 16
        "median_days_to_resolve": 3.0,  # 2, 2, 3, 6, 16
        "overdue_now": 2,  # c5 never accepted, c6 reopened past its limit
        "n": {"response": 7, "reply": 6, "resolution": 6, "answers": 5, "resolved": 5},
    }
    assert (row["p90_days_to_accept"], row["p90_days_to_reply"]) == (2.0, 16.0)
    assert row["satisfaction_counts"] == {
        "satisfied": 3,
        "basically_satisfied": 1,
        "not_satisfied": 1,
    }


def test_a_streets_figures_hold_the_cases_of_its_communities(client, cases):
    row = _row(client, "area", "dongsheng")
    assert row["name"] == "东盛街道"
    assert _figures(row) == {
        "cases": 5,
        "response_rate": 0.8,
        "on_time_reply_rate": 0.6,
        "on_time_resolution_rate": 0.8,
        "resolution_rate": 0.8,
        "satisfaction_rate": 0.8,
        "reopen_rate": 0.6,
        "median_days_to_accept": 1.0,
        "median_days_to_reply": 2.0,
        "median_days_to_resolve": 3.0,
        "overdue_now": 1,
        "n": {"response": 5, "reply": 5, "resolution": 5, "answers": 5, "resolved": 5},
    }


def test_fewer_than_five_cases_give_no_rate_and_the_page_says_too_few(client, cases):
    street = _row(client, "area", "jilin")
    assert street["cases"] == 2 and street["n"]["response"] == 2
    assert street["response_rate"] is None and street["overdue_now"] == 1
    housing = _row(client, "bureau", "housing")
    assert housing["cases"] == 1
    assert all(housing[name] is None for name in figures.RATES)
    assert housing["median_days_to_accept"] is None

    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    page = client.get("/performance?window=2026-09").text
    assert "too few cases" in page


def test_a_closed_month_does_not_move_when_a_late_answer_arrives(client, cases):
    assert services.close_month("2026-09") is True
    db.session.commit()
    before = _row(client, "bureau", "urban_management")
    # c7's resident answers in December: satisfied and solved.
    services.record_step(cases["c7"], "closed", at=at(12, 1), satisfaction="satisfied", solved=True)
    db.session.commit()
    live = next(
        row
        for row in queries.live_rows("bureau", windows.month_window("2026-09"))
        if row["code"] == "urban_management"
    )
    assert live["satisfaction_rate"] == 1.0  # what the month would say if computed now
    assert _row(client, "bureau", "urban_management") == before
    assert before["satisfaction_rate"] == 0.8
    # Closing it again changes nothing.
    assert services.close_month("2026-09") is False
    db.session.commit()
    assert db.session.scalars(
        select(MonthlyResult.version).where(MonthlyResult.code == "urban_management")
    ).all() == [1]


def test_a_correction_is_a_new_audited_version_with_its_reason(client, cases):
    services.close_month("2026-09")
    services.record_step(cases["c7"], "closed", at=at(12, 1), satisfaction="satisfied", solved=True)
    admin = UserFactory(admin=True)
    written = services.correct_month(
        "2026-09", admin=admin, reason="A call-back answer was filed late.", code="dongsheng"
    )
    db.session.commit()
    assert [(r.code, r.version) for r in written] == [("dongsheng", 2)]
    row = _row(client, "area", "dongsheng")
    assert row["satisfaction_rate"] == 1.0 and row["version"] == 2
    assert row["correction"] == "A call-back answer was filed late."
    # The bureau's row was not corrected and keeps its first version.
    assert _row(client, "bureau", "urban_management")["satisfaction_rate"] == 0.8


def test_windows_select_cases_by_their_routing_time(client, cases):
    october = _row(client, "bureau", "urban_management", window="2026-10")
    assert october["cases"] == 1
    assert client.get("/api/v1/performance?window=2026-13").status_code == 400
    assert client.get("/api/v1/performance?window=").status_code == 400
    assert client.get("/api/v1/performance?group=city").status_code == 400


def test_the_monthly_counts_kept_step_by_step_agree_with_the_cases(cases):
    """A month's figures come from counts each step keeps; counting the cases afresh, or
    rebuilding the counts, gives the same figures."""
    from planvoice.performance.models import Case

    september = windows.month_window("2026-09")
    where = [Case.routed_at >= september.start, Case.routed_at < september.end]
    for group in queries.GROUPS:
        kept = {row["code"]: row for row in queries.live_rows(group, september)}
        subjects = {s.id: s.code for s in queries.list_subjects(group)}
        counted = counts.live_figures(counts.subject_column(group), where)
        for key, counted_row in counted.items():
            row = kept[subjects[key]]
            assert {k: row[k] for k in counted_row} == counted_row
        counts.rebuild_counts(windows.month_of)
        rebuilt = {row["code"]: row for row in queries.live_rows(group, september)}
        assert rebuilt == kept


def test_the_last_n_days_join_whole_months_and_a_part_month_the_same_as_the_cases(cases):
    from planvoice.performance.models import Case
    from planvoice.performance.windows import Window

    now = at(12, 2)
    window = Window("90d", at(9, 20), now)  # a part of September, then whole months
    where = [Case.routed_at >= window.start, Case.routed_at < window.end]
    for group in queries.GROUPS:
        joined = counts.window_figures(group, window)
        assert joined == counts.live_figures(counts.subject_column(group), where)
    assert joined  # the cases are in it


def test_a_limit_passing_with_nothing_done_counts_once_the_worker_has_seen_it(places, client):
    """The clock's part is a step like any other: until the worker marks a passed limit, the
    case counts as on time so far; once marked, as late, and overdue while it stays open; the
    late step done afterwards moves it again. The counts agree with a rebuild throughout."""
    routed = at(11, 2)  # Monday: accept by the end of Tuesday 3 November
    window = "2026-11"
    cases = [make_case(places, "housing", routed=routed) for _ in range(5)]

    def row() -> dict:
        return _row(client, "bureau", "housing", window=window)

    assert (row()["n"]["response"], row()["overdue_now"]) == (0, 0)
    assert services.mark_passed_limits(at(11, 4)) == 5  # past the accept limit only
    db.session.commit()
    assert (row()["n"]["response"], row()["response_rate"], row()["overdue_now"]) == (5, 0.0, 5)
    assert services.mark_passed_limits(at(11, 4)) == 0  # nothing more to mark
    for case in cases:
        services.record_step(case, "accepted", at=at(11, 5))
    db.session.commit()
    late = row()
    assert (late["n"]["response"], late["response_rate"], late["overdue_now"]) == (5, 0.0, 0)
    counts.rebuild_counts(windows.month_of)
    db.session.commit()
    assert row() == late
