"""``/healthz`` for load balancers: 200 after a database round trip, 503 otherwise."""

from flask import Blueprint
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from planvoice.core.extensions import db

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def check_health():
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        return {"status": "unavailable"}, 503
    return {"status": "ok"}
