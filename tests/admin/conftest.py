"""An administrator, signed in and reading in English, and the district's reference data."""

import pytest
from sqlalchemy import select

from planvoice.core.audit import AuditEvent
from planvoice.core.extensions import db
from planvoice.demo import load_reference_data
from planvoice.reports.areas import Area
from tests.conftest import csrf_from


@pytest.fixture
def areas(plan) -> dict[str, Area]:
    load_reference_data()
    db.session.commit()
    return {a.code: a for a in db.session.scalars(select(Area))}


@pytest.fixture
def signed_in_admin(client, sign_in, admin):
    # Signed in reading English, so the language kept on the account is English from the start.
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    sign_in(admin)
    return admin


@pytest.fixture
def submit(client):
    """Post ``data`` to ``url`` with the CSRF token of the page ``form_page`` (default ``url``)."""

    def post(url, data=None, *, form_page=None):
        token = csrf_from(client, form_page or url)
        return client.post(url, data={"csrf_token": token, **(data or {})})

    return post


def audit_actions() -> list[str]:
    db.session.expire_all()
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))
