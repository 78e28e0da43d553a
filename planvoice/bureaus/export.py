"""The bureau inbox as a spreadsheet (CSV or XLSX), for bureaus that track cases elsewhere."""

import csv
import io

from flask_babel import to_user_timezone
from openpyxl import Workbook

from planvoice.core.i18n import _

# Spreadsheet programs run a cell that starts with one of these as a formula.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def inbox_table(reports, deadlines, *, url_of) -> list[list]:
    """A header row, then one row per report: what the bureau needs to act on it."""
    header = [
        _("Tracking code"),
        _("Kind of problem"),
        _("Status"),
        _("Area"),
        _("Address or landmark"),
        _("Latitude"),
        _("Longitude"),
        _("Description"),
        _("Your name"),
        _("E-mail or mobile number"),
        _("Sent at"),
        _("Accept by"),
        _("Resolve by"),
        _("Overdue"),
        _("Supporters"),
        _("Returns"),
        _("Page"),
    ]
    rows = [header]
    for report in reports:
        due = deadlines.get(report.id)
        rows.append(
            [
                report.code,
                report.category.name,
                report.status_label,
                report.area.full_name if report.area else "",
                report.address or "",
                report.lat,
                report.lng,
                report.description,
                report.reporter_name or "",
                report.contact or "",
                _local(report.routed_at),
                _local(due and due.due.accept_by),
                _local(due and due.due.resolve_by),
                _("yes") if due and due.is_overdue else "",
                report.support_count,
                report.return_count,
                url_of(report),
            ]
        )
    return rows


def _local(moment) -> str:
    return to_user_timezone(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def _safe(value):
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return "" if value is None else value


def as_csv(rows) -> bytes:
    """UTF-8 with a byte-order mark, so that Excel shows Chinese text correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerows([[_safe(cell) for cell in row] for row in rows])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def as_xlsx(rows, *, sheet_name: str | None = None) -> bytes:
    """One sheet (named ``sheet_name``, else "Reports"), formulas quoted as in the CSV."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_name or _("Reports"))
    for row in rows:
        sheet.append([_safe(cell) for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
