"""Reading reports: reference data for the form, one report, nearby open reports, the listing
and the counts measure pages show. No state changes here (those are in ``services``)."""

from dataclasses import dataclass

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload, selectinload

from planvoice.core.extensions import db
from planvoice.core.params import parse_id
from planvoice.plans.models import Measure
from planvoice.plans.queries import get_measure
from planvoice.reports.areas import Area, Category
from planvoice.reports.models import (
    OPEN_STATUSES,
    PRIVATE_STATUSES,
    PUBLIC_STATUSES,
    MeasureReportCount,
    Report,
    ReportEvent,
    ReportNote,
    ReportPhoto,
    ReportSupport,
)
from planvoice.reports.places import Bounds, box_around, distance_m

LIST_PAGE_SIZE = 20
NEARBY_LIMIT = 5


# Reference data


def list_categories(*, active_only: bool = False) -> list[Category]:
    """Every category (listings filter old reports by retired ones too), or only those the
    report form offers."""
    query = (
        select(Category)
        .order_by(Category.position, Category.id)
        # Callers (the form, the listing, Open311 services) may show each category's bureau:
        # join it in rather than lazy-load one per row.
        .options(joinedload(Category.default_bureau))
    )
    if active_only:
        query = query.where(Category.is_active.is_(True))
    return list(db.session.scalars(query))


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
            # selectinload: one extra query for all communities, not one per street or town.
            .options(selectinload(Area.children))
        )
    )


def get_area(code: str | None) -> Area | None:
    if not code:
        return None
    return db.session.scalar(select(Area).where(Area.code == code))


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
            joinedload(Report.bureau),
            selectinload(Report.photos),
            # The page shows photos and the whole timeline: a fixed number of queries however long.
            selectinload(Report.events).options(
                joinedload(ReportEvent.bureau), joinedload(ReportEvent.answer)
            ),
        )
    )


def get_photo(path: str) -> tuple[ReportPhoto, Report] | None:
    """The photo stored at ``path`` (full size or thumbnail) and its report."""
    row = db.session.execute(
        select(ReportPhoto, Report)
        .join(Report, Report.id == ReportPhoto.report_id)
        # Returned with its report so the caller can refuse photos of reports not yet public.
        .where((ReportPhoto.path == path) | (ReportPhoto.thumbnail_path == path))
    ).first()
    return tuple(row) if row else None


