"""Writing a parsed plan into the database, keeping the identity of what was there before."""

from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import column, select, table
from sqlalchemy.orm import selectinload

from planvoice.core.extensions import db
from planvoice.plans.importer import ParsedPlan, ParsedSection, ParsedTarget
from planvoice.plans.models import Measure, Plan, Section, Target


@dataclass
class ImportSummary:
    """What an import did, measure by measure (titles), for the command's report."""

    plan: Plan
    is_new_plan: bool
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    plan_changed: bool = False

    @property
    def has_changes(self) -> bool:
        return any((self.is_new_plan, self.plan_changed, self.added, self.changed, self.removed))


def import_plan(parsed: ParsedPlan, *, slug: str) -> ImportSummary:
    """Create or update the plan ``slug`` from ``parsed``, then flush.

    Re-importing the same text changes nothing. An edited text is applied in place: a measure
    is matched by its key (derived from its title), else by its place in a matched section, so
    its id, page and everything attached to it survive. Measures that disappeared are retired,
    not deleted.
    """
    plan = db.session.scalar(
        select(Plan)
        .where(Plan.slug == slug)
        .options(
            # The whole tree up front: matching walks every measure and target, and lazy loads
            # would cost one query each.
            selectinload(Plan.sections).selectinload(Section.measures).selectinload(Measure.targets)
        )
    )
    summary = ImportSummary(plan=plan or Plan(slug=slug), is_new_plan=plan is None)
    plan = summary.plan
    if summary.is_new_plan:
        db.session.add(plan)
    summary.plan_changed = (
        _assign(
            plan,
            title=parsed.title,
            published=parsed.published,
            source=parsed.source,
            intro="\n\n".join(parsed.intro),
            start_year=parsed.years[0] if parsed.years else None,
            end_year=parsed.years[1] if parsed.years else None,
        )
        # A new plan's fields are all "changed"; the summary reports that as is_new_plan.
        and not summary.is_new_plan
    )

    # Where every existing measure stood before anything moves: (section, index in section).
    old_places = {
        measure: (section, index)
        for section in plan.sections
        for index, measure in enumerate(section.measures)
    }
    sections = _match_sections(plan, parsed.sections)
    _apply_measures(plan, parsed.sections, sections, old_places, summary)
    db.session.flush()
    return summary


def _assign(obj, **values) -> bool:
    """Set attributes that differ; tell whether anything changed."""
    changed = False
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed


def _match_sections(plan: Plan, parsed_sections: tuple[ParsedSection, ...]) -> list[Section]:
    """Return one Section per parsed section, reusing existing ones where they match."""
    old = list(plan.sections)
    unmatched = list(old)
    matched = []
    for position, parsed in enumerate(parsed_sections):
        section = _pick(
            unmatched,
            # Number first (titles get reworded between drafts), then the title, then the place.
            lambda s, p=parsed: p.number is not None and s.number == p.number,
            lambda s, p=parsed: s.title == p.title,
            lambda s, i=position: old.index(s) == i,
        )
        if section is None:
            # Its position is assigned below, with the others, once the final order is known.
            section = Section(plan=plan, number=parsed.number, title=parsed.title)
            db.session.add(section)
        matched.append(section)
    # Sections no longer in the plan stay (their retired measures point at them), listed last.
    order = matched + unmatched
    # Only renumber when the order changed, so an unchanged re-import issues no UPDATEs.
    if any(section.position != position for position, section in enumerate(order)):
        # (plan, position) is unique and sections may swap places: park them out of the way.
        for offset, section in enumerate(old, start=1):
            section.position = -offset
        if old:
            db.session.flush(old)  # only these: new sections have no position yet
        for position, section in enumerate(order):
            section.position = position
    for section, parsed in zip(matched, parsed_sections, strict=True):
        _assign(section, number=parsed.number, title=parsed.title)
    return matched


def _pick(candidates: list, *tests):
    """Remove and return the first candidate passing the earliest test that any passes."""
    for test in tests:
        for candidate in candidates:
            if test(candidate):
                candidates.remove(candidate)
                return candidate
    return None


