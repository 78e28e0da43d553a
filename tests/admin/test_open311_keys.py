"""An administrator issues keys to Open311 client apps, sees each key once, and revokes them."""

import re

import pytest
from sqlalchemy import func, select

from planvoice.core.audit import AuditEvent
from planvoice.core.extensions import db
from planvoice.open311.models import ApiKey
from planvoice.open311.services import authenticate, issue_key
from tests.admin.conftest import audit_actions
from tests.conftest import csrf_from

URL = "/admin/open311-keys"
NEW_KEY_RE = re.compile(r'<code class="wrap" id="new-key">(pv311_[\w-]+)</code>')


def _issue(submit, name: str) -> str:
    """Issue a key through the form; the key the page shows."""
    response = submit(URL, {"name": name})
    assert response.status_code == 200, response.text
    return NEW_KEY_RE.search(response.text).group(1)


def _key_count() -> int:
    return db.session.scalar(select(func.count(ApiKey.id)))


def test_the_page_is_linked_from_the_administration(client, signed_in_admin):
    assert f'href="{URL}"' in client.get("/admin").text
    page = client.get(URL)
    assert page.status_code == 200
    assert "No keys yet." in page.text and "Issue a key" in page.text


def test_an_administrator_issues_a_key_and_sees_it_only_once(client, signed_in_admin, submit):
    response = submit(URL, {"name": "  City Services App  "})
    assert response.status_code == 200
    assert "It will not be shown again" in response.text
    assert "no-store" in response.headers["Cache-Control"]
    key = NEW_KEY_RE.search(response.text).group(1)
    assert 'value="City Services App"' not in response.text  # the form is ready for the next

    db.session.expire_all()
    api_key = authenticate(key)
    assert api_key.name == "City Services App"
    assert api_key.created_by_id == signed_in_admin.id
    db.session.commit()  # the use is recorded

    page = client.get(URL).text
    assert key not in page and "It will not be shown again" not in page
    assert f"{key[:12]}…" in page and "City Services App" in page
    assert signed_in_admin.display_name in page
    assert 'data-label="Last used">never<' not in page  # the app used it just now
    assert 'data-label="Status">active<' in page and f'action="{URL}/{api_key.id}/revoke"' in page


@pytest.mark.parametrize(
    ("name", "error"),
    [("", "Give the app a name."), ("   ", "Give the app a name."),
     ("x" * 81, "At most 80 characters.")],
)  # fmt: skip
def test_a_key_needs_a_name_of_1_to_80_characters(client, signed_in_admin, submit, name, error):
    response = submit(URL, {"name": name})
    assert response.status_code == 422
    assert error in response.text
    assert NEW_KEY_RE.search(response.text) is None
    assert _key_count() == 0
    assert audit_actions() == []


def test_a_revoked_key_no_longer_files_reports(client, signed_in_admin, submit):
    key = _issue(submit, "Old App")
    api_key_id = db.session.scalar(select(ApiKey.id))
    revoke = f"{URL}/{api_key_id}/revoke"

    response = submit(revoke, form_page=URL)
    assert response.status_code == 302 and response.headers["Location"] == URL
    page = client.get(URL).text
    assert "The key of Old App is revoked: the app can no longer file reports." in page
    assert "revoked on" in page and f'action="{revoke}"' not in page
    db.session.expire_all()
    assert authenticate(key) is None

    response = submit(revoke, form_page=URL)
    assert response.status_code == 302
    assert "The key of Old App was already revoked." in client.get(URL).text
    assert submit(f"{URL}/999/revoke", form_page=URL).status_code == 404


def test_revoking_needs_the_forms_csrf_token(client, signed_in_admin):
    api_key, key = issue_key("Some App")
    db.session.commit()
    response = client.post(f"{URL}/{api_key.id}/revoke", data={"csrf_token": "forged"})
    assert response.status_code == 400
    assert "This form has expired" in response.text
    db.session.expire_all()
    assert authenticate(key) is not None


def test_the_audit_log_records_who_issued_and_revoked_a_key(client, signed_in_admin, submit):
    _issue(submit, "Some App")
    api_key = db.session.scalar(select(ApiKey))
    submit(f"{URL}/{api_key.id}/revoke", form_page=URL)

    assert audit_actions() == ["open311_key.issue", "open311_key.revoke"]
    events = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
    assert {(e.subject_type, e.subject_id, e.actor_id) for e in events} == {
        ("open311_api_keys", api_key.id, signed_in_admin.id)
    }
    assert [events[0].after, events[1].before] == [{"name": "Some App"}, {"name": "Some App"}]
    log = client.get("/admin/audit?subject_type=open311_api_keys").text
    assert 'data-action="open311_key.issue"' in log and 'data-action="open311_key.revoke"' in log


@pytest.mark.parametrize("role", ["resident", "moderator"])
def test_only_administrators_manage_keys(request, client, sign_in, role):
    api_key, key = issue_key("Some App")
    db.session.commit()
    sign_in(request.getfixturevalue(role))
    token = csrf_from(client, "/")
    assert client.get(URL).status_code == 403
    assert client.post(URL, data={"csrf_token": token, "name": "Mine"}).status_code == 403
    revoke = f"{URL}/{api_key.id}/revoke"
    assert client.post(revoke, data={"csrf_token": token}).status_code == 403
    db.session.expire_all()
    assert _key_count() == 1 and authenticate(key) is not None


def test_a_guest_is_sent_to_sign_in(client):
    api_key, _key = issue_key("Some App")
    db.session.commit()
    token = csrf_from(client, "/login")
    for response in (
        client.get(URL),
        client.post(URL, data={"csrf_token": token, "name": "Mine"}),
        client.post(f"{URL}/{api_key.id}/revoke", data={"csrf_token": token}),
    ):
        assert response.status_code == 302
        assert "/login" in response.headers["Location"]
    assert _key_count() == 1
