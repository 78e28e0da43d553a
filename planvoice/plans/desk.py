"""The plan desk: an administrator uploads a plan file as a draft, reads its preview (the plan
as the importer understood it, with warnings, and what would change in the published plan),
then publishes or discards it.

Publishing goes through ``services.import_plan``, as the command line does, so a plan keeps
the identity of its measures however it came in. The difference from the published plan is
computed by that same import inside a savepoint that is always rolled back: the preview shows
exactly what publishing would do, and writes nothing.

The plan previewed, compared and published is the file as parsed with the plan's corrections
applied (``corrections.apply_corrections``): what a person corrected at the desk survives each
new version of the file, and corrections the source changed under are listed as conflicts.
"""

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import defer, joinedload, selectinload

from planvoice.core.audit import record_event
from planvoice.core.extensions import db
from planvoice.core.i18n import _
from planvoice.plans.correction_services import list_corrections
from planvoice.plans.corrections import Conflict, apply_corrections
from planvoice.plans.importer import ParsedPlan, parse_plan, plan_to_dict
from planvoice.plans.models import Measure, Plan, PlanDraft, Section
from planvoice.plans.numbers import QUANTITY_RE, is_chinese
from planvoice.plans.services import ImportSummary, import_plan

# The largest plan file the desk takes unless ``PLAN_FILE_MAX_BYTES`` says otherwise.
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
FILE_EXTENSIONS = ("txt", "htm", "html", "pdf", "docx")


# --- drafts -----------------------------------------------------------------------------------


def parse_draft(draft: PlanDraft) -> ParsedPlan:
    """The draft's plan, parsed again from the bytes uploaded (raises PlanFormatError)."""
    return parse_plan(draft.data, draft.file_name)


def corrected_draft(draft: PlanDraft) -> tuple[ParsedPlan, list[Conflict]]:
    """The draft's plan with its plan's corrections applied, and those in conflict (raises
    PlanFormatError)."""
    return apply_corrections(parse_draft(draft), list_corrections(draft.slug))


def create_draft(data: bytes, *, slug: str, file_name: str | None, actor) -> PlanDraft:
    """Keep ``data`` as a draft of the plan ``slug`` and flush. Raises PlanFormatError (with a
    message for the administrator) when it is no plan, and then stores nothing."""
    parsed = parse_plan(data, file_name)
    draft = PlanDraft(
        slug=slug,
        file_name=file_name,
        data=data,
        parsed=plan_to_dict(parsed),
        created_by_id=actor.id,
    )
    db.session.add(draft)
    db.session.flush()
    record_event(
        "plan_draft.create", draft, actor=actor, after={"slug": slug, "file_name": file_name}
    )
    db.session.flush()
    return draft


def discard_draft(draft: PlanDraft, *, actor) -> None:
    """Delete a draft (audited), then flush."""
    before = {"slug": draft.slug, "file_name": draft.file_name}
    record_event("plan_draft.discard", draft, actor=actor, before=before)
    db.session.delete(draft)
    db.session.flush()


def publish_draft(draft: PlanDraft, *, actor) -> ImportSummary:
    """Import the draft into its plan (created, or updated in place), audit it, delete the
    draft and flush. Raises PlanFormatError if the file no longer parses."""
    summary = import_plan(corrected_draft(draft)[0], slug=draft.slug)
    record_event(
        "plan.publish",
        summary.plan,
        actor=actor,
        after={
            "slug": draft.slug,
            "file_name": draft.file_name,
            "added": len(summary.added),
            "changed": len(summary.changed),
            "removed": len(summary.removed),
        },
    )
    db.session.delete(draft)
    db.session.flush()
    return summary


def list_drafts() -> list[PlanDraft]:
    """Drafts, newest first, without their files (the list shows none of them)."""
    return list(
        db.session.scalars(
            select(PlanDraft)
            .options(
                defer(PlanDraft.data), defer(PlanDraft.parsed), joinedload(PlanDraft.created_by)
            )
            .order_by(PlanDraft.id.desc())
        )
    )


@dataclass(frozen=True)
class PublishedPlan:
    plan: Plan
    measure_count: int
    last_changed: datetime  # the latest change of the plan or of any of its measures


