"""Following a subject, confirming an e-mail follow, and ending one.

A follow by account is live at once. A follow by an e-mail address without an account waits
for the address to confirm it (the double opt-in): nothing is sent about the subject until
then, and typing someone's address anywhere can get them one confirmation e-mail, no more.
A person follows a subject once: asking again revives or updates the same row.
"""

from flask import current_app
from sqlalchemy import delete, func, select

from planvoice.core import signals
from planvoice.core.db import utcnow
from planvoice.core.extensions import db
from planvoice.core.i18n import _
from planvoice.core.identity import normalise_login
from planvoice.following import links
from planvoice.following.models import (
    MAX_PLACES,
    MAX_RADIUS_M,
    MIN_RADIUS_M,
    Follow,
    FollowKind,
)
from planvoice.following.queries import TARGET_COLUMNS
from planvoice.plans.models import Measure
from planvoice.reports.areas import Area
from planvoice.reports.models import Report
from planvoice.reports.places import Bounds, normalise_code

LABEL_MAX_LENGTH = 60


class FollowError(Exception):
    """A follow that cannot be made; the message (translated) says why, for the person."""


def follow(
    kind: str,
    target=None,
    *,
    user=None,
    email: str | None = None,
    lat: float | None = None,
    lng: float | None = None,
    radius_m: int | None = None,
    label: str | None = None,
    language: str | None = None,
) -> Follow:
    """Follow a subject and flush; return the follow.

    ``target`` names it: a measure's id, a public report's tracking code, an area's code (a
    street, town or community), or the measure or report itself when the caller loaded it and
    checked the person may follow it (a reporter's own report before it is public). A place
    is ``lat``/``lng`` inside the district and ``radius_m`` of 200–2000 m, at most five per
    person, with an optional ``label``. The person is the signed-in ``user`` (live at once)
    or an ``email`` without an account (``language``: of the confirmation e-mail and of what
    follows): that follow waits for the link sent through ``follow_confirmation_requested``.
    """
    if kind not in FollowKind.__members__.values():
        raise FollowError(_("Choose what to follow: a measure, a report, an area or a place."))
    address = None
    if user is None:
        address = _email_address(email)
    if kind == FollowKind.PLACE:
        subject = _place(lat, lng, radius_m)
        label = (label or "").strip()[:LABEL_MAX_LENGTH] or None
    else:
        subject = {TARGET_COLUMNS[FollowKind(kind)].key: _target_id(kind, target)}
    row = _existing(kind, subject, user=user, email=address)
    if kind == FollowKind.PLACE and (row is None or row.ended_at is not None):
        _check_room_for_place(user=user, email=address)
    if row is None:
        row = Follow(kind=kind, user_id=user.id if user is not None else None, email=address)
        db.session.add(row)
    for column, value in subject.items():
        setattr(row, column, value)
    if kind == FollowKind.PLACE:
        row.label = label or row.label
    if address is not None:
        row.language = language or row.language
    if user is not None:
        # An account proves who follows: live now (again, if it had ended).
        row.confirmed_at, row.ended_at = row.confirmed_at or utcnow(), None
        db.session.flush()
        return row
    db.session.flush()
    if not row.is_live:
        # An ended follow stays ended (the person asked to hear no more) until the address
        # itself confirms again; a live one needs no new link.
        language = row.language or current_app.config["BABEL_DEFAULT_LOCALE"]
        signals.follow_confirmation_requested.send(
            row, link=links.confirm_url(row), language=language
        )
    return row


def follow_as_participant(
    kind: str, subject, *, user=None, email: str | None = None, language: str | None = None
) -> Follow | None:
    """Follow what a person just took part in (a comment's measure, their report, the report
    they said "me too" to) when they left the switch ticked: by account if it has a confirmed
    e-mail address, else by the ``email`` they typed (confirmed by its link, like any e-mail
    follow). None when there is no address to reach them at; flushes."""
    if user is not None:
        return follow(kind, subject, user=user) if user.email_confirmed_at else None
    normalised = normalise_login(email or "")
    if normalised is None or normalised[0] != "email":
        return None
    return follow(kind, subject, email=normalised[1], language=language)


def confirm_follow(token: str) -> Follow | None:
    """Confirm the e-mail follow a confirmation link names, and flush: it is live from now
    (an ended one too: the address asked for it again). None when the link is forged,
    expired, or its follow is gone."""
    follow_ = follow_of_confirm_token(token)
    if follow_ is None:
        return None
    if not follow_.is_live:
        follow_.confirmed_at, follow_.ended_at = utcnow(), None
        db.session.flush()
    return follow_


def follow_of_confirm_token(token: str) -> Follow | None:
    """The follow a valid confirmation link names (for its page, before the button)."""
    named = links.follow_of_confirm_token(token)
    if named is None:
        return None
    follow_ = db.session.get(Follow, named[0])
    if follow_ is None or follow_.user_id is not None or follow_.email != named[1]:
        return None
    return follow_


def end_follow(follow_: Follow) -> None:
    """End a follow and flush: nothing more is sent about its subject to this person. The row
    stays, ended, so that taking part later (a comment) does not follow it again unasked."""
    if follow_.ended_at is None:
        follow_.ended_at = utcnow()
        db.session.flush()


