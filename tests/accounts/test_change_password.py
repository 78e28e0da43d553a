"""A signed-in resident changes their password in /me: the current one is asked for, every
other browser is signed out, this one stays signed in."""

from planvoice.core.extensions import db
from tests.conftest import csrf_from
from tests.factories import PASSWORD, UserFactory


def _change(client, current: str, new: str, again: str | None = None):
    token = csrf_from(client, "/me/password")
    data = {"current_password": current, "password": new, "password_confirm": again or new}
    return client.post("/me/password", data=data | {"csrf_token": token})


def test_a_new_password_keeps_this_browser_and_signs_out_the_others(app, sign_in, client):
    user = UserFactory()
    db.session.commit()
    other = app.test_client()
    token = csrf_from(other, "/login")
    other.post("/login", data={"login": user.login, "password": PASSWORD, "csrf_token": token})
    assert other.get("/me").status_code == 200
    sign_in(user)

    wrong = _change(client, "not-my-password", "a-new-secret-4")
    assert wrong.status_code == 200 and 'name="current_password"' in wrong.text
    differ = _change(client, PASSWORD, "a-new-secret-4", "a-new-secret-5")
    assert differ.status_code == 200
    done = _change(client, PASSWORD, "a-new-secret-4")
    assert done.status_code == 302 and done.location.endswith("/me")

    assert client.get("/me").status_code == 200  # this browser stays signed in
    assert other.get("/me").status_code == 302  # the other one is a guest's now
    fresh = app.test_client()
    token = csrf_from(fresh, "/login")
    old = fresh.post(
        "/login", data={"login": user.login, "password": PASSWORD, "csrf_token": token}
    )
    assert old.status_code == 200  # the old password no longer signs in


def test_a_guest_is_sent_to_sign_in(client):
    response = client.get("/me/password")
    assert response.status_code == 302 and "/login" in response.location
