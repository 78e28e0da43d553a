"""Settings from the environment.

Every key can also be set as ``FLASK_<KEY>`` (``app.config.from_prefixed_env``). In production
(``PLANVOICE_ENV=production``) the app refuses to start without a ``SECRET_KEY`` of at least 32
characters and without a ``PUBLIC_URL``; in development a key is generated once and kept in the
instance folder, so sessions survive restarts.
"""

import os
import secrets
from pathlib import Path

from flask import Flask

PRODUCTION = "production"


def load_config(app: Flask, overrides: dict | None = None) -> None:
    """Fill ``app.config`` from defaults, the environment and ``overrides`` (in that order)."""
    instance = Path(app.instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    environment = os.environ.get("PLANVOICE_ENV", "development")

    app.config.update(
        PLANVOICE_ENV=environment,
        SQLALCHEMY_DATABASE_URI=_database_url(instance),
        # Checked on every checkout from the pool, so a connection the database (or a proxy
        # in between) has dropped is replaced instead of failing a request.
        SQLALCHEMY_ENGINE_OPTIONS={"pool_pre_ping": True},
        UPLOAD_FOLDER=os.environ.get("UPLOAD_FOLDER", str(instance / "uploads")),
        # Report photos: "local" keeps them under UPLOAD_FOLDER; "s3" in S3_BUCKET of an
        # S3-compatible store (S3_ENDPOINT_URL for one that is not AWS), with credentials
        # from the usual AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (see core/storage.py).
        PHOTO_STORAGE=os.environ.get("PHOTO_STORAGE", "local"),
        S3_BUCKET=os.environ.get("S3_BUCKET"),
        S3_ENDPOINT_URL=os.environ.get("S3_ENDPOINT_URL"),
        S3_REGION=os.environ.get("S3_REGION"),
        BABEL_DEFAULT_LOCALE="zh_Hans",
        BABEL_DEFAULT_TIMEZONE="Asia/Shanghai",
        # Flask-Babel resolves relative directories against the package root.
        BABEL_TRANSLATION_DIRECTORIES="../translations",
        LANGUAGES=("zh_Hans", "en"),
        MAX_CONTENT_LENGTH=32 * 1024 * 1024,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=environment == PRODUCTION,
        PREFERENCE_COOKIE_MAX_AGE=365 * 24 * 3600,
        # Public pages are kept a few seconds per process (micro-caching, see core/caching.py);
        # FLASK_CACHE_TYPE=RedisCache with FLASK_CACHE_REDIS_URL shares them between processes.
        CACHE_TYPE="SimpleCache",
        RATELIMIT_STORAGE_URI=os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        RATELIMIT_HEADERS_ENABLED=True,
        # Comments wait for a moderator before anyone else sees them ("post" publishes at once).
        COMMENT_MODERATION="pre",
        CACHE_DEFAULT_TIMEOUT=30,
        # Reports: tracking codes start with the district's letters (二道区 → EDQ), points
        # must lie in its box (south, west, north, east; FLASK_DISTRICT_BOUNDS='[…]'), and
        # open reports of the same category this close are offered for support instead.
        REPORT_CODE_PREFIX="EDQ",
        DISTRICT_BOUNDS=(43.70, 125.30, 44.05, 125.80),
        DUPLICATE_RADIUS_M=300,
        # Bureaus' time limits in working days, counted from routing; holidays and make-up
        # working days (ISO dates) as the State Council publishes them each year, e.g.
        # FLASK_HOLIDAYS='["2026-10-01", …]', FLASK_MAKEUP_WORKDAYS='["2026-10-10"]'.
        TIME_LIMIT_ACCEPT_DAYS=1,
        TIME_LIMIT_REPLY_DAYS=3,
        TIME_LIMIT_RESOLVE_DAYS=15,
        HOLIDAYS=[],
        MAKEUP_WORKDAYS=[],
        # Outgoing mail, sent by the outbox worker (``flask outbox run``), never by a request.
        MAIL_SERVER=os.environ.get("MAIL_SERVER", "localhost"),
        MAIL_PORT=int(os.environ.get("MAIL_PORT", "25")),
        MAIL_USE_TLS=os.environ.get("MAIL_USE_TLS", "").lower() in ("1", "true", "yes"),
        MAIL_USERNAME=os.environ.get("MAIL_USERNAME"),
        MAIL_PASSWORD=os.environ.get("MAIL_PASSWORD"),
        # Where residents reach the site: links in e-mails start with it. Production has no
        # default: a guessed one would send residents links to the wrong host.
        PUBLIC_URL=os.environ.get(
            "PUBLIC_URL", "" if environment == PRODUCTION else "http://127.0.0.1:5000"
        ),
        # How many reverse proxies in front of the app set X-Forwarded-For/-Proto (0: none,
        # the client address is the connection's). Only these hops are believed, so a client
        # cannot pick its own address for the rate limits.
        PLANVOICE_TRUSTED_PROXIES=_whole_number("PLANVOICE_TRUSTED_PROXIES"),
        MAIL_FROM=os.environ.get("MAIL_FROM", "PlanVoice <noreply@planvoice.local>"),
        # Daily and weekly digests are built by the outbox worker from this hour of the day in
        # the district's time zone (BABEL_DEFAULT_TIMEZONE); weekly ones on Mondays.
        DIGEST_HOUR=8,
        # An address (e-mail or mobile number) stops being used after this many failed
        # attempts in a row; /me tells its owner.
        MAX_ADDRESS_FAILURES=6,
        # Text messages (channel "sms" of the outbox): "log" writes them to the log (for
        # development); "http" posts them to a gateway (``notifications.sms``): its address,
        # key, and the name of the gateway's template for each kind of message.
        SMS_SENDER=os.environ.get("SMS_SENDER", "log"),
        SMS_GATEWAY_URL=os.environ.get("SMS_GATEWAY_URL", ""),
        SMS_GATEWAY_KEY=os.environ.get("SMS_GATEWAY_KEY", ""),
        SMS_TEMPLATES={
            "tracking_code": "PV_TRACKING_CODE",
            "status": "PV_REPORT_STATUS",
            "satisfaction": "PV_SATISFACTION",
            "sign_in_code": "PV_SIGN_IN_CODE",
        },
        # At most this many texts to one number in a day (the district's time zone).
        SMS_PER_NUMBER_PER_DAY=10,
        # Open311: whom client apps' developers write to, for an api_key among other things.
        OPEN311_CONTACT=os.environ.get("OPEN311_CONTACT", "admin@planvoice.local"),
        # How many reports one client app may file (per api_key).
        OPEN311_POSTS_PER_KEY="20 per minute; 1000 per day",
    )
    app.config.from_prefixed_env()
    if os.environ.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]
    if overrides:
        app.config.update(overrides)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _secret_key(instance, environment)
    # Options given in the environment or by the caller (a pool size, say) keep the pre-ping.
    engine_options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    engine_options.setdefault("pool_pre_ping", True)
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options
    _check_photo_storage(app.config)
    if environment == PRODUCTION:
        _check_production(app.config)


