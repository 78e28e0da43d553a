"""An administrator sets the time limits and keeps the calendar of holidays."""

from datetime import date, timedelta

from sqlalchemy import func, select

from planvoice.bureaus.models import CalendarDay, TimeLimitSettings
from planvoice.core.extensions import db
from tests.admin.conftest import audit_actions


def _next(weekday: int) -> date:
    """The next date (after today) falling on ``weekday`` (0 Monday … 6 Sunday)."""
    day = date.today() + timedelta(days=1)
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def test_the_configured_limits_show_until_saved(client, signed_in_admin):
    page = client.get("/admin/time-limits").text
    assert 'name="accept_days" type="number" value="1"' in page
    assert 'name="resolve_days" type="number" value="15"' in page


def test_time_limits_are_saved_and_read_back(client, signed_in_admin, submit):
    data = {"accept_days": "2", "reply_days": "5", "resolve_days": "20"}
    assert submit("/admin/time-limits", data).status_code == 302
    settings = db.session.get(TimeLimitSettings, 1)
    assert (settings.accept_days, settings.reply_days, settings.resolve_days) == (2, 5, 20)
    assert 'name="resolve_days" type="number" value="20"' in client.get("/admin/time-limits").text
    assert audit_actions() == ["time_limits.update"]


def test_impossible_time_limits_are_refused(client, signed_in_admin, submit):
    response = submit("/admin/time-limits", {"accept_days": "-1", "reply_days": "x",
                                             "resolve_days": "15"})  # fmt: skip
    assert response.status_code == 422
    assert "Enter a whole number of working days from 0 to 365." in response.text
    response = submit("/admin/time-limits", {"accept_days": "9", "reply_days": "3",
                                             "resolve_days": "5"})  # fmt: skip
    assert "Resolving cannot be due before accepting" in response.text
    assert db.session.get(TimeLimitSettings, 1) is None


def test_a_holiday_and_a_make_up_day_are_added_and_removed(client, signed_in_admin, submit):
    holiday, saturday = _next(2), _next(5)
    form = "/admin/time-limits"
    response = submit("/admin/calendar", {"day": holiday.isoformat(), "kind": "holiday",
                                          "name": "国庆节"}, form_page=form)  # fmt: skip
    assert response.status_code == 302
    response = submit("/admin/calendar", {"day": saturday.isoformat(), "kind": "workday",
                                          "name": "调休"}, form_page=form)  # fmt: skip
    assert response.status_code == 302
    page = client.get(form).text
    assert "国庆节" in page and "make-up working day" in page
    assert db.session.get(CalendarDay, saturday).is_workday is True
    url = f"/admin/calendar/{holiday.isoformat()}/delete"
    assert submit(url, form_page=form).status_code == 302
    db.session.expire_all()
    assert db.session.get(CalendarDay, holiday) is None
    assert audit_actions() == ["calendar.add", "calendar.add", "calendar.delete"]


def test_calendar_days_that_make_no_sense_are_refused(client, signed_in_admin, submit):
    form = "/admin/time-limits"
    response = submit("/admin/calendar", {"day": _next(1).isoformat(), "kind": "workday"},
                      form_page=form)  # fmt: skip
    assert response.status_code == 422
    assert "A make-up working day must be a Saturday or a Sunday." in response.text
    response = submit("/admin/calendar", {"day": _next(6).isoformat(), "kind": "holiday"},
                      form_page=form)  # fmt: skip
    assert "nobody works then anyway" in response.text
    response = submit("/admin/calendar", {"day": "31/12/2026", "kind": "holiday"},
                      form_page=form)  # fmt: skip
    assert response.status_code == 422
    assert db.session.scalar(select(func.count()).select_from(CalendarDay)) == 0


def test_a_day_is_listed_once(client, signed_in_admin, submit):
    data = {"day": _next(3).isoformat(), "kind": "holiday"}
    assert submit("/admin/calendar", data, form_page="/admin/time-limits").status_code == 302
    response = submit("/admin/calendar", data, form_page="/admin/time-limits")
    assert "is already in the calendar" in response.text
