"""A canary pair: the first test writes, the second proves it cannot see that write.

If these ever fail together, tests are leaking data into each other.
"""

from sqlalchemy import func, select

from planvoice.core.extensions import db
from planvoice.plans.models import Plan


def test_canary_a_test_writes_a_plan(app):
    db.session.add(Plan(slug="canary", title="金丝雀", intro=""))
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(Plan)) == 1


def test_canary_the_next_test_starts_from_an_empty_database(app):
    assert db.session.scalar(select(func.count()).select_from(Plan)) == 0
