"""The home page on a 360 px phone, in both languages: the first screen lets a resident report
a problem, track one by its code and find the reports this browser filed; then what bureaus
answered lately, with the photo after the fix."""

import os
import re
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from planvoice.core import storage
from planvoice.core.db import utcnow
from planvoice.core.extensions import db
from planvoice.demo import load_reference_data
from planvoice.reports import photos as photo_files
from planvoice.reports.areas import Area, Category
from planvoice.reports.models import ReportPhoto
from tests.browser.test_plan_pages import assert_accessible, assert_fits_phone
from tests.factories import ReportFactory
from tests.reports.conftest import jpeg_bytes

pytestmark = pytest.mark.browser

CODE = re.compile(r"EDQ-[2-9A-Z]{4}-[2-9A-Z]{2}")
# Where to keep the screenshots, if anywhere (a folder), to look at them.
SHOTS = os.environ.get("PV_SCREENSHOTS")


@pytest.fixture
def answered(app, plan):
    """A resolved report with its "after" photo (green), and one with a reply only."""
    load_reference_data()
    bare = db.session.scalar(select(Category).where(Category.code == "bare_ground"))
    dongsheng = db.session.scalar(select(Area).where(Area.code == "dongsheng"))
    now = utcnow()
    for code, resolved, colour in (("EDQ-AAAA-2A", now, "seagreen"), ("EDQ-AAAB-2A", None, None)):
        report = ReportFactory(
            code=code,
            category=bare,
            area=dongsheng,
            address="东盛大街 8 号",
            status="resolved" if resolved else "in_progress",
            published_at=now - timedelta(days=3),
            bureau=bare.default_bureau,
            routed_at=now - timedelta(days=2),
            first_reply_at=now - timedelta(days=1),
            resolved_at=resolved,
        )
        if colour:
            processed = photo_files.process_photo(jpeg_bytes((400, 300), colour), "after.jpg")
            path, thumbnail = photo_files.store_photo(processed, storage.backend())
            db.session.add(
                ReportPhoto(
                    report_id=report.id,
                    position=1,
                    path=path,
                    is_after=True,
                    thumbnail_path=thumbnail,
                    width=400,
                    height=300,
                )
            )
    db.session.commit()
    db.session.rollback()  # no transaction open in the test thread while the server reads


@pytest.mark.parametrize("language", ["zh_Hans", "en"])
def test_the_home_page_first_screen_on_a_phone(new_page, live_server, answered, language):
    page = new_page()
    page.goto(f"{live_server}/?lang={language}")

    # Above the fold of a 360×740 screen: the report button and the tracking form.
    for element in ("a.home-report", "#track-code", ".home-track button"):
        box = page.locator(element).bounding_box()
        assert box is not None and box["y"] + box["height"] <= 740, element
    assert page.locator("header.site a[href='/track']").is_visible()
    thumb = page.locator(".home-answered img.thumb")
    assert (
        thumb.count() == 1
        and page.evaluate("document.querySelector('.home-answered img').naturalWidth") > 0
    )
    assert_fits_phone(page)
    assert_accessible(page)
    _shoot(page, f"home-{language}")
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / f"home-full-{language}.png"), full_page=True)

    # A guest files a report; back home, it is in "my reports in this browser".
    page.goto(f"{live_server}/reports/new")
    page.check("input[name=category][value=bare_ground]")
    page.select_option("select[name=area]", "dongsheng")
    page.fill("textarea[name=description]", "东盛大街路口的空地一直是黄土,刮风就起尘。")
    page.wait_for_selector("#send-report:enabled")
    page.locator("#send-report").click()
    page.wait_for_load_state("load")
    code = CODE.search(page.locator("p.flash").inner_text())[0]
    page.goto(f"{live_server}/")
    mine = page.locator(".home-mine-list")
    assert code in mine.inner_text()
    box = mine.bounding_box()
    assert box["y"] + box["height"] <= 740  # still on the first screen
    assert_fits_phone(page)
    assert_accessible(page)
    _shoot(page, f"home-guest-{language}")

    # Another browser never sees it; tracking the code there opens the report.
    other = new_page(javascript=False)  # the form needs no script
    other.goto(f"{live_server}/")
    assert code not in other.content() and other.locator(".home-mine-list").count() == 0
    other.fill("#track-code", code.lower())
    other.locator(".home-track button").click()
    other.wait_for_load_state("load")
    assert other.url.endswith(f"/reports/{code}")


def _shoot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"))
