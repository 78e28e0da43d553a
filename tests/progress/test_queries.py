"""The state of a target and its bar, as residents read them: each comparator's rule, the
straight line from the baseline (or zero at the plan's start) to the deadline."""

from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest

from planvoice.core.extensions import db
from planvoice.progress import queries, services
from planvoice.progress.state import fraction, measure_fraction, target_state

PLAN = SimpleNamespace(start_year=2021, end_year=2025)
MID_2023 = date(2023, 7, 2)  # half of 2021-01-01 … 2025-12-31, nearly
IN_2024 = date(2024, 1, 10)


def target(comparator="reach", value=10, deadline=None, unit="%"):
    return SimpleNamespace(
        comparator=comparator, value=Decimal(value), deadline=deadline, unit=unit
    )


def entry(value, on=MID_2023):
    return SimpleNamespace(value=Decimal(value), on=on)


def tracking(baseline=None, on=date(2021, 1, 1), weight=None):
    return SimpleNamespace(
        baseline_value=None if baseline is None else Decimal(baseline),
        baseline_date=None if baseline is None else on,
        weight=weight,
    )


def state(t, latest, *, tracked=None, today=IN_2024):
    return target_state(t, tracked, latest, today, plan=PLAN)


def test_a_target_without_entries_has_not_started():
    assert state(target(), None) == "not_started"
    assert fraction(target(), None, None) == 0


@pytest.mark.parametrize("comparator", ["reach", "at_least"])
def test_reach_and_at_least_are_achieved_at_or_above_the_value(comparator):
    assert state(target(comparator), entry(10)) == "achieved"
    assert state(target(comparator), entry(12)) == "achieved"
    assert fraction(target(comparator), None, entry(12)) == 1


def test_at_most_is_achieved_at_or_below_the_value():
    assert state(target("at_most", 35), entry(35)) == "achieved"
    assert state(target("at_most", 35), entry(20)) == "achieved"
    assert state(target("at_most", 35), entry(40)) == "behind"


def test_at_most_follows_a_falling_line_from_its_baseline():
    t, base = target("at_most", 30), tracking(baseline=50)
    # Halfway through the plan the line stands at 40: 39 is on track, 45 behind.
    assert state(t, entry(39), tracked=base) == "on_track"
    assert state(t, entry(45), tracked=base) == "behind"
    assert fraction(t, base, entry(40)) == pytest.approx(0.5)


def test_increase_is_a_rise_in_per_cent_over_the_baseline():
    t, base = target("increase", 20), tracking(baseline=100)
    assert state(t, entry(120), tracked=base) == "achieved"
    assert state(t, entry(111), tracked=base) == "on_track"  # the line is at 110 mid-plan
    assert state(t, entry(105), tracked=base) == "behind"
    assert fraction(t, base, entry(110)) == pytest.approx(0.5)


def test_increase_without_a_baseline_reads_the_value_as_the_rise_so_far():
    t = target("increase", 20)
    assert state(t, entry(20)) == "achieved"
    assert state(t, entry(12)) == "on_track"
    assert fraction(t, None, entry(5)) == pytest.approx(0.25)


def test_decrease_is_a_fall_from_the_baseline_in_per_cent_or_in_points():
    t, base = target("decrease", 20), tracking(baseline=50)  # down 20 %: to 40
    assert state(t, entry(40), tracked=base) == "achieved"
    assert state(t, entry(44), tracked=base) == "on_track"  # the line is at 45 mid-plan
    assert state(t, entry(47), tracked=base) == "behind"
    assert fraction(t, base, entry(45)) == pytest.approx(0.5)
    points = target("decrease", 3, unit="个百分点")  # 5.5 % down by 3 points: 2.5 %
    assert state(points, entry(2.5), tracked=tracking(baseline=5.5)) == "achieved"
    assert state(points, entry(4.5), tracked=tracking(baseline=5.5)) == "behind"


def test_decrease_without_a_baseline_reads_the_value_as_the_fall_so_far():
    t = target("decrease", 20)
    assert state(t, entry(20)) == "achieved"
    assert state(t, entry(5)) == "behind"


