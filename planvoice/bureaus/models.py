"""The district's bureaus (职能部门) that answer residents."""

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from planvoice.core.extensions import db


class Bureau(db.Model):
    __tablename__ = "bureaus"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(100))
