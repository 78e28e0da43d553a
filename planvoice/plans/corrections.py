"""A person's corrections of a plan as the importer read it, applied again to every import.

Pure functions over a ``ParsedPlan`` and the corrections (``models.PlanCorrection`` rows, or
anything with the same attributes). The rules:

- A correction belongs to a measure by its key (``m-…``, from the title as parsed), so it
  follows the measure into each new version of the file. The key is never changed: a
  corrected title still matches the published measure, with its comments, ratings and reports.
- ``measure`` replaces the title, text and group it names. If the source text changed since
  the correction was made (``source``), it is a conflict and is not applied: the new source
  wins until a person looks. Targets of a corrected text are those of the parsed text that are
  still found in it, moved to where they now stand.
- ``target`` replaces fields of the target whose span (``target_text``) is the one read;
  ``not_target`` drops it; ``add_target`` adds a target for a span the importer missed (or
  corrects the one it found there). They are applied wherever the span still stands in the
  measure's text, even if the rest of the text changed; a span no longer there is a conflict.
- A correction whose measure is gone is a conflict.
Measure corrections are applied before target corrections, so a target's span is looked for
in the text as corrected.
"""

from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation

from planvoice.plans.importer import ParsedMeasure, ParsedPlan
from planvoice.plans.targets import ParsedTarget

MEASURE_FIELDS = ("title", "text", "group")
TARGET_FIELDS = ("subject", "value", "unit", "comparator", "low", "high", "deadline")
TARGET_KINDS = ("target", "not_target", "add_target")


@dataclass(frozen=True)
class Conflict:
    """A correction that no longer fits its source. ``reason``: "measure_gone", "source_changed"
    (a measure correction, not applied) or "span_gone" (a target correction, not applied)."""

    correction: object
    reason: str
    measure_title: str | None  # None when the measure is gone

    @property
    def kind(self) -> str:
        return self.correction.kind

    @property
    def changes(self) -> dict:
        return self.correction.changes or {}


def apply_corrections(parsed: ParsedPlan, corrections) -> tuple[ParsedPlan, list]:
    """``parsed`` with ``corrections`` applied, and the corrections in conflict (see above)."""
    corrections = sorted(corrections, key=lambda c: c.kind != "measure")  # measures first
    by_key: dict[str, list] = {}
    for correction in corrections:
        by_key.setdefault(correction.measure_key, []).append(correction)
    conflicts = []
    sections = []
    for section in parsed.sections:
        measures = []
        for measure in section.measures:
            for correction in by_key.pop(measure.key, ()):
                measure, conflict = _apply(measure, correction)
                if conflict is not None:
                    conflicts.append(Conflict(correction, conflict, measure.title))
            measures.append(measure)
        sections.append(replace(section, measures=tuple(measures)))
    conflicts += [
        Conflict(correction, "measure_gone", None)
        for corrections in by_key.values()
        for correction in corrections
    ]
    return replace(parsed, sections=tuple(sections)), conflicts


def find_measure(parsed: ParsedPlan, key: str) -> ParsedMeasure | None:
    return next((m for s in parsed.sections for m in s.measures if m.key == key), None)


def _apply(measure: ParsedMeasure, correction) -> tuple[ParsedMeasure, str | None]:
    """The measure corrected, and the reason of a conflict (None if there is none)."""
    changes = correction.changes or {}
    if correction.kind == "measure":
        if measure.text != correction.source:
            return measure, "source_changed"
        fields = {name: changes[name] for name in MEASURE_FIELDS if name in changes}
        measure = replace(measure, **fields)
        return replace(measure, targets=_relocate(measure.text, measure.targets)), None
    span = correction.target_text or ""
    start = measure.text.find(span) if span else -1
    if start < 0:
        return measure, "span_gone"
    targets = list(measure.targets)
    index = next((i for i, t in enumerate(targets) if t.text == span), None)
    if correction.kind == "not_target":
        if index is not None:
            del targets[index]
    elif index is not None:
        targets[index] = replace(targets[index], **target_values(changes))
    elif correction.kind == "add_target":
        fields = {"low": None, "high": None, "deadline": None} | target_values(changes)
        targets.append(ParsedTarget(text=span, start=start, end=start + len(span), **fields))
    else:  # a corrected target the importer no longer reads there
        return measure, "span_gone"
    return replace(measure, targets=tuple(sorted(targets, key=lambda t: t.start))), None


def _relocate(text: str, targets) -> tuple[ParsedTarget, ...]:
    """The targets still found in ``text``, with their spans where they now stand."""
    moved, cursor = [], 0
    for target in targets:
        start = text.find(target.text, cursor)
        if start < 0:
            start = text.find(target.text)
        if start < 0:
            continue
        moved.append(replace(target, start=start, end=start + len(target.text)))
        cursor = start + len(target.text)
    return tuple(sorted(moved, key=lambda t: t.start))


def target_values(changes: dict) -> dict:
    """A correction's target fields as a ParsedTarget holds them (numbers are kept as strings
    in the correction, so they round-trip exactly; here they become int or float again)."""
    values = {name: changes[name] for name in TARGET_FIELDS if name in changes}
    for name in ("value", "low", "high"):
        if name in values:
            values[name] = to_number(values[name])
    return values


def to_number(value):
    """ "10" → 10, "2.5" → 2.5, None → None (as the importer writes numbers)."""
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return int(number) if number == number.to_integral_value() else float(number)
