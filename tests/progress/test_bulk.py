"""A bureau's sheet of targets: downloaded, filled in, previewed with per-row errors, applied
only once confirmed, and never twice."""

import csv
import io
import re
from datetime import date

from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from planvoice.core.extensions import db
from planvoice.plans.models import Target
from planvoice.progress import services
from planvoice.progress.models import ProgressEntry
from tests.conftest import csrf_from
from tests.progress.conftest import bureau

TOKEN_RE = re.compile(
    r'name="rows" type="hidden" value="([^"]+)"|type="hidden" name="rows" value="([^"]+)"'
)


def entries() -> int:
    return db.session.scalar(select(func.count(ProgressEntry.id)))


def download(client, fmt="csv") -> list[list]:
    response = client.get(f"/bureau/targets.{fmt}")
    assert response.status_code == 200
    if fmt == "csv":
        assert response.data.startswith("\ufeff".encode())  # Excel reads the Chinese right
        return list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    sheet = load_workbook(io.BytesIO(response.data)).active
    return [["" if c is None else c for c in row] for row in sheet.iter_rows(values_only=True)]


def as_csv_file(rows) -> tuple[io.BytesIO, str]:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return io.BytesIO(("\ufeff" + buffer.getvalue()).encode()), "targets.csv"


def upload(client, file):
    token = csrf_from(client, "/bureau/targets")
    return client.post(
        "/bureau/targets/upload",
        data={"csrf_token": token, "sheet": file},
        content_type="multipart/form-data",
    )


def confirm(client, preview):
    match = TOKEN_RE.search(preview.text)
    assert match, "no confirmation form"
    token = csrf_from(client, "/bureau/targets")
    return client.post(
        "/bureau/targets/upload/confirm",
        data={"csrf_token": token, "rows": match.group(1) or match.group(2)},
    )


def filled(rows, target_id, value, on, note=""):
    for row in rows:
        if row[0] == str(target_id) or row[0] == target_id:
            row[8:11] = [value, on, note]
    return rows


def test_the_sheet_lists_the_bureaus_targets_with_columns_to_fill_in(
    english, sign_in, owned_parks, clerk
):
    services.record_progress(owned_parks, author=clerk, on=date(2024, 1, 2), value=2)
    db.session.commit()
    sign_in(clerk)
    header, *rows = download(english)
    assert header[:3] == ["Target id", "Measure", "Subject"] and len(header) == 11
    assert rows == [
        [str(owned_parks.id), owned_parks.measure.title, "口袋公园", "10", "个", "2025", "2",
         "2024-01-02", "", "", ""],
    ]  # fmt: skip
    header, *rows = download(english, "xlsx")
    assert rows[0][0] == owned_parks.id and rows[0][2] == "口袋公园"


def test_an_upload_is_previewed_with_each_rows_errors_and_applied_once_confirmed(
    english, sign_in, owned_parks, clerk, admin
):
    others = db.session.scalars(select(Target).where(Target.id != owned_parks.id)).all()
    services.set_tracking(others[0], admin=admin, owner=bureau("education"))
    db.session.commit()
    sign_in(clerk)
    rows = download(english)
    rows += [
        ["99999", "", "", "", "", "", "", "", "1", "2024-01-01", ""],
        [str(others[0].id), "", "", "", "", "", "", "", "1", "2024-01-01", ""],
        [str(owned_parks.id), "", "", "", "", "", "", "", "很多", "2024-01-01", ""],
        [str(owned_parks.id), "", "", "", "", "", "", "", "4", "2099-01-01", ""],
        [str(owned_parks.id), "", "", "", "", "", "", "", "4", "2019-05-01", ""],
    ]
    filled(rows[:2], owned_parks.id, "3", "2024-06-01", "三个建成")
    preview = upload(english, as_csv_file(rows))
    assert preview.status_code == 200
    text = preview.text
    assert "1 of 6 filled-in rows can be recorded" in text
    assert "There is no target with this id." in text
    assert "This target is not one your bureau records." in text
    assert "The value must be a number" in text
    assert "cannot be in the future" in text
    assert "before the plan began" in text
    assert entries() == 0  # the preview applied nothing

    done = confirm(english, preview)
    assert done.status_code == 302
    page = english.get("/bureau/targets").text
    assert "1 new entry recorded." in page and "0 rows were recorded already" in page
    entry = db.session.scalar(select(ProgressEntry))
    assert (entry.target_id, entry.value, entry.note) == (owned_parks.id, 3, "三个建成")
    assert entry.upload_key and entry.bureau_id == clerk.bureau_id

    again = upload(english, as_csv_file(rows))
    confirm(english, again)
    page = english.get("/bureau/targets").text
    assert "0 new entries recorded." in page and "1 row was recorded already" in page
    assert entries() == 1


def test_an_xlsx_sheet_comes_back_too(english, sign_in, owned_parks, clerk):
    sign_in(clerk)
    rows = filled(download(english, "xlsx"), owned_parks.id, 5, date(2024, 3, 1))
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    data = io.BytesIO()
    workbook.save(data)
    preview = upload(english, (io.BytesIO(data.getvalue()), "targets.xlsx"))
    assert "1 of 1 filled-in row can be recorded" in preview.text
    confirm(english, preview)
    assert db.session.scalar(select(ProgressEntry.value)) == 5


def test_a_forged_confirmation_applies_nothing(english, sign_in, owned_parks, clerk):
    sign_in(clerk)
    token = csrf_from(english, "/bureau/targets")
    response = english.post(
        "/bureau/targets/upload/confirm", data={"csrf_token": token, "rows": "forged.token"}
    )
    assert response.status_code == 302
    assert "This preview has expired" in english.get("/bureau/targets").text
    assert entries() == 0


def test_a_file_that_is_no_sheet_is_refused(english, sign_in, owned_parks, clerk):
    sign_in(clerk)
    response = upload(english, (io.BytesIO(b"PK\x03\x04 not really"), "targets.xlsx"))
    assert response.status_code == 422 and "not a spreadsheet we can read" in response.text


def test_residents_have_no_sheet(client, sign_in, resident, reference):
    sign_in(resident)
    assert client.get("/bureau/targets").status_code == 403
    assert client.get("/bureau/targets.csv").status_code == 403


def test_an_administrator_uploads_for_any_target(english, sign_in, parks, admin):
    sign_in(admin)
    rows = download(english)  # every target, owned or not
    assert len(rows) - 1 == db.session.scalar(select(func.count(Target.id)))
    preview = upload(english, as_csv_file(filled(rows, parks.id, "4", "2024-02-01")))
    assert "1 of 1 filled-in row can be recorded" in preview.text
    confirm(english, preview)
    entry = db.session.scalar(select(ProgressEntry))
    assert (entry.target_id, entry.author_id, entry.bureau_id) == (parks.id, admin.id, None)


def test_a_guest_is_sent_to_sign_in(client, reference):
    response = client.get("/bureau/targets")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
