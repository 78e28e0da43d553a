"""Reading reports the Open311 way: the filters of ``GET requests``, a request's status and the
few things it shows beyond the report itself (last update, latest public reply)."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NamedTuple

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import joinedload

from planvoice.bureaus.models import Bureau
from planvoice.core.db import utcnow
from planvoice.core.extensions import db
from planvoice.open311.models import ApiKey, Open311Request
from planvoice.reports.areas import Area, Category
from planvoice.reports.models import (
    OPEN_STATUSES,
    PUBLIC_STATUSES,
    REPLY,
    Report,
    ReportEvent,
    ReportPhoto,
    ReportStatus,
)

# The specification's defaults: the last 90 days, at most 1000 requests.
MAX_REQUESTS = 1000
MAX_SPAN = timedelta(days=90)
# Open311 knows only open and closed; derived so a new status cannot fall between them.
CLOSED_STATUSES = tuple(s for s in PUBLIC_STATUSES if s not in OPEN_STATUSES)
# Timeline steps whose note answers the resident in public.
_ANSWERS = (REPLY, ReportStatus.RESOLVED)


def open311_status(report) -> str:
    """``open`` while the problem waits for a fix, ``closed`` once resolved (or a duplicate);
    ``report`` is a Report or a ``RequestRow``."""
    return "open" if report.status in OPEN_STATUSES else "closed"


@dataclass(frozen=True)
class RequestFilters:
    """What ``GET requests`` asks for. With ``codes``, the other filters do not apply."""

    codes: tuple[str, ...] = ()
    categories: tuple[Category, ...] = ()
    start: datetime | None = None
    end: datetime | None = None
    statuses: tuple[str, ...] = ()  # "open", "closed"; empty means both

    def date_range(self, now: datetime | None = None) -> tuple[datetime, datetime]:
        """The requested span: the last 90 days by default, 90 days from a lone start, or 90
        days up to a lone end."""
        if self.start and self.end:
            # Both given: the client chose the span, as the specification allows.
            return self.start, self.end
        if self.start:
            return self.start, self.start + MAX_SPAN
        end = self.end or now or utcnow()
        return end - MAX_SPAN, end


class RequestRow(NamedTuple):
    """The columns of a report that a GeoReport request shows (and its due time needs)."""

    id: int
    code: str
    status: str
    description: str
    address: str | None
    lat: float | None
    lng: float | None
    media_url: str | None
    created_at: datetime
    category_id: int
    area_id: int | None
    bureau_id: int | None
    routed_at: datetime | None
    first_reply_at: datetime | None


def list_requests(filters: RequestFilters) -> list[RequestRow]:
    """Public reports matching ``filters``, newest first, at most ``MAX_REQUESTS``, as plain
    rows: a thousand ORM objects (with their category, area, bureau and photos) cost far more
    to build than the rows cost to fetch."""
    query = (
        select(*(getattr(Report, name) for name in RequestRow._fields))
        # Only public reports: unmoderated or rejected ones must never leave through the API.
        .where(Report.status.in_(PUBLIC_STATUSES))
        # The id breaks ties so the 1000-request cut is the same on every call.
        .order_by(Report.created_at.desc(), Report.id.desc())
        .limit(MAX_REQUESTS)
    )
    if filters.codes:
        # GeoReport v2: service_request_id overrides every other filter, dates included.
        query = query.where(Report.code.in_(filters.codes))
    else:
        start, end = filters.date_range()
        query = query.where(Report.created_at >= start, Report.created_at <= end)
        if filters.categories:
            query = query.where(Report.category_id.in_([c.id for c in filters.categories]))
        if filters.statuses == ("open",):
            query = query.where(Report.status.in_(OPEN_STATUSES))
        elif filters.statuses == ("closed",):
            query = query.where(Report.status.in_(CLOSED_STATUSES))
    return [RequestRow(*row) for row in db.session.execute(query)]


@dataclass(frozen=True)
class References:
    """What the rows name by id (categories, areas with their streets, bureaus), read whole:
    a district has a few dozen of each."""

    categories: dict[int, Category]
    areas: dict[int, Area]
    bureaus: dict[int, Bureau]


def load_references() -> References:
    areas = db.session.scalars(select(Area).options(joinedload(Area.parent)))
    return References(
        categories={c.id: c for c in db.session.scalars(select(Category))},
        areas={a.id: a for a in areas},
        bureaus={b.id: b for b in db.session.scalars(select(Bureau))},
    )


def first_photos(rows: list[RequestRow]) -> dict[int, str]:
    """The stored path of each report's first photo (not an "after" one), by report id."""
    if not rows:
        return {}
    paths: dict[int, str] = {}
    for report_id, path in db.session.execute(
        select(ReportPhoto.report_id, ReportPhoto.path)
        .where(ReportPhoto.report_id.in_(_inline([r.id for r in rows])), ~ReportPhoto.is_after)
        .order_by(ReportPhoto.report_id, ReportPhoto.position)
    ):
        paths.setdefault(report_id, path)
    return paths


