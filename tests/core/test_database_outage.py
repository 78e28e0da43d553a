"""A database that cannot be reached: 503 "please try again", and nothing typed is lost."""

import re

import pytest

from planvoice.core.extensions import db
from tests.conftest import POSTGRES_URL

# Real failures: a SQLite file in a folder that does not exist, a PostgreSQL port nobody
# listens on.
UNREACHABLE = ["sqlite:////nonexistent-planvoice-dir/x.db"] + (
    ["postgresql+psycopg://postgres@127.0.0.1:1/test?connect_timeout=1"] if POSTGRES_URL else []
)


@pytest.fixture(params=UNREACHABLE)
def down(request, app_factory):
    app = app_factory(request.param)
    yield app.test_client()
    with app.app_context():
        db.engine.dispose()


def test_a_page_answers_503_please_try_again(down):
    response = down.get("/reports/EDQ-AAAA-AA?lang=en")
    assert response.status_code == 503
    assert "Please try again in a moment." in response.text


def test_a_sent_form_comes_back_filled_in_without_the_password(down):
    page = down.get("/login?lang=en").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)[1]
    data = {"login": "lao.wang@example.cn", "password": "secret-pass", "csrf_token": token}
    response = down.post("/login?lang=en", data=data)

    assert response.status_code == 503
    assert 'name="login" value="lao.wang@example.cn"' in response.text
    assert "secret-pass" not in response.text
    # One CSRF token, a valid one made for the page (not the posted copy echoed back).
    assert len(re.findall(r'name="csrf_token"', response.text)) == 1
    assert "Try again" in response.text and 'action="/login?lang=en"' in response.text
    # Pressed again while the database is still down: the same page, not an expired form.
    fields = dict(re.findall(r'name="(\w+)" value="([^"]*)"', response.text))
    again = down.post("/login?lang=en", data=fields | {"password": "secret-pass"})
    assert again.status_code == 503 and "lao.wang@example.cn" in again.text


def test_the_api_answers_a_json_503(down):
    response = down.get("/api/v1/measures")
    assert response.status_code == 503
    assert response.json["error"]["code"] == 503


def test_a_connection_lost_at_the_commit_is_a_503_that_keeps_the_form(app_factory):
    """The view ran; the database went away before the request's commit (PostgreSQL ends the
    session's own backend, a real lost connection)."""
    if not POSTGRES_URL:
        pytest.skip("needs PostgreSQL: SQLite has no connection to lose")
    app = app_factory(POSTGRES_URL)

    @app.post("/test-commit-lost")
    def lose_the_connection_before_the_commit():
        from sqlalchemy import create_engine, text

        pid = db.session.execute(text("SELECT pg_backend_pid()")).scalar()
        # Ended from another connection: the view itself finishes without an error.
        other = create_engine(POSTGRES_URL)
        with other.connect() as connection:
            connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        other.dispose()
        return "done"

    app.config["WTF_CSRF_ENABLED"] = False  # the test's own view has no form to protect
    response = app.test_client().post("/test-commit-lost?lang=en", data={"body": "路口积水"})
    assert response.status_code == 503 and "Please try again in a moment." in response.text
    assert 'name="body" value="路口积水"' in response.text
    with app.app_context():
        db.engine.dispose()