def test_annual_growth_compounds_each_year_from_the_baseline_to_the_deadline():
    t = target("annual_growth", 10, deadline=2025)
    base = tracking(baseline=100, on=date(2020, 12, 31))  # five years of 10 %: 161.051
    assert state(t, entry(161.06), tracked=base) == "achieved"
    assert state(t, entry(150), tracked=base) == "on_track"
    assert state(t, entry(110), tracked=base) == "behind"
    # Without a baseline the value is the growth a year reached so far.
    assert state(target("annual_growth", 5), entry(5.2)) == "achieved"


def test_about_is_achieved_within_five_per_cent_under_the_value():
    assert state(target("about", 45), entry(43)) == "achieved"  # 45 × 0.95 = 42.75
    assert state(target("about", 45), entry(50)) == "achieved"
    # 42 is short of it: on track mid-plan (the line stands near 22), overdue once past.
    assert state(target("about", 45), entry(42)) == "on_track"
    assert state(target("about", 45), entry(42), today=date(2026, 1, 5)) == "overdue"


def test_on_track_compares_with_a_line_from_zero_at_the_plans_start():
    t = target("reach", 10)
    # Mid-plan the line from 0 (2021-01-01) to 10 (2025-12-31) stands at 5.
    assert state(t, entry(5)) == "on_track"
    assert state(t, entry(4)) == "behind"
    # Read on the entry's date, not today's: an early entry is judged where the line was then.
    assert state(t, entry(2, on=date(2021, 12, 31))) == "on_track"


def test_a_baseline_moves_the_start_of_the_line():
    t = target("reach", 10)
    assert state(t, entry(6), tracked=tracking(baseline=4)) == "behind"  # line at 7 mid-plan
    assert state(t, entry(7.5), tracked=tracking(baseline=4)) == "on_track"


def test_a_target_not_achieved_after_its_deadline_year_is_overdue():
    t = target("reach", 10)
    assert state(t, entry(9), today=date(2025, 12, 31)) != "overdue"
    assert state(t, entry(9), today=date(2026, 1, 1)) == "overdue"
    assert state(t, entry(10), today=date(2026, 1, 1)) == "achieved"
    # A target's own year comes before the plan's end.
    assert state(target("reach", 10, deadline=2023), entry(9), today=IN_2024) == "overdue"


def test_the_bar_is_capped_and_the_measure_takes_the_mean_or_the_weights():
    assert fraction(target("reach", 10), None, entry(3)) == pytest.approx(0.3)
    assert measure_fraction([(0.3, None), (1.0, None)]) == pytest.approx(0.65)
    assert measure_fraction([(0.3, Decimal(3)), (1.0, Decimal(1))]) == pytest.approx(0.475)
    assert measure_fraction([]) is None


def test_the_api_document_has_the_contracts_shape(owned_parks, clerk, admin):
    first = services.record_progress(owned_parks, author=clerk, on=date(2024, 5, 1), value=2)
    services.record_progress(
        owned_parks, author=clerk, on=date(2024, 5, 1), value=3, note="更正", supersedes=first
    )
    db.session.commit()
    document = queries.target_document(owned_parks)
    assert list(document) == [
        "id", "measure", "subject", "value", "unit", "comparator", "deadline", "owner",
        "baseline", "latest", "state", "progress",
    ]  # fmt: skip
    assert document["measure"] == owned_parks.measure_id
    assert (document["value"], document["unit"], document["deadline"]) == (10.0, "个", 2025)
    assert document["owner"] == {"code": "urban_management", "name": "区城市管理执法局"}
    assert document["baseline"] is None
    assert document["latest"] == {"value": 3.0, "date": "2024-05-01"}
    assert document["state"] in ("behind", "overdue")
    assert [p["supersedes"] for p in document["progress"]] == [None, first.id]
    assert document["progress"][1]["author"] == clerk.display_name
    listed = queries.list_target_documents(history_url=lambda t: f"/targets/{t.id}")
    mine = next(d for d in listed if d["id"] == owned_parks.id)
    assert mine["history_url"] == f"/targets/{owned_parks.id}" and "progress" not in mine
