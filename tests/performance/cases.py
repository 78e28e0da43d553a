"""Cases with known times for the scorecard's tests: ``make_case`` and the ``places`` fixture
(a plugin of the root conftest, so the API and browser tests have them too)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from planvoice.bureaus.models import Bureau
from planvoice.core.extensions import db
from planvoice.demo import load_reference_data
from planvoice.performance import services
from planvoice.reports.areas import Area, Category
from tests.factories import ReportFactory

LOCAL = ZoneInfo("Asia/Shanghai")


def at(month: int, day: int, hour: int = 10) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=LOCAL)


ROUTED = at(9, 24)


@pytest.fixture
def places(app, plan):
    app.config.update(HOLIDAYS=["2026-09-25"], MAKEUP_WORKDAYS=["2026-09-27"])
    load_reference_data()
    street = db.session.scalar(select(Area).where(Area.code == "dongsheng"))
    community = Area(code="dongsheng-qunying", name="群英社区", kind="community", parent=street)
    db.session.add(community)
    db.session.commit()
    return {"community": community, "other_street": "jilin"}


def make_case(places, bureau_code: str, *steps, street: str | None = None, routed=ROUTED):
    """A report routed at ``routed``, then ``steps``: (step, moment[, satisfaction, solved])."""
    if street is None:
        area = places["community"]
    else:
        area = db.session.scalar(select(Area).where(Area.code == street))
    bureau = db.session.scalar(select(Bureau).where(Bureau.code == bureau_code))
    category = db.session.scalar(select(Category).where(Category.code == "bare_ground"))
    report = ReportFactory(category=category, area=area, published=True)
    case = services.open_case(report, bureau.id, at=routed)
    for step, moment, *answer in steps:
        satisfaction, solved = answer or (None, None)
        services.record_step(case, step, at=moment, satisfaction=satisfaction, solved=solved)
    db.session.commit()
    return case