def _inline(ids: list[int]):
    # A thousand ids written into the SQL (they are integers from the database) rather than
    # a thousand bound parameters, each of which the driver would parse and send apart.
    return bindparam("ids", [int(i) for i in ids], expanding=True, literal_execute=True)


@dataclass(frozen=True)
class Activity:
    """When a request last changed in public, and the latest public answer to it."""

    updated_at: datetime
    latest_answer: str | None


def activity_of(reports: list["RequestRow"]) -> dict[int, Activity]:
    """The public activity of each report, in two queries whatever their number."""
    ids = [report.id for report in reports]
    if not ids:
        return {}
    last_steps = dict(
        db.session.execute(
            # One grouped query for all the reports instead of reading each report's timeline.
            select(ReportEvent.report_id, func.max(ReportEvent.created_at))
            .where(ReportEvent.report_id.in_(_inline(ids)))
            .group_by(ReportEvent.report_id)
        ).all()
    )
    answers: dict[int, str] = {}
    for report_id, note in db.session.execute(
        select(ReportEvent.report_id, ReportEvent.note)
        .where(ReportEvent.report_id.in_(_inline(ids)), ReportEvent.status.in_(_ANSWERS))
        # A resolve step without a note answers nothing; skip it rather than blank out a reply.
        .where(ReportEvent.note.is_not(None), ReportEvent.note != "")
        .order_by(ReportEvent.id)
    ):
        answers[report_id] = note  # the latest wins
    return {
        report.id: Activity(
            updated_at=last_steps.get(report.id) or report.created_at,
            latest_answer=answers.get(report.id),
        )
        for report in reports
    }


def find_area_named_in(text: str | None) -> Area | None:
    """The area whose name an address names ("东盛街道…"), preferring the most specific (a
    community over its street); None if it names none."""
    if not text:
        return None
    # A district has a few hundred areas at most: matching names in Python is cheap and
    # needs no full-text index for Chinese.
    areas = db.session.scalars(select(Area)).all()
    named = [area for area in areas if area.name and area.name in text]
    # Addresses name the street before the community; the community is the better routing hint.
    return max(named, key=lambda area: (area.kind == "community", len(area.name)), default=None)


def client_apps_of(report_ids) -> dict[int, str]:
    """The name of the client app that filed each of these reports, for those filed through
    Open311 (one query)."""
    ids = list(report_ids)
    if not ids:
        return {}
    return dict(
        db.session.execute(
            select(Open311Request.report_id, ApiKey.name)
            # Reports from the web form have no Open311 row, so the inner join leaves them out.
            .join(ApiKey, ApiKey.id == Open311Request.api_key_id)
            .where(Open311Request.report_id.in_(ids))
        ).all()
    )


def find_request_by_token(token: str) -> Open311Request | None:
    return db.session.scalar(select(Open311Request).where(Open311Request.token == token))
