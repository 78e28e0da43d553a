"""The scorecard's figures from counted cases: rates with their n, medians and 90th
percentiles of working days, the "too few cases" rule, the score and rank. Pure functions over
plain numbers; ``queries`` does the counting."""

import math

#: Below this many cases a rate (or a median) is not shown: "too few cases".
MIN_CASES = 5
RATES = (
    "response_rate",
    "on_time_reply_rate",
    "on_time_resolution_rate",
    "resolution_rate",
    "satisfaction_rate",
)
STEPS = ("accept", "reply", "resolve")
SATISFACTION_LEVELS = ("satisfied", "basically_satisfied", "not_satisfied")
#: A row's rates (``RATES``, which rank it, and the reopen rate), its working days, and the
#: counts (``n``) its rates are shares of: the names the API, its schema and the CSV use.
ROW_RATES = (*RATES, "reopen_rate")
MEDIAN_DAYS = tuple(f"median_days_to_{step}" for step in STEPS)
P90_DAYS = tuple(f"p90_days_to_{step}" for step in STEPS)
N_KEYS = ("response", "reply", "resolution", "answers", "resolved")
#: The counts a row is computed from (``queries`` fills them, live or from the monthly rows).
RAW = (
    "cases",
    "response_n",
    "response_ok",
    "reply_n",
    "reply_ok",
    "resolution_n",
    "resolution_ok",
    "answers",
    "solved",
    *SATISFACTION_LEVELS,
    "resolved",
    "reopened",
    "overdue",
)


def rate(hits: int, n: int) -> float | None:
    return round(hits / n, 4) if n >= MIN_CASES else None


def figures_from(raw: dict, days: dict[str, list[tuple[int, int]]] | None = None) -> dict:
    """One row of the scorecard from the ``RAW`` counts and, per step, the working days as
    (days, how many cases) pairs."""
    raw = dict.fromkeys(RAW, 0) | {k: v or 0 for k, v in raw.items()}
    row = {
        "cases": raw["cases"],
        "response_rate": rate(raw["response_ok"], raw["response_n"]),
        "on_time_reply_rate": rate(raw["reply_ok"], raw["reply_n"]),
        "on_time_resolution_rate": rate(raw["resolution_ok"], raw["resolution_n"]),
        "resolution_rate": rate(raw["solved"], raw["answers"]),
        "satisfaction_rate": rate(raw["satisfied"] + raw["basically_satisfied"], raw["answers"]),
        "reopen_rate": rate(raw["reopened"], raw["resolved"]),
        "overdue_now": raw["overdue"],
        "n": {
            "response": raw["response_n"],
            "reply": raw["reply_n"],
            "resolution": raw["resolution_n"],
            "answers": raw["answers"],
            "resolved": raw["resolved"],
        },
        "satisfaction_counts": {level: raw[level] for level in SATISFACTION_LEVELS},
        "n_days": {},
    }
    for step in STEPS:
        histogram = sorted(pair for pair in (days or {}).get(step, []) if pair[1])
        total = sum(n for _, n in histogram)
        row["n_days"][step] = total
        enough = total >= MIN_CASES
        row[f"median_days_to_{step}"] = percentile(histogram, total, 0.5) if enough else None
        row[f"p90_days_to_{step}"] = percentile(histogram, total, 0.9) if enough else None
    return row


def empty_figures() -> dict:
    """The row of a bureau or street without a case in the window."""
    return figures_from({})


def percentile(histogram: list[tuple[int, int]], total: int, share: float) -> float:
    """The median (``share`` 0.5: the middle value, or the mean of the two middle ones) or a
    higher percentile (the smallest value at least ``share`` of the cases reach: 90th = the
    value 9 in 10 cases are at or under) of counted values."""

    def value_at(position: int) -> int:  # 0-based position in the sorted values
        seen = 0
        for value, n in histogram:
            seen += n
            if position < seen:
                return value
        raise IndexError(position)

    if share == 0.5:
        low, high = value_at((total - 1) // 2), value_at(total // 2)
        return (low + high) / 2
    rank = max(1, math.ceil(round(share * total, 6)))  # round: 0.9 × 10 is 9, not 9.000…1
    return float(value_at(rank - 1))


def score_of(row: dict) -> float | None:
    """The figure rows are ranked by: the mean of the five rates that have enough cases
    (response, on-time reply, on-time resolution, resolution, satisfaction)."""
    rates = [row[name] for name in RATES if row.get(name) is not None]
    return round(sum(rates) / len(rates), 4) if rates else None


def rank_rows(rows: list[dict]) -> None:
    """Rank by score, highest first; equal scores share a rank; no score, no rank."""
    scores = sorted((row["score"] for row in rows if row["score"] is not None), reverse=True)
    for row in rows:
        row["rank"] = scores.index(row["score"]) + 1 if row["score"] is not None else None


def difference(a, b):
    return round(a - b, 4) if a is not None and b is not None else None