def _database_url(instance: Path) -> str:
    url = os.environ.get("DATABASE_URL", f"sqlite:///{instance / 'planvoice.db'}")
    # Hosting platforms hand out postgres:// URLs; SQLAlchemy wants the driver named.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url


def _check_photo_storage(config) -> None:
    # Refused at start-up, not at the first upload.
    storage = config["PHOTO_STORAGE"] = (config["PHOTO_STORAGE"] or "local").lower()
    if storage not in ("local", "s3"):
        raise RuntimeError(f"PHOTO_STORAGE must be 'local' or 's3', not {storage!r}.")
    if storage == "s3" and not config.get("S3_BUCKET"):
        raise RuntimeError("S3_BUCKET must be set when PHOTO_STORAGE=s3.")


def _whole_number(name: str) -> int:
    value = os.environ.get(name, "0").strip() or "0"
    if not value.isdigit():
        raise RuntimeError(f"{name} must be a whole number (0 or more), not {value!r}.")
    return int(value)


# Long enough that the session cookies' signature cannot be brute-forced offline.
MIN_SECRET_KEY_LENGTH = 32


def _check_production(config) -> None:
    # Refused at start-up: a weak key lets anyone forge a session cookie (sign in as anyone).
    if len(config["SECRET_KEY"]) < MIN_SECRET_KEY_LENGTH:
        raise RuntimeError(
            f"SECRET_KEY must be at least {MIN_SECRET_KEY_LENGTH} characters when "
            "PLANVOICE_ENV=production (make one with: python -c "
            "'import secrets; print(secrets.token_hex(32))')."
        )
    if not config.get("PUBLIC_URL"):
        raise RuntimeError(
            "PUBLIC_URL must be set when PLANVOICE_ENV=production (the address residents "
            "reach the site at, e.g. https://planvoice.example.cn): links in e-mails start with it."
        )


def _secret_key(instance: Path, environment: str) -> str:
    if environment == PRODUCTION:
        raise RuntimeError("SECRET_KEY must be set when PLANVOICE_ENV=production.")
    key_file = instance / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()
