"""A plan as published: Plan → Section → Measure (with an optional group) → Target; the
drafts an administrator uploads at the plan desk before publishing them, and the corrections
a person makes there, which every later import of the plan applies again."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    LargeBinary,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planvoice.core.db import TimestampMixin, UTCDateTime, utcnow
from planvoice.core.extensions import db
from planvoice.core.i18n import _l

COMPARATOR_LABELS = {
    "at_least": _l("at least"),
    "reach": _l("reach"),
    "at_most": _l("at most"),
    "increase": _l("increase by"),
    "decrease": _l("decrease by"),
    "annual_growth": _l("grow each year by"),
    "about": _l("about"),
}


class Plan(TimestampMixin, db.Model):
    __tablename__ = "plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Re-imports find the plan by its slug, so the same text never becomes a second plan.
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    published: Mapped[date | None]
    # The years the plan covers ("2021—2025"): a target without a year of its own is due by
    # the end of ``end_year``, and progress lines start on 1 January of ``start_year``.
    start_year: Mapped[int | None]
    end_year: Mapped[int | None]
    source: Mapped[str | None] = mapped_column(String(200))
    # Introductory paragraphs, separated by blank lines.
    intro: Mapped[str] = mapped_column(Text, default="")

    # A section belongs to its plan; removing the plan takes its sections along.
    sections: Mapped[list["Section"]] = relationship(
        back_populates="plan", order_by="Section.position", cascade="all, delete-orphan"
    )

    @property
    def intro_paragraphs(self) -> list[str]:
        return [p for p in self.intro.split("\n\n") if p]


class Section(db.Model):
    __tablename__ = "sections"
    # Unique, so two sections cannot claim one place (the importer parks them when swapping).
    __table_args__ = (UniqueConstraint("plan_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"))
    position: Mapped[int]
    # The label as written in the source ("(一)", "一、", "第一章"); None for un-numbered ones.
    number: Mapped[str | None] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(300))

    plan: Mapped[Plan] = relationship(back_populates="sections")
    # No delete-orphan: measures are retired, never deleted, so their feedback survives.
    measures: Mapped[list["Measure"]] = relationship(
        back_populates="section", order_by="Measure.position"
    )

    @property
    def current_measures(self) -> list["Measure"]:
        """The measures of the plan as it stands (retired ones left out)."""
        return [measure for measure in self.measures if not measure.is_retired]

    @property
    def measure_groups(self) -> list[tuple[str | None, list["Measure"]]]:
        """Current measures in runs that share a sub-heading (group), in plan order."""
        runs: list[tuple[str | None, list[Measure]]] = []
        for measure in self.current_measures:
            if not runs or runs[-1][0] != measure.group:
                runs.append((measure.group, []))
            runs[-1][1].append(measure)
        return runs

    @property
    def heading(self) -> str:
        return f"{self.number} {self.title}" if self.number else self.title


class Measure(TimestampMixin, db.Model):
    """One paragraph of the plan; ``key`` keeps its identity when the plan is re-imported."""

    __tablename__ = "measures"
    __table_args__ = (
        # The key is how a re-import recognises a measure; two alike would make matching ambiguous.
        UniqueConstraint("plan_id", "key"),
        # Not unique, unlike sections': the importer renumbers measures in place, and a unique
        # index could trip over two that swap. It serves the previous/next lookups.
        Index("ix_measures_plan_id_position", "plan_id", "position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"))
    # No cascade: a section must not be deleted from under measures that outlived it.
    section_id: Mapped[int] = mapped_column(ForeignKey("sections.id"), index=True)
    key: Mapped[str] = mapped_column(String(40))
    # Order within the whole plan, for previous/next links.
    position: Mapped[int]
    group: Mapped[str | None] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(300))
    text: Mapped[str] = mapped_column(Text, default="")
    # A measure dropped from a later version of the plan keeps its page (and, later, its
    # comments and reports) but no longer appears in the plan's lists.
    is_retired: Mapped[bool] = mapped_column(default=False)

    plan: Mapped[Plan] = relationship()
    section: Mapped[Section] = relationship(back_populates="measures")
    targets: Mapped[list["Target"]] = relationship(
        back_populates="measure", order_by="Target.position", cascade="all, delete-orphan"
    )

    @property
    def has_text(self) -> bool:
        return bool(self.text.strip())

    @property
    def text_parts(self) -> list[tuple[str, bool]]:
        """The text cut into ``(piece, is_target)`` so a page can mark the plan's promises."""
        parts: list[tuple[str, bool]] = []
        cursor = 0
        for target in sorted(self.targets, key=lambda t: t.span_start):
            if target.span_start < cursor:  # overlapping spans: the first one wins
                continue
            parts += [(self.text[cursor : target.span_start], False), (target.text, True)]
            cursor = target.span_end
        parts.append((self.text[cursor:], False))
        return [(piece, is_target) for piece, is_target in parts if piece]


