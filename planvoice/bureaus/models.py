"""The district's bureaus (职能部门) that answer residents."""

from datetime import date

from flask_babel import get_locale
from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planvoice.core.db import TimestampMixin
from planvoice.core.extensions import db


class Bureau(db.Model):
    __tablename__ = "bureaus"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stable lowercase words (``urban_management``): other software relies on them.
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(100), default="")
    # Where routed reports are announced (through the outbox); none means nobody is told.
    email: Mapped[str | None] = mapped_column(String(254))

    @property
    def display_name(self) -> str:
        """The name in the reader's language (Chinese when no English name is known)."""
        return self.name_en if self.name_en and str(get_locale()) == "en" else self.name


class ReplyTemplate(TimestampMixin, db.Model):
    """A bureau's prepared reply (short name and text) that its staff insert into a public
    answer or a resolution note, and may edit there before sending."""

    __tablename__ = "reply_templates"
    # Staff pick a reply by its short name, so no two of one bureau share it (the index also
    # serves the lookup of a bureau's replies).
    __table_args__ = (UniqueConstraint("bureau_id", "title"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    bureau_id: Mapped[int] = mapped_column(ForeignKey("bureaus.id"))
    title: Mapped[str] = mapped_column(String(80))
    # Copied into the answer when chosen, so editing a template never rewrites past answers.
    body: Mapped[str] = mapped_column(Text)
    # The bureau's own order, kept as staff added them.
    position: Mapped[int] = mapped_column(default=0)

    bureau: Mapped[Bureau] = relationship()


class TimeLimitSettings(db.Model):
    """The time limits administrators set, in working days from routing (one row; without it
    the configuration's ``TIME_LIMIT_*_DAYS`` apply)."""

    __tablename__ = "time_limit_settings"
    __table_args__ = (
        # One row only, enforced by the database, so two saves can never leave rival settings.
        CheckConstraint("id = 1", name="single_row"),
        # Zero is allowed (due by the end of the routing day); a negative limit is meaningless.
        CheckConstraint("accept_days >= 0", name="accept_days"),
        CheckConstraint("reply_days >= 0", name="reply_days"),
        CheckConstraint("resolve_days >= 0", name="resolve_days"),
    )

    id: Mapped[int] = mapped_column(primary_key=True, default=1)
    accept_days: Mapped[int]
    reply_days: Mapped[int]
    resolve_days: Mapped[int]


class CalendarDay(db.Model):
    """A day that breaks the Monday-to-Friday rule: a public holiday, or a make-up working day
    (调休) on a weekend. Administrators keep the list as the State Council announces it."""

    __tablename__ = "calendar_days"

    # Keyed on the date itself: a day is either a holiday or a make-up workday, never both.
    day: Mapped[date] = mapped_column(primary_key=True)
    is_workday: Mapped[bool]
    name: Mapped[str] = mapped_column(String(60), default="")


class MeasureAnswer(TimestampMixin, db.Model):
    """A bureau's public answer on a measure of the plan: what it is doing about it, or a
    reply to what residents said there. Shown on the measure's page, newest first."""

    __tablename__ = "measure_answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    measure_id: Mapped[int] = mapped_column(ForeignKey("measures.id"), index=True)
    bureau_id: Mapped[int] = mapped_column(ForeignKey("bureaus.id"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)

    bureau: Mapped[Bureau] = relationship()
