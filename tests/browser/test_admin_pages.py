"""Every administration page fits a 360 px phone without JavaScript and passes axe-core."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from planvoice.bureaus.models import CalendarDay
from planvoice.bureaus.queries import get_bureau
from planvoice.core.audit import record_event
from planvoice.core.db import utcnow
from planvoice.core.extensions import db
from planvoice.demo import load_reference_data
from planvoice.notifications.models import OutboxMessage
from planvoice.reports.areas import Area, RoutingRule
from planvoice.reports.queries import get_category
from tests.browser.test_plan_pages import assert_accessible, assert_fits_phone
from tests.factories import PASSWORD, ReportFactory, UserFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def admin_login(plan):
    load_reference_data()
    admin = UserFactory(admin=True)
    UserFactory(moderator=True, areas=list(db.session.scalars(select(Area).limit(3))))
    bare, housing = get_category("bare_ground"), get_bureau("housing")
    street = db.session.scalar(select(Area).where(Area.code == "dongsheng"))
    db.session.add(RoutingRule(category_id=bare.id, area_id=street.id, bureau=housing))
    db.session.add(CalendarDay(day=date.today() + timedelta(days=30), is_workday=False,
                               name="国庆节"))  # fmt: skip
    db.session.add(OutboxMessage(
        recipient="a-very-long-address-of-a-bureau@example.gov.cn", subject="报告 EDQ-1",
        body="…", language="zh_Hans", status="failed", attempts=6, next_attempt_at=utcnow(),
        last_error="SMTPRecipientsRefused: {'a-very-long-address@example.gov.cn': (550, b'no')}",
    ))  # fmt: skip
    report = ReportFactory(category=bare, area=street, published=True)
    after = {"status": "routed", "bureau": "urban_management"}
    record_event("report.route", report, actor=admin, before={"status": "published"},
                 after=after, note="请尽快处理")  # fmt: skip
    db.session.commit()
    login = admin.login
    db.session.rollback()
    return login


PAGES = ["/admin", "/admin/bureaus", "/admin/bureaus/1", "/admin/categories",
         "/admin/categories/1", "/admin/areas", "/admin/areas/1", "/admin/rules",
         "/admin/users", "/admin/users/2", "/admin/time-limits", "/admin/open311-keys",
         "/admin/emails", "/admin/audit"]  # fmt: skip


@pytest.mark.parametrize("language", ["zh_Hans", "en"])
def test_administration_pages_fit_a_phone_and_are_accessible(
    new_page, live_server, admin_login, language
):
    page = new_page()  # the pages carry no script; axe-core needs one to run
    page.goto(f"{live_server}/login?lang={language}")
    page.fill("input[name=login]", admin_login)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form[action='/login'] [type=submit]").click()
    page.wait_for_load_state("load")
    for path in PAGES:
        response = page.goto(f"{live_server}{path}")
        assert response.ok, path
        assert_fits_phone(page)
        assert_accessible(page)


def test_an_administrator_without_javascript_gives_a_community_worker_an_area(
    new_page, live_server, admin_login
):
    page = new_page(javascript=False)
    page.goto(f"{live_server}/login?lang=en")
    page.fill("input[name=login]", admin_login)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form[action='/login'] [type=submit]").click()
    page.wait_for_url(f"{live_server}/")
    page.goto(f"{live_server}/admin/users/2")
    ticked = page.locator("input[name=area_ids]:checked")
    assert ticked.count() == 3
    while ticked.count():
        ticked.first.uncheck()
    page.locator("form.form [type=submit]").click()
    page.wait_for_load_state("load")
    assert "A community worker serves at least one area" in page.content()
    page.locator("input[name=area_ids]").first.check()
    page.locator("form.form [type=submit]").click()
    page.wait_for_url(f"{live_server}/admin/users")
    assert "Saved." in page.content()
