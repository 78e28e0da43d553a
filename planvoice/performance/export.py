"""The scorecard as CSV: the API's rows, one line per bureau or street."""

import csv
import io

COLUMNS = (
    "code",
    "name",
    "cases",
    "response_rate",
    "on_time_reply_rate",
    "on_time_resolution_rate",
    "resolution_rate",
    "satisfaction_rate",
    "reopen_rate",
    "median_days_to_accept",
    "median_days_to_reply",
    "median_days_to_resolve",
    "p90_days_to_accept",
    "p90_days_to_reply",
    "p90_days_to_resolve",
    "overdue_now",
)
N_COLUMNS = ("response", "reply", "resolution", "answers", "resolved")
# Spreadsheet programs run a cell that starts with one of these as a formula.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value):
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def scorecard_csv(document: dict) -> str:
    """The rows of a ``queries.scorecard`` document, with a UTF-8 BOM so that spreadsheet
    programs read the Chinese names right; an empty cell is a rate with too few cases."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["window", "group", *COLUMNS, *(f"n_{name}" for name in N_COLUMNS)])
    for row in document["rows"]:
        values = [_cell(row.get(column)) for column in COLUMNS]
        counts = [row["n"][name] for name in N_COLUMNS]
        writer.writerow([document["window"], document["group"], *values, *counts])
    return "\ufeff" + out.getvalue()
