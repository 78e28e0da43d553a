"""Local problems residents report: the reports themselves, their photos, the residents who
support them, their public timeline, satisfaction answers, internal notes and counts. Where
(areas) and what (categories) are in ``reports.areas``."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planvoice.bureaus.models import Bureau
from planvoice.core.db import TimestampMixin, UTCDateTime, utcnow
from planvoice.core.extensions import db
from planvoice.core.i18n import _l
from planvoice.plans.models import Measure
from planvoice.reports.areas import Area, Category


class ReportStatus(StrEnum):
    SUBMITTED = "submitted"
    PUBLISHED = "published"
    ROUTED = "routed"
    ACCEPTED = "accepted"
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"
    CLOSED = "closed"
    RETURNED = "returned"
    REJECTED = "rejected"
    DUPLICATE = "duplicate"
    REOPENED = "reopened"


STATUS_LABELS = {
    ReportStatus.SUBMITTED: _l("awaiting review"),
    ReportStatus.PUBLISHED: _l("published"),
    ReportStatus.ROUTED: _l("sent to a bureau"),
    ReportStatus.ACCEPTED: _l("accepted by the bureau"),
    ReportStatus.IN_PROGRESS: _l("being fixed"),
    ReportStatus.RESOLVED: _l("resolved"),
    ReportStatus.CLOSED: _l("closed"),
    ReportStatus.RETURNED: _l("returned by the bureau"),
    ReportStatus.REJECTED: _l("not accepted"),
    ReportStatus.DUPLICATE: _l("duplicate"),
    ReportStatus.REOPENED: _l("reopened"),
}
SATISFACTION_LABELS = {
    "satisfied": _l("Satisfied"),
    "basically_satisfied": _l("Basically satisfied"),
    "not_satisfied": _l("Not satisfied"),
}
SOLVED_LABELS = {True: _l("The problem is solved"), False: _l("The problem is not solved")}


class AnswerChannel(StrEnum):
    """How a resident's answer on a fix reached PlanVoice."""

    ACCOUNT = "account"  # signed in as the reporter
    BROWSER = "browser"  # the guest browser that filed the report
    LINK = "link"  # the signed link in the "resolved" e-mail
    PHONE = "phone"  # a community worker's call-back, recorded by them


CHANNEL_LABELS = {
    AnswerChannel.ACCOUNT: _l("the reporter's account"),
    AnswerChannel.BROWSER: _l("the browser it was reported from"),
    AnswerChannel.LINK: _l("the link in the e-mail"),
    AnswerChannel.PHONE: _l("a call-back recorded by the community"),
}


# Steps of a timeline that are not statuses, or read differently there.
REPLY = "replied"
EVENT_LABELS = {ReportStatus.SUBMITTED: _l("report received"), REPLY: _l("public reply")}
# Everyone may read a report in any state but these two; in them, only its author and staff.
PRIVATE_STATUSES = (ReportStatus.SUBMITTED, ReportStatus.REJECTED)
PUBLIC_STATUSES = tuple(s for s in ReportStatus if s not in PRIVATE_STATUSES)
# A community worker may send a report to a bureau from these (again, after a return).
ROUTABLE_STATUSES = ("published", "returned")
# Still waiting for a fix: new reports of the same problem should support these instead.
OPEN_STATUSES = ("published", "routed", "accepted", "in_progress", "returned", "reopened")
# A bureau holds the report (its time limits run) in these.
HELD_BY_BUREAU = ("routed", "accepted", "in_progress", "reopened")


def public_point(lat: float | None, lng: float | None) -> tuple[float, float] | None:
    """A point rounded to three decimals (about 100 m), as public pages show it."""
    if lat is None or lng is None:
        return None
    return round(lat, 3), round(lng, 3)


def status_label(status: str) -> str:
    """A report status in the reader's language."""
    return str(STATUS_LABELS[ReportStatus(status)])


