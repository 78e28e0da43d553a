"""A signed-in resident changes their e-mail address in /me: the password is asked for, the
new address must be free, the link goes to the new address and the account's address changes
only when it is used; the old address is told that a change was asked."""

import re

import pytest
from sqlalchemy import select

from planvoice.accounts.models import User
from planvoice.core.audit import AuditEvent
from planvoice.core.extensions import db
from planvoice.notifications.models import OutboxMessage
from tests.conftest import csrf_from
from tests.factories import PASSWORD, UserFactory

LINK_RE = re.compile(r"http://\S+(/email/confirm/[\w.-]+)")


@pytest.fixture
def resident(app):
    return UserFactory(email="old@example.cn", display_name="李明")


def change(client, email: str, password: str = PASSWORD):
    token = csrf_from(client, "/me/email")
    data = {"email": email, "password": password, "csrf_token": token}
    return client.post("/me/email", data=data)


def messages() -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def email_of(user) -> str:
    db.session.expire_all()
    return db.session.get(User, user.id).email


def test_the_address_changes_only_when_the_new_addresses_link_is_used(english, sign_in, resident):
    sign_in(resident)
    answer = change(english, " New@Example.cn ")
    assert answer.status_code == 302 and answer.location.endswith("/me")
    assert "We have sent a link to new@example.cn" in english.get("/me").text
    assert email_of(resident) == "old@example.cn"  # not yet

    to_new, to_old = messages()
    assert to_new.recipient == "new@example.cn" and LINK_RE.search(to_new.body)
    assert to_old.recipient == "old@example.cn"
    assert "new@example.cn" in to_old.body and "/email/confirm/" not in to_old.body

    page = english.get(LINK_RE.search(to_new.body)[1])
    assert page.status_code == 200 and "Your e-mail address is changed" in page.text
    assert email_of(resident) == "new@example.cn"
    actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions == ["user.email_change"]
    # The audit log keeps enough to recognise the addresses, not to write to them.
    change_event = db.session.scalar(select(AuditEvent).order_by(AuditEvent.id.desc()))
    assert change_event.before == {"email": "o…@example.cn"}
    again = english.get(LINK_RE.search(to_new.body)[1])
    assert "This link was used already" in again.text


def test_a_wrong_password_or_a_taken_address_is_refused_and_sends_nothing(
    english, sign_in, resident
):
    UserFactory(email="taken@example.cn")
    sign_in(resident)
    wrong = change(english, "new@example.cn", "not-my-password")
    assert wrong.status_code == 200 and "The password is wrong." in wrong.text
    taken = change(english, "Taken@example.cn")
    assert taken.status_code == 200 and "Another account has this e-mail address." in taken.text
    not_an_address = change(english, "13812345678")
    assert "Enter an e-mail address" in not_an_address.text
    assert messages() == [] and email_of(resident) == "old@example.cn"


def test_an_address_taken_before_the_link_is_used_is_not_swapped_in(english, sign_in, resident):
    sign_in(resident)
    change(english, "new@example.cn")
    link = LINK_RE.search(messages()[0].body)[1]
    UserFactory(email="new@example.cn")  # someone else signed up with it meanwhile
    page = english.get(link)
    assert page.status_code == 409 and "Another account has this e-mail address" in page.text
    assert email_of(resident) == "old@example.cn"


def test_a_mobile_only_resident_adds_an_address(english, sign_in):
    user = UserFactory(email=None, phone="13812345678", email_confirmed_at=None)
    sign_in(user)
    change(english, "added@example.cn")
    [message] = messages()  # no old address to tell
    assert message.recipient == "added@example.cn"
    english.get(LINK_RE.search(message.body)[1])
    db.session.expire_all()
    user = db.session.get(User, user.id)
    assert (user.email, user.phone) == ("added@example.cn", "13812345678")
    assert user.email_confirmed_at is not None


def test_a_guest_is_sent_to_sign_in(client):
    response = client.get("/me/email")
    assert response.status_code == 302 and "/login" in response.location
