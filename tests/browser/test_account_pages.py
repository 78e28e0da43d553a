"""Every page of accounts, ranking and moderation fits a 360 px phone and passes axe-core."""

import pytest
from sqlalchemy import select

from planvoice.core.extensions import db
from planvoice.demo import load_reference_data
from planvoice.feedback.services import rate_measure
from planvoice.plans.models import Measure
from tests.browser.test_plan_pages import assert_accessible, assert_fits_phone
from tests.factories import PASSWORD, CommentFactory, UserFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def staff(plan):
    load_reference_data()
    admin = UserFactory(admin=True)
    measure = db.session.scalar(select(Measure).where(Measure.title == "“绣花功夫”管理城市"))
    CommentFactory(measure=measure, body="待审核的留言 https://example.org/a")
    CommentFactory(measure=measure, published=True, flag_count=1, body="被举报的留言")
    rate_measure(measure, voter_key=f"user:{admin.id}", value=5, user=admin)
    db.session.commit()
    login = admin.login
    db.session.rollback()
    return login


@pytest.mark.parametrize("language", ["zh_Hans", "en"])
def test_account_ranking_and_moderation_pages_are_accessible(
    new_page, live_server, staff, language
):
    page = new_page()
    for path in ("/register", "/login", "/ranking"):
        page.goto(f"{live_server}{path}?lang={language}")
        assert_fits_phone(page)
        assert_accessible(page)

    page.goto(f"{live_server}/login")
    page.fill("input[name=login]", staff)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form[action='/login'] [type=submit]").click()
    page.wait_for_load_state("load")
    for path in ("/me", "/me/delete", "/moderation", "/moderation/reasons", "/admin/audit"):
        response = page.goto(f"{live_server}{path}")
        assert response.ok, path
        assert_fits_phone(page)
        assert_accessible(page)
