"""Reports: filing one (with its photos), supporting one, and the reads the pages need.

A report is created once per submission token, inside a SAVEPOINT, exactly as comments are
(``feedback.services``). Photos are written to disk before the row is flushed; if the
transaction is rolled back afterwards (a concurrent duplicate, a failed commit), the files are
removed again, so a refused or failed report never leaves files behind.
"""

from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from sqlalchemy import event, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload, selectinload

from planvoice.core.audit import record_event
from planvoice.core.db import utcnow
from planvoice.core.extensions import db
from planvoice.core.i18n import _
from planvoice.plans.models import Measure
from planvoice.plans.services import get_measure
from planvoice.reports import photos as photo_files
from planvoice.reports.models import (
    OPEN_STATUSES,
    PRIVATE_STATUSES,
    PUBLIC_STATUSES,
    Area,
    Category,
    MeasureReportCount,
    Report,
    ReportEvent,
    ReportPhoto,
    ReportStatus,
    ReportSupport,
)
from planvoice.reports.places import Bounds, box_around, distance_m, new_tracking_code

LIST_PAGE_SIZE = 20
NEARBY_LIMIT = 5
_FILES_KEY = "planvoice.reports.new_files"


class ReportError(ValueError):
    """A report or a support that cannot be accepted; the message is for people."""


def district_bounds() -> Bounds:
    return Bounds(*current_app.config["DISTRICT_BOUNDS"])


# Reference data


def list_categories() -> list[Category]:
    return list(db.session.scalars(select(Category).order_by(Category.position, Category.id)))


def get_category(code: str | None) -> Category | None:
    if not code:
        return None
    return db.session.scalar(select(Category).where(Category.code == code))


def list_areas() -> list[Area]:
    """Streets and towns, each with its communities loaded, in code order."""
    return list(
        db.session.scalars(
            select(Area)
            .where(Area.parent_id.is_(None))
            .order_by(Area.kind, Area.code)
            .options(selectinload(Area.children))
        )
    )


def get_area(code: str | None) -> Area | None:
    if not code:
        return None
    return db.session.scalar(select(Area).where(Area.code == code))


# Filing a report


def submit_report(
    *,
    category: Category,
    description: str,
    submission_token: str,
    author_key: str,
    area: Area | None = None,
    address: str | None = None,
    point: tuple[float, float] | None = None,
    photos: list[photo_files.ProcessedPhoto] = (),
    measure: Measure | None = None,
    reporter_name: str | None = None,
    contact: str | None = None,
    user=None,
    ip_hash: str | None = None,
) -> Report:
    """File a report and flush; return it (status ``submitted``: it waits for moderation).

    The same ``submission_token`` sent twice (a resubmitted form) returns the report it
    created the first time, and stores no photos again. The measure defaults to the one the
    category concerns.
    """
    existing = _report_by_token(submission_token)
    if existing is not None:
        return existing
    if area is None and point is None:
        raise ReportError(_("Tell us where the problem is: choose an area or give a point."))
    if point is not None and not district_bounds().contains(*point):
        raise ReportError(_("This point lies outside the district."))
    report = Report(
        code=_unused_code(),
        category=category,
        measure=measure or category.measure,
        description=description,
        area=area,
        address=address or None,
        lat=point[0] if point else None,
        lng=point[1] if point else None,
        status=ReportStatus.SUBMITTED,
        reporter_name=reporter_name or None,
        contact=contact or None,
        user_id=user.id if user is not None else None,
        author_key=author_key,
        submission_token=submission_token,
        ip_hash=ip_hash,
    )
    folder = current_app.config["UPLOAD_FOLDER"]
    for position, photo in enumerate(photos, start=1):
        path, thumbnail_path = photo_files.store_photo(photo, folder)
        _remove_on_rollback(path, thumbnail_path)
        report.photos.append(
            ReportPhoto(
                position=position,
                path=path,
                thumbnail_path=thumbnail_path,
                width=photo.width,
                height=photo.height,
            )
        )
    report.events.append(ReportEvent(status=ReportStatus.SUBMITTED, created_at=utcnow()))
    try:
        with db.session.begin_nested():
            db.session.add(report)
    except IntegrityError:
        # A concurrent request with the same token got there first.
        _delete_files([p for photo in report.photos for p in (photo.path, photo.thumbnail_path)])
        existing = _report_by_token(submission_token)
        if existing is None:
            raise
        return existing
    db.session.flush()
    return report


def _report_by_token(token: str) -> Report | None:
    return db.session.scalar(select(Report).where(Report.submission_token == token))


