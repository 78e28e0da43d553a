"""The periods the scorecard counts: the last 30, 90 or 365 days, or a calendar month of the
district's time zone; a case belongs to the period it was routed in."""

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import current_app

from planvoice.core.db import utcnow

ROLLING_WINDOWS = ("30d", "90d", "365d")
#: A calendar month as the API and the pages name it (the OpenAPI document says the same).
MONTH = re.compile(r"20[0-9]{2}-(0[1-9]|1[0-2])")


@dataclass(frozen=True)
class Window:
    """Cases routed from ``start`` (included) to ``end`` (excluded); ``month`` for a calendar
    month ("2026-11"), None for the last N days."""

    key: str
    start: datetime
    end: datetime
    month: str | None = None

    def previous(self) -> "Window":
        """The window just before this one, of the same kind: last month, or the N days
        before these."""
        if self.month is not None:
            first = date.fromisoformat(f"{self.month}-01")
            before = first - timedelta(days=1)
            return month_window(f"{before.year:04d}-{before.month:02d}")
        length = self.end - self.start
        return Window(self.key, self.start - length, self.start)


def _zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])


def month_bounds(month: str) -> tuple[datetime, datetime]:
    """The first moment of ``month`` ("YYYY-MM", local time) and of the month after, in UTC."""
    first = date.fromisoformat(f"{month}-01")
    following = (first + timedelta(days=32)).replace(day=1)
    zone = _zone()

    def start_of(day: date) -> datetime:
        return datetime(day.year, day.month, day.day, tzinfo=zone).astimezone(UTC)

    return start_of(first), start_of(following)


def month_window(month: str) -> Window:
    start, end = month_bounds(month)
    return Window(month, start, end, month)


def month_of(moment: datetime) -> str:
    local = moment.astimezone(_zone())
    return f"{local.year:04d}-{local.month:02d}"


def this_month(now: datetime | None = None) -> str:
    return month_of(now or utcnow())


def parse_window(text: str | None, *, now: datetime | None = None) -> Window:
    """``30d``, ``90d``, ``365d`` (the days up to now) or a calendar month ``YYYY-MM`` from
    2000 to 2099 (a month to come holds no cases yet); None is this month; anything else, the
    empty string included, is a ValueError."""
    now = now or utcnow()
    text = this_month(now) if text is None else text.strip()
    if text in ROLLING_WINDOWS:
        return Window(text, now - timedelta(days=int(text[:-1])), now)
    if not MONTH.fullmatch(text):
        raise ValueError(f"not a window: {text!r}")
    return month_window(text)


def recent_months(count: int = 12, *, now: datetime | None = None) -> list[str]:
    """This month and the ``count - 1`` before it, newest first."""
    local = (now or utcnow()).astimezone(_zone())
    year, month = local.year, local.month
    months = []
    for _ in range(count):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months


def ended_months(since: str, *, now: datetime | None = None) -> list[str]:
    """Every month from ``since`` that has ended by ``now``, oldest first."""
    current = this_month(now)
    months, first = [], date.fromisoformat(f"{since}-01")
    while (month := f"{first.year:04d}-{first.month:02d}") < current:
        months.append(month)
        first = (first + timedelta(days=32)).replace(day=1)
    return months


def months_between(start: datetime, end: datetime) -> list[str]:
    """The months that the moments from ``start`` to ``end`` touch, oldest first."""
    first, last = month_of(start), month_of(end - timedelta(microseconds=1))
    months = [first]
    while months[-1] < last:
        day = date.fromisoformat(f"{months[-1]}-01") + timedelta(days=32)
        months.append(f"{day.year:04d}-{day.month:02d}")
    return months
