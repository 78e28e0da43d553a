"""What residents say about a measure: comments (one level of replies) and priority ratings."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    and_,
    literal_column,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planvoice.accounts.models import User
from planvoice.core.db import TimestampMixin, UTCDateTime
from planvoice.core.extensions import db
from planvoice.core.i18n import _
from planvoice.plans.models import Measure


class CommentStatus(StrEnum):
    PENDING = "pending"
    PUBLISHED = "published"
    REJECTED = "rejected"
    HIDDEN = "hidden"


class Comment(TimestampMixin, db.Model):
    """A resident's comment on a measure, or a reply to one (never a reply to a reply)."""

    __tablename__ = "comments"
    __table_args__ = (
        CheckConstraint("status IN ('pending', 'published', 'rejected', 'hidden')", name="status"),
        CheckConstraint("user_id IS NOT NULL OR nickname IS NOT NULL", name="has_author"),
        CheckConstraint("flag_count >= 0", name="flag_count"),
        # A measure's published top-level thread in keyset order, oldest first. Partial, so the
        # index walks the page in order: with status and parent_id inside the key instead,
        # PostgreSQL collected and sorted every top-level comment of the measure.
        Index(
            "ix_comments_thread",
            "measure_id",
            "published_at",
            "id",
            sqlite_where=text("status = 'published' AND parent_id IS NULL"),
            postgresql_where=text("status = 'published' AND parent_id IS NULL"),
        ),
        # The moderation queue: pending comments oldest first, flagged ones most flagged first.
        Index("ix_comments_queue", "status", "created_at"),
        Index(
            "ix_comments_flagged",
            "flag_count",
            "created_at",
            sqlite_where=text("status = 'published' AND flag_count > 0"),
            postgresql_where=text("status = 'published' AND flag_count > 0"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("measures.id"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    # Guests sign with a nickname; accounts show their display name.
    nickname: Mapped[str | None] = mapped_column(String(40))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default=CommentStatus.PENDING)
    # Why a moderator rejected or hid it; always shown to the author.
    moderation_reason: Mapped[str | None] = mapped_column(Text)
    moderated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    moderated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    flag_count: Mapped[int] = mapped_column(default=0)
    reply_count: Mapped[int] = mapped_column(default=0)
    # The form's one-time token: a resubmitted form finds the comment it already created.
    submission_token: Mapped[str] = mapped_column(String(64), unique=True)
    # Who wrote it, for "awaiting review" to its author: "user:<id>" or a guest browser's key.
    author_key: Mapped[str] = mapped_column(String(64), index=True)
    # Salted hash of the sender's IP address, never the address itself.
    ip_hash: Mapped[str | None] = mapped_column(String(64))

    measure: Mapped[Measure] = relationship()
    user: Mapped[User | None] = relationship(foreign_keys=[user_id])
    moderated_by: Mapped[User | None] = relationship(foreign_keys=[moderated_by_id])
    parent: Mapped["Comment | None"] = relationship(remote_side=[id])

    @property
    def author_name(self) -> str:
        """The name shown with the comment: an account's name, a guest's nickname, or neither."""
        if self.user is not None:
            if self.user.is_deleted:
                return _("former resident")
            return self.user.display_name or _("Resident")
        return self.nickname or _("Resident")


# The conditions of the partial indexes above, with the values written into the SQL rather than
# bound: SQLite, and PostgreSQL once it reuses a prepared plan, only use a partial index when the
# query repeats its condition with the same constants.
IS_PUBLISHED = Comment.status == literal_column("'published'")
IN_THREAD = and_(IS_PUBLISHED, Comment.parent_id.is_(None))
IS_FLAGGED = and_(IS_PUBLISHED, Comment.flag_count > literal_column("0"))


class CommentFlag(db.Model):
    """A resident's report that a published comment breaks the rules (once each)."""

    __tablename__ = "comment_flags"
    __table_args__ = (UniqueConstraint("comment_id", "flagger_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"))
    flagger_key: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Rating(TimestampMixin, db.Model):
    """How much a measure matters to one resident (an account or a guest browser), 1–5."""

    __tablename__ = "ratings"
    __table_args__ = (
        UniqueConstraint("measure_id", "voter_key"),
        CheckConstraint("value BETWEEN 1 AND 5", name="value"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("measures.id"), index=True)
    voter_key: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    value: Mapped[int]


class RatingSummary(db.Model):
    """The ratings of one measure, kept exact in the same transaction as every vote."""

    __tablename__ = "rating_summaries"
    __table_args__ = (
        CheckConstraint(
            "count >= 0 AND total >= 0 AND n1 >= 0 AND n2 >= 0 AND n3 >= 0 AND n4 >= 0 "
            "AND n5 >= 0 AND count = n1 + n2 + n3 + n4 + n5 "
            "AND total = n1 + 2 * n2 + 3 * n3 + 4 * n4 + 5 * n5",
            name="consistent",
        ),
    )

    measure_id: Mapped[int] = mapped_column(ForeignKey("measures.id"), primary_key=True)
    count: Mapped[int] = mapped_column(default=0)
    total: Mapped[int] = mapped_column(default=0)
    n1: Mapped[int] = mapped_column(default=0)
    n2: Mapped[int] = mapped_column(default=0)
    n3: Mapped[int] = mapped_column(default=0)
    n4: Mapped[int] = mapped_column(default=0)
    n5: Mapped[int] = mapped_column(default=0)

    @staticmethod
    def zero_values(measure_id: int) -> dict:
        """The columns of a measure nobody has rated yet."""
        return {"measure_id": measure_id, "count": 0, "total": 0} | {
            f"n{v}": 0 for v in range(1, 6)
        }

    @property
    def distribution(self) -> dict[str, int]:
        return {str(value): getattr(self, f"n{value}") for value in range(1, 6)}

    @property
    def mean(self) -> float | None:
        return round(self.total / self.count, 2) if self.count else None


class MeasureCommentCount(db.Model):
    """How many published comments (replies included) a measure has, kept exact by
    ``UPDATE … + 1`` in the same transaction as every publication or removal, so a measure
    page never counts a thread of 200,000 comments."""

    __tablename__ = "measure_comment_counts"
    __table_args__ = (CheckConstraint("published_count >= 0", name="published_count"),)

    measure_id: Mapped[int] = mapped_column(
        ForeignKey("measures.id", ondelete="CASCADE"), primary_key=True
    )
    published_count: Mapped[int] = mapped_column(default=0)