def _unused_code() -> str:
    prefix = current_app.config["REPORT_CODE_PREFIX"]
    while True:  # a collision is a one-in-hundreds-of-millions event
        code = new_tracking_code(prefix)
        if db.session.scalar(select(Report.id).where(Report.code == code)) is None:
            return code


def _remove_on_rollback(*paths: str) -> None:
    db.session().info.setdefault(_FILES_KEY, []).extend(paths)


def _delete_files(paths: list[str]) -> None:
    photo_files.delete_stored(current_app.config["UPLOAD_FOLDER"], *paths)


# Savepoints commit and roll back too; only the outermost transaction decides a file's fate.
@event.listens_for(Session, "after_commit")
def _keep_new_files(session):
    if not session.in_nested_transaction():
        session.info.pop(_FILES_KEY, None)


@event.listens_for(Session, "after_rollback")
def _drop_new_files(session):
    if session.in_nested_transaction():
        return
    paths = session.info.pop(_FILES_KEY, None)
    if paths:
        _delete_files(paths)


def publish_report(report: Report, *, moderator, note: str | None = None) -> Report:
    """Make a submitted report public and flush (the moderation queue's first step)."""
    if report.status != ReportStatus.SUBMITTED:
        raise ReportError(_("Only a report that awaits review can be published."))
    before = {"status": report.status}
    report.status = ReportStatus.PUBLISHED
    report.published_at = utcnow()
    change_public_count(report, +1)
    report.events.append(ReportEvent(status=ReportStatus.PUBLISHED, note=note))
    record_event(
        "report.publish", report, actor=moderator, before=before, after={"status": report.status}
    )
    db.session.flush()
    return report


# Supporting an existing report ("me too")


def support_report(report: Report, *, supporter_key: str, user=None) -> ReportSupport:
    """Add a resident's support to an open public report, once each, and flush."""
    if report.author_key == supporter_key:
        raise ReportError(_("This is your own report: there is no need to support it."))
    if report.status not in OPEN_STATUSES:
        raise ReportError(_("Only open reports can be supported."))
    already = _("You already support this report.")
    taken = select(ReportSupport.id).where(
        ReportSupport.report_id == report.id, ReportSupport.supporter_key == supporter_key
    )
    if db.session.scalar(taken) is not None:
        raise ReportError(already)
    support = ReportSupport(
        report_id=report.id, supporter_key=supporter_key, user_id=user and user.id
    )
    try:
        with db.session.begin_nested():
            db.session.add(support)
    except IntegrityError:
        raise ReportError(already) from None
    table = Report.__table__
    db.session.execute(
        update(table).where(table.c.id == report.id).values(support_count=table.c.support_count + 1)
    )
    db.session.flush()
    db.session.refresh(report, ["support_count"])
    return support


def supports(report: Report, supporter_key: str | None) -> bool:
    if not supporter_key:
        return False
    return (
        db.session.scalar(
            select(ReportSupport.id).where(
                ReportSupport.report_id == report.id, ReportSupport.supporter_key == supporter_key
            )
        )
        is not None
    )


# Reading reports


def get_report(code: str | None) -> Report | None:
    """The report with this (canonical) tracking code, with what its page shows."""
    if not code:
        return None
    return db.session.scalar(
        select(Report)
        .where(Report.code == code)
        .options(
            joinedload(Report.category),
            joinedload(Report.measure),
            joinedload(Report.area).joinedload(Area.parent),
            selectinload(Report.photos),
            selectinload(Report.events),
        )
    )


def get_photo(path: str) -> tuple[ReportPhoto, Report] | None:
    """The photo stored at ``path`` (full size or thumbnail) and its report."""
    row = db.session.execute(
        select(ReportPhoto, Report)
        .join(Report, Report.id == ReportPhoto.report_id)
        .where((ReportPhoto.path == path) | (ReportPhoto.thumbnail_path == path))
    ).first()
    return tuple(row) if row else None


def find_nearby(
    category: Category,
    *,
    point: tuple[float, float] | None = None,
    area: Area | None = None,
    exclude_key: str | None = None,
) -> list[tuple[Report, float | None]]:
    """Open public reports of ``category`` within ``DUPLICATE_RADIUS_M`` of ``point`` or in the
    same community as ``area``, nearest first, with their distance in metres (None when only
    the community matched). The reader's own reports (``exclude_key``) are left out."""
    radius = current_app.config["DUPLICATE_RADIUS_M"]
    community = area if area is not None and area.kind == "community" else None
    places = []
    if point is not None:
        box = box_around(*point, radius)
        places.append(
            Report.lat.between(box.south, box.north) & Report.lng.between(box.west, box.east)
        )
    if community is not None:
        places.append(Report.area_id == community.id)
    if not places:
        return []
    query = (
        select(Report)
        .where(Report.category_id == category.id, Report.status.in_(OPEN_STATUSES), or_(*places))
        .order_by(Report.id.desc())
        .limit(200)
        .options(joinedload(Report.area))
    )
    if exclude_key:
        query = query.where(Report.author_key != exclude_key)
    found = []
    for report in db.session.scalars(query):
        distance = None
        if point is not None and report.lat is not None:
            distance = distance_m(*point, report.lat, report.lng)
        in_community = community is not None and report.area_id == community.id
        if in_community or (distance is not None and distance <= radius):
            found.append((report, distance))
    found.sort(key=lambda item: (item[1] is None, item[1] or 0.0))
    return found[:NEARBY_LIMIT]


