"""A resident who signs up with an e-mail address confirms it with the link sent there: once;
a link used twice says so, a forged or expired one changes nothing. Accounts made by the
command line are confirmed from the start. (The link through a real mail server:
tests/notifications/test_account_mail.py.)"""

import re

import pytest
from sqlalchemy import select

from planvoice.accounts import confirmation
from planvoice.accounts.confirmation import Outcome
from planvoice.accounts.models import User
from planvoice.core.audit import AuditEvent
from planvoice.core.extensions import db
from planvoice.notifications.models import OutboxMessage
from tests.conftest import csrf_from
from tests.factories import UserFactory

LINK_RE = re.compile(r"http://\S+(/email/confirm/[\w.-]+)")


def register(client, login: str = "li.ming@example.cn"):
    data = {
        "login": login,
        "password": "a good long password",
        "password_confirm": "a good long password",
        "csrf_token": csrf_from(client, "/register"),
    }
    return client.post("/register", data=data)


def messages_to(address: str) -> list[OutboxMessage]:
    query = select(OutboxMessage).where(OutboxMessage.recipient == address)
    return list(db.session.scalars(query.order_by(OutboxMessage.id)))


def link_path(message: OutboxMessage) -> str:
    return LINK_RE.search(message.body)[1]


def test_a_new_account_confirms_its_address_with_the_link_and_only_once(english):
    assert register(english).status_code == 302
    user = db.session.scalar(select(User))
    assert user.email_confirmed_at is None
    me = english.get("/me").text
    assert "not confirmed yet" in me and 'action="/me/email/again"' in me
    [message] = messages_to("li.ming@example.cn")
    assert message.language == "en" and "three days" in message.body

    page = english.get(link_path(message))
    assert page.status_code == 200 and "Your e-mail address is confirmed" in page.text
    db.session.expire_all()
    assert db.session.get(User, user.id).email_confirmed_at is not None
    assert "not confirmed yet" not in english.get("/me").text
    assert db.session.scalar(select(AuditEvent.action)) == "user.email_confirm"

    again = english.get(link_path(message))
    assert again.status_code == 200 and "This link was used already" in again.text


def test_a_forged_or_expired_link_says_so_and_changes_nothing(app, english):
    user = UserFactory(email="wang@example.cn", email_confirmed_at=None)
    with app.test_request_context():
        token = confirmation.confirmation_token(user, user.email)
        assert confirmation.confirm_email(token, max_age=-1) == (Outcome.INVALID, None)
        assert confirmation.confirm_email(token[:-2] + "xx") == (Outcome.INVALID, None)
    for path in (f"/email/confirm/{token[:-2]}xx", "/email/confirm/not-a-token"):
        page = english.get(path)
        assert page.status_code == 410 and "This link does not work" in page.text
    db.session.expire_all()
    assert db.session.get(User, user.id).email_confirmed_at is None
    assert db.session.scalar(select(AuditEvent)) is None


def test_the_link_is_sent_again_from_me_until_the_address_is_confirmed(english, sign_in):
    user = UserFactory(email="zhao@example.cn", email_confirmed_at=None)
    sign_in(user)
    token = csrf_from(english, "/me")
    answer = english.post("/me/email/again", data={"csrf_token": token})
    assert answer.status_code == 302 and answer.location.endswith("/me")
    assert "We have sent the link again" in english.get("/me").text
    [message] = messages_to("zhao@example.cn")
    assert english.get(link_path(message)).status_code == 200

    english.post("/me/email/again", data={"csrf_token": token})
    assert "confirmed already" in english.get("/me").text
    assert len(messages_to("zhao@example.cn")) == 1  # nothing more once it is confirmed


def test_asking_again_and_again_is_limited(english, sign_in):
    user = UserFactory(email="qian@example.cn", email_confirmed_at=None)
    sign_in(user)
    token = csrf_from(english, "/me")
    answers = [english.post("/me/email/again", data={"csrf_token": token}) for _ in range(4)]
    assert [a.status_code for a in answers] == [302, 302, 302, 429]
    assert len(messages_to("qian@example.cn")) == 3


def test_a_guest_cannot_ask_for_the_link_again(client):
    assert client.post("/me/email/again").status_code in (302, 400)
    assert db.session.scalar(select(OutboxMessage)) is None


def test_a_mobile_only_sign_up_sends_no_link(client):
    assert register(client, "13812345678").status_code == 302
    assert db.session.scalar(select(OutboxMessage)) is None


@pytest.mark.parametrize("email", ["w@example.org"])
def test_an_account_made_by_the_command_line_is_confirmed(runner, email):
    result = runner.invoke(args=["users", "create", "--email", email, "--password", "x" * 12])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(User.email_confirmed_at)) is not None
    assert db.session.scalar(select(OutboxMessage)) is None


def test_demo_accounts_are_confirmed(app, runner):
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    assert db.session.scalars(select(User.email_confirmed_at)).all()
    assert None not in db.session.scalars(select(User.email_confirmed_at)).all()


def test_me_says_when_we_stopped_writing_to_the_address(english, sign_in):
    from planvoice.notifications.addresses import stop

    user = UserFactory(email="gone@example.cn")
    stop("gone@example.cn", "failures")
    db.session.commit()
    sign_in(user)
    assert "We no longer write to gone@example.cn" in english.get("/me").text