class Report(TimestampMixin, db.Model):
    """A local problem reported by a resident, followed by its public tracking code."""

    __tablename__ = "reports"
    __table_args__ = (
        CheckConstraint(
            "status IN (" + ", ".join(f"'{s}'" for s in ReportStatus) + ")", name="status"
        ),
        CheckConstraint("(lat IS NULL) = (lng IS NULL)", name="whole_point"),
        CheckConstraint("area_id IS NOT NULL OR lat IS NOT NULL", name="has_place"),
        CheckConstraint("support_count >= 0", name="support_count"),
        CheckConstraint("return_count >= 0", name="return_count"),
        CheckConstraint("reopen_count >= 0", name="reopen_count"),
        CheckConstraint(
            "satisfaction IN ('satisfied', 'basically_satisfied', 'not_satisfied')",
            name="satisfaction",
        ),
        # Listings walk these newest first and skip the few rows that are not public; an
        # index led by the status would make them sort every public report instead.
        Index("ix_reports_status", "status", "id"),
        Index("ix_reports_category", "category_id", "id"),
        Index("ix_reports_area", "area_id", "id"),
        Index("ix_reports_measure", "measure_id", "id"),
        # Open reports of a category near a point (a latitude band, then the distance).
        Index("ix_reports_nearby", "category_id", "lat"),
        # Open311 lists the requests of a date range, newest first.
        Index("ix_reports_created_at", "created_at"),
        # The bureau inbox's tabs: a bureau's reports of one status, oldest routing first.
        Index("ix_reports_inbox", "bureau_id", "status", "routed_at", "id"),
        # The community workers' queue: reports of one status, oldest first.
        Index("ix_reports_queue", "status", "created_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id"))
    measure_id: Mapped[int | None] = mapped_column(ForeignKey("measures.id"))
    description: Mapped[str] = mapped_column(Text)
    area_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id"))
    address: Mapped[str | None] = mapped_column(String(200))
    # WGS84, as the phone gave it; public pages show it rounded (see ``public_point``).
    lat: Mapped[float | None]
    lng: Mapped[float | None]
    status: Mapped[str] = mapped_column(String(12), default=ReportStatus.SUBMITTED)
    # Why a moderator refused it; always shown to its author.
    moderation_reason: Mapped[str | None] = mapped_column(Text)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Private: seen only by moderators and the bureau the report is routed to.
    reporter_name: Mapped[str | None] = mapped_column(String(40))
    contact: Mapped[str | None] = mapped_column(String(254))
    # The language the resident wrote in: e-mails about the report are sent in it.
    language: Mapped[str | None] = mapped_column(String(10))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    # "user:<id>" or a guest browser's key: who may see it before it is published.
    author_key: Mapped[str] = mapped_column(String(64), index=True)
    # The form's one-time token: a resubmitted form finds the report it already created.
    submission_token: Mapped[str] = mapped_column(String(64), unique=True)
    ip_hash: Mapped[str | None] = mapped_column(String(64))
    support_count: Mapped[int] = mapped_column(default=0)
    # The bureau it is routed to, and when: the time limits count from that moment.
    bureau_id: Mapped[int | None] = mapped_column(ForeignKey("bureaus.id"), index=True)
    routed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # What the bureau did and when, against its time limits.
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    first_reply_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # How often bureaus sent it back: counted against the routing, and public.
    return_count: Mapped[int] = mapped_column(default=0)
    # The resident's word on the latest fix, and how often a fix did not satisfy them.
    satisfaction: Mapped[str | None] = mapped_column(String(20))
    # The 12345 hotline's other question: was the problem solved (None: not answered yet)?
    solved: Mapped[bool | None]
    reopen_count: Mapped[int] = mapped_column(default=0)
    # Marked by a moderator as the same problem as an earlier report (status "duplicate").
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("reports.id"), index=True)
    # The text as the resident wrote it, kept for administrators only once a moderator has
    # redacted personal data from ``description``.
    original_description: Mapped[str | None] = mapped_column(Text)
    # A photo or video a client app filed through Open311 holds elsewhere: kept as given
    # (http or https only) and shown as a link; the server never fetches it.
    media_url: Mapped[str | None] = mapped_column(String(2000))

    duplicate_of: Mapped["Report | None"] = relationship(remote_side=[id])
    category: Mapped[Category] = relationship()
    bureau: Mapped[Bureau | None] = relationship()
    measure: Mapped[Measure | None] = relationship()
    area: Mapped[Area | None] = relationship()
    photos: Mapped[list["ReportPhoto"]] = relationship(
        order_by="ReportPhoto.position", cascade="all, delete-orphan"
    )
    events: Mapped[list["ReportEvent"]] = relationship(
        order_by="ReportEvent.id", cascade="all, delete-orphan"
    )

    @property
    def status_label(self) -> str:
        return status_label(self.status)

    @property
    def before_photos(self) -> list["ReportPhoto"]:
        return [photo for photo in self.photos if not photo.is_after]

    @property
    def after_photos(self) -> list["ReportPhoto"]:
        return [photo for photo in self.photos if photo.is_after]

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_STATUSES

    @property
    def public_point(self) -> tuple[float, float] | None:
        return public_point(self.lat, self.lng)


class ReportPhoto(db.Model):
    """A re-encoded photo (metadata stripped) and its thumbnail, under ``UPLOAD_FOLDER``."""

    __tablename__ = "report_photos"
    __table_args__ = (UniqueConstraint("report_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"))
    position: Mapped[int]
    path: Mapped[str] = mapped_column(String(80), unique=True)
    thumbnail_path: Mapped[str] = mapped_column(String(80), unique=True)
    width: Mapped[int]
    height: Mapped[int]
    # Taken by the bureau when it resolved the report ("after"), not by the resident.
    is_after: Mapped[bool] = mapped_column(default=False)
    # The photo before a moderator redacted personal data from it (faces, plates, house
    # numbers): kept for administrators only; ``path`` and the thumbnail show the redacted one.
    original_path: Mapped[str | None] = mapped_column(String(80), unique=True)