@dataclass
class ReportFilters:
    category: Category | None = None
    area: Area | None = None
    status: str | None = None
    measure: Measure | None = None


def read_filters(args) -> ReportFilters:
    """Filters from query parameters (``category``, ``area``, ``status``, ``measure`` codes and
    ids); unknown values filter nothing."""
    status = args.get("status")
    measure_id = args.get("measure", "")
    return ReportFilters(
        category=get_category(args.get("category")),
        area=get_area(args.get("area")),
        status=status if status in PUBLIC_STATUSES else None,
        measure=get_measure(int(measure_id)) if measure_id.isdigit() else None,
    )


@dataclass
class ReportPage:
    reports: list[Report]
    next_before: int | None


def list_reports(
    filters: ReportFilters, *, before: int | None = None, page_size: int = LIST_PAGE_SIZE
) -> ReportPage:
    """Public reports, newest first, ``page_size`` at a time (keyset on the id: ``before`` is
    the last id of the previous page). An area filter includes its communities."""
    if filters.status in PUBLIC_STATUSES:
        visible = Report.status == filters.status
    else:
        visible = Report.status.not_in(PRIVATE_STATUSES)
    query = (
        select(Report)
        .where(visible)
        .order_by(Report.id.desc())
        .limit(page_size + 1)
        .options(
            joinedload(Report.category),
            joinedload(Report.area),
            selectinload(Report.photos),
        )
    )
    if filters.category is not None:
        query = query.where(Report.category_id == filters.category.id)
    if filters.area is not None:
        area_ids = [filters.area.id] + [child.id for child in filters.area.children]
        query = query.where(Report.area_id.in_(area_ids))
    if filters.measure is not None:
        query = query.where(Report.measure_id == filters.measure.id)
    if before is not None:
        query = query.where(Report.id < before)
    reports = list(db.session.scalars(query))
    has_more = len(reports) > page_size
    reports = reports[:page_size]
    return ReportPage(reports=reports, next_before=reports[-1].id if has_more else None)


def change_public_count(report: Report, delta: int) -> None:
    """Count ``report`` in (+1) or out (-1) of its measure's public reports; call it in the
    transaction that moves the report into or out of the public statuses."""
    if report.measure_id is None:
        return
    table = MeasureReportCount.__table__
    exists = select(table.c.measure_id).where(table.c.measure_id == report.measure_id)
    if db.session.scalar(exists) is None:
        try:
            with db.session.begin_nested():
                db.session.execute(table.insert().values(measure_id=report.measure_id))
        except IntegrityError:
            pass  # created by a concurrent first report
    db.session.execute(
        update(table)
        .where(table.c.measure_id == report.measure_id)
        .values(public_count=table.c.public_count + delta)
    )


def count_measure_reports(measure: Measure) -> int:
    """How many public reports concern a measure (a maintained count: one row read)."""
    count = db.session.scalar(
        select(MeasureReportCount.public_count).where(MeasureReportCount.measure_id == measure.id)
    )
    return count or 0


def summarise_measure_reports(measure: Measure) -> tuple[int, str | None]:
    """For a measure page, in one query: how many public reports concern the measure, and the
    code of the first category about it (to preselect on the report form), if any."""
    count = (
        select(MeasureReportCount.public_count)
        .where(MeasureReportCount.measure_id == measure.id)
        .scalar_subquery()
    )
    category_code = (
        select(Category.code)
        .where(Category.measure_id == measure.id)
        .order_by(Category.position, Category.id)
        .limit(1)
        .scalar_subquery()
    )
    found, code = db.session.execute(select(count, category_code)).one()
    return found or 0, code


def list_own_reports(author_key: str) -> list[Report]:
    return list(
        db.session.scalars(
            select(Report)
            .where(Report.author_key == author_key)
            .order_by(Report.id.desc())
            .options(joinedload(Report.category))
        )
    )


def photo_path(relative: str) -> Path:
    return Path(current_app.config["UPLOAD_FOLDER"]) / relative
