"""Saving a person's corrections of a plan (the plan desk): each validates, is audited and
flushes. How they are applied to an import is ``plans/corrections.py``.

A measure has at most one ``measure`` correction, and a target span at most one correction
(``target``, ``not_target`` or ``add_target``): correcting again replaces it. A correction
keeps only what differs from what the importer read, so a field the person left alone follows
the source when a new version of the file changes it; a correction left with no difference is
withdrawn.
"""

from decimal import Decimal, InvalidOperation

from sqlalchemy import select

from planvoice.core.audit import record_event
from planvoice.core.extensions import db
from planvoice.core.i18n import _
from planvoice.plans.corrections import (
    MEASURE_FIELDS,
    TARGET_FIELDS,
    TARGET_KINDS,
    apply_corrections,
    find_measure,
)
from planvoice.plans.importer import ParsedMeasure, ParsedPlan
from planvoice.plans.models import COMPARATOR_LABELS, PlanCorrection

# A deadline is a year: plans promise by year, and none of ours looks further than this.
FIRST_YEAR, LAST_YEAR = 2000, 2100
# targets.value is Numeric(14, 4): ten digits before the point.
MAX_NUMBER = Decimal(10) ** 10


class CorrectionError(Exception):
    """Input a service refuses; str(error) is a translated message for people. ``field`` names
    the form field it concerns."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.field = field


def list_corrections(slug: str) -> list[PlanCorrection]:
    """The plan's corrections, oldest first (the order they are applied in)."""
    return list(
        db.session.scalars(
            select(PlanCorrection)
            .where(PlanCorrection.plan_slug == slug)
            .order_by(PlanCorrection.id)
        )
    )


def correct_measure(
    parsed: ParsedPlan, key: str, *, slug: str, actor, title: str, text: str, group: str | None
) -> PlanCorrection | None:
    """Correct the title, text and group of the measure ``key`` of ``parsed`` (the plan as the
    importer read it) for the plan ``slug``; None when nothing differs from the source (any
    earlier correction is then withdrawn)."""
    measure = _measure(parsed, key)
    title, text, group = title.strip(), text.strip(), (group or "").strip() or None
    if not title:
        raise CorrectionError(_("Give the measure a title."), field="title")
    _check_length(title, 300, "title")
    _check_length(group or "", 200, "group")
    wanted = {"title": title, "text": text, "group": group}
    changes = {
        name: wanted[name] for name in MEASURE_FIELDS if wanted[name] != getattr(measure, name)
    }
    existing = _existing(slug, key, "measure", None)
    return _save(
        existing,
        changes,
        slug=slug,
        key=key,
        kind="measure",
        span=None,
        source=measure.text,
        actor=actor,
    )


def correct_target(parsed: ParsedPlan, key: str, span: str, *, slug: str, actor, **values):
    """Correct the fields (``TARGET_FIELDS``, as typed) of the target read at ``span`` in the
    measure ``key``, or of a target a person added there; None when nothing differs."""
    measure = _baseline(parsed, key, slug)
    changes = clean_target_values(values)
    existing = _existing(slug, key, TARGET_KINDS, span)
    if existing is not None and existing.kind == "add_target":
        kind = "add_target"  # the person's own target: every field is theirs
    else:
        target = next((t for t in measure.targets if t.text == span), None)
        if target is None:
            raise CorrectionError(_("This target is no longer in the measure's text."))
        kind = "target"
        read = clean_target_values({name: getattr(target, name) for name in TARGET_FIELDS})
        changes = {name: value for name, value in changes.items() if value != read[name]}
    return _save(
        existing,
        changes,
        slug=slug,
        key=key,
        kind=kind,
        span=span,
        source=measure.text,
        actor=actor,
    )


def mark_not_target(parsed: ParsedPlan, key: str, span: str, *, slug: str, actor) -> None:
    """Say the number at ``span`` in the measure ``key`` is no target (a target a person added
    there is withdrawn instead)."""
    measure = _baseline(parsed, key, slug)
    existing = _existing(slug, key, TARGET_KINDS, span)
    if existing is not None and existing.kind == "add_target":
        withdraw_correction(existing, actor=actor)
        return
    if span not in measure.text:
        raise CorrectionError(_("This target is no longer in the measure's text."))
    _save(
        existing,
        {},
        slug=slug,
        key=key,
        kind="not_target",
        span=span,
        source=measure.text,
        actor=actor,
        keep_empty=True,
    )


def add_target(parsed: ParsedPlan, key: str, *, slug: str, actor, span: str, **values):
    """Add a target the importer missed: ``span`` is the words of the measure's text that make
    the promise ("新建口袋公园10个"), ``values`` its fields as typed."""
    measure = _baseline(parsed, key, slug)
    span = (span or "").strip()
    if not span or span not in measure.text:
        raise CorrectionError(
            _("Copy the target's words exactly as they stand in the measure's text."), field="span"
        )
    _check_length(span, 300, "span")
    if any(t.text == span for t in measure.targets):
        raise CorrectionError(
            _("These words are already a target: correct it instead."), field="span"
        )
    changes = clean_target_values(values)
    existing = _existing(slug, key, TARGET_KINDS, span)
    return _save(
        existing,
        changes,
        slug=slug,
        key=key,
        kind="add_target",
        span=span,
        source=measure.text,
        actor=actor,
    )


