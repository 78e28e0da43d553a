"""A bureau clerk records progress on the pocket parks ("打造10个口袋公园") with a photo from a
phone with JavaScript off; the target's page, its measure's page and /progress then show 3/10
and its state, and every page fits 360 px and passes axe-core."""

import pytest
from sqlalchemy import select

from planvoice.bureaus.models import Bureau
from planvoice.core.extensions import db
from planvoice.demo import load_reference_data
from planvoice.plans.models import Target
from planvoice.progress import services
from planvoice.progress.queries import progress_of_targets
from tests.browser.test_plan_pages import assert_accessible, assert_fits_phone
from tests.browser.test_report_loop import _sign_in
from tests.factories import UserFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def parks(app, plan, admin):
    """The pocket-park target, owned by the urban management bureau, and one of its clerks."""
    load_reference_data()
    target = db.session.scalar(select(Target).where(Target.text.contains("10个“口袋公园”")))
    owner = db.session.scalar(select(Bureau).where(Bureau.code == "urban_management"))
    services.set_tracking(target, admin=admin, owner=owner)
    clerk = UserFactory(bureau_staff=True, bureau=owner)
    db.session.commit()
    found = {"id": target.id, "measure": target.measure_id, "clerk": clerk.login}
    db.session.rollback()
    return found


def _check(page):
    assert_fits_phone(page)
    assert_accessible(page)


@pytest.mark.parametrize("language", ["zh_Hans", "en"])
def test_a_clerk_records_pocket_parks_with_a_photo_and_the_pages_show_3_of_10(
    new_page, live_server, parks, gps_photo, language
):
    # The clerk's phone has JavaScript off: the whole form works without it.
    page = new_page(javascript=False)
    _sign_in(page, live_server, parks["clerk"], language)
    page.goto(f"{live_server}/bureau/targets")
    page.locator(f"a[href='/targets/{parks['id']}/progress']").click()
    page.wait_for_load_state("load")
    page.fill("#on", "2024-06-01")
    page.fill("#value", "3")
    page.fill("#note", "东盛、荣光街道三处口袋公园建成开放")
    page.fill("#evidence_url", "https://www.example.gov.cn/parks")
    page.set_input_files("#photo", str(gps_photo))
    page.locator("form.form button[type=submit]").click()
    page.wait_for_load_state("load")

    target = db.session.get(Target, parks["id"])
    (item,) = progress_of_targets([target], target.measure.plan)
    db.session.rollback()
    figures = f".target-progress.state-{item.state} .target-figures strong"
    assert page.url.endswith(f"/targets/{parks['id']}")
    assert page.locator(figures).inner_text() == "3/10"
    assert "东盛、荣光街道三处口袋公园建成开放" in page.content()
    assert page.locator(".progress-history img.thumb").count() == 1
    page.goto(f"{live_server}/progress?lang={language}")
    row = page.locator(".progress-list li", has_text="口袋公园")
    assert row.locator(figures).inner_text() == "3/10"
    assert row.locator("meter").get_attribute("value") == "0.3"

    # The same pages, read by a guest (from the shared cache) on a phone: they fit and pass axe.
    reader = new_page()
    for path in (f"/targets/{parks['id']}", f"/measures/{parks['measure']}", "/progress"):
        reader.goto(f"{live_server}{path}?lang={language}")
        scope = ".progress-panel li" if path.startswith("/measures") else "main"
        shown = reader.locator(scope, has_text="口袋公园").locator(figures)
        assert shown.first.inner_text() == "3/10", path
        _check(reader)
    # And the clerk's own pages (the sheet, the form).
    clerk = new_page()
    _sign_in(clerk, live_server, parks["clerk"], language)
    for path in ("/bureau/targets", f"/targets/{parks['id']}/progress"):
        clerk.goto(f"{live_server}{path}")
        _check(clerk)
