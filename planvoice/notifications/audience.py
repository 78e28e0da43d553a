"""Who is told of an event, once each: the people of a report (its reporter, supporters and
followers, and those following its street or a place near it) and of a measure (who
commented on it, rated it or follows it).

Each function returns one ``Recipient`` per address. Where one person is concerned several
ways, the first way counts (a reporter who also follows their report hears as its reporter).
People who asked to hear no more of a subject (an ended follow, ``following.queries``) are
left out, except from news of their own report's steps, which they stop by their own pace.
"""

from sqlalchemy import select

from planvoice.accounts.models import User
from planvoice.core.extensions import db
from planvoice.core.links import public_url
from planvoice.feedback.models import Comment, CommentStatus, Rating
from planvoice.following import queries as following
from planvoice.following.links import stop_url
from planvoice.following.models import Follow
from planvoice.notifications.delivery import (
    FOLLOWING,
    OWN,
    Recipient,
    accounts_by_email,
    recipient,
)
from planvoice.reports.models import ReportSupport
from planvoice.reports.queries import stop_emails_token

# Steps of a report its resident hears about (by e-mail, or by text at a mobile number).
RESIDENT_STEPS = (
    "published",
    "rejected",
    "routed",
    "accepted",
    "in_progress",
    "resolved",
    "replied",
    "duplicate",
)
# Steps of a report that its followers and supporters hear of.
FOLLOWER_STEPS = (
    "routed",
    "accepted",
    "in_progress",
    "resolved",
    "replied",
    "reopened",
    "duplicate",
)
# Steps of a report that people following its street, community or a place near it hear of.
NEARBY_STEPS = ("published", "resolved")


class _Gathering:
    """Recipients by address, the first way a person is concerned winning."""

    def __init__(self, muted: set[str] = frozenset()):
        self.by_address: dict[str, Recipient] = {}
        self.roles: dict[str, str] = {}
        self.muted = muted

    def add(self, person: Recipient | None, role: str) -> None:
        if person is None or person.address in self.by_address:
            return
        if person.kind != OWN and person.address in self.muted:
            return
        self.by_address[person.address] = person
        self.roles[person.address] = role

    def people(self) -> list[tuple[Recipient, str]]:
        return [(person, self.roles[address]) for address, person in self.by_address.items()]


def _muted(kind: str, target_id: int) -> set[str]:
    """Addresses of the people who ended their follow of this subject."""
    ended = following.ended_follows(kind, target_id)
    return {address for follow in ended if (address := _follow_address(follow))}


def _follow_address(follow: Follow) -> str | None:
    if follow.user_id is not None:
        user = follow.user
        confirmed = user is not None and user.email and user.email_confirmed_at is not None
        return user.email.lower() if confirmed and not user.is_deleted else None
    return follow.email.lower() if follow.email else None


def _follower(follow: Follow) -> Recipient | None:
    address = _follow_address(follow)
    if address is None:
        return None
    user = follow.user
    # The subject the link ends: the measure, report or area; a place is its follow.
    target_id = {
        "measure": follow.measure_id,
        "report": follow.report_id,
        "area": follow.area_id,
    }.get(follow.kind, follow.id)
    link = stop_url(
        follow.kind,
        target_id,
        user_id=follow.user_id,
        email=None if follow.user_id else follow.email,
    )
    return recipient(address, kind=FOLLOWING, user=user, language=follow.language, stop_url=link)


def people_of_report(report, status: str) -> list[tuple[Recipient, str]]:
    """Who hears of ``status`` on ``report``, each with their role ("resident",
    "supporter", "follower" or "nearby", the wording of their message)."""
    gathering = _Gathering(_muted("report", report.id))
    resident = _reporter(report)
    if resident is not None:
        gathering.add(resident, "resident")
    if status in FOLLOWER_STEPS:
        supports = list(
            db.session.scalars(
                select(ReportSupport)
                .where(ReportSupport.report_id == report.id)
                .order_by(ReportSupport.id)
            )
        )
        accounts = accounts_by_email(s.email for s in supports)
        for support in supports:
            gathering.add(_supporter(report, support, accounts), "supporter")
        for follow in following.follows_of_report(report.id):
            gathering.add(_follower(follow), "follower")
    if status in NEARBY_STEPS and report.is_public:
        nearby = []
        if report.area_id is not None:
            areas = [report.area_id] + ([report.area.parent_id] if report.area.parent_id else [])
            nearby += following.follows_of_areas(areas)
        if report.lat is not None and report.lng is not None:
            nearby += following.follows_near(report.lat, report.lng)
        for follow in nearby:
            gathering.add(_follower(follow), "nearby")
    return gathering.people()


def _reporter(report) -> Recipient | None:
    """The resident who filed the report, at the e-mail they gave (or their account's)."""
    user = db.session.get(User, report.user_id) if report.user_id else None
    address = report.contact if report.contact and "@" in report.contact else None
    if address is None and user is not None and user.email and user.email_confirmed_at:
        address = user.email
    if address is None:
        return None
    owner = user if user is not None and (user.email or "").lower() == address.lower() else None
    return recipient(address, kind=OWN, user=owner, language=report.language)


def _supporter(report, support: ReportSupport, accounts) -> Recipient | None:
    user = db.session.get(User, support.user_id) if support.user_id else None
    address = support.email
    if address is None and user is not None and user.email and user.email_confirmed_at:
        address = user.email
    if address is None:
        return None
    owner = accounts.get(address.lower()) or (
        user if user is not None and (user.email or "").lower() == address.lower() else None
    )
    link = None
    if support.email:  # the stop link of the e-mail they typed with their "me too"
        link = public_url(f"/reports/{report.code}/stop-emails/{stop_emails_token(support)}")
    return recipient(address, kind=FOLLOWING, user=owner, language=support.language, stop_url=link)


def people_of_measure(measure) -> list[Recipient]:
    """Who hears when a bureau answers on ``measure`` or its targets move: its followers,
    and the account holders who commented on it (published comments) or rated it."""
    gathering = _Gathering(_muted("measure", measure.id))
    for follow in following.follows_of_measure(measure.id):
        gathering.add(_follower(follow), "follower")
    took_part = (
        select(User)
        .where(
            User.is_deleted.is_(False),
            User.email.is_not(None),
            User.email_confirmed_at.is_not(None),
            User.id.in_(
                select(Comment.user_id)
                .where(
                    Comment.measure_id == measure.id,
                    Comment.status == CommentStatus.PUBLISHED,
                    Comment.user_id.is_not(None),
                )
                .union(
                    select(Rating.user_id).where(
                        Rating.measure_id == measure.id, Rating.user_id.is_not(None)
                    )
                )
            ),
        )
        .order_by(User.id)
    )
    for user in db.session.scalars(took_part):
        link = stop_url("measure", measure.id, user_id=user.id)
        gathering.add(
            recipient(user.email, kind=FOLLOWING, user=user, stop_url=link), "participant"
        )
    return [person for person, _role in gathering.people()]
