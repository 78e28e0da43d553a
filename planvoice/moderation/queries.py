"""Reading the community workers' queue: comments and reports awaiting review, reports to
route, routed reports past a time limit, and the prepared reasons."""

from dataclasses import dataclass
from typing import NamedTuple

from flask import current_app
from sqlalchemy import func, or_, select, union_all
from sqlalchemy.orm import joinedload, selectinload

from planvoice.bureaus.queries import report_is_overdue
from planvoice.core.extensions import db
from planvoice.core.policy import ARBITRATION_AFTER_RETURNS
from planvoice.feedback.models import IS_FLAGGED, Comment, CommentStatus
from planvoice.moderation.models import ReasonTemplate
from planvoice.reports.areas import Area
from planvoice.reports.models import (
    HELD_BY_BUREAU,
    OPEN_STATUSES,
    ROUTABLE_STATUSES,
    Report,
    ReportStatus,
)
from planvoice.reports.places import box_around, distance_m
from planvoice.reports.queries import find_nearby

# Each list of the queue shows this many, oldest first: a worker takes them from the top, and
# a page of hundreds, each with its forms, is slow to send and to scroll on a phone.
QUEUE_PAGE_SIZE = 20


@dataclass(frozen=True)
class QueueCounts:
    comments: int  # awaiting review
    flagged: int  # published comments residents flagged
    reports: int  # of the worker's areas: awaiting review or waiting to be routed

    @property
    def pending(self) -> int:
        """What waits for a decision, comments and reports alike (the header's number)."""
        return self.comments + self.reports


def queue_counts(area_ids: list[int] | None) -> QueueCounts:
    """What waits for review, in one query (it runs on every page a moderator opens)."""
    comments = select(func.count()).where(Comment.status == CommentStatus.PENDING)
    # Two counts, each served by its own index (a single scan filtering on "pending OR
    # flagged" had no index to use and read the whole table).
    flagged = select(func.count()).where(IS_FLAGGED)
    waiting = (ReportStatus.SUBMITTED, *ROUTABLE_STATUSES)
    reports = _in_areas(select(func.count()).where(Report.status.in_(waiting)), area_ids)
    row = db.session.execute(
        select(comments.scalar_subquery(), flagged.scalar_subquery(), reports.scalar_subquery())
    ).one()
    return QueueCounts(comments=row[0], flagged=row[1], reports=row[2])


def list_queue(*, limit: int = QUEUE_PAGE_SIZE) -> list[Comment]:
    """Flagged published comments first (most flags first), then pending ones, oldest first."""
    # Flagged comments are already public, so possible harm is live: they come first. Two
    # queries, each walking its own index, rather than one OR that no index serves.
    flagged = _comments_for_review(
        select(Comment)
        .where(IS_FLAGGED)
        .order_by(Comment.flag_count.desc(), Comment.created_at, Comment.id)
        .limit(limit)
    )
    pending = _comments_for_review(
        select(Comment)
        .where(Comment.status == CommentStatus.PENDING)
        .order_by(Comment.created_at, Comment.id)
        .limit(limit - len(flagged))
    )
    return flagged + pending


def _comments_for_review(query) -> list[Comment]:
    return list(
        db.session.scalars(query.options(joinedload(Comment.measure), joinedload(Comment.user)))
    )


@dataclass(frozen=True)
class ReportQueueCounts:
    awaiting_review: int
    to_route: int


def count_report_queue(area_ids: list[int] | None) -> ReportQueueCounts:
    """How many reports of the worker's areas await review and wait to be routed (the lists
    show only the oldest ``QUEUE_PAGE_SIZE``), in one query."""
    awaiting = Report.status == ReportStatus.SUBMITTED
    to_route = Report.status.in_(ROUTABLE_STATUSES)
    query = select(func.count().filter(awaiting), func.count().filter(to_route)).where(
        Report.status.in_((ReportStatus.SUBMITTED, *ROUTABLE_STATUSES))
    )
    row = db.session.execute(_in_areas(query, area_ids)).one()
    return ReportQueueCounts(awaiting_review=row[0], to_route=row[1])


def list_report_queue(
    area_ids: list[int] | None,
    *,
    statuses=(ReportStatus.SUBMITTED,),
    limit: int = QUEUE_PAGE_SIZE,
) -> list[Report]:
    """Reports in ``statuses`` (by default: awaiting review), oldest first: all of them
    (``area_ids`` None), or those in the given areas (a street with its communities) and those
    with a point but no area; with what the queue's rows show (photos, bureau)."""
    # Oldest first: residents have waited longest for these (first in, first served). Each
    # status is read apart, in order from ix_reports_queue, and the few found are merged: over
    # several statuses at once PostgreSQL walked every report by date instead.
    oldest = [
        _in_areas(
            select(Report.id)
            .where(Report.status == status)
            .order_by(Report.created_at, Report.id)
            .limit(limit),
            area_ids,
        ).subquery()
        for status in statuses
    ]
    query = (
        select(Report)
        .where(Report.id.in_(union_all(*(select(part.c.id) for part in oldest))))
        .order_by(Report.created_at, Report.id)
        .options(
            joinedload(Report.category),
            joinedload(Report.area),
            joinedload(Report.bureau),
            # Each row shows the first photo: one query for the page's photos.
            selectinload(Report.photos),
        )
        .limit(limit)
    )
    return list(db.session.scalars(query))


