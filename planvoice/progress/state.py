"""A target's state and the fraction of its bar, from its tracking and latest entry: plain
arithmetic over plain values, tested without an app.

The rules, as the method page states them:

- **not started**: no entry yet;
- **achieved**: ``at_least``/``reach`` at or above the target value, ``at_most`` at or below
  it; ``increase`` (a rise in per cent) at or above baseline × (1 + value / 100) (without a
  baseline, the latest value is read as the rise reached so far, in per cent);
- **overdue**: not achieved, and 31 December of the deadline year (the target's year, else
  the plan's end year) has passed;
- **on track** / **behind**: the latest value against a straight line from the baseline (or
  zero on 1 January of the plan's first year) to the target at the deadline, read on the date
  of the latest entry; for ``at_most`` lower is better.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

STATES = ("not_started", "on_track", "behind", "achieved", "overdue")
_ZERO = Decimal(0)


def exact_number(value) -> str:
    """A Decimal written out exactly, without trailing zeros ("3", "2.5"): for forms, signed
    sheets and upload keys, where the value must come back unchanged."""
    return f"{Decimal(value).normalize():f}"


def plain_number(value) -> str:
    """A Decimal as people read it: 3, 2.5, 120 (at most two decimals, no trailing zeros)."""
    return exact_number(Decimal(value).quantize(Decimal("0.01")))


def deadline_year(target, plan) -> int | None:
    return target.deadline or plan.end_year


def _baseline(tracking) -> tuple[Decimal, date] | None:
    if tracking is None or tracking.baseline_value is None or tracking.baseline_date is None:
        return None
    return Decimal(tracking.baseline_value), tracking.baseline_date


def goal_of(target, tracking) -> Decimal:
    """The value the latest entry must reach (or, for ``at_most``, stay at or under)."""
    value = Decimal(target.value)
    baseline = _baseline(tracking)
    if target.comparator == "increase" and baseline is not None:
        return baseline[0] * (1 + value / 100)
    return value


def is_achieved(target, tracking, latest_value) -> bool:
    goal = goal_of(target, tracking)
    if target.comparator == "at_most":
        return Decimal(latest_value) <= goal
    return Decimal(latest_value) >= goal


def target_state(target, tracking, latest, today: date, *, plan=None) -> str:
    """One of ``STATES`` for ``target`` (``latest``: its latest current entry, or None)."""
    plan = plan if plan is not None else target.measure.plan
    if latest is None:
        return "not_started"
    value = Decimal(latest.value)
    if is_achieved(target, tracking, value):
        return "achieved"
    year = deadline_year(target, plan)
    if year is not None and today > date(year, 12, 31):
        return "overdue"
    expected = expected_value(target, tracking, plan, latest.on)
    if expected is None:  # no line to compare with (a plan without its years)
        return "on_track"
    if target.comparator == "at_most":
        return "on_track" if value <= expected else "behind"
    return "on_track" if value >= expected else "behind"


def expected_value(target, tracking, plan, on: date) -> Decimal | None:
    """Where the straight line from the start to the goal stands on ``on``."""
    year = deadline_year(target, plan)
    baseline = _baseline(tracking)
    if baseline is not None:
        start_value, start_date = baseline
    elif plan.start_year:
        start_value, start_date = _ZERO, date(plan.start_year, 1, 1)
    else:
        return None
    if year is None:
        return None
    end = date(year, 12, 31)
    span = (end - start_date).days
    if span <= 0:  # a baseline dated at or after the deadline: the goal is due already
        share = Decimal(1)
    else:
        share = Decimal(min(max((on - start_date).days, 0), span)) / Decimal(span)
    goal = goal_of(target, tracking)
    return start_value + (goal - start_value) * share


def fraction(target, tracking, latest) -> float:
    """How much of the way the bar shows, from 0 to 1 (capped), by the same comparator."""
    if latest is None:
        return 0.0
    value = Decimal(latest.value)
    goal = goal_of(target, tracking)
    if is_achieved(target, tracking, value):
        return 1.0
    baseline = _baseline(tracking)
    if target.comparator == "at_most":
        # The way down from the baseline; without one, how far the goal is from the value.
        if baseline is not None and baseline[0] > goal:
            share = (baseline[0] - value) / (baseline[0] - goal)
        else:
            share = goal / value if value else Decimal(1)
    elif target.comparator == "increase" and baseline is not None:
        share = (value - baseline[0]) / (goal - baseline[0]) if goal > baseline[0] else Decimal(1)
    else:
        share = value / goal if goal else Decimal(1)
    return float(min(max(share, _ZERO), Decimal(1)))


def measure_fraction(parts: list[tuple[float, Decimal | None]]) -> float | None:
    """A measure's progress from its targets' ``(fraction, weight)``: the mean of the
    fractions, or their weighted mean once any weight is set (an unweighted target then counts
    for nothing). None for a measure without targets."""
    if not parts:
        return None
    if any(weight is not None for _share, weight in parts):
        total = sum(float(weight or 0) for _share, weight in parts)
        if total > 0:
            return sum(share * float(weight or 0) for share, weight in parts) / total
    return sum(share for share, _weight in parts) / len(parts)


@dataclass(frozen=True)
class TargetProgress:
    """What a page shows of one target: its tracking, latest entry, state and bar."""

    target: object
    tracking: object
    latest: object
    state: str
    fraction: float
    goal: Decimal

    @property
    def step(self) -> int:
        """The fraction in 5 % steps (0–100), for the bar's width class."""
        return int(round(self.fraction * 20)) * 5

    @property
    def shows_unit(self) -> bool:
        """A rise in per cent over a baseline compares counts, not per cents: no unit."""
        return not (self.target.comparator == "increase" and _baseline(self.tracking))

    @property
    def owner(self):
        return self.tracking.owner if self.tracking is not None else None

    @property
    def weight(self):
        return self.tracking.weight if self.tracking is not None else None


def progress_of(target, tracking, today: date, *, plan=None) -> TargetProgress:
    latest = tracking.latest_entry if tracking is not None else None
    return TargetProgress(
        target=target,
        tracking=tracking,
        latest=latest,
        state=target_state(target, tracking, latest, today, plan=plan),
        fraction=fraction(target, tracking, latest),
        goal=goal_of(target, tracking),
    )
