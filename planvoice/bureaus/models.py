"""The district's bureaus (职能部门) that answer residents."""

from flask_babel import get_locale
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

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