def _in_areas(query, area_ids: list[int] | None):
    if area_ids is not None:
        # Reports bounced between bureaus wait for an administrator instead.
        query = query.where(Report.return_count < ARBITRATION_AFTER_RETURNS)
        # A worker assigned a street or town serves its communities too.
        communities = select(Area.id).where(Area.parent_id.in_(area_ids))
        # A report with no area (its point in no known street) waits for an administrator.
        query = query.where(Report.area_id.in_(area_ids) | Report.area_id.in_(communities))
    return query


def list_reason_templates() -> list[ReasonTemplate]:
    return list(
        db.session.scalars(
            select(ReasonTemplate).order_by(ReasonTemplate.position, ReasonTemplate.id)
        )
    )


def list_overdue_routed(
    area_ids: list[int] | None, *, limit: int = QUEUE_PAGE_SIZE, candidates: int = 40
) -> list[Report]:
    """Reports routed from the given areas (``area_ids`` as for ``list_report_queue``) whose
    bureau let a time limit pass, oldest first: the community worker may chase the bureau."""
    # Overdue is a working-day calculation (holidays, 调休), done in Python rather than SQL,
    # on the oldest reports the bureaus hold: those are the first to be late.
    held = list_report_queue(area_ids, statuses=HELD_BY_BUREAU, limit=candidates)
    return [report for report in held if report_is_overdue(report)][:limit]


def duplicate_suggestions(report: Report) -> list[tuple[Report, float | None]]:
    """Open public reports of the same category that may be the same problem as ``report``:
    within ``DUPLICATE_RADIUS_M`` of its point, or in its community or street; nearest first,
    each with its distance in metres (None when only the place matched)."""
    point = (report.lat, report.lng) if report.lat is not None else None
    return find_nearby(report.category, point=point, area=report.area, exclude_id=report.id)


class Similar(NamedTuple):
    report: Report
    distance: float | None  # metres; None when only the community or street matched


# The queue shows each report's nearest few; the case page lists them all.
SIMILAR_SHOWN = 3


def similar_open(reports: list[Report]) -> dict[int, list[Similar]]:
    """For each of ``reports`` (a page of the queue), the other open public reports of its
    category within ``DUPLICATE_RADIUS_M`` or in its community or street, as
    ``duplicate_suggestions`` finds them, nearest first, the first ``SIMILAR_SHOWN`` each
    with their photos: two queries for the whole page."""
    found = {r.id: [] for r in reports}
    if not reports:
        return found
    radius = current_app.config["DUPLICATE_RADIUS_M"]
    boxes = [box_around(r.lat, r.lng, radius) for r in reports if r.lat is not None]
    area_ids = {r.area_id for r in reports if r.area_id is not None}
    places = [Report.area_id.in_(area_ids), Area.parent_id.in_(area_ids)] if area_ids else []
    if boxes:
        places.append(
            Report.lat.between(min(b.south for b in boxes), max(b.north for b in boxes))
            & Report.lng.between(min(b.west for b in boxes), max(b.east for b in boxes))
        )
    rows = db.session.execute(
        select(
            Report.id, Report.category_id, Report.lat, Report.lng, Report.area_id, Area.parent_id
        )  # fmt: skip
        .outerjoin(Area, Area.id == Report.area_id)
        .where(
            Report.category_id.in_({r.category_id for r in reports}),
            Report.status.in_(OPEN_STATUSES),
            or_(*places),
        )
        .limit(2000)  # a cap: the hint is a hint, and the page must stay fast
    ).all()
    matches = {}
    for report in reports:
        for other_id, category_id, lat, lng, area_id, parent_id in rows:
            if other_id == report.id or category_id != report.category_id:
                continue
            same_place = report.area_id is not None and report.area_id in (area_id, parent_id)
            near = report.lat is not None and lat is not None
            distance = distance_m(report.lat, report.lng, lat, lng) if near else None
            if same_place or (distance is not None and distance <= radius):
                matches.setdefault(report.id, []).append((other_id, distance))
    for pairs in matches.values():
        pairs.sort(key=lambda pair: (pair[1] is None, pair[1] or 0.0))
        del pairs[SIMILAR_SHOWN:]
    shown = {other_id for pairs in matches.values() for other_id, _ in pairs}
    loaded = {}
    if shown:
        loaded = {r.id: r for r in db.session.scalars(
            select(Report).where(Report.id.in_(shown)).options(
                joinedload(Report.area).joinedload(Area.parent), selectinload(Report.photos)
            )
        )}  # fmt: skip
    for report_id, pairs in matches.items():
        found[report_id] = [Similar(loaded[other_id], distance) for other_id, distance in pairs]
    return found
