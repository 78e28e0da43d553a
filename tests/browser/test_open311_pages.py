"""What Open311 adds to the pages people see fits a 360 px phone without JavaScript: the key an
administrator issues, and the link to a photo a client app holds."""

import pytest
from sqlalchemy import select

from planvoice.core.extensions import db
from planvoice.demo import load_reference_data
from planvoice.moderation.services import publish_report
from planvoice.open311.services import Reporter, file_request, issue_key
from planvoice.reports.models import Report
from planvoice.reports.queries import get_area, get_category
from tests.browser.test_plan_pages import assert_accessible, assert_fits_phone
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.browser


def sign_in(page, base_url, login):
    page.goto(f"{base_url}/login?lang=en")
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form[action='/login'] [type=submit]").click()


def test_an_administrator_issues_a_key_on_a_phone(new_page, live_server, plan):
    login = UserFactory(admin=True).login
    db.session.rollback()
    page = new_page()  # the pages carry no script; axe-core needs one to run
    sign_in(page, live_server, login)

    page.goto(f"{live_server}/admin/open311-keys")
    page.fill("input[name=name]", "Changchun City Services, the official app of the city")
    page.locator("form[action='/admin/open311-keys'] [type=submit]").click()

    key = page.locator("#new-key").inner_text()
    assert key.startswith("pv311_") and len(key) > 40
    assert page.get_by_role("button", name="Revoke").count() == 1
    assert_fits_phone(page)
    assert_accessible(page)


def test_a_long_media_link_fits_the_report_page(new_page, live_server, plan):
    load_reference_data()
    api_key, _key = issue_key("城市服务 App")
    link = "https://photos.example.com/" + "very-long-folder-name/" * 8 + "IMG_20261130.jpg"
    filed = file_request(
        api_key=api_key, category=get_category("garbage"), description="垃圾桶满了三天没人清运。",
        area=get_area("jilin"), media_url=link, reporter=Reporter(email="a@example.org"),
    )  # fmt: skip
    publish_report(filed.report, moderator=UserFactory(moderator=True))
    db.session.commit()
    code = db.session.scalar(select(Report.code))
    page = new_page()  # the pages carry no script; axe-core needs one to run

    page.goto(f"{live_server}/reports/{code}")

    assert page.locator(f'a[href="{link}"]').count() == 1
    assert_fits_phone(page)
    assert_accessible(page)
