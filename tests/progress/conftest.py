"""The bundled plan's pocket-park target ("打造10个口袋公园"), owned by the urban management
bureau, with a clerk of that bureau and one of another."""

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from planvoice.bureaus.models import Bureau
from planvoice.core.extensions import db
from planvoice.demo import load_reference_data
from planvoice.plans.models import Target
from planvoice.progress import services
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def english_messages(app):
    """Services and commands outside a request speak the default language (Chinese); these
    tests read their messages in English (pages choose theirs from the request)."""
    with force_locale("en"):
        yield


@pytest.fixture
def reference(plan):
    """Bureaus and categories (which suggest the targets' owners)."""
    load_reference_data()
    db.session.commit()


def bureau(code: str) -> Bureau:
    return db.session.scalar(select(Bureau).where(Bureau.code == code))


@pytest.fixture
def parks(reference):
    """The pocket-park target, unowned yet."""
    return db.session.scalar(select(Target).where(Target.subject.contains("口袋公园")))


@pytest.fixture
def owned_parks(parks, admin):
    services.set_tracking(parks, admin=admin, owner=bureau("urban_management"))
    db.session.commit()
    return parks


@pytest.fixture
def clerk(reference):
    return UserFactory(bureau_staff=True, bureau=bureau("urban_management"))


@pytest.fixture
def other_clerk(reference):
    return UserFactory(bureau_staff=True, bureau=bureau("education"))