class DraftPhoto(db.Model):
    """A photo sent with a report form that came back (the place checked, a field refused),
    kept so the resident need not choose it again: re-encoded and stored like a report's
    photo, found by the form's random ``draft_key`` and only for the browser that sent it.
    Submitting the report moves it there; otherwise ``drafts.sweep_draft_photos`` removes it
    after ``drafts.DRAFT_PHOTO_HOURS``."""

    __tablename__ = "draft_photos"

    id: Mapped[int] = mapped_column(primary_key=True)
    draft_key: Mapped[str] = mapped_column(String(43), index=True)
    author_key: Mapped[str] = mapped_column(String(64))
    path: Mapped[str] = mapped_column(String(80), unique=True)
    thumbnail_path: Mapped[str] = mapped_column(String(80), unique=True)
    width: Mapped[int]
    height: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class ReportSupport(db.Model):
    """A resident saying "me too" about an open report (once each)."""

    __tablename__ = "report_supports"
    __table_args__ = (UniqueConstraint("report_id", "supporter_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"))
    supporter_key: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Where the supporter wants to hear of each public step, and in which language (optional).
    email: Mapped[str | None] = mapped_column(String(254))
    language: Mapped[str | None] = mapped_column(String(10))


class ReportEvent(db.Model):
    """A step of a report's public timeline (submitted, published, …), with a public note."""

    __tablename__ = "report_events"
    __table_args__ = (
        # Which reports a bureau returned (the inbox's "returned by us" tab).
        Index(
            "ix_report_events_returned",
            "bureau_id",
            "report_id",
            sqlite_where=text("status = 'returned'"),
            postgresql_where=text("status = 'returned'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(12))
    note: Mapped[str | None] = mapped_column(Text)
    # For "routed": the bureau it went to.
    bureau_id: Mapped[int | None] = mapped_column(ForeignKey("bureaus.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    bureau: Mapped[Bureau | None] = relationship()
    # For "closed" and "reopened" after a fix: the resident's answer that made the step.
    answer: Mapped["SatisfactionAnswer | None"] = relationship(back_populates="event")

    @property
    def status_label(self) -> str:
        return str(EVENT_LABELS.get(self.status) or STATUS_LABELS[ReportStatus(self.status)])


class SatisfactionAnswer(db.Model):
    """A resident's answer on one fix by one bureau: kept for each resolution (a report that
    is reopened and resolved again gets another), with how it came and who recorded it."""

    __tablename__ = "satisfaction_answers"
    __table_args__ = (
        CheckConstraint(
            "satisfaction IN ('satisfied', 'basically_satisfied', 'not_satisfied')",
            name="satisfaction",
        ),
        CheckConstraint(
            "channel IN (" + ", ".join(f"'{c}'" for c in AnswerChannel) + ")", name="channel"
        ),
        # A call-back is recorded by a named community worker; the other channels by nobody.
        CheckConstraint(
            "(channel = 'phone') = (recorded_by_id IS NOT NULL)", name="phone_recorded_by"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    # The timeline step the answer made (closed or reopened): one answer per step.
    event_id: Mapped[int] = mapped_column(
        ForeignKey("report_events.id", ondelete="CASCADE"), unique=True
    )
    # The bureau whose fix was judged, as it was when the resident answered.
    bureau_id: Mapped[int | None] = mapped_column(ForeignKey("bureaus.id"), index=True)
    satisfaction: Mapped[str] = mapped_column(String(20))
    solved: Mapped[bool]
    channel: Mapped[str] = mapped_column(String(10))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    event: Mapped[ReportEvent] = relationship(back_populates="answer")

    @property
    def by_phone(self) -> bool:
        return self.channel == AnswerChannel.PHONE


class ReportNote(db.Model):
    """An internal note on a report: read by community workers and the bureau handling it,
    never shown to the public or the reporter."""

    __tablename__ = "report_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    author = relationship("User")


class MeasureReportCount(db.Model):
    """How many public reports concern a measure, kept exact by ``UPDATE … + 1`` in the same
    transaction as every change of a report into or out of the public statuses, so measure
    pages never count thousands of rows."""

    __tablename__ = "measure_report_counts"
    __table_args__ = (CheckConstraint("public_count >= 0", name="public_count"),)

    measure_id: Mapped[int] = mapped_column(
        ForeignKey("measures.id", ondelete="CASCADE"), primary_key=True
    )
    public_count: Mapped[int] = mapped_column(default=0)


class BureauReportCount(db.Model):
    """How many reports a bureau holds in each status, kept exact by ``UPDATE … + 1`` in the
    same transaction as every step of a report (``services.transition``), so the inbox's tab
    counts are a few rows read rather than a count over the bureau's tens of thousands."""

    __tablename__ = "bureau_report_counts"
    __table_args__ = (CheckConstraint("report_count >= 0", name="report_count"),)

    bureau_id: Mapped[int] = mapped_column(
        ForeignKey("bureaus.id", ondelete="CASCADE"), primary_key=True
    )
    status: Mapped[str] = mapped_column(String(12), primary_key=True)
    report_count: Mapped[int] = mapped_column(default=0)
