"""Cases (one routing of a report to one bureau, with its clocks and outcome) and the stored
monthly results of the scorecard."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planvoice.bureaus.models import Bureau
from planvoice.core.db import UTCDateTime, utcnow
from planvoice.core.extensions import db
from planvoice.reports.areas import Area
from planvoice.reports.models import Report


class Case(db.Model):
    """One routing of a report to a bureau. Written when the report is routed and kept up to
    date by the receivers of the report signals (``services``), in the same transaction as
    each step, so the scorecard reads these rows and never walks the timelines."""

    __tablename__ = "cases"
    __table_args__ = (
        Index("ix_cases_bureau_id_routed_at", "bureau_id", "routed_at"),
        Index("ix_cases_area_id_routed_at", "area_id", "routed_at"),
        # The few cases whose figures still depend on the clock (see ``is_pending``).
        Index("ix_cases_pending", "is_pending", "routed_at"),
        # A window of the last N days counts the cases of its first, partial month directly.
        Index("ix_cases_routed_at", "routed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    bureau_id: Mapped[int] = mapped_column(ForeignKey("bureaus.id"))
    # The street or town (never the community) where the report was, at routing.
    area_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id"))
    routed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # The time limits as they stood at routing, so a later change of the rules never moves a
    # case that was already counted.
    accept_by: Mapped[datetime] = mapped_column(UTCDateTime)
    reply_by: Mapped[datetime] = mapped_column(UTCDateTime)
    resolve_by: Mapped[datetime] = mapped_column(UTCDateTime)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    returned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    first_reply_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    first_resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Working days from routing to each of those moments (the local calendar at the time),
    # so medians are read from counts grouped in SQL instead of a calendar walk per case.
    days_to_accept: Mapped[int | None]
    days_to_reply: Mapped[int | None]
    days_to_resolve: Mapped[int | None]
    reopen_count: Mapped[int] = mapped_column(default=0)
    # The bureau still holds the report (routed, accepted, in progress, reopened).
    is_open: Mapped[bool] = mapped_column(default=True)
    # Still open, or neither returned nor resolved: a time limit may yet pass unmet, so
    # ``services.mark_passed_limits`` looks at these; every other case is settled.
    is_pending: Mapped[bool] = mapped_column(default=True)
    # Which time limits the clock has passed, as ``mark_passed_limits`` last saw it (the
    # outbox worker runs it every few seconds): a limit passing with nothing done then changes
    # the monthly counts by delta like any step, so the scorecard reads no case at all.
    accept_by_passed: Mapped[bool] = mapped_column(default=False, server_default=false())
    reply_by_passed: Mapped[bool] = mapped_column(default=False, server_default=false())
    resolve_by_passed: Mapped[bool] = mapped_column(default=False, server_default=false())
    # The latest resident answer on this case's fix.
    satisfaction: Mapped[str | None] = mapped_column(String(20))
    solved: Mapped[bool | None]
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    report: Mapped[Report] = relationship()
    bureau: Mapped[Bureau] = relationship()
    area: Mapped[Area | None] = relationship()


#: The counts ``CaseMonthCount`` keeps per month and bureau (or street): what a case adds
#: depends only on the case (the clock's part through its ``*_passed`` flags), so they are
#: kept step by step (``services``).
COUNTS = (
    "cases",
    "responded",
    "response_ok",
    "replied",
    "reply_ok",
    "resolved_unreturned",
    "resolution_ok",
    "answers",
    "solved",
    "satisfied",
    "basically_satisfied",
    "not_satisfied",
    "resolved",
    "reopened",
    # What the clock added (``Case.*_passed``): a limit passed with its step not done.
    "late_response",
    "late_reply",
    "late_resolution",
    # Open and past a time limit with its step not done.
    "overdue",
)


class CaseMonthCount(db.Model):
    """What the cases routed in one month add up to, for one bureau or one street (``key``
    is its id), kept in the same transaction as each step."""

    __tablename__ = "case_month_counts"
    __table_args__ = (UniqueConstraint("month", "group", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[str] = mapped_column(String(7))
    group: Mapped[str] = mapped_column(String(10))
    key: Mapped[int]
    cases: Mapped[int] = mapped_column(default=0)
    responded: Mapped[int] = mapped_column(default=0)
    response_ok: Mapped[int] = mapped_column(default=0)
    replied: Mapped[int] = mapped_column(default=0)
    reply_ok: Mapped[int] = mapped_column(default=0)
    resolved_unreturned: Mapped[int] = mapped_column(default=0)
    resolution_ok: Mapped[int] = mapped_column(default=0)
    answers: Mapped[int] = mapped_column(default=0)
    solved: Mapped[int] = mapped_column(default=0)
    satisfied: Mapped[int] = mapped_column(default=0)
    basically_satisfied: Mapped[int] = mapped_column(default=0)
    not_satisfied: Mapped[int] = mapped_column(default=0)
    resolved: Mapped[int] = mapped_column(default=0)
    reopened: Mapped[int] = mapped_column(default=0)
    late_response: Mapped[int] = mapped_column(default=0, server_default="0")
    late_reply: Mapped[int] = mapped_column(default=0, server_default="0")
    late_resolution: Mapped[int] = mapped_column(default=0, server_default="0")
    overdue: Mapped[int] = mapped_column(default=0, server_default="0")


class CaseMonthDays(db.Model):
    """How many cases of one month and bureau (or street) took ``days`` working days to
    reach ``step`` (accept, reply, resolve): the medians are read from these counts."""

    __tablename__ = "case_month_days"
    __table_args__ = (UniqueConstraint("month", "group", "key", "step", "days"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[str] = mapped_column(String(7))
    group: Mapped[str] = mapped_column(String(10))
    key: Mapped[int]
    step: Mapped[str] = mapped_column(String(7))
    days: Mapped[int]
    n: Mapped[int] = mapped_column(default=0)


class ClosedMonth(db.Model):
    """A calendar month whose results were computed and stored (once: closing it again does
    nothing)."""

    __tablename__ = "performance_closed_months"

    month: Mapped[str] = mapped_column(String(7), primary_key=True)  # "2026-11"
    closed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class MonthlyResult(db.Model):
    """The scorecard row of one bureau or street for one closed month. Never updated: a
    correction is a new version with a reason, by a named administrator, and the page shows
    the highest version."""

    __tablename__ = "performance_months"
    __table_args__ = (UniqueConstraint("month", "group", "code", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[str] = mapped_column(String(7), index=True)
    group: Mapped[str] = mapped_column(String(10))  # "bureau" or "area"
    code: Mapped[str] = mapped_column(String(40))
    version: Mapped[int] = mapped_column(default=1)
    # The row as ``/api/v1/performance`` gives it (rates, medians, n).
    figures: Mapped[dict] = mapped_column(JSON)
    reason: Mapped[str | None] = mapped_column(Text)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