def list_published_plans() -> list[PublishedPlan]:
    """Every plan with its number of current measures and when it last changed, in one query."""
    current = Measure.is_retired.is_(False)
    rows = db.session.execute(
        select(
            Plan,
            func.count(Measure.id).filter(current),
            func.max(Measure.updated_at),
        )
        .outerjoin(Measure, Measure.plan_id == Plan.id)
        .group_by(Plan.id)
        .order_by(Plan.id)
    )
    return [
        PublishedPlan(plan, count, max(filter(None, (plan.updated_at, changed))))
        for plan, count, changed in rows
    ]


# --- the preview: the plan as parsed, with warnings -------------------------------------------

_SENTENCE_PUNCT = "。;；!！?？,，:：、"


@dataclass
class PreviewMeasure:
    group: str | None
    title: str
    text: str
    # The text cut into (piece, is_target): targets are shown marked inside it.
    parts: list[tuple[str, bool]]
    targets: list[dict]
    warnings: list[str]
    key: str = ""
    is_corrected: bool = False  # its title, text or group is a person's correction
    # The spans of its targets that a person corrected or added.
    corrected_targets: frozenset[str] = frozenset()


@dataclass
class PreviewSection:
    heading: str
    measures: list[PreviewMeasure]
    warnings: list[str]

    @property
    def measure_groups(self) -> list[tuple[str | None, list[PreviewMeasure]]]:
        runs: list[tuple[str | None, list[PreviewMeasure]]] = []
        for measure in self.measures:
            if not runs or runs[-1][0] != measure.group:
                runs.append((measure.group, []))
            runs[-1][1].append(measure)
        return runs


@dataclass
class Preview:
    parsed: dict
    sections: list[PreviewSection]

    @property
    def measure_count(self) -> int:
        return sum(len(section.measures) for section in self.sections)

    @property
    def measure_titles(self) -> dict[str, str]:
        return {m.key: m.title for section in self.sections for m in section.measures}

    @property
    def warning_count(self) -> int:
        return sum(
            len(section.warnings) + sum(len(m.warnings) for m in section.measures)
            for section in self.sections
        )


def preview_plan(parsed: dict, *, corrections=(), conflicts=()) -> Preview:
    """The preview of a parsed plan (``plan_to_dict``'s document), with what a person should
    check: sections with no text, measures with no text, short paragraphs that look like
    headings, and quantities the importer did not take as targets. Measures and targets that
    ``corrections`` changed (those not in ``conflicts``, which were not applied) are marked."""
    in_conflict = {id(conflict.correction) for conflict in conflicts}
    applied = [c for c in corrections if id(c) not in in_conflict]
    corrected = {c.measure_key for c in applied if c.kind == "measure"}
    spans: dict[str, set[str]] = {}
    for c in applied:
        if c.kind in ("target", "add_target"):
            spans.setdefault(c.measure_key, set()).add(c.target_text)
    sections = []
    for section in parsed["sections"]:
        is_empty = not any(m["text"].strip() for m in section["measures"])
        # An empty section is said once, not again for each heading in it.
        measures = [_preview_measure(m, warn_no_text=not is_empty) for m in section["measures"]]
        for measure in measures:
            measure.is_corrected = measure.key in corrected
            measure.corrected_targets = frozenset(spans.get(measure.key, ()))
        warnings = [_("This section has no text: only its heading was found.")] if is_empty else []
        heading = " ".join(filter(None, (section["number"], section["title"])))
        sections.append(PreviewSection(heading, measures, warnings))
    return Preview(parsed, sections)


def _preview_measure(measure: dict, *, warn_no_text: bool) -> PreviewMeasure:
    text = measure["text"]
    parts, spans = target_parts(text, [t["text"] for t in measure["targets"]])
    warnings = []
    if not text.strip():
        if warn_no_text:
            warnings.append(
                _("No text: the heading had no paragraph in the file (perhaps it was an image).")
            )
    elif len(text) <= 30 and not any(p in text for p in _SENTENCE_PUNCT):
        warnings.append(_("This short paragraph looks like a heading but is kept as a measure."))
    for match in QUANTITY_RE.finditer(text):
        inside = any(start <= match.start() < end for start, end in spans)
        if match["unit"] and not is_chinese(match["num"]) and not inside:
            warnings.append(
                _(
                    "Unsure: “%(quantity)s” looks like a promised quantity but was not taken "
                    "as a target.",
                    quantity=match.group(0),
                )
            )
    return PreviewMeasure(
        measure["group"],
        measure["title"],
        text,
        parts,
        measure["targets"],
        warnings,
        key=measure.get("key", ""),
    )


