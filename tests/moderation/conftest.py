"""Reference data and community workers for the stories of moderating reports."""

import pytest
from sqlalchemy import select

from planvoice.core.extensions import db
from planvoice.demo import load_reference_data
from planvoice.reports.areas import Area, Category
from tests.factories import UserFactory


@pytest.fixture
def areas(plan) -> dict[str, Area]:
    load_reference_data()
    db.session.commit()
    return {a.code: a for a in db.session.scalars(select(Area))}


def category(code: str) -> Category:
    return db.session.scalar(select(Category).where(Category.code == code))


@pytest.fixture
def dongsheng_worker(client, sign_in, areas):
    """A community worker serving Dongsheng street, signed in, reading in English."""
    worker = UserFactory(moderator=True, areas=[areas["dongsheng"]])
    sign_in(worker)
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return worker
