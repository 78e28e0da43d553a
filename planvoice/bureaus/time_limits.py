"""Working-day time limits for reports routed to a bureau (办理时限).

The clock starts when a community worker routes a report, not when the bureau signs for it, and
is counted in working days of the local calendar: Monday to Friday, minus public holidays, plus
the make-up working days (调休) on which a Saturday or Sunday is worked instead. Pure standard
library, so the same rule serves views, reminders and statistics.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def _require_aware(name: str, value: datetime) -> None:
    # A naive time is ambiguous (UTC from the database, or local from a form?); refuse to guess.
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime, got naive {value!r}")


def _require_days(name: str, days: int) -> None:
    if days < 0:
        raise ValueError(f"{name} must not be negative, got {days}")


@dataclass(frozen=True)
class WorkingCalendar:
    """Which local days are working days, and the time zone those days are counted in."""

    holidays: frozenset[date] = frozenset()
    makeup_workdays: frozenset[date] = frozenset()
    timezone: str = "Asia/Shanghai"

    def __post_init__(self) -> None:
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f"unknown time zone {self.timezone!r}") from error
        if clash := self.holidays & self.makeup_workdays:
            raise ValueError(f"dates both holiday and make-up working day: {sorted(clash)}")

    @classmethod
    def from_config(
        cls,
        holidays: Iterable[str | date],
        makeup_workdays: Iterable[str | date],
        timezone: str = "Asia/Shanghai",
    ) -> "WorkingCalendar":
        """Build a calendar from ISO date strings ("2026-10-01") or dates, as found in config."""
        return cls(_parse_dates(holidays), _parse_dates(makeup_workdays), timezone)

    def is_working_day(self, day: date) -> bool:
        """Monday to Friday unless a holiday; Saturday or Sunday only if a make-up working day."""
        if day in self.makeup_workdays:
            return True
        return day.weekday() < 5 and day not in self.holidays

    def add_working_days(self, start: datetime, days: int) -> datetime:
        """The deadline `days` working days after `start`, as an aware UTC datetime.

        Rule: take the local day on which `start` falls (it never counts, however early the
        report was routed), count `days` working days after it, and the deadline is the end of
        the last of them: 23:59:59.999999 local time. So routed Friday 16:00 with 1 working day
        is due at the end of Monday; routed on a Saturday with 1 day, also the end of Monday;
        routed Tuesday 09:00 with 3 days, the end of Friday. Holidays are skipped and make-up
        working days count. With 0 days the deadline is the end of the routing day itself.
        """
        _require_aware("start", start)
        _require_days("days", days)
        return _deadline(self, start.astimezone(self._zone).date(), days)

    def working_days_between(self, start: datetime, end: datetime) -> int:
        """Working days begun since `start`: those after start's local day, up to and including
        end's local day (0 if `end` is not later), for statistics. Counted like
        `add_working_days`: it is n at the deadline of an n-day limit."""
        _require_aware("start", start)
        _require_aware("end", end)
        day = start.astimezone(self._zone).date()
        last = end.astimezone(self._zone).date()
        count = 0
        while day < last:
            day += timedelta(days=1)
            if self.is_working_day(day):
                count += 1
        return count

    @property
    def _zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)  # ZoneInfo caches instances, so this is cheap


@lru_cache(maxsize=4096)
def _deadline(calendar: WorkingCalendar, day: date, days: int) -> datetime:
    # Kept per calendar, local day and number of days: a list of a thousand reports routed on
    # a few dozen days counts each of those days once, not once per report.
    while days:
        day += timedelta(days=1)
        if calendar.is_working_day(day):
            days -= 1
    # End of day = start of the next local day minus 1 µs, taken in UTC so that a zone
    # with daylight saving time cannot shift it.
    next_midnight = datetime.combine(day + timedelta(days=1), time(), tzinfo=calendar._zone)
    return next_midnight.astimezone(UTC) - timedelta(microseconds=1)


def _parse_dates(values: Iterable[str | date]) -> frozenset[date]:
    parsed = set()
    for value in values:
        # datetime is a subclass of date, but a time of day here is surely a config mistake.
        if isinstance(value, date) and not isinstance(value, datetime):
            parsed.add(value)
        elif isinstance(value, str):
            try:
                parsed.add(date.fromisoformat(value.strip()))
            except ValueError:
                raise ValueError(f"not an ISO date (YYYY-MM-DD): {value!r}") from None
        else:
            raise ValueError(f"not a date or ISO date string: {value!r}")
    return frozenset(parsed)


@dataclass(frozen=True)
class TimeLimits:
    """Working days a bureau has, from routing, to accept, first reply publicly, and resolve."""

    accept_days: int = 1
    reply_days: int = 3
    resolve_days: int = 15

    def __post_init__(self) -> None:
        for name in ("accept_days", "reply_days", "resolve_days"):
            _require_days(name, getattr(self, name))


@dataclass(frozen=True)
class DueTimes:
    """The three deadlines of one routed report, aware UTC datetimes."""

    accept_by: datetime
    reply_by: datetime
    resolve_by: datetime


def due_times(routed_at: datetime, limits: TimeLimits, calendar: WorkingCalendar) -> DueTimes:
    """The deadlines of a report routed at `routed_at`, all counted from that moment."""
    return DueTimes(
        accept_by=calendar.add_working_days(routed_at, limits.accept_days),
        reply_by=calendar.add_working_days(routed_at, limits.reply_days),
        resolve_by=calendar.add_working_days(routed_at, limits.resolve_days),
    )


def is_overdue(due: datetime, done_at: datetime | None, now: datetime) -> bool:
    """Late if it was done after `due`, or is not done and `now` is past `due`."""
    _require_aware("due", due)
    _require_aware("now", now)
    if done_at is not None:
        _require_aware("done_at", done_at)
        return done_at > due
    return now > due
