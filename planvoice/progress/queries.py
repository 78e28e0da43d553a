"""Reading progress: one target with its history, the whole plan's progress for ``/progress``,
a measure's targets, a bureau's targets, and the documents of the JSON API. Each read loads
trackings and latest entries in bulk: a page costs the same queries however many targets."""

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

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


@dataclass
class MeasureRow:
    measure: Measure
    targets: list[TargetProgress]
    fraction: float | None
    report_count: int
    rating: RatingSummary | None


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


def progress_overview(plan: Plan, bureau_code: str | None = None, state: str | None = None):
    """The plan's targets section by section, each with its state and bar, its measure's
    public report count and resident priority; ``counts`` per state (of the bureau's targets
    when ``bureau_code`` is given, before the state filter). Six queries, whatever the size."""
    sections = list(
        db.session.scalars(
            select(Section)
            .where(Section.plan_id == plan.id)
            .order_by(Section.position)
            .options(selectinload(Section.measures).selectinload(Measure.targets))
        )
    )
    measures = [m for s in sections for m in s.current_measures if m.targets]
    items = progress_of_targets([t for m in measures for t in m.targets], plan)
    by_target = {item.target.id: item for item in items}
    measure_ids = [m.id for m in measures]
    reports = (
        dict(
            db.session.execute(
                select(MeasureReportCount.measure_id, MeasureReportCount.public_count).where(
                    MeasureReportCount.measure_id.in_(measure_ids)
                )
            ).all()
        )
        if measure_ids
        else {}
    )
    ratings = (
        {
            summary.measure_id: summary
            for summary in db.session.scalars(
                select(RatingSummary).where(RatingSummary.measure_id.in_(measure_ids))
            )
        }
        if measure_ids
        else {}
    )

    counts = dict.fromkeys(STATES, 0)
    rows = []
    for section in sections:
        row = SectionRow(section)
        for measure in section.current_measures:
            all_items = [by_target[t.id] for t in measure.targets]
            mine = [i for i in all_items if bureau_code is None or _owner_code(i) == bureau_code]
            for item in mine:
                counts[item.state] += 1
            shown = [i for i in mine if state is None or i.state == state]
            if shown:
                row.measures.append(
                    MeasureRow(
                        measure,
                        shown,
                        measure_progress(all_items),
                        reports.get(measure.id, 0),
                        ratings.get(measure.id),
                    )
                )
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
