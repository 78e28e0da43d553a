"""The language a signed-in person reads the site in is kept on their account, so that their
e-mail is written in it."""

from planvoice.accounts.models import User
from planvoice.core.extensions import db
from tests.conftest import csrf_from
from tests.factories import PASSWORD, UserFactory


def language_of(user) -> str | None:
    db.session.expire_all()
    return db.session.get(User, user.id).language


def sign_in_at(client, user, path: str = "/login"):
    data = {"login": user.login, "password": PASSWORD, "csrf_token": csrf_from(client, path)}
    assert client.post(path, data=data).status_code == 302


def test_signing_in_with_the_english_link_keeps_english(client):
    user = UserFactory()
    sign_in_at(client, user, "/login?lang=en")
    assert language_of(user) == "en"


def test_signing_in_with_the_english_cookie_keeps_english(client):
    user = UserFactory()
    client.set_cookie("lang", "en")
    sign_in_at(client, user)
    assert language_of(user) == "en"


def test_switching_language_while_signed_in_is_kept(client, plan):
    user = UserFactory()
    sign_in_at(client, user)
    assert language_of(user) == "zh_Hans"  # the default
    assert client.get("/?lang=en").status_code == 200  # the language link, a GET
    assert language_of(user) == "en"
    client.get("/?lang=zh_Hans")
    assert language_of(user) == "zh_Hans"


def test_a_guests_language_is_nobodys(client, plan):
    user = UserFactory()
    client.get("/?lang=en")
    assert language_of(user) is None