class Target(db.Model):
    """A quantitative promise found in a measure's text ("打造10个口袋公园")."""

    __tablename__ = "targets"
    __table_args__ = (
        CheckConstraint(
            "comparator IN ('at_least', 'reach', 'at_most', 'increase', 'decrease',"
            " 'annual_growth', 'about')",
            name="comparator",
        ),
        CheckConstraint("low IS NULL OR (high IS NOT NULL AND low <= high)", name="range"),
        CheckConstraint("span_start >= 0 AND span_end > span_start", name="span"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    measure_id: Mapped[int] = mapped_column(
        ForeignKey("measures.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int]
    text: Mapped[str] = mapped_column(String(300))
    # Numeric, not float: promised figures ("2.5万平方米") must round-trip exactly.
    value: Mapped[Decimal] = mapped_column(Numeric(14, 4))
    unit: Mapped[str] = mapped_column(String(20))
    subject: Mapped[str] = mapped_column(String(200))
    comparator: Mapped[str] = mapped_column(String(20))
    # A range ("4.5%—5%", "3至5个"): its ends; ``value`` is the low one. None otherwise.
    low: Mapped[Decimal | None] = mapped_column(Numeric(14, 4))
    high: Mapped[Decimal | None] = mapped_column(Numeric(14, 4))
    deadline: Mapped[int | None]  # a year ("到2025年"): plans promise by year, not by date
    # Where the target stands in the measure's text: measure.text[span_start:span_end].
    span_start: Mapped[int]
    span_end: Mapped[int]

    measure: Mapped[Measure] = relationship(back_populates="targets")

    @property
    def comparator_label(self) -> str:
        return str(COMPARATOR_LABELS[self.comparator])

    @property
    def display_value(self) -> str:
        return f"{self.value.normalize():f}"


class PlanDraft(db.Model):
    """An uploaded plan file waiting at the plan desk to be previewed, then published or
    discarded. Nothing of it is public; publishing imports ``data`` into the plan ``slug``."""

    __tablename__ = "plan_drafts"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The plan it becomes (a new one) or a new version of (one already published).
    slug: Mapped[str] = mapped_column(String(80))
    file_name: Mapped[str | None] = mapped_column(String(200))  # None for pasted text
    # The file as uploaded: publishing parses these bytes again, never the stored JSON, so the
    # plan is exactly what today's importer reads in the file.
    data: Mapped[bytes] = mapped_column(LargeBinary)
    # ``importer.plan_to_dict`` of the file at upload, for the preview.
    parsed: Mapped[dict] = mapped_column(JSON)
    # A draft outlives its uploader's account (another administrator may still publish it).
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    created_by = relationship("User")


# What a person may correct (see ``plans/corrections.py``), and its fields, for the desk.
CORRECTION_KIND_LABELS = {
    "measure": _l("measure corrected"),
    "target": _l("target corrected"),
    "not_target": _l("not a target"),
    "add_target": _l("target added"),
}
CORRECTION_FIELD_LABELS = {
    "title": _l("title"),
    "text": _l("text"),
    "group": _l("group"),
    "subject": _l("what is counted"),
    "value": _l("value"),
    "unit": _l("unit"),
    "comparator": _l("meaning"),
    "low": _l("low end"),
    "high": _l("high end"),
    "deadline": _l("deadline"),
}


class PlanCorrection(db.Model):
    """A person's correction of what the importer read in a plan: a measure's title, text or
    group, a target's fields, a number that is no target, or a target it missed. Kept apart
    from the plan, by slug and measure key, so every later import of the plan (a new version
    of its file) applies it again; ``source`` tells whether the measure's text changed since.
    """

    __tablename__ = "plan_corrections"
    __table_args__ = (
        CheckConstraint("kind IN ('measure', 'target', 'not_target', 'add_target')", name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The plan it applies to, by slug: a plan not yet published (a draft's) has no id.
    plan_slug: Mapped[str] = mapped_column(String(80), index=True)
    measure_key: Mapped[str] = mapped_column(String(40))  # the parsed measure's key, m-…
    kind: Mapped[str] = mapped_column(String(20))
    # Target kinds: the target's exact span in the measure's text ("打造10个口袋公园").
    target_text: Mapped[str | None] = mapped_column(String(300))
    # measure: title/text/group; target, add_target: value, unit, subject, comparator, low,
    # high, deadline (numbers as strings, so they round-trip exactly).
    changes: Mapped[dict] = mapped_column(JSON, default=dict)
    # The measure's text when the correction was made, to notice that the source changed.
    source: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    created_by = relationship("User")

    @property
    def kind_label(self) -> str:
        return str(CORRECTION_KIND_LABELS[self.kind])