def stop_subject(kind: str, target_id: int, *, user_id=None, email=None) -> None:
    """What a one-click stop link does (``links.stop_url``): end this person's follow of the
    subject, or, when they took part without following it, record an ended follow so that
    they hear no more of it. Flushes."""
    column = TARGET_COLUMNS[FollowKind(kind)]
    person = Follow.user_id == user_id if user_id is not None else Follow.email == email
    query = select(Follow).where(Follow.kind == kind, column == target_id, person)
    rows = list(db.session.scalars(query))
    if not rows:
        if kind == FollowKind.PLACE:
            return  # a place is named by its follow: gone, nothing to stop
        row = Follow(kind=kind, user_id=user_id, email=None if user_id else email)
        setattr(row, column.key, target_id)
        row.ended_at = utcnow()
        db.session.add(row)
    for row in rows:
        row.ended_at = row.ended_at or utcnow()
    db.session.flush()


def subject_name(follow_: Follow) -> str:
    """What a follow is of, in a few words for a page or a message (in the current locale)."""
    subject = {
        FollowKind.MEASURE: follow_.measure,
        FollowKind.REPORT: follow_.report,
        FollowKind.AREA: follow_.area,
    }.get(follow_.kind, follow_)
    return describe_subject(follow_.kind, subject)


def describe_subject(kind: str, subject) -> str:
    """The words for a measure, report, area or (a ``Follow``) place, as ``subject_name``."""
    if kind == FollowKind.MEASURE:
        return _("the measure “%(title)s”", title=subject.title)
    if kind == FollowKind.REPORT:
        return _("report %(code)s", code=subject.code)
    if kind == FollowKind.AREA:
        return _("the area %(name)s", name=subject.full_name)
    where = subject.label or f"{subject.lat:.5f}, {subject.lng:.5f}"
    return _("%(radius)d m around %(place)s", radius=subject.radius_m, place=where)


# Checks


def _email_address(email: str | None) -> str:
    normalised = normalise_login(email or "")
    if normalised is None or normalised[0] != "email":
        raise FollowError(_("Enter your e-mail address, such as name@example.com, to follow."))
    return normalised[1]


def _target_id(kind: str, target) -> int:
    if kind == FollowKind.MEASURE:
        if isinstance(target, Measure):
            return target.id
        try:
            measure = db.session.get(Measure, int(str(target)))
        except (TypeError, ValueError, OverflowError):
            measure = None
        if measure is None:
            raise FollowError(_("There is no such measure to follow."))
        return measure.id
    if kind == FollowKind.REPORT:
        if isinstance(target, Report):
            return target.id
        code = normalise_code(str(target or ""))
        report = db.session.scalar(select(Report).where(Report.code == code)) if code else None
        # Unpublished and rejected reports are their author's alone.
        if report is None or not report.is_public:
            raise FollowError(_("There is no such public report to follow."))
        return report.id
    area = db.session.scalar(select(Area).where(Area.code == str(target or "")))
    if area is None:
        raise FollowError(_("There is no such street, town or community to follow."))
    return area.id


def _place(lat, lng, radius_m) -> dict:
    if lat is None or lng is None:
        raise FollowError(_("Give the place as a latitude and a longitude."))
    if not Bounds(*current_app.config["DISTRICT_BOUNDS"]).contains(lat, lng):
        raise FollowError(_("This point lies outside the district: choose a place inside it."))
    if radius_m is None or not MIN_RADIUS_M <= radius_m <= MAX_RADIUS_M:
        raise FollowError(
            _(
                "Choose a distance from %(min)d to %(max)d metres.",
                min=MIN_RADIUS_M,
                max=MAX_RADIUS_M,
            )
        )
    return {"lat": round(lat, 6), "lng": round(lng, 6), "radius_m": radius_m}


def _existing(kind: str, subject: dict, *, user, email) -> Follow | None:
    """The person's row for this subject (a place: the same point), live or not."""
    person = Follow.user_id == user.id if user is not None else Follow.email == email
    if user is None:
        person = person & Follow.user_id.is_(None)
    same = [getattr(Follow, column) == value for column, value in subject.items()]
    if kind == FollowKind.PLACE:
        same = [Follow.lat == subject["lat"], Follow.lng == subject["lng"]]
    query = select(Follow).where(Follow.kind == kind, person, *same).order_by(Follow.id)
    return db.session.scalars(query.limit(1)).first()


def _check_room_for_place(*, user, email) -> None:
    person = Follow.user_id == user.id if user is not None else Follow.email == email
    count = db.session.scalar(
        select(func.count())
        .select_from(Follow)
        .where(Follow.kind == FollowKind.PLACE, person, Follow.ended_at.is_(None))
    )
    if count >= MAX_PLACES:
        raise FollowError(
            _(
                "You follow %(max)d places already, the most one person can. Stop following "
                "one of them first.",
                max=MAX_PLACES,
            )
        )


def forget_person(user, *, addresses=(), **_kwargs) -> None:
    """Delete a deleted account's follows, its places included, and flush (an
    ``account_deleted`` receiver): where someone lives is not kept after they leave."""
    db.session.execute(delete(Follow).where(Follow.user_id == user.id))
    db.session.flush()
