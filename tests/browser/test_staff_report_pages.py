"""The case page of each staff member (the community worker's panel with notes, suggested
duplicates and redaction; the bureau's panel) and the bureau inbox fit a 360 px phone, pass
axe-core, and work without JavaScript."""

import io

import pytest
from PIL import Image
from sqlalchemy import select

from planvoice.core.db import utcnow
from planvoice.core.extensions import db
from planvoice.demo import load_reference_data
from planvoice.reports import photos as photo_files
from planvoice.reports.areas import Area, Category
from planvoice.reports.models import Report, ReportNote, ReportPhoto
from tests.browser.test_plan_pages import assert_accessible, assert_fits_phone
from tests.browser.test_report_loop import _sign_in
from tests.factories import ReportFactory, UserFactory
from tests.reports.conftest import jpeg_bytes

pytestmark = pytest.mark.browser


@pytest.fixture
def routed_report(app, plan):
    """A routed report with a white photo, a note, and the staff who work on it."""
    load_reference_data()
    bare = db.session.scalar(select(Category).where(Category.code == "bare_ground"))
    dongsheng = db.session.scalar(select(Area).where(Area.code == "dongsheng"))
    report = ReportFactory(category=bare, area=dongsheng, status="routed", published_at=utcnow(),
                           bureau=bare.default_bureau, routed_at=utcnow(),
                           description="门口黄土,请联系王先生 13800138000。")  # fmt: skip
    processed = photo_files.process_photo(jpeg_bytes((400, 300), "white"), "door.jpg")
    path, thumbnail = photo_files.store_photo(processed, app.config["UPLOAD_FOLDER"])
    db.session.add(ReportPhoto(report_id=report.id, position=1, path=path,
                               thumbnail_path=thumbnail, width=400, height=300))  # fmt: skip
    worker = UserFactory(moderator=True, areas=[dongsheng])
    clerk = UserFactory(bureau_staff=True, bureau=bare.default_bureau)
    db.session.add(ReportNote(report_id=report.id, author_id=worker.id, body="已电话联系居民。"))
    logins = {"worker": worker.login, "clerk": clerk.login, "code": report.code}
    db.session.commit()
    db.session.rollback()
    return logins


@pytest.mark.parametrize("language", ["zh_Hans", "en"])
def test_staff_pages_of_a_report_fit_a_phone(new_page, live_server, routed_report, language):
    worker = new_page()
    _sign_in(worker, live_server, routed_report["worker"], language)
    worker.goto(f"{live_server}/reports/{routed_report['code']}")
    assert "已电话联系居民。" in worker.content()
    assert_fits_phone(worker)
    assert_accessible(worker)

    clerk = new_page()
    _sign_in(clerk, live_server, routed_report["clerk"], language)
    clerk.goto(f"{live_server}/bureau")
    assert_fits_phone(clerk)
    assert_accessible(clerk)
    clerk.locator(f"li#report-{routed_report['code']} a.case-link").click()
    clerk.wait_for_load_state("load")
    assert "已电话联系居民。" in clerk.content()
    assert clerk.locator("#case-step-accept button").is_visible()
    assert_fits_phone(clerk)
    assert_accessible(clerk)


@pytest.mark.parametrize("language", ["zh_Hans", "en"])
def test_a_worker_marks_a_duplicate_from_the_suggestions_with_one_press(
    new_page, live_server, routed_report, language
):
    original = db.session.scalar(select(Report).where(Report.code == routed_report["code"]))
    # A second report of the same bare ground, 30 m away, awaiting review.
    again = ReportFactory(category=original.category, area=original.area, lat=43.8715, lng=125.352)
    original.lat, original.lng = 43.87123, 125.352
    db.session.commit()
    code = again.code
    db.session.rollback()
    worker = new_page()
    _sign_in(worker, live_server, routed_report["worker"], language)
    worker.goto(f"{live_server}/moderation")
    worker.locator(f"li#report-{code} a.case-link").click()
    worker.wait_for_load_state("load")
    suggestion = worker.locator(".suggestion", has_text=routed_report["code"])
    assert_fits_phone(worker)
    assert_accessible(worker)
    suggestion.locator("button").click()
    worker.wait_for_load_state("load")
    db.session.expire_all()
    duplicate = db.session.scalar(select(Report).where(Report.code == code))
    assert duplicate.status == "duplicate" and duplicate.duplicate_of_id == original.id
    assert routed_report["code"] in worker.locator("p.duplicate").inner_text()


def test_a_worker_without_javascript_blacks_out_part_of_a_photo(
    new_page, live_server, routed_report
):
    worker = new_page(javascript=False)
    _sign_in(worker, live_server, routed_report["worker"], "en")
    worker.goto(f"{live_server}/reports/{routed_report['code']}")
    worker.locator("#case-step-redact summary").click()
    form = worker.locator("form.redact-photo")
    for edge, value in (("left", "0"), ("top", "0"), ("right", "50"), ("bottom", "50")):
        form.locator(f"input[name={edge}]").fill(value)
    form.get_by_role("button", name="Black out").click()
    worker.wait_for_load_state("load")
    assert "Personal data was removed by a moderator." in worker.content()

    href = worker.locator("ul.photos a").first.get_attribute("href")
    image = Image.open(io.BytesIO(worker.request.get(f"{live_server}{href}").body()))
    assert image.convert("L").getpixel((50, 50)) < 20  # inside the rectangle: black
    assert image.convert("L").getpixel((350, 250)) > 235  # outside: still white