def find_nearby(
    category: Category,
    *,
    point: tuple[float, float] | None = None,
    area: Area | None = None,
    exclude_key: str | None = None,
    exclude_id: int | None = None,
) -> list[tuple[Report, float | None]]:
    """Open public reports of ``category`` within ``DUPLICATE_RADIUS_M`` of ``point`` or in the
    same place as ``area`` (the community; for a street or town, it and its communities),
    nearest first, with their distance in metres (None when only the place matched). The
    reader's own reports (``exclude_key``) and the report looked at (``exclude_id``) are left
    out."""
    radius = current_app.config["DUPLICATE_RADIUS_M"]
    places = []
    if point is not None:
        # A bounding box first, which the (category, lat) index can narrow; exact distances are
        # computed below only for the few reports inside it.
        box = box_around(*point, radius)
        places.append(
            Report.lat.between(box.south, box.north) & Report.lng.between(box.west, box.east)
        )
    if area is not None:
        # A street's reports are filed under the street or one of its communities.
        within = select(Area.id).where((Area.id == area.id) | (Area.parent_id == area.id))
        places.append(Report.area_id.in_(within))
    if not places:
        return []
    query = (
        select(Report)
        .where(Report.category_id == category.id, Report.status.in_(OPEN_STATUSES), or_(*places))
        .order_by(Report.id.desc())
        # A cap so a dense neighbourhood cannot make the form's duplicate check slow.
        .limit(200)
        .options(joinedload(Report.area).joinedload(Area.parent), selectinload(Report.photos))
    )
    if exclude_key:
        # One's own report is no duplicate to support (support_report refuses that anyway).
        query = query.where(Report.author_key != exclude_key)
    if exclude_id is not None:
        query = query.where(Report.id != exclude_id)
    found = []
    for report in db.session.scalars(query):
        distance = None
        if point is not None and report.lat is not None:
            distance = distance_m(*point, report.lat, report.lng)
        in_place = area is not None and area.id in (
            report.area_id,
            report.area and report.area.parent_id,
        )
        if in_place or (distance is not None and distance <= radius):
            found.append((report, distance))
    # Reports matched only by community have no distance; list them after measured ones.
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
    measure_id = args.get("measure", type=parse_id)
    return ReportFilters(
        category=get_category(args.get("category")),
        area=get_area(args.get("area")),
        # A private status in the URL must not become a way to list unmoderated reports.
        status=status if status in PUBLIC_STATUSES else None,
        # A malformed or impossible id filters nothing instead of raising a server error.
        measure=get_measure(measure_id) if measure_id else None,
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
        # Unfiltered, every status but the private ones: unmoderated and rejected reports
        # must never appear in a public listing.
        visible = Report.status.not_in(PRIVATE_STATUSES)
    query = (
        select(Report)
        .where(visible)
        .order_by(Report.id.desc())
        .limit(page_size + 1)
        .options(
            joinedload(Report.category),
            joinedload(Report.area),
            joinedload(Report.bureau),
            selectinload(Report.photos),
        )
    )
    if filters.category is not None:
        query = query.where(Report.category_id == filters.category.id)
    if filters.area is not None:
        # A street's filter covers the reports filed in its communities too.
        area_ids = [filters.area.id] + [child.id for child in filters.area.children]
        query = query.where(Report.area_id.in_(area_ids))
    if filters.measure is not None:
        query = query.where(Report.measure_id == filters.measure.id)
    if before is not None:
        # Keyset on the id: pages stay fast and do not shift while new reports arrive.
        query = query.where(Report.id < before)
    reports = list(db.session.scalars(query))
    has_more = len(reports) > page_size
    reports = reports[:page_size]
    return ReportPage(reports=reports, next_before=reports[-1].id if has_more else None)


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


def count_measure_reports(measure: Measure) -> int:
    """How many public reports concern a measure (a maintained count: one row read)."""
    count = db.session.scalar(
        # A maintained counter (change_public_count) instead of COUNT(*) on every measure page.
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
    # Two scalar subqueries in one SELECT: one round trip for the measure page.
    found, code = db.session.execute(select(count, category_code)).one()
    return found or 0, code


def notes_of(report_ids) -> dict[int, list]:
    """The internal notes of these reports, oldest first, with their authors, by report id.
    Only for people ``policy.can_read_report_notes`` allows: never put them on public pages."""
    ids = list(report_ids)
    # Every id gets a list, so templates need not tell 'no notes' from 'not loaded'.
    found: dict[int, list] = {report_id: [] for report_id in ids}
    if not ids:
        return found
    notes = db.session.scalars(
        select(ReportNote)
        .where(ReportNote.report_id.in_(ids))
        .order_by(ReportNote.created_at, ReportNote.id)
        # All the page's notes and their authors in one query, whatever the number of reports.
        .options(joinedload(ReportNote.author))
    )
    for note in notes:
        found[note.report_id].append(note)
    return found


def area_at(point: tuple[float, float]) -> Area | None:
    """The street or town a point lies in: the one whose box holds it (the smallest, where
    boxes overlap), else the one whose box's centre is nearest; None when no street or town
    has a box yet."""
    lat, lng = point
    streets = db.session.scalars(
        select(Area).where(Area.kind != "community", Area.south.is_not(None))
    ).all()
    boxed = [a for a in streets if a.box is not None]
    holding = [a for a in boxed if a.south <= lat <= a.north and a.west <= lng <= a.east]
    if holding:
        return min(holding, key=lambda a: (a.north - a.south) * (a.east - a.west))
    centre = lambda a: ((a.south + a.north) / 2, (a.west + a.east) / 2)  # noqa: E731
    return min(boxed, key=lambda a: distance_m(lat, lng, *centre(a)), default=None)


def district_bounds() -> Bounds:
    return Bounds(*current_app.config["DISTRICT_BOUNDS"])


# Supporters' e-mails: each one carries a link that stops them, signed so nobody can guess it.
_STOP_EMAILS_SALT = "support-stop-emails"


def stop_emails_token(support: ReportSupport) -> str:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=_STOP_EMAILS_SALT).dumps(
        support.id
    )


def support_of_stop_token(report: Report, token: str) -> ReportSupport | None:
    """The support of ``report`` whose e-mails ``token`` stops, or None for a bad token."""
    serializer = URLSafeSerializer(current_app.config["SECRET_KEY"], salt=_STOP_EMAILS_SALT)
    try:
        support_id = serializer.loads(token)
    except BadSignature:
        return None
    # loads returns whatever JSON was signed; only an int can be a support's id, and get()
    # must not be handed anything else.
    support = db.session.get(ReportSupport, support_id) if isinstance(support_id, int) else None
    # The token must belong to this report's URL, so it cannot be replayed on another one.
    return support if support is not None and support.report_id == report.id else None


def home_page_reports(
    guest_key: str | None, *, mine: int = 3, answered: int = 6
) -> tuple[list[Report], list[Report]]:
    """What the home page shows of reports: the newest ``mine`` that this guest browser filed
    (in any status: their author sees them all; none without a key), and the ``answered``
    public reports a bureau answered last (replied or resolved), each with its category, area
    and photos (for the "after" ones) loaded in the same single query."""
    own = []
    if guest_key:
        own = list(
            db.session.scalars(
                select(Report)
                .where(Report.author_key == guest_key)
                .order_by(Report.id.desc())
                .limit(mine)
                .options(joinedload(Report.category))
            )
        )
    # Resolution comes after the first reply; either one is an answer.
    answered_at = db.func.coalesce(Report.resolved_at, Report.first_reply_at)
    recent = db.session.scalars(
        select(Report)
        .where(Report.status.in_(PUBLIC_STATUSES), answered_at.is_not(None))
        .order_by(answered_at.desc(), Report.id.desc())
        .limit(answered)
        # joinedload of the photos with LIMIT: SQLAlchemy limits the reports in a subquery
        # and joins their photos to it, still one statement.
        .options(joinedload(Report.category), joinedload(Report.area), joinedload(Report.photos))
    )
    return own, list(recent.unique())
