"""How a target is tracked (owner bureau, baseline, weight, the latest entry) and its
append-only history of progress entries."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planvoice.bureaus.models import Bureau
from planvoice.core.db import UTCDateTime, utcnow
from planvoice.core.extensions import db
from planvoice.plans.models import Target


class TargetTracking(db.Model):
    """One row per tracked target: what an administrator set (owner, baseline, weight) and the
    latest current entry, kept by ``services.record_progress`` in the same transaction, so the
    progress pages read one row per target instead of every entry."""

    __tablename__ = "target_tracking"
    __table_args__ = (CheckConstraint("weight IS NULL OR weight >= 0", name="weight"),)

    target_id: Mapped[int] = mapped_column(
        ForeignKey("targets.id", ondelete="CASCADE"), primary_key=True
    )
    owner_bureau_id: Mapped[int | None] = mapped_column(ForeignKey("bureaus.id"), index=True)
    baseline_value: Mapped[Decimal | None] = mapped_column(Numeric(14, 4))
    baseline_date: Mapped[date | None]
    # The target's share of its measure's progress; None everywhere in a measure: the mean.
    weight: Mapped[Decimal | None] = mapped_column(Numeric(8, 4))
    # The newest entry that no later entry supersedes (None before the first).
    latest_entry_id: Mapped[int | None] = mapped_column(ForeignKey("progress_entries.id"))

    target: Mapped[Target] = relationship()
    owner: Mapped[Bureau | None] = relationship()
    latest_entry: Mapped["ProgressEntry | None"] = relationship(foreign_keys=[latest_entry_id])


class ProgressEntry(db.Model):
    """A value reached on a date, recorded by the owner bureau's staff or an administrator.
    Never edited or deleted: a correction is a new entry that ``supersedes`` one."""

    __tablename__ = "progress_entries"
    __table_args__ = (
        CheckConstraint(
            "evidence_url IS NULL OR evidence_url LIKE 'https://%'", name="evidence_https"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # No cascade: a target's public history outlives nothing that could delete it silently.
    target_id: Mapped[int] = mapped_column(ForeignKey("targets.id"), index=True)
    on: Mapped[date]
    value: Mapped[Decimal] = mapped_column(Numeric(14, 4))
    note: Mapped[str] = mapped_column(Text, default="")
    evidence_url: Mapped[str | None] = mapped_column(String(2000))
    # A photo through the report photo pipeline (re-encoded, EXIF stripped).
    photo_path: Mapped[str | None] = mapped_column(String(80), unique=True)
    thumbnail_path: Mapped[str | None] = mapped_column(String(80), unique=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    # The bureau the author spoke for (None for an administrator acting for none).
    bureau_id: Mapped[int | None] = mapped_column(ForeignKey("bureaus.id"))
    supersedes_id: Mapped[int | None] = mapped_column(
        ForeignKey("progress_entries.id"), unique=True
    )
    # A digest of an uploaded row (target, date, value, note): the same file uploaded again
    # finds its rows here and adds nothing.
    upload_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    target: Mapped[Target] = relationship()
    author = relationship("User")
    bureau: Mapped[Bureau | None] = relationship()
    supersedes: Mapped["ProgressEntry | None"] = relationship(remote_side=[id])
