"""``/healthz`` for load balancers: 200 ``{"status": "ok"}`` when every part the app is set to
use answers, 503 ``{"status": "unavailable"}`` otherwise; ``checks`` names each part's state.

Always the database; Redis where the page cache (``CACHE_TYPE=RedisCache``) or the rate
limits (``RATELIMIT_STORAGE_URI=redis://…``) live there; the object store where photos do
(``PHOTO_STORAGE=s3``). Each check gives up after about a second, so a dead dependency makes
the answer 503, never a hung probe.
"""

import redis
from flask import Blueprint, current_app
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from planvoice.core import storage
from planvoice.core.extensions import db

bp = Blueprint("health", __name__)

OK, UNAVAILABLE = "ok", "unavailable"
TIMEOUT_S = 1
_REDIS_CLIENTS = "planvoice.health.redis"


@bp.get("/healthz")
def check_health():
    checks = {"database": _check_database()}
    config = current_app.config
    if config.get("CACHE_TYPE", "").rsplit(".", 1)[-1] == "RedisCache":
        checks["cache"] = _check_redis(_cache_redis_url(config))
    if (config.get("RATELIMIT_STORAGE_URI") or "").startswith(("redis://", "rediss://")):
        checks["rate_limits"] = _check_redis(config["RATELIMIT_STORAGE_URI"])
    if config["PHOTO_STORAGE"] == storage.S3:
        checks["object_store"] = _check_object_store()
    healthy = all(state == OK for state in checks.values())
    return {"status": OK if healthy else UNAVAILABLE, "checks": checks}, 200 if healthy else 503


def _check_database() -> str:
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        return UNAVAILABLE
    return OK


def _cache_redis_url(config) -> str:
    # Flask-Caching takes a URL, or else host, port and db (defaults localhost, 6379, 0).
    if url := config.get("CACHE_REDIS_URL"):
        return url
    host, port = config.get("CACHE_REDIS_HOST", "localhost"), config.get("CACHE_REDIS_PORT", 6379)
    return f"redis://{host}:{port}/{config.get('CACHE_REDIS_DB', 0)}"


def _check_redis(url: str) -> str:
    # One client (and connection pool) per URL and app, not a new connection per probe.
    clients = current_app.extensions.setdefault(_REDIS_CLIENTS, {})
    if url not in clients:
        clients[url] = redis.Redis.from_url(
            url, socket_timeout=TIMEOUT_S, socket_connect_timeout=TIMEOUT_S
        )
    try:
        clients[url].ping()
    except (redis.RedisError, OSError):
        return UNAVAILABLE
    return OK


def _check_object_store() -> str:
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        storage.backend().check()
    except (BotoCoreError, ClientError, OSError):
        return UNAVAILABLE
    return OK
