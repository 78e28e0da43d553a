"""The e-mail about a person's account, through a real mail server: the link that confirms a
new account's address works once, and a change of address sends the link to the new address
and a notice, without it, to the old one."""

import re

from sqlalchemy import select

from planvoice.accounts.models import User
from planvoice.core.extensions import db
from planvoice.notifications.models import OutboxMessage
from planvoice.notifications.outbox import send_due_messages
from tests.conftest import csrf_from
from tests.factories import PASSWORD, UserFactory

LINK_RE = re.compile(r"http://planvoice\.example(/email/confirm/[\w.-]+)")


def text_of(message) -> str:
    return message.get_body(("plain",)).get_content()


def test_a_new_account_confirms_its_address_from_the_emailed_link(
    client, other_guest, mail_server, app
):
    app.config["PUBLIC_URL"] = "http://planvoice.example"
    data = {
        "login": "Wang.Fang@example.cn",
        "display_name": "王芳",
        "password": "a good long password",
        "password_confirm": "a good long password",
        "csrf_token": csrf_from(client, "/register"),
    }
    assert client.post("/register", data=data).status_code == 302
    assert send_due_messages().sent == 1
    [message] = mail_server.messages
    assert message["To"] == "wang.fang@example.cn"
    # Someone else may have typed the address: one click stops every e-mail to it.
    assert message["List-Unsubscribe"].startswith("<http://planvoice.example/unsubscribe/")
    text = text_of(message)
    assert "王芳,您好" in text  # written in the language of the sign-up (zh by default)
    assert db.session.scalar(select(OutboxMessage.language)) == "zh_Hans"

    # Opened in another browser (the phone the mail is read on), signed out: it works there.
    path = LINK_RE.search(text)[1]
    page = other_guest.get(path)
    assert page.status_code == 200 and "Your e-mail address is confirmed" in page.text
    assert db.session.scalar(select(User.email_confirmed_at)) is not None
    used = other_guest.get(path)
    assert used.status_code == 200 and "This link was used already" in used.text


def test_a_change_of_address_writes_to_both_addresses(english, mail_server, app, sign_in):
    app.config["PUBLIC_URL"] = "http://planvoice.example"
    user = UserFactory(email="old@example.cn")
    sign_in(user)
    token = csrf_from(english, "/me/email")
    data = {"email": "new@example.cn", "password": PASSWORD, "csrf_token": token}
    assert english.post("/me/email", data=data).status_code == 302
    assert send_due_messages().sent == 2
    by_recipient = {m["To"]: text_of(m) for m in mail_server.messages}
    assert LINK_RE.search(by_recipient["new@example.cn"])
    notice = by_recipient["old@example.cn"]
    assert "new@example.cn" in notice and not LINK_RE.search(notice)
    assert "http://planvoice.example/password/reset" in notice


def test_asking_for_the_link_uses_an_address_that_had_stopped_again(english, sign_in):
    from planvoice.notifications.addresses import is_usable, stop

    user = UserFactory(email="bounced@example.cn", email_confirmed_at=None)
    stop("bounced@example.cn", "failures")
    db.session.commit()
    sign_in(user)
    token = csrf_from(english, "/me")
    english.post("/me/email/again", data={"csrf_token": token})
    assert is_usable("bounced@example.cn")
    assert db.session.scalar(select(OutboxMessage.recipient)) == "bounced@example.cn"
