"""Signing up, in and out."""

import pytest
from sqlalchemy import select

from planvoice.accounts.models import User
from planvoice.core.extensions import db
from tests.conftest import csrf_from
from tests.factories import PASSWORD


def _register(client, **fields):
    data = {
        "login": "13812345678",
        "password": "a good long password",
        "password_confirm": "a good long password",
        "csrf_token": csrf_from(client, "/register"),
    } | fields
    return client.post("/register", data=data, headers={"Accept-Language": "en"})


def test_a_resident_signs_up_with_a_mobile_number_and_is_signed_in(client, plan):
    response = _register(client, display_name="老李")

    assert response.status_code == 302
    user = db.session.scalar(select(User))
    assert (user.phone, user.email, user.role, user.display_name) == (
        "13812345678", None, "resident", "老李",
    )  # fmt: skip
    assert user.password_hash and "a good long password" not in user.password_hash
    assert "我的参与" in client.get("/").text or "My activity" in client.get("/?lang=en").text


def test_sign_up_with_an_email_address_works_too(client, plan):
    assert _register(client, login="Li.Ming@Example.org").status_code == 302
    assert db.session.scalar(select(User.email)) == "li.ming@example.org"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"login": "12345"}, "Enter an e-mail address or an 11-digit mobile number."),
        ({"login": "23812345678"}, "Enter an e-mail address or an 11-digit mobile number."),
        ({"password": "short", "password_confirm": "short"}, "Use at least 8 characters."),
        ({"password_confirm": "something else"}, "The two passwords differ."),
        ({"csrf_token": "stale"}, "This form has expired."),
    ],
)
def test_bad_sign_up_input_is_explained_and_creates_nothing(client, plan, fields, message):
    response = _register(client, **fields)
    assert response.status_code in (200, 400)
    assert message in response.text
    assert db.session.scalar(select(User)) is None


def test_the_same_login_cannot_sign_up_twice(client, resident):
    response = _register(client, login=resident.email)
    assert "An account with this e-mail address or mobile number exists." in response.text


def test_sign_in_and_out(client, plan, resident, sign_in):
    response = sign_in(resident)
    assert response.headers["Location"] == "/"
    page = client.get("/?lang=en").text
    assert "My activity" in page and "Sign out" in page

    token = csrf_from(client, "/?lang=en")
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    assert "Sign in" in client.get("/?lang=en").text


def test_a_wrong_password_is_refused_without_saying_which_part_was_wrong(client, resident):
    response = client.post(
        "/login?lang=en",
        data={
            "login": resident.email,
            "password": "nope",
            "csrf_token": csrf_from(client, "/login"),
        },
    )
    assert response.status_code == 200
    assert "The login or the password is wrong." in response.text
    assert "My activity" not in response.text


def test_sign_in_returns_to_the_page_it_came_from_but_never_elsewhere(client, resident):
    token = csrf_from(client, "/login")
    data = {"login": resident.email, "password": PASSWORD, "csrf_token": token}
    assert client.post("/login", data=data | {"next": "/ranking"}).headers["Location"] == "/ranking"
    client.post("/logout", data={"csrf_token": csrf_from(client, "/")})
    data["csrf_token"] = csrf_from(client, "/login")
    assert client.post("/login", data=data | {"next": "//evil.example"}).headers["Location"] == "/"


def test_sign_in_is_rate_limited_with_a_friendly_message(client, resident):
    token = csrf_from(client, "/login")
    data = {"login": resident.email, "password": "wrong", "csrf_token": token}
    statuses = [client.post("/login?lang=en", data=data).status_code for _ in range(11)]
    assert statuses[:10] == [200] * 10 and statuses[10] == 429
    last = client.post("/login?lang=en", data=data)
    assert "Too many requests. Please wait a moment and try again." in last.text


def test_a_deleted_account_cannot_sign_in(client, resident):
    resident.is_deleted = True
    db.session.commit()
    response = client.post(
        "/login",
        data={
            "login": resident.email,
            "password": PASSWORD,
            "csrf_token": csrf_from(client, "/login"),
        },
    )
    assert response.status_code == 200
