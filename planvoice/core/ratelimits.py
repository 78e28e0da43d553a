"""Every rate limit of the app, in one place, and the key of the second set of limits.

Most actions have two limits: one per client address (Flask-Limiter's default key), and one
per account or guest browser (``per_actor``). Many residents share one address behind a mobile
carrier's NAT, so the per-client limits are looser than those per actor. Limits apply to
POSTs; tests switch them off with ``RATELIMIT_ENABLED``.
"""

from planvoice.core.identity import actor_key

SIGN_INS_PER_CLIENT = "10 per minute; 100 per hour"
SIGN_UPS_PER_CLIENT = "5 per minute; 30 per hour"

COMMENTS_PER_CLIENT = "10 per minute; 200 per day"
COMMENTS_PER_ACTOR = "5 per minute; 50 per day"
RATINGS_PER_CLIENT = "30 per minute; 500 per day"
RATINGS_PER_ACTOR = "15 per minute; 200 per day"
FLAGS_PER_CLIENT = "20 per minute; 200 per day"
FLAGS_PER_ACTOR = "10 per minute; 100 per day"

REPORTS_PER_CLIENT = "10 per minute; 100 per day"
REPORTS_PER_ACTOR = "4 per minute; 30 per day"
SUPPORTS_PER_CLIENT = "20 per minute; 200 per day"
SUPPORTS_PER_ACTOR = "10 per minute; 100 per day"

# Open311 clients: reads per api_key or address; filing per key is OPEN311_POSTS_PER_KEY
# (configuration), and per address as below.
OPEN311_READS_PER_CLIENT = "120 per minute"
OPEN311_POSTS_PER_ADDRESS = "60 per minute"


def per_actor() -> str:
    """The account or guest browser acting, as a limiter key (only on POSTs: it makes a
    guest key)."""
    return "actor:" + actor_key(create=True)
