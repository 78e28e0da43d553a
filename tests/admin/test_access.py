"""Only administrators reach the administration; the header shows them the way in."""

import pytest

from tests.conftest import csrf_from
from tests.factories import UserFactory

PAGES = [
    ("get", "/admin"),
    ("get", "/admin/bureaus"),
    ("post", "/admin/bureaus"),
    ("get", "/admin/bureaus/1"),
    ("get", "/admin/categories"),
    ("get", "/admin/categories/1"),
    ("get", "/admin/areas"),
    ("get", "/admin/areas/1"),
    ("get", "/admin/rules"),
    ("post", "/admin/rules/1/delete"),
    ("get", "/admin/users"),
    ("get", "/admin/users/1"),
    ("get", "/admin/time-limits"),
    ("post", "/admin/calendar"),
    ("post", "/admin/calendar/2026-10-01/delete"),
    ("get", "/admin/open311-keys"),
    ("post", "/admin/open311-keys"),
    ("post", "/admin/open311-keys/1/revoke"),
    ("get", "/admin/emails"),
    ("post", "/admin/emails/1/send-again"),
    ("get", "/admin/audit"),
]


def _open(client, method, url, token):
    if method == "post":
        return client.post(url, data={"csrf_token": token})
    return client.get(url)


@pytest.mark.parametrize(("method", "url"), PAGES)
def test_a_guest_is_sent_to_sign_in(client, method, url):
    response = _open(client, method, url, csrf_from(client, "/login"))
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


@pytest.mark.parametrize("trait", ["resident", "moderator", "bureau_staff"])
def test_staff_who_are_not_administrators_are_refused_everywhere(app, client, sign_in, trait):
    user = UserFactory(**({trait: True} if trait != "resident" else {}))
    sign_in(user)
    token = csrf_from(client, "/")
    for method, url in PAGES:
        assert _open(client, method, url, token).status_code == 403, url
    assert "Administration" not in client.get("/", headers={"Accept-Language": "en"}).text


def test_an_administrator_finds_every_page_from_the_header(client, signed_in_admin):
    home = client.get("/").text
    assert 'href="/admin"' in home
    index = client.get("/admin").text
    for url in ("/admin/bureaus", "/admin/categories", "/admin/areas", "/admin/rules",
                "/admin/users", "/admin/time-limits", "/admin/emails", "/admin/audit"):  # fmt: skip
        assert f'href="{url}"' in index
        assert client.get(url).status_code == 200, url
