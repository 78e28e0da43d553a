"""``flask performance …`` and the outbox worker's monthly close."""

from datetime import UTC, datetime

from sqlalchemy import func, select

from planvoice.core.audit import AuditEvent
from planvoice.core.extensions import db
from planvoice.demo import AREAS, BUREAUS
from planvoice.performance import services
from planvoice.performance.models import ClosedMonth, MonthlyResult
from tests.factories import UserFactory
from tests.performance.cases import at, make_case


def _stored(month: str) -> int:
    return db.session.scalar(
        select(func.count()).select_from(MonthlyResult).where(MonthlyResult.month == month)
    )


def test_close_month_stores_every_bureau_and_street_once(runner, places):
    make_case(places, "urban_management", ("accepted", at(9, 25)))
    first = runner.invoke(args=["performance", "close-month", "--month", "2026-09"])
    assert first.exit_code == 0 and "Stored 2026-09." in first.output
    stored = _stored("2026-09")
    assert stored == len(BUREAUS) + len(AREAS)  # every bureau, street and town
    again = runner.invoke(args=["performance", "close-month", "--month", "2026-09"])
    assert again.exit_code == 0 and "Nothing to store" in again.output
    assert _stored("2026-09") == stored


def test_close_month_refuses_a_month_not_ended_or_not_a_month(runner, places):
    future = runner.invoke(args=["performance", "close-month", "--month", "2099-01"])
    assert future.exit_code != 0 and "has not ended" in future.output
    wrong = runner.invoke(args=["performance", "close-month", "--month", "September"])
    assert wrong.exit_code != 0 and "YYYY-MM" in wrong.output
    assert db.session.scalar(select(func.count()).select_from(ClosedMonth)) == 0


def test_since_stores_each_ended_month(runner, places):
    result = runner.invoke(args=["performance", "close-month", "--since", "2026-08"])
    assert result.exit_code == 0
    closed = set(db.session.scalars(select(ClosedMonth.month)))
    assert {"2026-08", "2026-09", "2026-10"} <= closed


def test_correct_month_needs_an_administrator_and_writes_the_audit_log(runner, places):
    case = make_case(places, "urban_management", ("accepted", at(9, 25)),
                     ("resolved", at(9, 28)))  # fmt: skip
    services.close_month("2026-09")
    services.record_step(case, "closed", at=at(12, 1), satisfaction="satisfied", solved=True)
    db.session.commit()
    clerk = UserFactory(bureau_staff=True)
    refused = runner.invoke(args=["performance", "correct-month", "--month", "2026-09",
                                  "--reason", "迟到的回访", "--admin", clerk.email])  # fmt: skip
    assert refused.exit_code != 0 and "not an administrator" in refused.output
    admin = UserFactory(admin=True)
    done = runner.invoke(args=["performance", "correct-month", "--month", "2026-09",
                               "--reason", "迟到的回访", "--admin", admin.email])  # fmt: skip
    assert done.exit_code == 0 and "2 rows of 2026-09 corrected." in done.output
    audited = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "performance.correct_month")
    ).all()
    assert len(audited) == 2 and {a.note for a in audited} == {"迟到的回访"}


def test_a_month_is_due_on_the_first_working_day_after_it(app, places):
    app.config.update(HOLIDAYS=["2026-10-01", "2026-10-02"])
    # 1 and 2 October are holidays, 3 and 4 a weekend: September is due on Monday 5.
    assert services.month_due_for_closing(datetime(2026, 10, 4, 12, tzinfo=UTC)) is None
    assert services.month_due_for_closing(datetime(2026, 10, 5, 2, tzinfo=UTC)) == "2026-09"
    services.close_month("2026-09")
    assert services.month_due_for_closing(datetime(2026, 10, 5, 2, tzinfo=UTC)) is None


def test_the_outbox_worker_stores_last_month_once_it_is_due(runner, places):
    due = services.month_due_for_closing()
    result = runner.invoke(args=["outbox", "run", "--once"])
    assert result.exit_code == 0
    if due is not None:  # today is on or after this month's first working day
        assert db.session.get(ClosedMonth, due) is not None