def withdraw_correction(correction: PlanCorrection, *, actor) -> None:
    """Delete a correction (audited): the next import reads the source as it is there."""
    record_event("plan_correction.withdraw", correction, actor=actor, before=_described(correction))
    db.session.delete(correction)
    db.session.flush()


def clean_target_values(values: dict) -> dict:
    """The target's fields, checked, as a correction keeps them: numbers as strings ("2.5"),
    the deadline as a year or None. Raises CorrectionError."""
    subject = str(values.get("subject") or "").strip()
    unit = str(values.get("unit") or "").strip()
    if not subject:
        raise CorrectionError(_("Say what the target counts, e.g. 口袋公园."), field="subject")
    _check_length(subject, 200, "subject")
    if not unit:
        raise CorrectionError(
            _("Give the unit as the plan writes it, e.g. 个 or 公里."), field="unit"
        )
    _check_length(unit, 20, "unit")
    comparator = values.get("comparator")
    if comparator not in COMPARATOR_LABELS:
        raise CorrectionError(_("Choose how the value is meant."), field="comparator")
    value = _number(values.get("value"), "value", required=True)
    low, high = _number(values.get("low"), "low"), _number(values.get("high"), "high")
    if (low is None) != (high is None):
        raise CorrectionError(_("A range needs both its ends, or neither."), field="high")
    if low is not None and Decimal(low) > Decimal(high):
        raise CorrectionError(_("The low end of the range is above its high end."), field="low")
    return {
        "subject": subject,
        "value": value,
        "unit": unit,
        "comparator": comparator,
        "low": low,
        "high": high,
        "deadline": _year(values.get("deadline")),
    }


# --- helpers ---------------------------------------------------------------------------------


def _measure(parsed: ParsedPlan, key: str) -> ParsedMeasure:
    measure = find_measure(parsed, key)
    if measure is None:
        raise CorrectionError(_("This measure is no longer in the plan."))
    return measure


def _baseline(parsed: ParsedPlan, key: str, slug: str) -> ParsedMeasure:
    """The measure as its target corrections see it: with its measure correction applied."""
    measures = [c for c in list_corrections(slug) if c.kind == "measure"]
    return _measure(apply_corrections(parsed, measures)[0], key)


def _existing(slug: str, key: str, kinds, span: str | None) -> PlanCorrection | None:
    kinds = (kinds,) if isinstance(kinds, str) else kinds
    return next(
        (
            c
            for c in list_corrections(slug)
            if c.measure_key == key and c.kind in kinds and c.target_text == span
        ),
        None,
    )


def _save(existing, changes, *, slug, key, kind, span, source, actor, keep_empty=False):
    """Create, replace or (with no changes left) withdraw the correction; audit; flush."""
    if not changes and not keep_empty:
        if existing is not None:
            withdraw_correction(existing, actor=actor)
        return None
    before = _described(existing) if existing is not None else None
    correction = existing or PlanCorrection(plan_slug=slug, measure_key=key, created_by_id=actor.id)
    correction.kind, correction.target_text = kind, span
    correction.changes, correction.source = changes, source
    correction.created_by_id = actor.id
    db.session.add(correction)
    db.session.flush()
    record_event(
        f"plan_correction.{kind}",
        correction,
        actor=actor,
        before=before,
        after=_described(correction),
    )
    db.session.flush()
    return correction


def _described(correction: PlanCorrection) -> dict:
    """What the audit log shows of a correction: where it applies and what it changes."""
    where = {"slug": correction.plan_slug, "measure": correction.measure_key}
    if correction.target_text:
        where["target"] = correction.target_text
    return where | dict(correction.changes or {})


def _check_length(value: str, limit: int, field: str) -> None:
    if len(value) > limit:
        raise CorrectionError(_("Write at most %(max)d characters.", max=limit), field=field)


def _number(value, field: str, *, required: bool = False) -> str | None:
    text = str(value if value is not None else "").strip().replace(",", "")
    if not text:
        if required:
            raise CorrectionError(_("Give the value as a number, e.g. 10 or 2.5."), field=field)
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite() or abs(number) >= MAX_NUMBER:
        raise CorrectionError(_("Give the value as a number, e.g. 10 or 2.5."), field=field)
    return f"{number.normalize():f}"


def _year(value) -> int | None:
    text = str(value if value is not None else "").strip()
    if not text:
        return None
    if not text.isdigit() or not FIRST_YEAR <= int(text) <= LAST_YEAR:
        raise CorrectionError(
            _(
                "Give the deadline as a year between %(first)d and %(last)d.",
                first=FIRST_YEAR,
                last=LAST_YEAR,
            ),
            field="deadline",
        )
    return int(text)
