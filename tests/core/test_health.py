"""`/healthz` for load balancers: every part the app is set to use must answer, quickly."""

import os
import socket
import time

import pytest
import redis

from planvoice.core.extensions import db

# Database 9 of the local Redis: no other test uses it (the health check only pings).
REDIS_URL = os.environ.get("PLANVOICE_TEST_HEALTH_REDIS_URL", "redis://127.0.0.1:6379/9")


@pytest.fixture(scope="module")
def reachable_redis():
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError as error:
        reason = f"Redis is not reachable at {REDIS_URL}: {error}"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    return REDIS_URL


@pytest.fixture
def health_app(app_factory, database_url):
    """Build an app on the test's database with these settings; its connections are closed
    afterwards (one left open would be collected, and warned about, in a later test)."""
    apps = []

    def build(**settings):
        apps.append(app_factory(database_url, **settings))
        return apps[-1]

    yield build
    for app in apps:
        with app.app_context():
            db.engine.dispose()


@pytest.fixture
def closed_port() -> int:
    """A loopback port nothing listens on: connections to it are refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _health(app):
    started = time.monotonic()
    response = app.test_client().get("/healthz")
    # A dead dependency must make the answer 503, never hang the load balancer's probe.
    assert time.monotonic() - started < 5
    return response


def test_healthz_is_ok_after_a_database_round_trip(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "checks": {"database": "ok"}}


def test_healthz_is_503_when_the_database_is_unreachable(app_factory, tmp_path):
    # A SQLite file inside a directory that does not exist cannot be opened.
    app = app_factory(f"sqlite:///{tmp_path}/missing/dir/db.sqlite")
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json == {"status": "unavailable", "checks": {"database": "unavailable"}}


def test_healthz_pings_the_redis_of_the_page_cache_and_of_the_rate_limits(
    health_app, reachable_redis
):
    app = health_app(
        CACHE_TYPE="RedisCache",
        CACHE_REDIS_URL=reachable_redis,
        RATELIMIT_STORAGE_URI=reachable_redis,
    )
    response = _health(app)
    assert response.status_code == 200
    assert response.json == {
        "status": "ok",
        "checks": {"database": "ok", "cache": "ok", "rate_limits": "ok"},
    }


@pytest.mark.parametrize(
    "settings, part",
    [
        ({"CACHE_TYPE": "RedisCache", "CACHE_REDIS_URL": "redis://127.0.0.1:{port}/9"}, "cache"),
        ({"RATELIMIT_STORAGE_URI": "redis://127.0.0.1:{port}/9"}, "rate_limits"),
    ],
)
def test_healthz_is_503_when_redis_does_not_answer(health_app, closed_port, settings, part):
    app = health_app(**{k: v.format(port=closed_port) for k, v in settings.items()})
    response = _health(app)
    assert response.status_code == 503
    assert response.json["status"] == "unavailable"
    assert response.json["checks"] == {"database": "ok", part: "unavailable"}


def _s3_settings(bucket: str, endpoint_url: str) -> dict:
    return {
        "PHOTO_STORAGE": "s3",
        "S3_BUCKET": bucket,
        "S3_ENDPOINT_URL": endpoint_url,
        "S3_REGION": "us-east-1",
    }


def test_healthz_reaches_the_photos_bucket(health_app, s3_endpoint):
    app = health_app(**_s3_settings(s3_endpoint.new_bucket(), s3_endpoint.url))
    response = _health(app)
    assert response.status_code == 200
    assert response.json == {"status": "ok", "checks": {"database": "ok", "object_store": "ok"}}


def test_healthz_is_503_without_the_photos_bucket(health_app, s3_endpoint):
    app = health_app(**_s3_settings("never-created", s3_endpoint.url))
    response = _health(app)
    assert response.status_code == 503
    assert response.json["checks"]["object_store"] == "unavailable"


def test_healthz_is_503_when_the_object_store_does_not_answer(health_app, s3_endpoint, closed_port):
    # s3_endpoint for its test credentials; the store itself is at a port nobody serves.
    response = _health(health_app(**_s3_settings("photos", f"http://127.0.0.1:{closed_port}")))
    assert response.status_code == 503
    assert response.json == {
        "status": "unavailable",
        "checks": {"database": "ok", "object_store": "unavailable"},
    }
