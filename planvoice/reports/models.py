"""Places residents report from: streets and towns, then their communities."""

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planvoice.core.extensions import db

AREA_KINDS = ("street", "town", "community")


class Area(db.Model):
    """A street (街道) or town (镇/乡), or a community (社区/村) inside one."""

    __tablename__ = "areas"
    __table_args__ = (CheckConstraint("kind IN ('street', 'town', 'community')", name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(10))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id"), index=True)

    parent: Mapped["Area | None"] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list["Area"]] = relationship(back_populates="parent", order_by="Area.code")
