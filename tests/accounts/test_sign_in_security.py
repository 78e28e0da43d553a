"""Sign-in after the probe: no open redirects, a per-account limit, sessions end on sign-out."""

import pytest

from planvoice.accounts.services import change_role
from planvoice.core.extensions import db
from planvoice.reports.areas import Area
from tests.conftest import csrf_from
from tests.factories import PASSWORD, UserFactory


def _sign_in(client, user, *, password=PASSWORD, next=None, address="203.0.113.7", **headers):
    data = {"login": user.login, "password": password, "csrf_token": csrf_from(client, "/login")}
    if next is not None:
        data["next"] = next
    return client.post("/login", data=data, environ_base={"REMOTE_ADDR": address}, headers=headers)


@pytest.mark.parametrize(
    "target",
    [
        "/\t/evil.test",
        "/\n/evil.test",
        "/\r\n/evil.test",
        "/\\evil.test",
        "//evil.test",
        "/ /evil.test",
        "https://evil.test",
        "/%0a",
        "/x\x00",
        "/\u2028/evil.test",
    ],
)
def test_sign_in_never_redirects_off_the_site_nor_fails(client, resident, target):
    response = _sign_in(client, resident, next=target)
    assert response.status_code == 302
    assert response.headers["Location"] == "/" or target == "/%0a"


def test_sign_in_keeps_a_clean_path_with_its_query(client, resident):
    response = _sign_in(client, resident, next="/reports?status=open")
    assert response.headers["Location"] == "/reports?status=open"


def test_sign_up_with_a_tab_in_next_lands_at_home(client, plan):
    data = {
        "login": "13812345678",
        "password": "a good long password",
        "password_confirm": "a good long password",
        "next": "/\t/evil.test",
        "csrf_token": csrf_from(client, "/register"),
    }
    assert client.post("/register", data=data).headers["Location"] == "/"


def test_guesses_from_many_addresses_shut_the_account_but_not_others(client, resident):
    other = UserFactory()
    statuses = [
        _sign_in(client, resident, password="wrong", address=f"198.51.100.{n}").status_code
        for n in range(11)
    ]
    assert statuses[:10] == [200] * 10 and statuses[10] == 429
    # The login as typed is normalised: another spelling is the same account.
    resident_upper = type("U", (), {"login": resident.login.upper()})
    assert _sign_in(client, resident_upper, address="198.51.100.99").status_code == 429
    # Another account's correct password, from a fresh address, still works.
    assert _sign_in(client, other, address="198.51.100.100").status_code == 302


def test_an_attack_from_a_shared_address_does_not_shut_out_a_known_browser(app, client, resident):
    _sign_in(client, resident, address="203.0.113.50")  # signed in here before: known
    client.post("/logout", data={"csrf_token": csrf_from(client, "/logout")})
    attacker, newcomer = app.test_client(), app.test_client()
    victims = [UserFactory() for _ in range(6)]
    for n in range(12):  # many accounts guessed from the same (carrier NAT) address
        _sign_in(attacker, victims[n % 6], password="wrong", address="203.0.113.50")
    assert _sign_in(attacker, victims[0], address="203.0.113.50").status_code == 429
    assert _sign_in(newcomer, resident, address="203.0.113.50").status_code == 429
    # The resident's own browser remembers them: only their account's limit applies.
    assert _sign_in(client, resident, address="203.0.113.50").status_code == 302
    # The cookie names its account: it lets no other login past the address limit.
    assert _sign_in(client, victims[1], address="203.0.113.50").status_code == 429


def test_successful_sign_ins_do_not_use_up_the_account_limit(client, resident):
    for n in range(12):
        assert _sign_in(client, resident, address=f"192.0.2.{n}").status_code == 302


def test_the_client_address_is_read_through_the_trusted_proxy(app_factory, database_url):
    app = app_factory(database_url, PLANVOICE_TRUSTED_PROXIES=1)
    with app.app_context():
        user = UserFactory()
        client = app.test_client()
        # Ten failures behind the proxy from one client: the eleventh is refused…
        forwarded = {"X-Forwarded-For": "203.0.113.50"}
        for _ in range(10):
            response = _sign_in(client, user, password="wrong", address="10.0.0.1", **forwarded)
            assert response.status_code == 200
        # …while another client behind the same proxy is not shut out by the address limit.
        other = UserFactory()
        forwarded = {"X-Forwarded-For": "203.0.113.51"}
        assert _sign_in(client, other, address="10.0.0.1", **forwarded).status_code == 302
        db.session.remove()
        db.engine.dispose()


def _saved_cookie(client):
    return client.get_cookie("session").value


def test_a_saved_session_cookie_stops_working_after_sign_out(app, client, resident, plan):
    _sign_in(client, resident)
    saved = _saved_cookie(client)
    assert client.get("/me").status_code == 200
    client.post("/logout", data={"csrf_token": csrf_from(client, "/")})

    thief = app.test_client()
    thief.set_cookie("session", saved)
    response = thief.get("/me")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_new_role_ends_the_sessions_made_under_the_old_one(app, client, resident, admin):
    _sign_in(client, resident)
    assert client.get("/me").status_code == 200
    change_role(resident, role="resident", bureau=None, areas=[], actor=admin)
    db.session.commit()
    assert client.get("/me").status_code == 200  # nothing changed, nothing ended
    moderator_area = Area(code="t-1", name="测试社区", kind="community")
    db.session.add(moderator_area)
    db.session.flush()
    change_role(resident, role="moderator", bureau=None, areas=[moderator_area], actor=admin)
    db.session.commit()
    assert client.get("/me").status_code == 302


def test_many_residents_signing_in_from_one_address_never_fill_its_limit(app, plan):
    for resident in [UserFactory() for _ in range(12)]:  # over the 10 failures a minute
        browser = app.test_client()  # each from a browser new to the site
        assert _sign_in(browser, resident, address="203.0.113.80").status_code == 302
