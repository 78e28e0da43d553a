"""Progress in bulk: a bureau's targets as a sheet (CSV or XLSX), filled in and uploaded back.

An upload is read and checked row by row (``check_rows``) and nothing is applied until the
clerk confirms: the valid rows travel in a signed token (``sign_rows``), not in the session
store. Each applied row carries the digest of (target, date, value, note) as its
``upload_key``, so the same file uploaded again finds its rows recorded and adds nothing."""

import csv
import hashlib
import io
from dataclasses import dataclass, field
from datetime import date, datetime

from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer
from openpyxl import load_workbook

from planvoice.core.i18n import _
from planvoice.progress import queries, services
from planvoice.progress.state import exact_number

# Where the clerk writes: the sheet's last three columns (then the id in the first).
ID_COLUMN, VALUE_COLUMN, DATE_COLUMN, NOTE_COLUMN = 0, 8, 9, 10
MAX_ROWS = 2000
TOKEN_MAX_AGE = 3600  # a preview is confirmed within the hour, or uploaded again
_SALT = "progress-upload"


def sheet_rows(items) -> list[list]:
    """A header, then one row per target (``TargetProgress``) with empty columns to fill in."""
    header = [
        _("Target id"),
        _("Measure"),
        _("Subject"),
        _("Target value"),
        _("Unit"),
        _("Deadline"),
        _("Latest value"),
        _("Latest date"),
        _("New value"),
        _("Date (YYYY-MM-DD)"),
        _("Note"),
    ]
    rows = [header]
    for item in items:
        target, latest = item.target, item.latest
        rows.append(
            [
                target.id,
                target.measure.title,
                target.subject,
                exact_number(target.value),
                target.unit,
                queries.deadline_year(target, target.measure.plan) or "",
                exact_number(latest.value) if latest else "",
                latest.on.isoformat() if latest else "",
                "",
                "",
                "",
            ]
        )
    return rows


class SheetError(ValueError):
    """A file that is not a sheet we can read; str(error) is a translated message."""


def read_sheet(filename: str, data: bytes) -> list[tuple[int, list]]:
    """The data rows of an uploaded CSV or XLSX as ``(line number, cells)``, the header and
    rows left empty skipped."""
    if filename.lower().endswith(".xlsx") or data[:2] == b"PK":
        try:
            sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).active
            raw = [list(row) for row in sheet.iter_rows(values_only=True)]
        except Exception:  # openpyxl raises many kinds on a damaged file
            raise SheetError(_("This file is not a spreadsheet we can read.")) from None
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("gb18030", errors="replace")  # saved by Excel in China
        raw = list(csv.reader(io.StringIO(text)))
    rows = [(n, cells) for n, cells in enumerate(raw[1:], start=2) if _filled(cells)]
    if len(rows) > MAX_ROWS:
        raise SheetError(_("A sheet may have at most %(max)d filled-in rows.", max=MAX_ROWS))
    return rows


def _cell(cells, index):
    value = cells[index] if index < len(cells) else None
    return value.strip().lstrip("'") if isinstance(value, str) else value


def _filled(cells) -> bool:
    return any(_cell(cells, i) not in (None, "") for i in (VALUE_COLUMN, DATE_COLUMN))


@dataclass
class RowCheck:
    line: int
    target_id: int | None
    target: object = None
    value: object = None
    on: date | None = None
    note: str = ""
    errors: list[str] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return not self.errors


def check_rows(rows: list[tuple[int, list]], *, user) -> list[RowCheck]:
    """Each filled-in row with what is wrong with it: an unknown target, one ``user`` may not
    record on, a value that is not a number, a date in the future or before the plan."""
    ids = {_id(_cell(cells, ID_COLUMN)) for _line, cells in rows} - {None}
    targets = queries.get_targets(ids)
    trackings = queries.trackings_of(ids)
    checked = []
    for line, cells in rows:
        target_id = _id(_cell(cells, ID_COLUMN))
        row = RowCheck(line, target_id, note=str(_cell(cells, NOTE_COLUMN) or ""))
        row.target = targets.get(target_id)
        if row.target is None:
            row.errors.append(_("There is no target with this id."))
        elif not services.may_record(user, trackings.get(target_id)):
            row.errors.append(_("This target is not one your bureau records."))
        try:
            row.value = services.check_value(_cell(cells, VALUE_COLUMN))
        except services.ProgressError as error:
            row.errors.append(str(error))
        try:
            row.on = _date(_cell(cells, DATE_COLUMN))
            if row.target is not None:
                services.check_date(row.on, row.target.measure.plan)
        except services.ProgressError as error:
            row.errors.append(str(error))
        if len(row.note) > services.MAX_NOTE:
            row.errors.append(_("Write at most %(max)d characters.", max=services.MAX_NOTE))
        checked.append(row)
    return checked


def _id(value) -> int | None:
    try:
        number = int(str(value).strip()) if value not in (None, "") else None
    except ValueError:
        return None
    return number if number is not None and 0 < number < 2**31 else None


def _date(value) -> date:
    if isinstance(value, datetime):  # a date cell in a spreadsheet
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value or "").strip().replace("/", "-"))
    except ValueError:
        raise services.ProgressError(_("Give the date as YYYY-MM-DD.")) from None


# The checked rows between the preview and the confirmation


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def sign_rows(rows: list[RowCheck], *, user) -> str:
    """The valid rows, signed for ``user``: what the confirmation applies."""
    payload = [
        [r.target_id, r.on.isoformat(), exact_number(r.value), r.note] for r in rows if r.is_valid
    ]
    return _serializer().dumps({"user": user.id, "rows": payload})


def unsign_rows(token: str, *, user) -> list[tuple[int, list]]:
    """The rows of a token signed for ``user``, as sheet rows to check again (ownership or a
    date may have changed since the preview); ``SheetError`` for a forged or stale token."""
    try:
        data = _serializer().loads(token, max_age=TOKEN_MAX_AGE)
    except BadSignature:
        raise SheetError(_("This preview has expired. Please upload the sheet again.")) from None
    if data.get("user") != user.id:
        raise SheetError(_("This preview has expired. Please upload the sheet again."))
    blank = [""] * (NOTE_COLUMN + 1)
    rows = []
    for n, (target_id, on, value, note) in enumerate(data["rows"], start=1):
        cells = list(blank)
        cells[ID_COLUMN], cells[DATE_COLUMN] = target_id, on
        cells[VALUE_COLUMN], cells[NOTE_COLUMN] = value, note
        rows.append((n, cells))
    return rows


def upload_key(row: RowCheck) -> str:
    """The digest that makes a row recorded once, however often its sheet is uploaded."""
    text = "\n".join((str(row.target_id), row.on.isoformat(), exact_number(row.value), row.note))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def apply_rows(rows: list[RowCheck], *, user) -> tuple[int, int]:
    """Record the valid rows; return how many were new and how many recorded already."""
    new = already = 0
    for row in rows:
        if not row.is_valid:
            continue
        key = upload_key(row)
        if queries.get_entry_by_upload_key(key) is not None:
            already += 1
            continue
        services.record_progress(
            row.target,
            author=user,
            on=row.on,
            value=row.value,
            note=row.note,
            upload_key=key,
            bureau=user.bureau,
        )
        new += 1
    return new, already
