"""A mobile-only resident signs in with a six-digit code sent by text message: it reaches the
gateway, works once, for ten minutes, and dies after five wrong tries; asking with a number
no account has looks the same and sends nothing."""

from datetime import timedelta

from sqlalchemy import func, select

from planvoice.accounts.models import SignInCode
from planvoice.core.db import utcnow
from planvoice.core.extensions import db
from planvoice.notifications.models import OutboxMessage
from planvoice.notifications.outbox import send_due_messages
from tests.conftest import CSRF_RE, csrf_from
from tests.factories import UserFactory
from tests.notifications.test_sms import gateway  # noqa: F401 -- the recording SMS gateway

NUMBER = "13900139000"


def ask_for_code(client, phone: str = "+86 139 0013 9000"):
    token = csrf_from(client, "/login/code")
    return client.post("/login/code", data={"phone": phone, "csrf_token": token},
                       follow_redirects=True)  # fmt: skip


def type_code(client, code: str, phone: str = NUMBER):
    token = csrf_from(client, "/login/code/check")
    return client.post("/login/code/check", data={"phone": phone, "code": code,
                                                  "csrf_token": token})  # fmt: skip


def without_token(page: str, number: str) -> str:
    """The page without its CSRF token (it holds the second it was made) and the number."""
    return CSRF_RE.sub("", page).replace(number, "N")


def texted_code(gateway) -> str:  # noqa: F811
    send_due_messages()
    text = gateway.texts[-1]
    assert text["template"] == "PV_SIGN_IN_CODE"
    assert text["params"]["code"] in text["text"]
    return text["params"]["code"]


def test_a_texted_code_signs_in_once(app, english, gateway):  # noqa: F811
    UserFactory(email=None, phone=NUMBER)
    page = ask_for_code(english)
    assert "we have sent it a six-digit code" in page.text
    assert 'value="13900139000"' in page.text  # the check form holds the number already

    code = texted_code(gateway)
    assert gateway.texts[-1]["to"] == NUMBER and len(code) == 6

    signed_in = type_code(english, code)
    assert signed_in.status_code == 302
    assert english.get("/me").status_code == 200

    english.post("/logout", data={"csrf_token": csrf_from(english, "/logout")})
    again = type_code(english, code)
    assert again.status_code == 200
    assert "This code is wrong or no longer works." in again.text
    assert english.get("/me").status_code == 302  # not signed in


def test_five_wrong_tries_kill_the_code(app, english, gateway):  # noqa: F811
    UserFactory(email=None, phone=NUMBER)
    ask_for_code(english)
    code = texted_code(gateway)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for _ in range(5):
        assert "This code is wrong" in type_code(english, wrong).text
    assert "This code is wrong" in type_code(english, code).text
    assert english.get("/me").status_code == 302


def test_an_expired_code_does_not_work(app, english, gateway):  # noqa: F811
    UserFactory(email=None, phone=NUMBER)
    ask_for_code(english)
    code = texted_code(gateway)
    row = db.session.scalar(select(SignInCode))
    row.created_at -= timedelta(minutes=11)
    row.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert "This code is wrong" in type_code(english, code).text


def test_a_new_code_kills_the_older_one(app, english, gateway, no_rate_limits):  # noqa: F811
    UserFactory(email=None, phone=NUMBER)
    ask_for_code(english)
    first = texted_code(gateway)
    ask_for_code(english)
    second = texted_code(gateway)
    if first != second:  # one chance in a million that they are the same
        assert "This code is wrong" in type_code(english, first).text
    assert type_code(english, second).status_code == 302


def test_an_unknown_number_gets_the_same_answer_and_nothing(app, english, gateway):  # noqa: F811
    UserFactory(email=None, phone=NUMBER)
    known = ask_for_code(english, NUMBER).text
    db.session.query(OutboxMessage).delete()
    db.session.commit()
    unknown = ask_for_code(english, "13700137000").text

    assert without_token(unknown, "13700137000") == without_token(known, NUMBER)
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0
    send_due_messages()
    assert gateway.requests == []
    assert "This code is wrong" in type_code(english, "123456", phone="13700137000").text


def test_asking_for_codes_is_limited_per_number(app, english, gateway):  # noqa: F811
    UserFactory(email=None, phone=NUMBER)
    statuses = []
    for phone in ("13900139000", "139 0013 9000", "+8613900139000", "139-0013-9000"):
        token = csrf_from(english, "/login/code")
        statuses.append(
            english.post("/login/code", data={"phone": phone, "csrf_token": token}).status_code
        )
    assert statuses == [302, 302, 302, 429]


def test_a_number_that_is_not_a_mobile_number_is_refused(app, english):
    token = csrf_from(english, "/login/code")
    page = english.post("/login/code", data={"phone": "12345", "csrf_token": token})
    assert "Enter an 11-digit mobile number." in page.text
