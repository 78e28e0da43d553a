"""What a person follows, and the subjects they asked to hear no more of."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planvoice.core.db import UTCDateTime, utcnow
from planvoice.core.extensions import db
from planvoice.plans.models import Measure
from planvoice.reports.areas import Area
from planvoice.reports.models import Report


class FollowKind(StrEnum):
    MEASURE = "measure"
    REPORT = "report"
    AREA = "area"  # a street, town or community
    PLACE = "place"  # a point and a radius


# A place is a circle of 200 to 2000 metres; a person follows at most five.
MIN_RADIUS_M = 200
MAX_RADIUS_M = 2000
MAX_PLACES = 5


class Follow(db.Model):
    """One person following one subject: by account (``user_id``), or by an e-mail address
    without an account (``email``; nothing is sent until ``confirmed_at``, the double opt-in).

    Ending a follow keeps the row with ``ended_at`` set: it is also how a person who took
    part in a subject (commented, rated) says they want to hear no more of it.
    """

    __tablename__ = "follows"
    __table_args__ = (
        CheckConstraint("kind IN ('measure', 'report', 'area', 'place')", name="kind"),
        CheckConstraint("user_id IS NOT NULL OR email IS NOT NULL", name="has_person"),
        CheckConstraint(
            "(kind = 'measure') = (measure_id IS NOT NULL)"
            " AND (kind = 'report') = (report_id IS NOT NULL)"
            " AND (kind = 'area') = (area_id IS NOT NULL)"
            " AND (kind = 'place') = (lat IS NOT NULL AND lng IS NOT NULL"
            " AND radius_m IS NOT NULL)",
            name="target",
        ),
        CheckConstraint(
            f"radius_m IS NULL OR radius_m BETWEEN {MIN_RADIUS_M} AND {MAX_RADIUS_M}",
            name="radius_m",
        ),
        # Who follows a place near a report: a box query on the live places.
        Index("ix_follows_places", "kind", "lat", "lng"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    kind: Mapped[str] = mapped_column(String(10))
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    # Lower case; only for a person without an account.
    email: Mapped[str | None] = mapped_column(String(254), index=True)
    # The language an e-mail-only follower asked in (an account has its own).
    language: Mapped[str | None] = mapped_column(String(10))
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    measure_id: Mapped[int | None] = mapped_column(
        ForeignKey("measures.id", ondelete="CASCADE"), index=True
    )
    report_id: Mapped[int | None] = mapped_column(
        ForeignKey("reports.id", ondelete="CASCADE"), index=True
    )
    area_id: Mapped[int | None] = mapped_column(
        ForeignKey("areas.id", ondelete="CASCADE"), index=True
    )
    lat: Mapped[float | None]
    lng: Mapped[float | None]
    radius_m: Mapped[int | None]
    # What the person called the place ("home", "my mother's"), for /me/following.
    label: Mapped[str | None] = mapped_column(String(60))

    # By name, not import: accounts reads following (a person's data), not the other way.
    user: Mapped["User | None"] = relationship("User")  # noqa: F821
    measure: Mapped[Measure | None] = relationship()
    report: Mapped[Report | None] = relationship()
    area: Mapped[Area | None] = relationship()

    @property
    def is_live(self) -> bool:
        """Followed now: confirmed and not ended."""
        return self.confirmed_at is not None and self.ended_at is None
