"""A resident follows a measure from its page on a phone, finds it on /me/following and stops
it there; every page fits 360 px and passes axe-core, in Chinese and in English."""

import pytest
from sqlalchemy import select

from planvoice.core.extensions import db
from planvoice.plans.models import Measure
from tests.browser.conftest import sign_in_through_form
from tests.browser.test_plan_pages import assert_accessible, assert_fits_phone
from tests.factories import UserFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def resident_and_measure(plan):
    measure = db.session.scalar(select(Measure).where(Measure.title == "“绣花功夫”管理城市"))
    user = UserFactory()
    db.session.commit()
    found = user.login, measure.id, measure.title
    db.session.rollback()
    return found


@pytest.mark.parametrize("language", ["zh_Hans", "en"])
def test_a_resident_follows_a_measure_and_stops_it_on_a_phone(
    new_page, live_server, resident_and_measure, language
):
    login, measure_id, title = resident_and_measure
    page = new_page()
    sign_in_through_form(page, live_server, login, language)

    page.goto(f"{live_server}/measures/{measure_id}")
    box = page.locator("#follow-box")
    assert box.is_visible()
    assert_fits_phone(page)
    assert_accessible(page)
    box.locator("button[type=submit]").click()
    page.wait_for_load_state("load")
    assert page.url.endswith("#follow-box")
    assert box.locator("form[action^='/me/following/']").count() == 1  # now: "Stop following"

    page.goto(f"{live_server}/me/following")
    assert page.get_by_role("link", name=title).is_visible()
    assert_fits_phone(page)
    assert_accessible(page)
    page.locator("ul.following button[type=submit]").click()
    page.wait_for_load_state("load")
    assert page.get_by_role("link", name=title).count() == 0
    assert_fits_phone(page)
    assert_accessible(page)

    page.goto(f"{live_server}/follow?kind=place")
    assert_fits_phone(page)
    assert_accessible(page)
    assert page.locator("#use-location").is_visible()  # the script showed it
