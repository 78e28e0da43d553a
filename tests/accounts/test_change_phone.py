"""A signed-in resident sets, changes or removes their mobile number in /me."""

import pytest
from sqlalchemy import select

from planvoice.accounts.models import User
from planvoice.core.audit import AuditEvent
from planvoice.core.extensions import db
from tests.conftest import csrf_from
from tests.factories import PASSWORD, UserFactory


def change(client, phone: str, password: str = PASSWORD):
    token = csrf_from(client, "/me/phone")
    return client.post(
        "/me/phone", data={"phone": phone, "password": password, "csrf_token": token}
    )


def phone_of(user) -> str | None:
    db.session.expire_all()
    return db.session.get(User, user.id).phone


def test_a_number_is_stored_as_sign_up_stores_it(english, sign_in, resident, no_rate_limits):
    sign_in(resident)
    answer = change(english, "+86 138-1234-5678")
    assert answer.status_code == 302 and answer.location.endswith("/me")
    assert phone_of(resident) == "13812345678"
    assert "13812345678" in english.get("/me").text
    event = db.session.scalar(select(AuditEvent))
    assert (event.action, event.after) == ("user.phone_change", {"phone": "138…5678"})
    # The new number signs in too.
    fresh = english.application.test_client()
    token = csrf_from(fresh, "/login")
    login = {"login": "13812345678", "password": PASSWORD, "csrf_token": token}
    assert fresh.post("/login", data=login).status_code == 302


@pytest.mark.parametrize(
    ("phone", "password", "message"),
    [
        ("13900001111", "not-my-password", "The password is wrong."),
        ("13900001111", PASSWORD, "Another account has this mobile number."),
        ("12345", PASSWORD, "Enter an 11-digit mobile number starting with 1."),
        ("someone@example.cn", PASSWORD, "Enter an 11-digit mobile number starting with 1."),
    ],
)
def test_bad_numbers_are_refused_and_change_nothing(
    english, sign_in, resident, no_rate_limits, phone, password, message
):
    UserFactory(phone="13900001111")
    sign_in(resident)
    answer = change(english, phone, password)
    assert answer.status_code == 200 and message in answer.text
    assert phone_of(resident) is None
    assert db.session.scalar(select(AuditEvent)) is None


def test_an_empty_field_removes_the_number_when_a_confirmed_address_is_left(
    english, sign_in, no_rate_limits
):
    user = UserFactory(phone="13812345678")
    sign_in(user)
    assert change(english, "").status_code == 302
    assert phone_of(user) is None


@pytest.mark.parametrize("email", [None, "unconfirmed@example.cn"])
def test_the_number_stays_without_a_confirmed_address(english, sign_in, no_rate_limits, email):
    user = UserFactory(email=email, phone="13812345678", email_confirmed_at=None)
    sign_in(user)
    answer = change(english, "  ")
    assert answer.status_code == 200 and "confirm an e-mail address first" in answer.text
    assert phone_of(user) == "13812345678"