def _apply_measures(plan, parsed_sections, sections, old_places, summary) -> None:
    """Create, update or retire measures so that the plan matches ``parsed_sections``."""
    # Matching keeps the measure's id, so its page, comments, ratings and reports survive.
    by_key = {measure.key: measure for measure in old_places}
    wanted = [
        (section, index, parsed)
        for parsed_section, section in zip(parsed_sections, sections, strict=True)
        for index, parsed in enumerate(parsed_section.measures)
    ]
    found = [by_key.get(parsed.key) for _, _, parsed in wanted]
    leftovers = [m for m in old_places if m not in found]
    # A measure whose title was edited has a new key: it is the one that stood at the same
    # place of the same section.
    by_place = {old_places[m]: m for m in leftovers}
    for i, (section, index, _parsed) in enumerate(wanted):
        if found[i] is None and (measure := by_place.pop((section, index), None)):
            found[i] = measure
            leftovers.remove(measure)

    for position, ((section, _index, parsed), measure) in enumerate(
        zip(wanted, found, strict=True)
    ):
        if measure is None:
            measure = Measure(plan=plan, section=section, position=position)
            db.session.add(measure)
            summary.added.append(parsed.title)
        measure.position = position
        changed = _assign(
            measure,
            section=section,
            key=parsed.key,
            group=parsed.group,
            title=parsed.title,
            text=parsed.text,
            # A measure that comes back in a later draft is un-retired, with its history intact.
            is_retired=False,
        )
        changed = _apply_targets(measure, parsed.targets) or changed
        # A measure without an id is new, already listed as added rather than changed.
        if changed and measure.id is not None:
            summary.changed.append(parsed.title)

    # Retired, never deleted: comments, ratings and reports still point at them. Placed after
    # the current ones, so current measures keep consecutive positions in plan order.
    for position, measure in enumerate(leftovers, start=len(wanted)):
        if not measure.is_retired:
            summary.removed.append(measure.title)
            measure.is_retired = True
        measure.position = position


def _decimal(number) -> Decimal | None:
    return None if number is None else Decimal(str(number))


def _apply_targets(measure: Measure, parsed_targets: tuple[ParsedTarget, ...]) -> bool:
    """Update the measure's targets in place (matched by subject and unit); tell if any changed."""
    unmatched = list(measure.targets)
    changed = False
    for position, parsed in enumerate(parsed_targets):
        target = _pick(
            unmatched,
            lambda t, p=parsed: (t.subject, t.unit) == (p.subject, p.unit),
            lambda t, i=position: t.position == i,
        )
        if target is None:
            target = Target(position=position)
            measure.targets.append(target)
            changed = True
        changed = (
            _assign(
                target,
                position=position,
                text=parsed.text,
                # Through str, so a float like 0.1 becomes Decimal('0.1') rather than its binary
                # expansion, and an unchanged value compares equal on re-import.
                value=_decimal(parsed.value),
                unit=parsed.unit,
                subject=parsed.subject,
                comparator=parsed.comparator,
                low=_decimal(parsed.low),
                high=_decimal(parsed.high),
                deadline=parsed.deadline,
                span_start=parsed.start,
                span_end=parsed.end,
            )
            or changed
        )
    # Targets are derived from the text; one no longer found there is dropped, unless progress
    # was recorded on it: that history must not go (nor can it, its rows point at the target),
    # so it stays attached to the measure as it was, for a person to look at.
    tracked = _with_progress(unmatched)
    for target in unmatched:
        if target.id not in tracked:
            measure.targets.remove(target)
            changed = True
    return changed


# The progress domain's table, named here rather than imported: plans know nothing of progress
# but that its entries point at targets.
_progress_entries = table("progress_entries", column("target_id"))


def _with_progress(targets: list[Target]) -> set[int]:
    """The ids of ``targets`` that have progress entries (one query, and none for no target)."""
    ids = [target.id for target in targets if target.id is not None]
    if not ids:
        return set()
    query = select(_progress_entries.c.target_id).where(_progress_entries.c.target_id.in_(ids))
    with db.session.no_autoflush:  # mid-import: the plan's tree is flushed once, at the end
        return set(db.session.scalars(query))
