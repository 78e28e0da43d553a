"""Helpers for the stories of residents commenting, flagging and rating."""

import re

import pytest
from sqlalchemy import select

from planvoice.accounts.services import create_user
from planvoice.core.extensions import db, limiter
from planvoice.plans.models import Measure

PARK = "“绣花功夫”管理城市"


@pytest.fixture(autouse=True)
def no_rate_limits(no_rate_limits):
    """Every feedback story runs without limits; the rate-limit tests switch them back on."""
    return no_rate_limits


@pytest.fixture
def rate_limits(no_rate_limits):
    limiter.enabled = True


@pytest.fixture
def measure(plan) -> Measure:
    return db.session.scalar(select(Measure).where(Measure.title == PARK))


def form_fields(client, measure) -> dict:
    """What a real browser sends with a form of the measure page: CSRF and one-time tokens."""
    page = client.get(f"/measures/{measure.id}").text
    return {
        "csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', page)[1],
        "submission_token": re.search(r'name="submission_token" value="([^"]+)"', page)[1],
    }


def post_comment(client, measure, body="我家门口的路该修了", *, nickname="老王", **extra):
    data = form_fields(client, measure) | {"body": body, "nickname": nickname} | extra
    return client.post(f"/measures/{measure.id}/comments", data=data)


def post_rating(client, measure, value):
    data = {"csrf_token": form_fields(client, measure)["csrf_token"], "rating": value}
    return client.post(f"/measures/{measure.id}/rating", data=data)


def sign_in(client, login="resident@example.com", *, display_name=None):
    user = create_user(login, "a long password", display_name=display_name)
    db.session.commit()
    with client.session_transaction() as session:
        session["_user_id"] = str(user.id)
        session["_fresh"] = True
    return user
