"""The whole conversation on a 360 px phone, in both languages: a guest comments and rates,
a community worker publishes, the guest sees it published, another resident flags it, and
the community worker hides it. Every page touched stays axe-core clean."""

import re

import pytest
from sqlalchemy import select

from planvoice.core.extensions import db
from planvoice.demo import load_reference_data
from planvoice.feedback.models import Comment, RatingSummary
from planvoice.plans.models import Measure
from tests.browser.test_plan_pages import assert_accessible, assert_fits_phone
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.browser

WORDS = {
    "zh_Hans": {"publish": "发布", "hide": "隐藏", "sign_in": "登录"},
    "en": {"publish": "Publish", "hide": "Hide", "sign_in": "Sign in"},
}


@pytest.fixture
def people(plan):
    load_reference_data()
    moderator = UserFactory(moderator=True)
    neighbour = UserFactory()
    measure = db.session.scalar(select(Measure).where(Measure.title == "“绣花功夫”管理城市"))
    facts = {"moderator": moderator.login, "neighbour": neighbour.login, "measure": measure.id}
    db.session.rollback()  # no open transaction in the test thread while the server works
    return facts


def _check(page):
    assert_fits_phone(page)
    assert_accessible(page)


def sign_in_page(page, base, login, language):
    """Sign in through the real form (itself checked at phone size with axe-core)."""
    page.goto(f"{base}/login?lang={language}")
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", PASSWORD)
    _check(page)
    page.locator("form[action='/login'] [type=submit]").click()
    page.wait_for_load_state("load")


@pytest.mark.parametrize("language", ["zh_Hans", "en"])
def test_a_guest_comment_goes_through_moderation_and_back(new_page, live_server, people, language):
    words = WORDS[language]
    measure_url = f"{live_server}/measures/{people['measure']}"
    body = f"建议在二道区多建口袋公园 ({language})"

    # A guest comments and rates.
    guest = new_page()
    guest.goto(f"{measure_url}?lang={language}")
    _check(guest)
    guest.fill("textarea[name=body]", body)
    guest.fill("input[name=nickname]", "老张")
    guest.locator("form[action$='/comments'] [type=submit]").first.click()
    guest.wait_for_load_state("load")
    assert body in guest.content()
    _check(guest)
    guest.check("input[name=rating][value='4']")
    guest.locator("form[action$='/rating'] [type=submit]").first.click()
    guest.wait_for_load_state("load")
    _check(guest)

    # Nobody else sees the comment yet.
    stranger = new_page()
    stranger.goto(f"{measure_url}?lang={language}")
    assert body not in stranger.content()

    # The community worker publishes it.
    moderator = new_page()
    sign_in_page(moderator, live_server, people["moderator"], language)
    moderator.goto(f"{live_server}/moderation")
    assert body in moderator.content()
    _check(moderator)
    item = moderator.locator("li.queue-item", has_text=body)
    item.get_by_role("button", name=words["publish"], exact=True).click()
    moderator.wait_for_load_state("load")
    _check(moderator)

    # The guest sees it published; so does everyone else.
    guest.reload()
    assert body in guest.content()
    stranger.reload()
    assert body in stranger.content()

    # Another resident flags it.
    neighbour = new_page()
    sign_in_page(neighbour, live_server, people["neighbour"], language)
    neighbour.goto(measure_url)
    comment = neighbour.locator("article.comment", has_text=body)
    comment.locator("form[action$='/flag'] [type=submit]").click()
    neighbour.wait_for_load_state("load")
    _check(neighbour)

    # The community worker sees it flagged, first in the queue, and hides it with a reason.
    moderator.goto(f"{live_server}/moderation")
    item = moderator.locator("li.queue-item", has_text=body)
    item.locator("textarea").fill("含有不实信息。")
    item.get_by_role("button", name=words["hide"], exact=True).click()
    moderator.wait_for_load_state("load")
    _check(moderator)

    stranger.reload()
    assert body not in stranger.content()
    assert re.search(r"\b1\b", stranger.locator("section.rating .count").first.inner_text())
    db.session.rollback()
    assert db.session.scalar(select(Comment.status)) == "hidden"
    assert db.session.get(RatingSummary, people["measure"]).n4 == 1
