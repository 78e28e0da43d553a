"""Time limits as administrators set them in the app, and the overdue flags readers see."""

from datetime import UTC, date, datetime, timedelta

import pytest
from flask import g

from planvoice.bureaus.models import CalendarDay, TimeLimitSettings
from planvoice.bureaus.queries import deadlines_of
from planvoice.core.db import utcnow
from planvoice.core.extensions import db
from tests.factories import ReportFactory
from tests.moderation.conftest import areas, category  # noqa: F401  (fixture)

# Routed on Friday 2026-11-27 at 16:00 in Changchun (08:00 UTC).
FRIDAY = datetime(2026, 11, 27, 8, tzinfo=UTC)


def _end_of_local_day(year, month, day):
    return datetime(year, month, day, 15, 59, 59, 999999, tzinfo=UTC)


@pytest.fixture
def routed(areas):  # noqa: F811
    bare = category("bare_ground")
    return ReportFactory(category=bare, area=areas["dongsheng"], bureau=bare.default_bureau,
                         status="routed", routed_at=FRIDAY, published_at=FRIDAY)  # fmt: skip


def _fresh_deadlines(report):
    g.pop("working_rules_of", None)  # as a new request would read them
    return deadlines_of(report, now=FRIDAY)


def test_time_limits_set_by_an_administrator_replace_the_configured_ones(app, routed):
    assert _fresh_deadlines(routed).due.accept_by == _end_of_local_day(2026, 11, 30)
    db.session.add(TimeLimitSettings(accept_days=2, reply_days=4, resolve_days=10))
    db.session.commit()
    due = _fresh_deadlines(routed).due
    assert due.accept_by == _end_of_local_day(2026, 12, 1)  # Tuesday
    assert due.reply_by == _end_of_local_day(2026, 12, 3)
    assert due.resolve_by == _end_of_local_day(2026, 12, 11)


def test_holidays_and_make_up_days_set_in_the_app_move_deadlines(app, routed):
    db.session.add(CalendarDay(day=date(2026, 11, 30), is_workday=False, name="Test holiday"))
    db.session.commit()
    assert _fresh_deadlines(routed).due.accept_by == _end_of_local_day(2026, 12, 1)
    # The Saturday after routing is worked instead: it is the next working day.
    db.session.add(CalendarDay(day=date(2026, 11, 28), is_workday=True, name="Make-up day"))
    db.session.commit()
    assert _fresh_deadlines(routed).due.accept_by == _end_of_local_day(2026, 11, 28)


def test_a_day_set_in_the_app_overrides_the_configuration(app, routed):
    app.config["HOLIDAYS"] = ["2026-11-30"]
    assert _fresh_deadlines(routed).due.accept_by == _end_of_local_day(2026, 12, 1)
    db.session.add(CalendarDay(day=date(2026, 11, 30), is_workday=True, name="Worked after all"))
    db.session.commit()
    assert _fresh_deadlines(routed).due.accept_by == _end_of_local_day(2026, 11, 30)


def test_a_bureau_that_has_not_replied_in_time_is_flagged_on_the_public_page(
    client, english, routed
):
    long_ago = utcnow() - timedelta(days=30)
    routed.status, routed.routed_at, routed.accepted_at = "accepted", long_ago, long_ago
    db.session.commit()
    page = client.get(f"/reports/{routed.code}").text
    assert "Overdue: the bureau has not replied in public in time." in page
    assert "Overdue: the bureau has not accepted it in time." not in page

    routed.first_reply_at = long_ago + timedelta(days=1)
    db.session.commit()
    g.pop("working_rules_of", None)
    replied = deadlines_of(routed)
    assert not replied.reply_overdue and replied.resolve_overdue


def test_a_resolved_report_is_never_overdue(app, routed):
    routed.status, routed.routed_at = "resolved", utcnow() - timedelta(days=60)
    db.session.commit()
    assert not _fresh_deadlines(routed).is_overdue
