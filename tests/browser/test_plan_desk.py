"""An administrator, on a phone with JavaScript off, uploads a Word plan at the plan desk,
corrects one target's subject in the preview, publishes, then imports the same file again
with one paragraph edited: the correction and the measure's comment survive, and every desk
page fits 360 px and passes axe-core."""

import io

import docx
import pytest
from sqlalchemy import select

from planvoice.core.extensions import db
from planvoice.plans.models import Measure, Plan, Target
from tests.browser.test_plan_pages import assert_accessible, assert_fits_phone
from tests.browser.test_report_loop import _sign_in
from tests.factories import CommentFactory

pytestmark = pytest.mark.browser

PARKS = "新建口袋公园10个,改造老旧小区20个。"
SQUARES = "建设城市广场2处,方便居民休闲。"


def _word_plan(squares: str = SQUARES) -> bytes:
    document = docx.Document()
    document.add_heading("某区2026年城市建设计划", level=1)
    document.add_paragraph("为改善人居环境,制定本计划。")
    document.add_heading("一、城市更新", level=2)
    document.add_paragraph("推进口袋公园建设," + PARKS)
    document.add_paragraph("推进广场建设," + squares)
    document.add_heading("二、生态环境", level=2)
    document.add_paragraph("加强扬尘治理,实现施工工地全覆盖监管。")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def admin_login(app, admin):
    login = admin.login
    db.session.commit()
    return login


def _check(checker, url):
    """The page at ``url`` as an administrator's phone shows it: it fits and passes axe (run
    in a second page with JavaScript on, which axe needs; the steps run without it)."""
    checker.goto(url)
    assert_fits_phone(checker)
    assert_accessible(checker)


def _upload(page, base, path, *, slug=None, version_of=None):
    page.goto(f"{base}/admin/plans")
    page.set_input_files("#file", str(path))
    if slug:
        page.fill("#slug", slug)
    if version_of:
        page.select_option("#version_of", version_of)
    page.locator("form[enctype] [type=submit]").click()
    page.wait_for_load_state("load")
    assert "/admin/plans/drafts/" in page.url, page.content()


def _publish(page):
    page.locator("form[action$='/publish'] button").click()
    page.wait_for_load_state("load")


@pytest.mark.parametrize("language", ["zh_Hans", "en"])
def test_a_correction_and_a_comment_survive_a_new_version_of_the_file(
    new_page, live_server, admin_login, tmp_path, language
):
    page, checker = new_page(javascript=False), new_page()
    for phone in (page, checker):
        _sign_in(phone, live_server, admin_login, language)
    _check(checker, f"{live_server}/admin/plans")
    first = tmp_path / "plan.docx"
    first.write_bytes(_word_plan())
    _upload(page, live_server, first, slug="desk-demo")
    assert page.locator("mark", has_text="口袋公园10个").count() == 1
    _check(checker, page.url)

    # Correct the pocket parks' subject in the preview (the measure's own form passes too).
    parks = page.locator("li[id^='measure-']", has_text="口袋公园10个")
    measure_form = parks.locator("a[href*='/measures/']").last.get_attribute("href")
    _check(checker, f"{live_server}{measure_form}")
    parks.locator("ul.draft-targets li", has_text="口袋公园10个").get_by_role("link").click()
    page.wait_for_load_state("load")
    _check(checker, page.url)
    page.fill("#subject", "口袋公园(街头游园)")
    page.locator("form.form button.button[type=submit]").first.click()
    page.wait_for_load_state("load")
    assert "口袋公园(街头游园)" in page.content()
    _publish(page)
    assert page.url.endswith("/plans/desk-demo")

    plan = db.session.scalar(select(Plan).where(Plan.slug == "desk-demo"))
    measure = db.session.scalar(
        select(Measure).where(Measure.plan_id == plan.id, Measure.text.contains("口袋公园10个"))
    )
    target = db.session.scalar(select(Target).where(Target.measure_id == measure.id))
    ids = (measure.id, target.id)
    assert target.subject == "口袋公园(街头游园)"
    CommentFactory(measure=measure, published=True, body="希望口袋公园多种树。")
    db.session.commit()

    # The same file with another paragraph edited, as a new version of the plan.
    second = tmp_path / "plan-v2.docx"
    second.write_bytes(_word_plan("建设城市广场3处,方便居民休闲。"))
    _upload(page, live_server, second, version_of="desk-demo")
    assert "建设城市广场3处" in page.content()
    _check(checker, page.url)
    _publish(page)

    db.session.expire_all()
    measure = db.session.get(Measure, ids[0])
    target = db.session.get(Target, ids[1])
    assert (measure.is_retired, target.measure_id) == (False, measure.id)
    assert target.subject == "口袋公园(街头游园)"
    db.session.rollback()
    page.goto(f"{live_server}/measures/{ids[0]}?lang={language}")
    assert "希望口袋公园多种树。" in page.content()
    assert "口袋公园(街头游园)" in page.content()
