"""The scorecard and a bureau's page with its charts, on a 360 px phone in both languages:
axe-clean with JavaScript, and the same figures readable without it."""

import os
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from planvoice.bureaus.models import Bureau
from planvoice.core.db import utcnow
from planvoice.core.extensions import db
from tests.browser.test_plan_pages import assert_accessible, assert_fits_phone
from tests.browser.test_report_loop import _sign_in
from tests.factories import UserFactory
from tests.performance.cases import make_case

pytestmark = pytest.mark.browser

SHOTS = os.environ.get("PV_SCREENSHOTS")
BUREAU_NAMES = {"zh_Hans": "区城市管理执法局", "en": "Urban Management and Law Enforcement Bureau"}


@pytest.fixture
def this_months_cases(places):
    """Cases routed this month: six handled in a day and answered, one never accepted."""
    now = utcnow()
    routed = now.replace(day=1, hour=1, minute=0) if now.day > 1 else now - timedelta(hours=3)
    hour = timedelta(hours=1)
    for n in range(6):
        make_case(places, "urban_management", ("accepted", routed + hour),
                  ("replied", routed + 2 * hour), ("resolved", routed + 3 * hour),
                  ("closed", routed + 4 * hour, "satisfied" if n else "not_satisfied", True),
                  routed=routed)  # fmt: skip
    make_case(places, "urban_management", routed=routed)
    db.session.rollback()  # no transaction open in the test thread while the server reads


def _shoot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("language", ["zh_Hans", "en"])
def test_the_scorecard_and_a_bureaus_charts_on_a_phone(
    new_page, live_server, this_months_cases, language
):
    page = new_page()
    page.goto(f"{live_server}/performance?lang={language}")
    table = page.locator("table.scorecard").first
    assert BUREAU_NAMES[language] in table.inner_text()
    assert "83%" in table.inner_text()  # five of six satisfied
    assert_fits_phone(page)
    assert_accessible(page)
    _shoot(page, f"performance-{language}")

    page.get_by_role("link", name=BUREAU_NAMES[language]).click()
    page.wait_for_load_state("load")
    charts = page.locator("svg.chart-svg")
    assert charts.count() == 2 and charts.first.is_visible()
    assert page.locator("table.trend tbody tr").count() == 12
    assert_fits_phone(page)
    assert_accessible(page)
    _shoot(page, f"performance-bureau-{language}")

    page.goto(f"{live_server}/performance/method?lang={language}")
    assert_fits_phone(page)
    assert_accessible(page)


@pytest.mark.parametrize("language", ["zh_Hans", "en"])
def test_the_figures_and_the_charts_need_no_javascript(
    new_page, live_server, this_months_cases, language
):
    page = new_page(javascript=False)
    page.goto(f"{live_server}/performance?lang={language}")
    assert "83%" in page.locator("table.scorecard").first.inner_text()
    page.goto(f"{live_server}/performance/bureaus/urban_management?lang={language}")
    assert page.locator("svg.chart-svg").first.is_visible()
    assert "83%" in page.locator("dl.figures").inner_text()
    _shoot(page, f"performance-bureau-nojs-{language}")


def test_a_clerk_reads_the_own_bureau_page_on_a_phone(new_page, live_server, places):
    bureau = db.session.scalar(select(Bureau).where(Bureau.code == "urban_management"))
    clerk = UserFactory(bureau_staff=True, bureau=bureau)
    make_case(places, "urban_management", routed=utcnow() - timedelta(days=20))
    login = clerk.login
    db.session.rollback()
    page = new_page()
    _sign_in(page, live_server, login, "zh_Hans")
    page.goto(f"{live_server}/bureau/performance")
    assert "本周到期" in page.content() and "当前超期" in page.content()
    assert page.locator("ul.case-list a").count() >= 1  # the overdue case
    assert_fits_phone(page)
    assert_accessible(page)
    _shoot(page, "performance-own-zh_Hans")
