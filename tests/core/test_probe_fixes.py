"""Defects a security probe found (issue 14, item 9), each seen as a user or an operator would."""

import re

import pytest
from flask import Blueprint
from sqlalchemy import func, select

from planvoice import create_app
from planvoice.core.extensions import db
from planvoice.core.security import mark_private
from planvoice.core.text import clean_text
from planvoice.feedback.models import Comment
from planvoice.plans.models import Measure
from tests.conftest import csrf_from
from tests.factories import UserFactory

LONG_KEY = "k" * 32
INVISIBLE = "\u200b\u200d\ufeff"


@pytest.fixture
def production_app(monkeypatch, app_factory, database_url):
    monkeypatch.setenv("PLANVOICE_ENV", "production")
    app = app_factory(database_url, SECRET_KEY=LONG_KEY, PUBLIC_URL="https://pv.example.cn")
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


# --- settings -------------------------------------------------------------------------------


def test_production_refuses_a_secret_key_shorter_than_32_characters(monkeypatch, tmp_path):
    monkeypatch.setenv("PLANVOICE_ENV", "production")
    monkeypatch.setenv("PUBLIC_URL", "https://pv.example.cn")
    monkeypatch.setenv("SECRET_KEY", "k" * 31)
    with pytest.raises(RuntimeError, match="SECRET_KEY must be at least 32 characters"):
        create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db"})


def test_production_refuses_to_start_without_a_public_url(monkeypatch, tmp_path):
    monkeypatch.setenv("PLANVOICE_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", LONG_KEY)
    monkeypatch.delenv("PUBLIC_URL", raising=False)
    monkeypatch.delenv("FLASK_PUBLIC_URL", raising=False)
    with pytest.raises(RuntimeError, match="PUBLIC_URL must be set"):
        create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db"})


def test_trusted_proxies_must_be_a_whole_number(monkeypatch):
    monkeypatch.setenv("PLANVOICE_TRUSTED_PROXIES", "yes")
    with pytest.raises(RuntimeError, match="PLANVOICE_TRUSTED_PROXIES"):
        create_app({"SECRET_KEY": "x"})


# --- headers and cookies --------------------------------------------------------------------


def test_production_asks_browsers_for_https_and_keeps_the_language_cookie_secure(
    production_app,
):
    response = production_app.test_client().get("/healthz?lang=en")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("lang="))
    assert "Secure" in cookie


def test_development_sets_no_hsts(client):
    assert "Strict-Transport-Security" not in client.get("/healthz").headers


@pytest.mark.parametrize("url", ["/me", "/me/data.json", "/moderation", "/bureau", "/admin"])
def test_staff_and_personal_pages_are_never_stored(client, sign_in, url):
    sign_in(UserFactory(admin=True))
    response = client.get(url)
    assert response.headers["Cache-Control"] == "no-store"


def test_public_pages_may_still_be_cached(client, plan):
    assert client.get("/").headers.get("Cache-Control") != "no-store"


def test_every_download_and_a_page_marked_private_are_never_stored(app_factory, database_url):
    app = app_factory(database_url)
    probe = Blueprint("probe", __name__)
    probe.add_url_rule("/probe/private", "private", lambda: (mark_private(), "case")[1])
    probe.add_url_rule(
        "/probe/export",
        "export",
        lambda: ("a,b", 200, {"Content-Disposition": 'attachment; filename="x.csv"'}),
    )
    probe.add_url_rule("/probe/public", "public", lambda: "public")
    app.register_blueprint(probe)
    client = app.test_client()
    assert client.get("/probe/private").headers["Cache-Control"] == "no-store"
    assert client.get("/probe/export").headers["Cache-Control"] == "no-store"
    assert "Cache-Control" not in client.get("/probe/public").headers
    with app.app_context():
        db.engine.dispose()


# --- invisible text -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        (INVISIBLE, ""),
        ("\u2060 \u3000\u00ad\u3164\u2800\ufe0f", ""),
        ("\u200b修路\u200b", "修路"),
        ("family 👨\u200d👩\u200d👧 ok", "family 👨\u200d👩\u200d👧 ok"),
    ],
)
def test_invisible_characters_count_as_nothing_at_the_edges(typed, kept):
    assert clean_text(typed) == kept


def test_a_comment_of_invisible_characters_is_refused_as_empty(english, plan, no_rate_limits):
    measure = db.session.scalar(select(Measure).order_by(Measure.id).limit(1))
    page = english.get(f"/measures/{measure.id}").text
    data = {
        "csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', page)[1],
        "submission_token": re.search(r'name="submission_token" value="([^"]+)"', page)[1],
        "body": INVISIBLE,
        "nickname": "老王",
    }
    response = english.post(f"/measures/{measure.id}/comments", data=data)
    assert response.status_code == 400
    assert "Write your comment first." in response.text
    assert db.session.scalar(select(func.count(Comment.id))) == 0


def test_a_nickname_of_invisible_characters_is_no_name(client, plan):
    data = {
        "login": "13812345679",
        "display_name": INVISIBLE,
        "password": "a good long password",
        "password_confirm": "a good long password",
        "csrf_token": csrf_from(client, "/register"),
    }
    assert client.post("/register", data=data).status_code == 302
    from planvoice.accounts.models import User

    assert db.session.scalar(select(User.display_name).where(User.phone == "13812345679")) is None
