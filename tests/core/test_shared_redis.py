"""Several app processes sharing one Redis: the page cache and the rate limits are common.

Two apps built by ``create_app`` (as two gunicorn workers would be) on the same database and
the same Redis (database 8, which no other test uses, under a key prefix of this run's own).
Skipped, with the reason printed, when Redis is not reachable; under ``CI=true`` that fails.
"""

import os
import secrets

import pytest
import redis
from sqlalchemy import select

from planvoice.core.extensions import db
from planvoice.feedback.models import Comment
from planvoice.plans.cli import BUNDLED_PLAN
from planvoice.plans.importer import parse_plan
from planvoice.plans.models import Measure
from planvoice.plans.services import import_plan
from tests import factories
from tests.conftest import QueryCounter, csrf_from, make_app

REDIS_URL = os.environ.get("PLANVOICE_TEST_REDIS_URL", "redis://127.0.0.1:6379/8")
# One prefix per run: Flask-Limiter keeps the first key prefix it is given for the process.
PREFIX = f"pv-test-{secrets.token_hex(4)}"
PARK = "“绣花功夫”管理城市"


@pytest.fixture(scope="module")
def redis_client():
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.RedisError as error:
        reason = f"Redis is not reachable at {REDIS_URL}: {error}"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        print(reason)
        pytest.skip(reason)
    yield client
    _flush(client)
    client.close()


def _flush(client) -> None:
    keys = list(client.scan_iter(match=f"*{PREFIX}*"))
    if keys:
        client.delete(*keys)


@pytest.fixture
def instances(redis_client, database_url, tmp_path):
    """Instances A and B on one database and one Redis, with the bundled plan imported."""
    config = {
        "UPLOAD_FOLDER": str(tmp_path / "uploads"),
        "CACHE_TYPE": "RedisCache",
        "CACHE_REDIS_URL": REDIS_URL,
        "CACHE_KEY_PREFIX": f"{PREFIX}:cache:",
        "RATELIMIT_STORAGE_URI": REDIS_URL,
        "RATELIMIT_KEY_PREFIX": PREFIX,
        "RATELIMIT_ENABLED": True,
    }
    a, b = make_app(database_url, **config), make_app(database_url, **config)
    with a.app_context():
        import_plan(parse_plan(BUNDLED_PLAN.read_bytes()), slug="erdao-2021")
        db.session.commit()
        measure_id = db.session.scalar(select(Measure.id).where(Measure.title == PARK))
    yield a, b, measure_id
    _flush(redis_client)
    for app in (a, b):
        with app.app_context():
            db.engine.dispose()


def _queries_for(app, client, url: str) -> int:
    with app.app_context():
        counter = QueryCounter(db.engine)
    with counter:
        assert client.get(url).status_code == 200
    return counter.count


def test_a_page_cached_by_one_instance_is_served_by_the_other(instances):
    a, b, measure_id = instances
    url = f"/measures/{measure_id}"
    assert _queries_for(a, a.test_client(), url) > 0
    assert _queries_for(b, b.test_client(), url) == 0


def test_a_moderators_decision_on_one_instance_drops_the_page_in_both(instances):
    a, b, measure_id = instances
    url = f"/measures/{measure_id}"
    reader_a, reader_b = a.test_client(), b.test_client()
    # Copies in both languages, and one with a query string, cached before the decision.
    variants = [(url, "zh-CN"), (url, "en"), (f"{url}?reply_to=1", "en")]
    for path, language in variants:
        reader_a.get(path, headers={"Accept-Language": language})
    with a.app_context():
        comment = factories.CommentFactory(measure_id=measure_id, body="路灯坏了三个月了,请修。")
        moderator = factories.UserFactory(moderator=True)
        comment_id, login = comment.id, moderator.login
    # Pending: nobody else reads it yet, and B serves A's copy without asking the database.
    assert "路灯坏了三个月了" not in reader_b.get(url).text
    assert _queries_for(b, reader_b, url) == 0

    worker = b.test_client()
    worker.post(
        "/login",
        data={
            "login": login,
            "password": factories.PASSWORD,
            "csrf_token": csrf_from(worker, "/login"),
        },
    )
    response = worker.post(
        f"/moderation/comments/{comment_id}/publish",
        data={"csrf_token": csrf_from(worker, "/moderation")},
    )
    assert response.status_code == 302
    with b.app_context():
        assert db.session.get(Comment, comment_id).status == "published"

    for reader in (reader_a, reader_b):
        for path, language in variants:
            page = reader.get(path, headers={"Accept-Language": language}).text
            assert "路灯坏了三个月了" in page, (reader, path, language)


def test_a_rate_limit_hit_on_one_instance_counts_on_the_other(instances, redis_client):
    a, _b, _measure_id = instances
    for _attempt in range(10):  # sign-ins: 10 a minute per client address
        assert _sign_in_badly(a.test_client()).status_code == 200
    assert any(redis_client.scan_iter(match=f"*{PREFIX}*"))
    # Flask-Limiter has one limiter per process, and each create_app gives it a storage of its
    # own (a fresh one, were it memory://): B is built now, as a process started later.
    b = make_app(a.config["SQLALCHEMY_DATABASE_URI"], **_shared_config(a))
    try:
        assert _sign_in_badly(b.test_client()).status_code == 429
    finally:
        with b.app_context():
            db.engine.dispose()


def _sign_in_badly(browser):
    data = {"login": "nobody@example.org", "password": "a wrong password"}
    return browser.post("/login", data=data | {"csrf_token": csrf_from(browser, "/login")})


def _shared_config(app) -> dict:
    keys = ("UPLOAD_FOLDER", "CACHE_TYPE", "CACHE_REDIS_URL", "CACHE_KEY_PREFIX")
    keys += ("RATELIMIT_STORAGE_URI", "RATELIMIT_KEY_PREFIX", "RATELIMIT_ENABLED")
    return {key: app.config[key] for key in keys}
