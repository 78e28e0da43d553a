"""Bureau staff work through the reports routed to their bureau, in public."""

import io

import pytest
from openpyxl import load_workbook
from PIL import Image
from sqlalchemy import select

from planvoice.bureaus.models import Bureau
from planvoice.core.audit import AuditEvent
from planvoice.core.extensions import db
from planvoice.demo import load_reference_data
from planvoice.reports.areas import Area, Category
from planvoice.reports.models import Report
from tests.conftest import BOTH_PHOTO_STORAGES, csrf_from
from tests.factories import ReportFactory, UserFactory
from tests.reports.conftest import stored_files


@pytest.fixture
def bureaus(plan) -> dict[str, Bureau]:
    load_reference_data()
    db.session.commit()
    return {b.code: b for b in db.session.scalars(select(Bureau))}


@pytest.fixture
def routed(bureaus):
    """A report routed to the urban management bureau, with the resident's contact."""
    bare = db.session.scalar(select(Category).where(Category.code == "bare_ground"))
    from planvoice.core.db import utcnow

    return ReportFactory(category=bare, status="routed", bureau=bureaus["urban_management"],
                         routed_at=utcnow(), contact="13800138000")  # fmt: skip


@pytest.fixture
def staff(client, sign_in, bureaus):
    clerk = UserFactory(bureau_staff=True, bureau=bureaus["urban_management"])
    # Signed in reading English, so the language kept on the account is English from the start.
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    sign_in(clerk)
    return clerk


def _act(client, report, action, body="", **files):
    data = {"csrf_token": csrf_from(client, "/bureau"), "body": body, **files}
    return client.post(f"/bureau/reports/{report.code}/{action}", data=data,
                       content_type="multipart/form-data")  # fmt: skip


def _reload(report) -> Report:
    db.session.expire_all()
    return db.session.get(Report, report.id)


def test_the_inbox_lists_the_bureaus_new_reports_with_their_contact(client, staff, routed):
    page = client.get("/bureau").text
    assert f'href="/reports/{routed.code}"' in page and "accept by" in page
    # The contact and the steps are on the case page the row links to.
    case_page = client.get(f"/reports/{routed.code}").text
    assert "13800138000" in case_page and ">Accept<" in case_page


@BOTH_PHOTO_STORAGES
def test_accept_reply_and_resolve_with_an_after_photo(client, staff, routed, photo_storage):
    assert _act(client, routed, "accept").status_code == 302
    assert _reload(routed).status == "accepted" and _reload(routed).accepted_at
    _act(client, routed, "reply", body="已安排人员下周一现场核查。")
    assert _reload(routed).first_reply_at is not None
    photo = io.BytesIO()
    Image.new("RGB", (800, 600), "green").save(photo, "JPEG")
    photo.seek(0)
    _act(client, routed, "resolve", body="已完成绿化覆盖。", after_photo=(photo, "after.jpg"))

    report = _reload(routed)
    assert report.status == "resolved" and report.resolved_at is not None
    assert [p.is_after for p in report.photos] == [True]
    (after,) = report.photos
    with client.get(f"/reports/photos/{after.path}") as served:
        assert served.status_code == 200 and served.data == photo_storage.read(after.path)
        assert Image.open(io.BytesIO(served.data)).size == (800, 600)
    assert stored_files(photo_storage) == sorted([after.path, after.thumbnail_path])
    page = client.get(f"/reports/{report.code}").text
    assert "已安排人员下周一现场核查。" in page and "已完成绿化覆盖。" in page
    assert "After the fix" in page
    actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions == ["report.accept", "report.reply", "report.resolve"]


def test_a_resolution_without_a_photo_says_so(client, staff, routed):
    _act(client, routed, "accept")
    _act(client, routed, "resolve", body="已清理。")
    assert "No photo of the fix was given." in client.get(f"/reports/{routed.code}").text


def test_a_return_needs_a_reason_and_is_counted(client, staff, routed):
    _act(client, routed, "return", body="")
    assert _reload(routed).status == "routed"
    assert "Say why the report is returned." in client.get("/bureau").text

    _act(client, routed, "return", body="该地块属于住建局管理。")
    report = _reload(routed)
    assert report.status == "returned" and report.return_count == 1 and report.bureau is None
    assert "该地块属于住建局管理。" in client.get(f"/reports/{report.code}").text
    assert report.code in client.get("/bureau?view=returned").text


@pytest.mark.parametrize(
    "action, status",
    [("accept", "accepted"), ("resolve", "routed"), ("progress", "routed"), ("reply", "routed")],
)
def test_acting_in_the_wrong_state_changes_nothing(client, staff, routed, action, status):
    if action == "accept":
        _act(client, routed, "accept")  # accepting twice
    before = _reload(routed).status
    _act(client, routed, action, body="说明")
    assert _reload(routed).status == before == status
    assert "error" in client.get("/bureau?view=accepted").text


def test_another_bureau_cannot_see_or_touch_the_report(client, sign_in, bureaus, routed):
    sign_in(UserFactory(bureau_staff=True, bureau=bureaus["housing"]))
    assert routed.code not in client.get("/bureau").text
    assert _act(client, routed, "accept").status_code == 403
    assert _reload(routed).status == "routed"


@pytest.mark.parametrize("who", ["resident", "moderator"])
def test_only_bureau_staff_open_the_inbox(client, sign_in, bureaus, who):
    sign_in(UserFactory(**({"moderator": True} if who == "moderator" else {})))
    assert client.get("/bureau").status_code == 403


def test_a_guest_is_sent_to_sign_in(client, bureaus):
    response = client.get("/bureau")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_inbox_downloads_as_csv_with_its_contacts(client, staff, routed):
    routed.description = '=HYPERLINK("http://evil")小区门口黄土'
    db.session.commit()
    response = client.get("/bureau/export.csv?view=new")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "no-store" in response.headers["Cache-Control"]
    text = response.data.decode("utf-8")
    assert text.startswith("\ufeffTracking code,")
    assert routed.code in text and "13800138000" in text
    assert "'=HYPERLINK" in text  # a spreadsheet will not run it as a formula


def test_the_inbox_downloads_as_xlsx(client, staff, routed, bureaus):
    other = ReportFactory(category=routed.category, status="routed", bureau=bureaus["housing"])
    response = client.get("/bureau/export.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data), read_only=True).active
    rows = list(sheet.values)
    assert rows[0][:3] == ("Tracking code", "Kind of problem", "Status")
    assert [row[0] for row in rows[1:]] == [routed.code]  # not the other bureau's report
    assert other.code not in str(rows)


def test_only_bureau_staff_download_the_inbox(client, sign_in, bureaus):
    sign_in(UserFactory(moderator=True))
    assert client.get("/bureau/export.csv").status_code == 403


def test_each_tab_of_the_inbox_takes_the_same_queries_however_many_reports(
    client, staff, routed, bureaus, count_queries
):
    def queries_per_tab() -> dict[str, int]:
        counts = {}
        for view in ("new", "accepted", "overdue", "resolved", "returned"):
            with count_queries as counter:
                assert client.get(f"/bureau?view={view}").status_code == 200
            counts[view] = counter.count
        return counts

    with_one = queries_per_tab()
    categories = db.session.scalars(select(Category)).all()
    areas = db.session.scalars(select(Area)).all()
    for number in range(6):  # other categories and streets, each read once per page
        ReportFactory(category=categories[number % len(categories)], area=areas[number],
                      status="routed", bureau=bureaus["urban_management"],
                      routed_at=routed.routed_at)  # fmt: skip
    assert queries_per_tab() == with_one
