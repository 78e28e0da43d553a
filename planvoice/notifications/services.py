"""What the app tells people, and when: the receivers that queue a message (through
``notifications.outbox``) when a step of a report, an answer on a measure or new progress
calls for one."""

from flask_babel import force_locale
from sqlalchemy import delete, select, update

from planvoice.accounts.models import User, user_areas
from planvoice.core import signals
from planvoice.core.audit import record_event
from planvoice.core.extensions import db
from planvoice.core.links import public_url
from planvoice.core.policy import Role
from planvoice.notifications import account_mail, follow_mail, texts
from planvoice.notifications.addresses import address_row, restart
from planvoice.notifications.audience import RESIDENT_STEPS, people_of_measure, people_of_report
from planvoice.notifications.delivery import News, deliver
from planvoice.notifications.messages import news_line, password_reset_message, report_message
from planvoice.notifications.models import DigestItem, Pace
from planvoice.notifications.outbox import queue_message
from planvoice.notifications.plan_messages import measure_answer_message, progress_message
from planvoice.notifications.unsubscribing import unsubscribe_url


def connect_receivers() -> None:
    """Listen to every step of a report, and to requests for a new password
    (``notifications.init_app`` calls this)."""
    for signal in signals.REPORT_STEPS:
        signal.connect(tell_about_report)
    signals.password_reset_requested.connect(send_password_reset)
    signals.measure_answered.connect(tell_about_measure_answer)
    signals.progress_recorded.connect(tell_about_progress)
    signals.account_deleted.connect(forget_waiting_news)
    account_mail.connect_receivers()
    follow_mail.connect_receivers()
    texts.connect_receivers()


def send_password_reset(user, *, link: str, language: str) -> None:
    """Queue the reset link to the account's own address, in the language it was asked in.
    No dedupe key: each request gets its own message (the newest link is the one to use)."""
    with force_locale(language):
        subject, body = password_reset_message(user, link)
    # The person asked: an address that stopped being used (refusals, an unsubscribe) is
    # tried again for this, the way back into the account.
    restart(user.email)
    queue_message(recipient=user.email, subject=subject, body=body, language=language)


def tell_about_report(report, *, event) -> None:
    """Queue what a step of a report calls for (``event``: its timeline entry, see
    ``core.signals``): to the bureau it is routed to and, when a bureau returns it, to the
    community workers of its area, at once; to its people (``audience.people_of_report``:
    the resident who filed it, its supporters and followers, and those following its street
    or a place near it), each once and at their own pace (``delivery``). Each is keyed by
    the timeline step, so a step never tells anyone twice."""
    # Keyed by the timeline entry, not the report: each step mails once, but every step does.
    status, key = event.status, f"report:{event.id}"
    bureau = report.bureau
    # The bureau hears when the report lands in its queue: routed, or reopened to it.
    if status in ("routed", "reopened") and bureau is not None and bureau.email:
        _tell_staff(report, event, to=bureau.email, key=f"{key}:bureau", audience="bureau")
    for person, role in people_of_report(report, status):
        if role == "resident" and status not in RESIDENT_STEPS:
            continue
        stop_link = person.stop_url or unsubscribe_url(person.address, person.kind)
        with force_locale(person.language):
            subject, body = report_message(report, event, audience=role, stop_link=stop_link)
        news = News(key, subject, body, news_line(body), public_url(f"/reports/{report.code}"))
        # The resident's own messages keep the key they always had (one per step).
        deliver(person, news, dedupe_key=f"{key}:resident" if role == "resident" else None)
    # A returned report waits in the community workers' queue again: tell the ones serving
    # its area so it is routed anew without delay.
    if status == "returned":
        for moderator in _moderators_of(report):
            _tell_staff(
                report,
                event,
                to=moderator.email,
                key=f"{key}:moderator:{moderator.id}",
                audience="moderator",
                language=moderator.language,
            )


def tell_about_measure_answer(measure, *, answer) -> None:
    """Tell the measure's people (``audience.people_of_measure``) of a bureau's answer on it,
    each once, at their pace."""
    link = public_url(f"/measures/{measure.id}")
    for person in people_of_measure(measure):
        with force_locale(person.language):
            subject, body, line = measure_answer_message(
                measure, answer, link=link, stop_link=person.stop_url
            )
        deliver(person, News(f"measure-answer:{answer.id}", subject, body, line, link))


def tell_about_progress(target, *, entry) -> None:
    """Tell the people of the target's measure of new progress on it, each once."""
    link = public_url(f"/targets/{target.id}")
    for person in people_of_measure(target.measure):
        with force_locale(person.language):
            subject, body, line = progress_message(
                target, entry, link=link, stop_link=person.stop_url
            )
        deliver(person, News(f"progress:{entry.id}", subject, body, line, link))


def _tell_staff(report, event, *, to, key, audience, language=None):
    # Staff who gave no language get Chinese, the district's working language.
    language = language or "zh_Hans"
    with force_locale(language):
        subject, body = report_message(report, event, audience=audience)
    queue_message(
        recipient=to,
        subject=subject,
        body=body,
        language=language,
        dedupe_key=key,
        unsubscribe_url=unsubscribe_url(to, "all"),
    )


def _moderators_of(report) -> list:
    query = select(User).where(
        User.role == Role.MODERATOR, User.is_deleted.is_(False), User.email.is_not(None)
    )
    if report.area is not None:
        # A community worker may be assigned the street or town rather than each community.
        areas = [report.area_id] + ([report.area.parent_id] if report.area.parent_id else [])
        served = select(user_areas.c.user_id).where(user_areas.c.area_id.in_(areas))
        query = query.where(User.id.in_(served))
    return list(db.session.scalars(query))


def set_pace(*, user=None, address: str | None = None, own: str, following: str) -> None:
    """Set how often a person hears of their own reports and of what they follow: an
    account's paces, or those of an address without an account; audited; flushes."""
    if own not in set(Pace) or following not in set(Pace):
        raise ValueError("unknown pace")
    if user is not None:
        before = {"own": user.pace_own, "following": user.pace_following}
        user.pace_own, user.pace_following = own, following
        record_event(
            "user.pace", user, actor=user, before=before, after={"own": own, "following": following}
        )
    else:
        row = address_row(address)
        before = {"own": row.pace_own, "following": row.pace_following}
        row.pace_own, row.pace_following = own, following
        db.session.flush()
        record_event("user.pace", row, before=before, after={"own": own, "following": following})
    _follow_new_pace(user.email if user is not None else address, own=own, following=following)
    db.session.flush()


def _follow_new_pace(address: str | None, *, own: str, following: str) -> None:
    """News already waiting for a digest keeps to the new pace: dropped when it is "off",
    moved to the daily or weekly digest chosen; "at once" leaves it for the next digest."""
    if not address:
        return
    for kind, pace in (("own", own), ("following", following)):
        waiting = (
            DigestItem.address == address.lower(),
            DigestItem.kind == kind,
            DigestItem.digest_id.is_(None),
        )
        if pace == Pace.OFF:
            db.session.execute(delete(DigestItem).where(*waiting))
        elif pace in (Pace.DAILY, Pace.WEEKLY):
            db.session.execute(update(DigestItem).where(*waiting).values(pace=pace))


def forget_waiting_news(user, *, addresses=(), **_kwargs) -> None:
    """Drop the news waiting for a deleted account's digests (an ``account_deleted``
    receiver): nothing more is sent there for what it followed; flushes."""
    if addresses:
        db.session.execute(
            delete(DigestItem).where(
                DigestItem.address.in_(list(addresses)), DigestItem.digest_id.is_(None)
            )
        )
        db.session.flush()
