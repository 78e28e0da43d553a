"""A target's state and the fraction of its bar, from its tracking and latest entry: plain
arithmetic over plain values, tested without an app.

The rules, as the method page states them:

- **not started**: no entry yet;
- **achieved**: ``at_least``/``reach`` at or above the target value, ``at_most`` at or below
  it, ``about`` (左右) at or above 95 % of it; ``increase`` (a rise in per cent) at or above
  baseline × (1 + value / 100), ``decrease`` at or below baseline × (1 − value / 100) (by
  "个百分点": the baseline plus or minus the value), ``annual_growth`` at or above the
  baseline grown by the value each year from the baseline's year to the deadline's; without a
  baseline, the latest value of these three is read as the change reached so far (per cent,
  or per year), and achieved at or above the value;
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


_CHANGES = ("increase", "decrease", "annual_growth")
_ABOUT_SHARE = Decimal("0.95")  # "about" the value: reached within 5 % under it


def goal_of(target, tracking) -> Decimal:
    """The value the latest entry must reach (or, lower being better, stay at or under)."""
    value = Decimal(target.value)
    baseline = _baseline(tracking)
    if target.comparator not in _CHANGES or baseline is None:
        return value
    start = baseline[0]
    points = target.unit == "个百分点"
    if target.comparator == "increase":
        return start + value if points else start * (1 + value / 100)
    if target.comparator == "decrease":
        return start - value if points else start * (1 - value / 100)
    # annual_growth: compounded each year from the baseline's year to the deadline's.
    years = max((target.deadline or baseline[1].year) - baseline[1].year, 1)
    return start * (1 + value / 100) ** years


def lower_is_better(target, tracking) -> bool:
    """``at_most``, and a decrease measured from a baseline: the value must come down."""
    return target.comparator == "at_most" or (
        target.comparator == "decrease" and _baseline(tracking) is not None
    )


def is_achieved(target, tracking, latest_value) -> bool:
    goal = goal_of(target, tracking)
    if lower_is_better(target, tracking):
        return Decimal(latest_value) <= goal
    if target.comparator == "about":
        return Decimal(latest_value) >= goal * _ABOUT_SHARE
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
    if lower_is_better(target, tracking):
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
    if lower_is_better(target, tracking):
        # The way down from the baseline; without one, how far the goal is from the value.
        if baseline is not None and baseline[0] > goal:
            share = (baseline[0] - value) / (baseline[0] - goal)
        else:
            share = goal / value if value else Decimal(1)
    elif target.comparator in _CHANGES and baseline is not None:
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
        """A change in per cent over a baseline compares counts, not per cents: no unit."""
        return not (self.target.comparator in _CHANGES and _baseline(self.tracking))

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
