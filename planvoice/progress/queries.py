"""Reading progress: one target with its history, the whole plan's progress for ``/progress``,
a measure's targets, a bureau's targets, and the documents of the JSON API. Each read loads
trackings and latest entries in bulk: a page costs the same queries however many targets."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from planvoice.core.extensions import db
from planvoice.feedback.models import RatingSummary
from planvoice.plans.models import Measure, Plan, Section, Target
from planvoice.progress.models import ProgressEntry, TargetTracking
from planvoice.progress.services import today
from planvoice.progress.state import (  # noqa: F401 -- target_state is read from here too
    STATES,
    TargetProgress,
    deadline_year,
    measure_fraction,
    progress_of,
    target_state,
)
from planvoice.reports.models import MeasureReportCount

_TRACKING = (
    joinedload(TargetTracking.owner),
    joinedload(TargetTracking.latest_entry).joinedload(ProgressEntry.bureau),
)


def get_target(target_id: int) -> Target | None:
    return db.session.scalar(
        select(Target)
        .where(Target.id == target_id)
        .options(joinedload(Target.measure).joinedload(Measure.section).joinedload(Section.plan))
    )


def trackings_of(target_ids) -> dict[int, TargetTracking]:
    """The trackings of these targets, with owners and latest entries, in one query."""
    if not target_ids:
        return {}
    rows = db.session.scalars(
        select(TargetTracking)
        .where(TargetTracking.target_id.in_(list(target_ids)))
        .options(*_TRACKING)
    )
    return {tracking.target_id: tracking for tracking in rows}


def progress_of_targets(targets, plan, *, on: date | None = None) -> list[TargetProgress]:
    trackings = trackings_of([target.id for target in targets])
    on = on or today()
    return [progress_of(t, trackings.get(t.id), on, plan=plan) for t in targets]


def measure_progress(items: list[TargetProgress]) -> float | None:
    return measure_fraction([(item.fraction, item.weight) for item in items])


@dataclass(frozen=True)
class Demand:
    """What residents ask of a measure: its public reports and their priority ratings."""

    report_count: int
    rating_count: int
    rating_total: int

    @property
    def rating_mean(self) -> float | None:
        return round(self.rating_total / self.rating_count, 2) if self.rating_count else None


@dataclass
class MeasureRow:
    measure: Measure
    targets: list[TargetProgress]
    fraction: float | None
    demand: Demand


@dataclass
class SectionRow:
    section: Section
    measures: list[MeasureRow] = field(default_factory=list)


@dataclass
class Overview:
    sections: list[SectionRow]
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class _LatestFacts:
    """The latest entry as the overview reads it (value, date, bureau), without the entry."""

    value: Decimal
    on: date
    bureau: object


@dataclass(frozen=True)
class _TrackingFacts:
    """A tracking as ``state.progress_of`` and the bars read it, from one joined row."""

    owner: object
    baseline_value: Decimal | None
    baseline_date: date | None
    weight: Decimal | None
    latest_entry: _LatestFacts | None


@dataclass(frozen=True)
class _SectionFacts:
    id: int
    number: str | None
    title: str

    @property
    def heading(self) -> str:
        return f"{self.number} {self.title}" if self.number else self.title


@dataclass(frozen=True)
class _MeasureFacts:
    id: int
    title: str
    demand: Demand


@dataclass(frozen=True)
class _TargetFacts:
    """What ``state`` and the bars read of a target."""

    id: int
    subject: str
    value: Decimal
    unit: str
    comparator: str
    deadline: int | None


def _plan_targets(plan: Plan, bureaus: dict[int, object]):
    """(section, measure, target, tracking) facts of every current target of the plan, in
    plan order, with each measure's demand, in one query of plain columns: a page of bars
    needs no ORM objects."""
    rows = db.session.execute(
        select(
            Section.id,
            Section.number,
            Section.title,
            Measure.id,
            Measure.title,
            MeasureReportCount.public_count,
            RatingSummary.count,
            RatingSummary.total,
            Target.id,
            Target.subject,
            Target.value,
            Target.unit,
            Target.comparator,
            Target.deadline,
            TargetTracking.owner_bureau_id,
            TargetTracking.baseline_value,
            TargetTracking.baseline_date,
            TargetTracking.weight,
            ProgressEntry.value,
            ProgressEntry.on,
            ProgressEntry.bureau_id,
        )
        .select_from(Target)
        .join(Measure, Measure.id == Target.measure_id)
        .join(Section, Section.id == Measure.section_id)
        .outerjoin(TargetTracking, TargetTracking.target_id == Target.id)
        .outerjoin(ProgressEntry, ProgressEntry.id == TargetTracking.latest_entry_id)
        .outerjoin(MeasureReportCount, MeasureReportCount.measure_id == Measure.id)
        .outerjoin(RatingSummary, RatingSummary.measure_id == Measure.id)
        .where(Section.plan_id == plan.id, Measure.is_retired.is_(False))
        .order_by(Section.position, Measure.position, Target.position)
    )
    sections, measures = {}, {}
    for row in rows:
        section_id, number, heading, measure_id, title, reports, ratings, total = row[:8]
        target = row[8:14]
        owner_id, base, base_on, weight, value, on, by = row[14:]
        if section_id not in sections:
            sections[section_id] = _SectionFacts(section_id, number, heading)
        if measure_id not in measures:
            demand = Demand(reports or 0, ratings or 0, total or 0)
            measures[measure_id] = _MeasureFacts(measure_id, title, demand)
        latest = None if on is None else _LatestFacts(value, on, bureaus.get(by))
        tracking = _TrackingFacts(bureaus.get(owner_id), base, base_on, weight, latest)
        yield sections[section_id], measures[measure_id], _TargetFacts(*target), tracking


def progress_overview(
    plan: Plan, bureaus, bureau_code: str | None = None, state: str | None = None
):
    """The plan's targets section by section, each with its state and bar, its measure's
    public report count and resident priority; ``counts`` per state (of the bureau's targets
    when ``bureau_code`` is given, before the state filter). ``bureaus``: every bureau (the
    page lists them for its filter), to name owners without loading them again. One query,
    whatever the size."""
    on = today()
    by_id = {bureau.id: bureau for bureau in bureaus}
    # section → measure → its targets' progress, in plan order.
    plan_order: dict[_SectionFacts, dict[_MeasureFacts, list[TargetProgress]]] = {}
    for section, measure, target, tracking in _plan_targets(plan, by_id):
        item = progress_of(target, tracking, on, plan=plan)
        plan_order.setdefault(section, {}).setdefault(measure, []).append(item)

    counts = dict.fromkeys(STATES, 0)
    rows = []
    for section, measures in plan_order.items():
        row = SectionRow(section)
        for measure, all_items in measures.items():
            mine = [i for i in all_items if bureau_code is None or _owner_code(i) == bureau_code]
            for item in mine:
                counts[item.state] += 1
            shown = [i for i in mine if state is None or i.state == state]
            if shown:
                fraction = measure_progress(all_items)
                row.measures.append(MeasureRow(measure, shown, fraction, measure.demand))
        if row.measures:
            rows.append(row)
    return Overview(rows, counts)


def _owner_code(item: TargetProgress) -> str | None:
    return item.owner.code if item.owner is not None else None


def get_entry(entry_id: int) -> ProgressEntry | None:
    return db.session.get(ProgressEntry, entry_id)


def get_entry_by_upload_key(key: str) -> ProgressEntry | None:
    return db.session.scalar(select(ProgressEntry).where(ProgressEntry.upload_key == key))


def get_entry_with_photo(path: str) -> ProgressEntry | None:
    """The entry whose photo (full size or thumbnail) is stored at ``path``."""
    return db.session.scalar(
        select(ProgressEntry).where(
            (ProgressEntry.photo_path == path) | (ProgressEntry.thumbnail_path == path)
        )
    )


@dataclass(frozen=True)
class HistoryRow:
    entry: ProgressEntry
    corrected_by: ProgressEntry | None


def target_history(target: Target) -> list[HistoryRow]:
    """Every entry of the target, newest first, superseded ones included and marked."""
    entries = list(
        db.session.scalars(
            select(ProgressEntry)
            .where(ProgressEntry.target_id == target.id)
            .order_by(ProgressEntry.on.desc(), ProgressEntry.id.desc())
            .options(joinedload(ProgressEntry.author), joinedload(ProgressEntry.bureau))
        )
    )
    by_corrected = {e.supersedes_id: e for e in entries if e.supersedes_id is not None}
    return [HistoryRow(entry, by_corrected.get(entry.id)) for entry in entries]


def _targets_query():
    return (
        select(Target)
        .join(Measure, Measure.id == Target.measure_id)
        .options(joinedload(Target.measure).joinedload(Measure.section).joinedload(Section.plan))
        .order_by(Measure.position, Target.position)
    )


def targets_owned_by(bureau_id: int | None) -> list[Target]:
    """The targets a bureau owns, in plan order; every current target for None (an
    administrator's sheet)."""
    query = _targets_query().where(Measure.is_retired.is_(False))
    if bureau_id is not None:
        query = query.join(TargetTracking, TargetTracking.target_id == Target.id).where(
            TargetTracking.owner_bureau_id == bureau_id
        )
    return list(db.session.scalars(query))


def get_targets(target_ids) -> dict[int, Target]:
    """Targets by id (with measure and plan), for an uploaded sheet's rows."""
    if not target_ids:
        return {}
    rows = db.session.scalars(_targets_query().where(Target.id.in_(list(target_ids))))
    return {target.id: target for target in rows}


# The JSON API's documents (the contract of issue 15)


def _number(value):
    return None if value is None else float(value)


def _point(value, on):
    return None if value is None else {"value": _number(value), "date": on.isoformat()}


def _document(item: TargetProgress, plan) -> dict:
    target, tracking, latest = item.target, item.tracking, item.latest
    owner = item.owner
    return {
        "id": target.id,
        "measure": target.measure_id,
        "subject": target.subject,
        "value": float(target.value),
        "unit": target.unit,
        "comparator": target.comparator,
        "deadline": deadline_year(target, plan),
        "owner": {"code": owner.code, "name": owner.name} if owner is not None else None,
        "baseline": _point(tracking.baseline_value, tracking.baseline_date)
        if tracking is not None and tracking.baseline_date is not None
        else None,
        "latest": _point(latest.value, latest.on) if latest is not None else None,
        "state": item.state,
    }


def target_document(target: Target) -> dict:
    """One target with its whole history (``progress``, oldest first) for the API."""
    plan = target.measure.plan
    (item,) = progress_of_targets([target], plan)
    entries = db.session.scalars(
        select(ProgressEntry)
        .where(ProgressEntry.target_id == target.id)
        .order_by(ProgressEntry.on, ProgressEntry.id)
        .options(joinedload(ProgressEntry.author))
    )
    return _document(item, plan) | {
        "progress": [
            {
                "date": entry.on.isoformat(),
                "value": float(entry.value),
                "note": entry.note,
                "evidence_url": entry.evidence_url,
                "author": entry.author.display_name if entry.author is not None else None,
                "supersedes": entry.supersedes_id,
            }
            for entry in entries
        ]
    }


def list_target_documents(*, history_url=None) -> list[dict]:
    """Every current target of every plan, without their histories; ``history_url(target)``
    adds each one's address (the API passes it, as only it knows its own URLs)."""
    targets = list(db.session.scalars(_targets_query().where(Measure.is_retired.is_(False))))
    trackings = trackings_of([t.id for t in targets])
    on = today()
    documents = []
    for target in targets:
        plan = target.measure.plan
        document = _document(progress_of(target, trackings.get(target.id), on, plan=plan), plan)
        if history_url is not None:
            document["history_url"] = history_url(target)
        documents.append(document)
    return documents
