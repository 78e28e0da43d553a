"""A resident reads the plan on a cheap phone: 360 px wide, Chinese locale, maybe no JavaScript.

Every page visited must fit the screen without horizontal scrolling, pass axe-core with zero
violations, and load nothing but its own files from its own server (no web fonts, no CDN).
"""

import pytest
from axe_playwright_python.sync_playwright import Axe
from sqlalchemy import select

from planvoice.core.extensions import db
from planvoice.plans.models import Measure
from planvoice.plans.queries import neighbours

pytestmark = pytest.mark.browser

MEASURE_TITLE = "“绣花功夫”管理城市"
PHONE_WIDTH = 360
AXE = Axe()


@pytest.fixture
def measure(plan):
    """The measure on city management, which has targets and neighbours on both sides."""
    measure = db.session.scalar(select(Measure).where(Measure.title == MEASURE_TITLE))
    assert measure is not None, f"the bundled plan has no measure titled {MEASURE_TITLE}"
    previous, following = neighbours(measure)
    assert measure.targets and previous and following
    facts = {
        "id": measure.id,
        "title": measure.title,
        "text": measure.text,
        "targets": len(measure.targets),
        "next_id": following.id,
        "next_title": following.title,
    }
    # Keep no transaction open in the test thread while the server thread reads.
    db.session.rollback()
    return facts


def visit(page, base_url, path):
    """Open ``base_url + path``; return the list of every URL the page requested."""
    requested = []
    page.on("request", lambda request: requested.append((request.resource_type, request.url)))
    response = page.goto(base_url + path)
    assert response is not None and response.ok, f"GET {path} -> {response and response.status}"
    page.wait_for_load_state("load")
    return requested


def assert_fits_phone(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_WIDTH, f"{page.url} scrolls horizontally: {width}px > {PHONE_WIDTH}px"


def assert_accessible(page):
    results = AXE.run(page)
    assert results.violations_count == 0, results.generate_report()


def assert_only_own_resources(requested, base_url):
    fonts = [url for kind, url in requested if kind == "font"]
    assert not fonts, f"web fonts requested: {fonts}"
    foreign = [url for _, url in requested if not url.startswith(base_url + "/")]
    assert not foreign, f"requests outside {base_url}: {foreign}"


def test_resident_reads_a_measure_on_a_phone(page, live_server, measure):
    requested = visit(page, live_server, f"/measures/{measure['id']}")

    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    heading = page.get_by_role("heading", level=1)
    assert heading.inner_text() == measure["title"]
    assert heading.is_visible()
    targets = page.locator("ul.targets > li")
    assert targets.count() == measure["targets"]
    assert targets.first.is_visible()
    assert_fits_phone(page)
    assert_accessible(page)
    assert_only_own_resources(requested, live_server)


def test_english_reader_reads_the_same_measure(page, live_server, measure):
    requested = visit(page, live_server, f"/measures/{measure['id']}?lang=en")

    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", level=1).inner_text() == measure["title"]
    assert page.get_by_role("heading", name="Targets").is_visible()
    assert page.locator("ul.targets > li").count() == measure["targets"]
    assert_fits_phone(page)
    assert_accessible(page)
    assert_only_own_resources(requested, live_server)


def test_older_resident_reads_a_measure_in_large_text(page, live_server, measure):
    requested = visit(page, live_server, f"/measures/{measure['id']}?elder=on")

    assert "elder" in (page.locator("html").get_attribute("class") or "").split()
    assert page.get_by_role("heading", level=1).is_visible()
    assert page.locator("ul.targets > li").first.is_visible()
    assert_fits_phone(page)
    assert_accessible(page)
    assert_only_own_resources(requested, live_server)


def test_resident_without_javascript_reads_and_goes_to_the_next_measure(
    no_js_page, live_server, measure
):
    page = no_js_page
    requested = visit(page, live_server, f"/measures/{measure['id']}")

    assert page.get_by_role("heading", level=1).inner_text() == measure["title"]
    assert page.locator("p.text").inner_text() == measure["text"]
    assert page.locator("a[rel=prev]").is_visible()
    following = page.locator("a[rel=next]")
    assert following.is_visible()

    following.click()
    page.wait_for_url(f"{live_server}/measures/{measure['next_id']}")
    assert page.get_by_role("heading", level=1).inner_text() == measure["next_title"]
    assert_only_own_resources(requested, live_server)


def test_resident_browses_the_plan_and_opens_a_section(page, live_server, measure):
    requested = visit(page, live_server, "/")

    assert page.get_by_role("heading", level=1).is_visible()
    assert_fits_phone(page)
    assert_accessible(page)

    page.get_by_role("heading", level=2).first.get_by_role("link").click()
    page.wait_for_url(f"{live_server}/sections/*")
    assert page.locator("ul.measures > li").count() > 0
    assert_fits_phone(page)
    assert_accessible(page)
    assert_only_own_resources(requested, live_server)
