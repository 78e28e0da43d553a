"""The district's map and the kinds of problem: streets, towns and communities (areas), the
report categories with their default bureaus, and the routing rules that send a category
in an area to a bureau."""

from flask_babel import get_locale
from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planvoice.bureaus.models import Bureau
from planvoice.core.extensions import db
from planvoice.plans.models import Measure


class Area(db.Model):
    """A street (街道) or town (镇/乡), or a community (社区/村) inside one."""

    __tablename__ = "areas"
    __table_args__ = (CheckConstraint("kind IN ('street', 'town', 'community')", name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(10))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id"), index=True)
    # Where a street or town lies (WGS84 degrees), when known: a report given only a point is
    # filed under the street whose box holds it, else the nearest one (see ``area_at``).
    south: Mapped[float | None]
    west: Mapped[float | None]
    north: Mapped[float | None]
    east: Mapped[float | None]

    parent: Mapped["Area | None"] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list["Area"]] = relationship(back_populates="parent", order_by="Area.code")

    @property
    def full_name(self) -> str:
        return f"{self.parent.name} {self.name}" if self.parent is not None else self.name

    @property
    def box(self) -> tuple[float, float, float, float] | None:
        edges = (self.south, self.west, self.north, self.east)
        return None if None in edges else edges


class Category(db.Model):
    """A kind of problem residents report, with the bureau and plan measure it usually concerns.

    Names and hints are data (administrators edit them), so they carry both languages.
    """

    __tablename__ = "categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stable lowercase words (``bare_ground``): other software and links rely on them.
    code: Mapped[str] = mapped_column(String(40), unique=True)
    position: Mapped[int] = mapped_column(default=0)
    name_zh: Mapped[str] = mapped_column(String(60))
    name_en: Mapped[str] = mapped_column(String(60))
    hint_zh: Mapped[str] = mapped_column(String(200), default="")
    hint_en: Mapped[str] = mapped_column(String(200), default="")
    default_bureau_id: Mapped[int | None] = mapped_column(ForeignKey("bureaus.id"))
    measure_id: Mapped[int | None] = mapped_column(ForeignKey("measures.id"))
    # A retired category keeps its reports but is no longer offered on the form.
    is_active: Mapped[bool] = mapped_column(default=True)

    default_bureau: Mapped[Bureau | None] = relationship()
    measure: Mapped[Measure | None] = relationship()

    @property
    def name(self) -> str:
        return self.name_en if str(get_locale()) == "en" else self.name_zh

    @property
    def hint(self) -> str:
        return self.hint_en if str(get_locale()) == "en" else self.hint_zh


class RoutingRule(db.Model):
    """Reports of this category from this area (a street covers its communities) go to this
    bureau; without a rule, the category's default bureau is suggested."""

    __tablename__ = "routing_rules"
    __table_args__ = (UniqueConstraint("category_id", "area_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id", ondelete="CASCADE"))
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id", ondelete="CASCADE"))
    bureau_id: Mapped[int] = mapped_column(ForeignKey("bureaus.id"))

    bureau: Mapped[Bureau] = relationship()
