"""A resident who forgot their password asks for a link, gets it from the mail server, sets a
new password with it once; asking about an unknown address looks the same and sends nothing."""

import re

import pytest
from sqlalchemy import func, select

from planvoice.accounts import recovery
from planvoice.core.extensions import db
from planvoice.notifications.models import OutboxMessage
from planvoice.notifications.outbox import send_due_messages
from tests.conftest import csrf_from
from tests.factories import PASSWORD, UserFactory

LINK_RE = re.compile(r"http://[^\s]+/password/reset/[\w.-]+")


@pytest.fixture
def forgetful(app):
    user = UserFactory(email="wang.fang@example.cn", display_name="王芳")
    db.session.commit()
    return user


def _ask(client, email: str):
    token = csrf_from(client, "/password/reset")
    return client.post("/password/reset", data={"email": email, "csrf_token": token})


def _sign_in(client, login: str, password: str):
    token = csrf_from(client, "/login")
    return client.post("/login", data={"login": login, "password": password, "csrf_token": token})


def _outbox_count() -> int:
    return db.session.scalar(select(func.count()).select_from(OutboxMessage))


def test_a_reset_works_from_the_emailed_link_and_only_once(client, mail_server, forgetful, app):
    app.config["PUBLIC_URL"] = "http://planvoice.example"
    answer = _ask(client, "Wang.Fang@example.cn ")
    assert answer.status_code == 302
    assert send_due_messages().sent == 1
    [message] = mail_server.messages
    assert message["To"] == "wang.fang@example.cn"
    text = message.get_body(("plain",)).get_content()
    assert "王芳" in text
    link = LINK_RE.search(text)[0]
    assert link.startswith("http://planvoice.example/password/reset/")
    path = link.removeprefix("http://planvoice.example")

    page = client.get(path)
    assert page.status_code == 200 and 'name="password_confirm"' in page.text
    token = csrf_from(client, path)
    new = {"password": "a-new-secret-1", "csrf_token": token}
    differ = client.post(path, data=new | {"password_confirm": "other"})
    assert differ.status_code == 200 and "两次输入的密码不一致" in differ.text  # zh by default
    set_it = client.post(path, data=new | {"password_confirm": "a-new-secret-1"})
    assert set_it.status_code == 302 and set_it.location.endswith("/login")

    assert _sign_in(client, forgetful.login, PASSWORD).status_code == 200  # the old one is gone
    assert _sign_in(client, forgetful.login, "a-new-secret-1").status_code == 302
    # The link worked once: it no longer opens the form, nor sets a password.
    again = client.get(path)
    assert again.status_code == 410 and 'name="password"' not in again.text


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, mail_server, forgetful):
    known, unknown = _ask(client, forgetful.email), _ask(client, "nobody@example.cn")
    assert (known.status_code, known.location) == (unknown.status_code, unknown.location)
    assert _outbox_count() == 1  # only the account's own address gets a link


def test_a_link_expires_after_its_hour_and_a_forged_one_never_works(app, forgetful):
    with app.test_request_context():
        token = recovery.reset_token(forgetful)
        assert recovery.user_for_token(token) == forgetful
        assert recovery.user_for_token(token, max_age=-1) is None  # older than allowed
        assert recovery.user_for_token(token[:-2] + "xx") is None
        assert recovery.user_for_token("not-a-token") is None


def test_a_new_password_ends_every_other_session(client, app, forgetful, sign_in):
    sign_in(forgetful)
    assert client.get("/me").status_code == 200
    with app.test_request_context():
        recovery.reset_password(db.session.get(type(forgetful), forgetful.id), "a-new-secret-2")
        db.session.commit()
    assert client.get("/me").status_code == 302  # the old session is a guest's now
