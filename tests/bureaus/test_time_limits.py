"""Working-day time limits: when a routed report is due, and when it is late."""

import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planvoice.bureaus.time_limits import (
    DueTimes,
    TimeLimits,
    WorkingCalendar,
    due_times,
    is_overdue,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
PLAIN = WorkingCalendar()
# Test data shaped like a National Day week; not a claim about the official calendar.
NATIONAL_DAY = WorkingCalendar.from_config(
    holidays=[f"2026-10-0{day}" for day in range(1, 8)],
    makeup_workdays=["2026-10-10"],
)


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


def end_of_local_day(year: int, month: int, day: int) -> datetime:
    """23:59:59.999999 in Shanghai, expressed in UTC as the module returns it."""
    return datetime(year, month, day, 15, 59, 59, 999999, tzinfo=UTC)


def test_a_report_routed_on_friday_afternoon_is_due_on_monday():
    assert PLAIN.add_working_days(local(2026, 11, 6, 16, 0), 1) == end_of_local_day(2026, 11, 9)


def test_a_report_routed_on_a_saturday_does_not_count_the_saturday():
    assert PLAIN.add_working_days(local(2026, 11, 7, 10, 0), 1) == end_of_local_day(2026, 11, 9)
    assert PLAIN.add_working_days(local(2026, 11, 8, 10, 0), 1) == end_of_local_day(2026, 11, 9)


def test_three_working_days_from_tuesday_morning_end_on_friday():
    assert PLAIN.add_working_days(local(2026, 11, 10, 9, 0), 3) == end_of_local_day(2026, 11, 13)


def test_fifteen_working_days_skip_three_weekends():
    # Tue 10 Nov: 11-13, 16-20, 23-27, 30 Nov and 1 Dec are the fifteen.
    assert PLAIN.add_working_days(local(2026, 11, 10, 9, 0), 15) == end_of_local_day(2026, 12, 1)


def test_default_limits_give_one_three_and_fifteen_working_days_from_routing():
    due = due_times(local(2026, 11, 10, 9, 0), TimeLimits(), PLAIN)
    assert due == DueTimes(
        accept_by=end_of_local_day(2026, 11, 11),
        reply_by=end_of_local_day(2026, 11, 13),
        resolve_by=end_of_local_day(2026, 12, 1),
    )


def test_a_holiday_block_is_skipped():
    routed = local(2026, 9, 30, 10, 0)  # Wednesday before the block
    assert NATIONAL_DAY.add_working_days(routed, 1) == end_of_local_day(2026, 10, 8)
    assert NATIONAL_DAY.add_working_days(routed, 2) == end_of_local_day(2026, 10, 9)


def test_a_make_up_saturday_counts_as_a_working_day():
    routed = local(2026, 9, 30, 10, 0)
    assert NATIONAL_DAY.add_working_days(routed, 3) == end_of_local_day(2026, 10, 10)
    # Without the make-up day the same report would be due on Monday 12 Oct.
    holidays_only = WorkingCalendar(holidays=NATIONAL_DAY.holidays)
    assert holidays_only.add_working_days(routed, 3) == end_of_local_day(2026, 10, 12)


def test_a_report_routed_on_a_holiday_counts_from_the_next_working_day():
    assert NATIONAL_DAY.add_working_days(local(2026, 10, 3, 9, 0), 1) == end_of_local_day(
        2026, 10, 8
    )


def test_routing_late_on_tuesday_evening_counts_tuesday_as_the_routing_day():
    routed = datetime(2026, 11, 10, 15, 30, tzinfo=UTC)  # Tuesday 23:30 in Shanghai
    assert PLAIN.add_working_days(routed, 1) == end_of_local_day(2026, 11, 11)


def test_a_utc_time_already_on_the_next_local_day_counts_from_that_day():
    routed = datetime(2026, 11, 30, 17, 0, tzinfo=UTC)  # Monday in UTC, Tuesday 01:00 locally
    assert PLAIN.add_working_days(routed, 1) == end_of_local_day(2026, 12, 2)


def test_zero_days_means_by_the_end_of_the_routing_day():
    assert PLAIN.add_working_days(local(2026, 11, 10, 9, 0), 0) == end_of_local_day(2026, 11, 10)


def test_deadlines_are_aware_utc_whatever_zone_the_start_is_in():
    new_york = datetime(2026, 11, 6, 3, 0, tzinfo=ZoneInfo("America/New_York"))  # Fri 16:00 CST
    due = PLAIN.add_working_days(new_york, 1)
    assert due.tzinfo is UTC
    assert due == end_of_local_day(2026, 11, 9)
    assert due.astimezone(SHANGHAI).time() == time.max


def test_from_config_accepts_iso_strings_and_dates():
    calendar = WorkingCalendar.from_config(["2026-10-01", date(2026, 10, 2)], [" 2026-10-10 "])
    assert calendar.holidays == {date(2026, 10, 1), date(2026, 10, 2)}
    assert calendar.makeup_workdays == {date(2026, 10, 10)}
    assert not calendar.is_working_day(date(2026, 10, 1))
    assert calendar.is_working_day(date(2026, 10, 10))


@pytest.mark.parametrize("bad", ["2026-13-01", "next monday", 20261001, datetime(2026, 10, 1)])
def test_from_config_names_the_bad_value(bad):
    with pytest.raises(ValueError, match=re.escape(repr(bad))):
        WorkingCalendar.from_config([bad], [])


def test_a_calendar_rejects_an_unknown_zone_and_a_day_both_off_and_worked():
    with pytest.raises(ValueError, match="Mars/Olympus"):
        WorkingCalendar(timezone="Mars/Olympus")
    with pytest.raises(ValueError, match="both"):
        WorkingCalendar.from_config(["2026-10-10"], ["2026-10-10"])


def test_a_naive_datetime_is_refused_rather_than_guessed():
    naive = datetime(2026, 11, 10, 9, 0)
    with pytest.raises(ValueError, match="timezone-aware"):
        PLAIN.add_working_days(naive, 1)
    with pytest.raises(ValueError, match="timezone-aware"):
        due_times(naive, TimeLimits(), PLAIN)
    with pytest.raises(ValueError, match="timezone-aware"):
        is_overdue(end_of_local_day(2026, 11, 11), None, naive)


def test_negative_days_are_refused():
    with pytest.raises(ValueError, match="negative"):
        PLAIN.add_working_days(local(2026, 11, 10, 9, 0), -1)
    with pytest.raises(ValueError, match="reply_days"):
        TimeLimits(reply_days=-3)


DUE = end_of_local_day(2026, 11, 11)
MICROSECOND = timedelta(microseconds=1)


@pytest.mark.parametrize(
    ("done_at", "now", "late"),
    [
        (DUE - timedelta(hours=1), DUE + timedelta(days=5), False),  # done in time stays in time
        (DUE, DUE + timedelta(days=5), False),  # the last microsecond still counts
        (DUE + MICROSECOND, DUE + MICROSECOND, True),  # done late stays late
        (None, DUE, False),  # not done, but the day is not over yet
        (None, DUE + MICROSECOND, True),  # not done and the day is over
    ],
)
def test_a_report_is_overdue_only_when_done_or_still_open_after_its_deadline(done_at, now, late):
    assert is_overdue(DUE, done_at, now) is late


def test_working_days_between_counts_days_begun_after_the_routing_day():
    routed = local(2026, 11, 6, 16, 0)  # Friday
    assert PLAIN.working_days_between(routed, local(2026, 11, 8, 12, 0)) == 0
    assert PLAIN.working_days_between(routed, local(2026, 11, 9, 0, 1)) == 1
    assert PLAIN.working_days_between(routed, local(2026, 11, 13, 23, 0)) == 5
    assert PLAIN.working_days_between(routed, local(2026, 11, 1, 9, 0)) == 0


YEAR_2026 = st.dates(min_value=date(2026, 1, 1), max_value=date(2026, 12, 31))


@st.composite
def calendars(draw):
    holidays = draw(st.frozensets(YEAR_2026, max_size=40))
    makeup = draw(st.frozensets(YEAR_2026, max_size=10)) - holidays
    return draw(st.sampled_from([PLAIN, NATIONAL_DAY, WorkingCalendar(holidays, makeup)]))


@given(
    start=st.datetimes(
        min_value=datetime(2025, 12, 1),
        max_value=datetime(2027, 1, 31),
        timezones=st.sampled_from([UTC, SHANGHAI, ZoneInfo("America/New_York")]),
    ),
    days=st.integers(min_value=0, max_value=30),
    calendar=calendars(),
)
def test_a_deadline_is_the_end_of_exactly_the_nth_working_day_after_routing(start, days, calendar):
    due = calendar.add_working_days(start, days)

    assert due.tzinfo is UTC
    assert due > start
    due_local = due.astimezone(SHANGHAI)
    assert due_local.time() == time.max
    start_day, due_day = start.astimezone(SHANGHAI).date(), due_local.date()
    if days:
        assert calendar.is_working_day(due_day)
    else:
        assert due_day == start_day
    counted = [
        start_day + timedelta(days=offset)
        for offset in range(1, (due_day - start_day).days + 1)
        if calendar.is_working_day(start_day + timedelta(days=offset))
    ]
    assert len(counted) == days
    assert calendar.working_days_between(start, due) == days
