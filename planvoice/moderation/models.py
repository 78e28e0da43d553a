"""Reusable wording for moderators' decisions."""

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from planvoice.core.db import TimestampMixin
from planvoice.core.extensions import db
from planvoice.core.i18n import _l


class ReasonTemplate(TimestampMixin, db.Model):
    """A prepared reason for rejecting or hiding a comment; the moderator may edit it."""

    __tablename__ = "reason_templates"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(80))
    # Copied into the decision when chosen, so editing a template never rewrites past reasons.
    body: Mapped[str] = mapped_column(Text)
    # Moderators find a reason by its place in the list, so the order is stored, not implied.
    position: Mapped[int] = mapped_column(default=0)


# What each moderation outcome is called on the pages that show it.
COMMENT_STATUS_LABELS = {
    "pending": _l("Awaiting review"),
    "published": _l("Published"),
    "rejected": _l("Not published"),
    "hidden": _l("Hidden by a moderator"),
}


def comment_status_label(status: str) -> str:
    return str(COMMENT_STATUS_LABELS.get(status, status))