def target_parts(text: str, targets: list[str]) -> tuple[list[tuple[str, bool]], list]:
    """``text`` cut into ``(piece, is_target)``, each target's span found in order, and the
    spans found (``(start, end)``). A target that cannot be found after the previous one is
    left unmarked."""
    parts, spans, cursor = [], [], 0
    for target in targets:
        start = text.find(target, cursor) if target else -1
        if start < 0:
            continue
        parts += [(text[cursor:start], False), (target, True)]
        spans.append((start, start + len(target)))
        cursor = start + len(target)
    parts.append((text[cursor:], False))
    return [(piece, is_target) for piece, is_target in parts if piece], spans


# --- the difference from the published plan ---------------------------------------------------


@dataclass(frozen=True)
class MeasureChange:
    before_title: str
    title: str
    before_text: str
    text: str


@dataclass(frozen=True)
class TargetChange:
    measure_title: str
    before: dict | None  # None: a new target
    after: dict | None  # None: a target no longer found


@dataclass
class PlanDiff:
    plan: Plan
    plan_changed: bool
    added: list[str] = field(default_factory=list)
    changed: list[MeasureChange] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)
    targets: list[TargetChange] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.plan_changed or self.added or self.changed or self.retired or self.targets)


_TARGET_FIELDS = ("value", "unit", "subject", "comparator", "deadline")


def diff_with_published(parsed: ParsedPlan, *, slug: str) -> PlanDiff | None:
    """What publishing ``parsed`` as the plan ``slug`` would change; None for a new plan.

    Runs the real import in a savepoint and rolls it back, so the answer is what publishing
    does (matching by key, then by place), and nothing is written."""
    plan = db.session.scalar(
        select(Plan)
        .where(Plan.slug == slug)
        .options(
            selectinload(Plan.sections).selectinload(Section.measures).selectinload(Measure.targets)
        )
    )
    if plan is None:
        return None
    before = _snapshot(plan)
    savepoint = db.session.begin_nested()
    try:
        summary = import_plan(parsed, slug=slug)
        after = _snapshot(summary.plan)
    finally:
        savepoint.rollback()
    diff = PlanDiff(plan=plan, plan_changed=summary.plan_changed, retired=summary.removed)
    for measure_id, (title, text, is_retired, targets) in after.items():
        if is_retired:
            continue
        old = before.get(measure_id)
        if old is None or old[2]:  # new, or back from retirement
            diff.added.append(title)
            continue
        if (old[0], old[1]) != (title, text):
            diff.changed.append(MeasureChange(old[0], title, old[1], text))
        diff.targets += _target_changes(title, old[3], targets)
    return diff


def _snapshot(plan: Plan) -> dict[int, tuple]:
    """Every measure's (title, text, is_retired, targets) by id, as plain values."""
    measures = sorted(
        (m for section in plan.sections for m in section.measures), key=lambda m: m.position
    )
    return {
        measure.id: (
            measure.title,
            measure.text,
            measure.is_retired,
            [_target_values(target) for target in measure.targets],
        )
        for measure in measures
    }


def _target_values(target) -> dict:
    values = {name: getattr(target, name) for name in ("text", *_TARGET_FIELDS)}
    return values | {"value": target.display_value}  # a string, as the page writes it


def _target_changes(title: str, before: list[dict], after: list[dict]) -> list[TargetChange]:
    """Targets of one measure that are new, gone or changed in value, unit, subject,
    comparator or deadline; paired by subject and unit, else by place, as the import does."""
    unmatched = list(before)
    changes = []
    for index, target in enumerate(after):
        same_place = before[index] if index < len(before) else None
        old = next(
            (
                t
                for t in unmatched
                if (t["subject"], t["unit"]) == (target["subject"], target["unit"])
            ),
            same_place if same_place in unmatched else None,
        )
        if old is not None:
            unmatched.remove(old)
        if old is None or any(old[f] != target[f] for f in _TARGET_FIELDS):
            changes.append(TargetChange(title, old, target))
    changes += [TargetChange(title, old, None) for old in unmatched]
    return changes
