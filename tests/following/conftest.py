"""Helpers for the stories of residents following measures, reports, areas and places."""

import re

import pytest
from sqlalchemy import select

from planvoice.core.extensions import db
from planvoice.demo import load_reference_data
from planvoice.notifications.outbox import send_due_messages
from planvoice.plans.models import Measure
from planvoice.reports.areas import Area, Category
from tests.conftest import csrf_from
from tests.factories import ReportFactory
from tests.notifications.conftest import mail_server, start_mail_server  # noqa: F401

PUBLIC_URL = "https://planvoice.example.cn"
# A point in Dongsheng street, inside the district's box.
DONGSHENG = (43.8712, 125.3520)


@pytest.fixture(autouse=True)
def no_rate_limits(no_rate_limits, app):
    app.config["PUBLIC_URL"] = PUBLIC_URL
    return no_rate_limits


@pytest.fixture
def measure(plan) -> Measure:
    return db.session.scalar(select(Measure).where(Measure.title == "“绣花功夫”管理城市"))


@pytest.fixture
def reference(plan):
    load_reference_data()
    db.session.commit()


@pytest.fixture
def area(reference) -> Area:
    return db.session.scalar(select(Area).where(Area.code == "dongsheng"))


@pytest.fixture
def public_report(reference, area):
    bare = db.session.scalar(select(Category).where(Category.code == "bare_ground"))
    return ReportFactory(category=bare, area=area, published=True)


def follow(client, url_for_csrf: str, **data):
    """Post the follow form as a browser would, with the CSRF token of ``url_for_csrf``."""
    data = {"csrf_token": csrf_from(client, url_for_csrf), **data}
    return client.post("/follow", data=data)


def delivered(server) -> list:
    """Send what the outbox holds; every message the mail server has received."""
    db.session.commit()
    send_due_messages()
    return server.messages


def link_in(message, path: str) -> str:
    """The path of the ``PUBLIC_URL`` link under ``path`` in an e-mail's text."""
    text = message.get_body(("plain",)).get_content()
    return re.search(re.escape(PUBLIC_URL) + f"({re.escape(path)}\\S+)", text)[1]
