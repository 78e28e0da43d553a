"""Who follows what: the reads that tell ``notifications`` whom an event concerns, and the
ones the following pages show. Live means confirmed and not ended."""

import math

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from planvoice.core.caching import once_per_request
from planvoice.core.extensions import db
from planvoice.following.models import MAX_RADIUS_M, Follow, FollowKind
from planvoice.plans.models import Measure
from planvoice.reports.areas import Area
from planvoice.reports.models import Report
from planvoice.reports.places import METRES_PER_DEGREE_LAT, distance_m

_live = (Follow.confirmed_at.is_not(None), Follow.ended_at.is_(None))

# The column that names a subject of each kind; a place is named by the follow's own id.
TARGET_COLUMNS = {
    FollowKind.MEASURE: Follow.measure_id,
    FollowKind.REPORT: Follow.report_id,
    FollowKind.AREA: Follow.area_id,
    FollowKind.PLACE: Follow.id,
}


def follows_of_measure(measure_id: int) -> list[Follow]:
    return _live_of(FollowKind.MEASURE, Follow.measure_id == measure_id)


def follows_of_report(report_id: int) -> list[Follow]:
    return _live_of(FollowKind.REPORT, Follow.report_id == report_id)


def follows_of_areas(area_ids: list[int]) -> list[Follow]:
    """The live follows of any of these areas (a report's community and its street, say)."""
    if not area_ids:
        return []
    return _live_of(FollowKind.AREA, Follow.area_id.in_(list(area_ids)))


def follows_near(lat: float, lng: float) -> list[Follow]:
    """The live places whose circle holds the point: a box in SQL (every circle is at most
    ``MAX_RADIUS_M`` wide), then the great-circle distance of each."""
    d_lat = MAX_RADIUS_M / METRES_PER_DEGREE_LAT
    d_lng = MAX_RADIUS_M / (METRES_PER_DEGREE_LAT * max(math.cos(math.radians(lat)), 0.01))
    candidates = _live_of(
        FollowKind.PLACE,
        Follow.lat.between(lat - d_lat, lat + d_lat),
        Follow.lng.between(lng - d_lng, lng + d_lng),
    )
    return [f for f in candidates if distance_m(f.lat, f.lng, lat, lng) <= f.radius_m]


def ended_follows(kind: str, target_id: int) -> list[Follow]:
    """The people who asked to hear no more of this subject (rows with ``ended_at``): also
    as commenters, raters or supporters of it."""
    column = TARGET_COLUMNS[FollowKind(kind)]
    query = (
        select(Follow)
        .options(selectinload(Follow.user))
        .where(Follow.kind == kind, column == target_id, Follow.ended_at.is_not(None))
    )
    return list(db.session.scalars(query.order_by(Follow.id)))


def follows_of_person(*, user=None, email: str | None = None) -> list[Follow]:
    """What a person follows or asked to follow (not ended), with their subjects, for their
    page: an account's follows, or an address's follows without an account."""
    query = (
        select(Follow)
        .where(_person(user=user, email=email), Follow.ended_at.is_(None))
        .options(joinedload(Follow.measure), joinedload(Follow.report), joinedload(Follow.area))
        .order_by(Follow.kind, Follow.created_at, Follow.id)
    )
    return list(db.session.scalars(query))


def follow_row_of(kind: str, target_id: int, user) -> Follow | None:
    """The account's row for this subject, live or ended, cached for the request (a page
    asks for its button and for the default of its "follow" switches)."""
    column = TARGET_COLUMNS[FollowKind(kind)]
    query = select(Follow).where(
        Follow.kind == kind, column == target_id, Follow.user_id == user.id
    )
    return once_per_request(
        "follow-row", (kind, target_id, user.id), lambda: db.session.scalar(query.limit(1))
    )


def live_follow_of(kind: str, target_id: int, user) -> Follow | None:
    """The account's live follow of this subject, for its page's "Stop following"."""
    row = follow_row_of(kind, target_id, user)
    return row if row is not None and row.is_live else None


def follows_by_default(kind: str, target_id: int, user) -> bool:
    """Whether taking part (a comment, a report, a "me too") follows the subject unless the
    person unticks it: yes, but for someone who ended their follow of it (they asked to hear
    no more)."""
    row = follow_row_of(kind, target_id, user)
    return row is None or row.ended_at is None


def subject_of(kind: str, target_id: int):
    """The measure, report or area a stop link names (a place: its ``Follow``), or None."""
    model = {
        FollowKind.MEASURE: Measure,
        FollowKind.REPORT: Report,
        FollowKind.AREA: Area,
        FollowKind.PLACE: Follow,
    }[FollowKind(kind)]
    return db.session.get(model, target_id)


def places_of_own_reports(user, *, limit: int = 5) -> list[Report]:
    """The account's latest reports that have a point: places it may want to follow."""
    query = (
        select(Report)
        .where(Report.user_id == user.id, Report.lat.is_not(None))
        .order_by(Report.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(query))


def _person(*, user=None, email=None):
    if user is not None:
        return Follow.user_id == user.id
    # An address's follows without an account only: an account's follows are its own.
    return (Follow.email == (email or "").lower()) & Follow.user_id.is_(None)


def _live_of(kind: str, *conditions) -> list[Follow]:
    """Live follows, with their accounts (the people ``notifications`` writes to) in one
    more query rather than one per follow."""
    query = (
        select(Follow)
        .options(selectinload(Follow.user))
        .where(Follow.kind == kind, *conditions, *_live)
        .order_by(Follow.id)
    )
    return list(db.session.scalars(query))
