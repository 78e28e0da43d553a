"""Every page of accounts, ranking and moderation fits a 360 px phone and passes axe-core."""

import pytest
from sqlalchemy import select

from planvoice.core.extensions import db
from planvoice.demo import load_reference_data
from planvoice.feedback.services import rate_measure
from planvoice.plans.models import Measure
from tests.browser.conftest import sign_in_through_form
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


@pytest.mark.parametrize("language", ["zh_Hans", "en"])
def test_a_resident_sets_a_new_password_through_the_reset_pages(
    new_page, live_server, app, language
):
    """The reset pages on a phone: asking (the same answer for any address), the link's
    form, and the link once used; each fits 360 px and passes axe-core."""
    from planvoice.accounts.recovery import reset_token

    user = UserFactory(email="li.ming@example.cn")
    db.session.commit()
    with app.test_request_context():
        path = f"/password/reset/{reset_token(user)}"
    login = user.login
    db.session.rollback()

    page = new_page()
    page.goto(f"{live_server}/login?lang={language}")
    page.locator("a[href='/password/reset']").click()
    page.wait_for_load_state("load")
    assert_fits_phone(page)
    assert_accessible(page)
    page.fill("#email", "nobody@example.cn")
    page.locator("form.form [type=submit]").click()
    page.wait_for_load_state("load")
    assert page.url.endswith("/password/reset")
    assert page.locator(".flash, [role=status], .messages").count() >= 1
    assert_accessible(page)

    page.goto(f"{live_server}{path}")
    assert_fits_phone(page)
    assert_accessible(page)
    page.fill("#password", "a-new-secret-3")
    page.fill("#password_confirm", "a-new-secret-3")
    page.locator("form.form [type=submit]").click()
    page.wait_for_load_state("load")
    assert page.url.endswith("/login")
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", "a-new-secret-3")
    page.locator("form[action='/login'] [type=submit]").click()
    page.wait_for_load_state("load")
    assert not page.url.endswith("/login")

    used = page.goto(f"{live_server}{path}")
    assert used.status == 410
    assert page.locator("#password").count() == 0
    assert_fits_phone(page)
    assert_accessible(page)


@pytest.mark.parametrize("language", ["zh_Hans", "en"])
def test_the_change_password_page_fits_a_phone(new_page, live_server, app, language):
    user = UserFactory()
    db.session.commit()
    login = user.login
    db.session.rollback()
    page = new_page()
    sign_in_through_form(page, live_server, login, language)
    page.goto(f"{live_server}/me")
    page.locator("a[href='/me/password']").click()
    page.wait_for_load_state("load")
    assert_fits_phone(page)
    assert_accessible(page)
    page.fill("#current_password", PASSWORD)
    page.fill("#password", "a-new-secret-6")
    page.fill("#password_confirm", "a-new-secret-6")
    page.locator("form.form [type=submit]").click()
    page.wait_for_load_state("load")
    assert page.url.endswith("/me")
    assert_accessible(page)


@pytest.mark.parametrize("language", ["zh_Hans", "en"])
def test_the_email_and_phone_pages_fit_a_phone(new_page, live_server, app, language):
    """/me with an address not confirmed yet (and its button), the change of e-mail with a
    refused password, the change of mobile number saved, and the confirmation link's page."""
    from planvoice.accounts.confirmation import confirmation_token

    user = UserFactory(email="zhou@example.cn", email_confirmed_at=None)
    db.session.commit()
    with app.test_request_context():
        confirm = f"/email/confirm/{confirmation_token(user, user.email)}"
    login = user.login
    db.session.rollback()

    page = new_page()
    sign_in_through_form(page, live_server, login, language)
    page.goto(f"{live_server}/me")
    assert page.locator("form[action='/me/email/again'] [type=submit]").count() == 1
    assert_fits_phone(page)
    assert_accessible(page)

    page.locator("a[href='/me/email']").click()
    page.wait_for_load_state("load")
    assert_fits_phone(page)
    assert_accessible(page)
    page.fill("#email", "zhou.new@example.cn")
    page.fill("#password", "not-my-password")
    page.locator("form.form [type=submit]").click()
    page.wait_for_load_state("load")
    assert page.locator("#password-error").count() == 1
    assert_fits_phone(page)
    assert_accessible(page)

    page.goto(f"{live_server}/me")
    page.locator("a[href='/me/phone']").click()
    page.wait_for_load_state("load")
    assert_fits_phone(page)
    assert_accessible(page)
    page.fill("#phone", "138 1234 5678")
    page.fill("#password", PASSWORD)
    page.locator("form.form [type=submit]").click()
    page.wait_for_load_state("load")
    assert page.url.endswith("/me")
    assert "13812345678" in page.content()

    page.goto(f"{live_server}{confirm}")
    assert_fits_phone(page)
    assert_accessible(page)
    assert page.locator("form[action='/me/email/again']").count() == 0
    page.goto(f"{live_server}/me")
    assert page.locator("form[action='/me/email/again']").count() == 0
    assert_accessible(page)
