"""The scorecard as CSV: the API's rows, one line per bureau or street."""

from planvoice.bureaus.export import as_csv
from planvoice.performance.figures import MEDIAN_DAYS, N_KEYS, P90_DAYS, ROW_RATES

COLUMNS = ("code", "name", "cases", *ROW_RATES, *MEDIAN_DAYS, *P90_DAYS, "overdue_now")


def scorecard_csv(document: dict) -> bytes:
    """The rows of a ``queries.scorecard`` document, as the bureaus' exports write a sheet
    (UTF-8 with a BOM, formulas quoted); an empty cell is a rate with too few cases."""
    header = ["window", "group", *COLUMNS, *(f"n_{name}" for name in N_KEYS)]
    rows = [
        [document["window"], document["group"], *(row.get(c) for c in COLUMNS),
         *(row["n"][name] for name in N_KEYS)]
        for row in document["rows"]
    ]  # fmt: skip
    return as_csv([header, *rows])
