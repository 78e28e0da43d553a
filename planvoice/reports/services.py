"""Reports: filing one (with its photos), the state machine every step of its life goes
through (``transition``), the resident's answer on a fix, supporting it ("me too"), its
public count and its internal notes. The community worker's steps are in ``moderation``, the
bureau's in ``bureaus``; both move the report through ``transition`` here.

A report is created once per submission token, inside a SAVEPOINT, exactly as comments are
(``feedback.services``). Photos are written to disk before the row is flushed; if the
transaction is rolled back afterwards (a concurrent duplicate, a failed commit), the files are
removed again, so a refused or failed report never leaves files behind.
"""

from flask import current_app
from sqlalchemy import event, select, update
from sqlalchemy.orm import Session

from planvoice.bureaus.models import Bureau
from planvoice.core import signals, storage
from planvoice.core.audit import record_event
from planvoice.core.db import add_to_count, insert_or_existing, insert_unless_taken, utcnow
from planvoice.core.extensions import db
from planvoice.core.i18n import _
from planvoice.plans.models import Measure
from planvoice.reports import photos as photo_files
from planvoice.reports.areas import Area, Category
from planvoice.reports.models import (
    OPEN_STATUSES,
    STATUS_LABELS,
    BureauReportCount,
    DraftPhoto,
    MeasureReportCount,
    Report,
    ReportEvent,
    ReportNote,
    ReportPhoto,
    ReportStatus,
    ReportSupport,
)
from planvoice.reports.places import new_tracking_code
from planvoice.reports.queries import area_at, district_bounds

# Per-session lists in session.info, settled by the listeners below at the outermost commit
# or rollback, so a file's fate follows the transaction that wrote it.
_OBSOLETE_FILES_KEY = "planvoice.reports.obsolete_files"
_FILES_KEY = "planvoice.reports.new_files"


class ReportError(ValueError):
    """A report or a support that cannot be accepted; the message is for people."""


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
    kept_photos: list[DraftPhoto] = (),
    measure: Measure | None = None,
    reporter_name: str | None = None,
    contact: str | None = None,
    user=None,
    ip_hash: str | None = None,
    language: str | None = None,
) -> Report:
    """File a report and flush; return it (status ``submitted``: it waits for moderation).

    The same ``submission_token`` sent twice (a resubmitted form) returns the report it
    created the first time, and stores no photos again. ``kept_photos`` (stored already, from
    an earlier round trip of the form) come first and move to the report. The measure
    defaults to the one the category concerns.
    """
    existing = _report_by_token(submission_token)
    if existing is not None:
        return existing
    if area is None and point is None:
        raise ReportError(_("Tell us where the problem is: choose an area or give a point."))
    # Reports outside the district have no bureau to answer them; refuse rather than mislead.
    if point is not None and not district_bounds().contains(*point):
        raise ReportError(_("This point lies outside the district."))
    # A report given only a point is filed under the street it lies in, so that the street's
    # community workers (and only they) handle it.
    if area is None:
        area = area_at(point)
    report = Report(
        code=_unused_code(),
        category=category,
        # Links the report to the plan's measure so its page counts the problems people meet.
        measure=measure or category.measure,
        description=description,
        area=area,
        address=address or None,
        lat=point[0] if point else None,
        lng=point[1] if point else None,
        # Every report waits for a community worker first: nothing a resident types is public
        # before a person has read it.
        status=ReportStatus.SUBMITTED,
        reporter_name=reporter_name or None,
        contact=contact or None,
        user_id=user.id if user is not None else None,
        author_key=author_key,
        submission_token=submission_token,
        ip_hash=ip_hash,
        language=language,
    )
    for draft in kept_photos:
        report.photos.append(
            ReportPhoto(
                position=len(report.photos) + 1,
                path=draft.path,
                thumbnail_path=draft.thumbnail_path,
                width=draft.width,
                height=draft.height,
            )
        )
    kept_paths = {p for draft in kept_photos for p in (draft.path, draft.thumbnail_path)}
    store = storage.backend()
    # Photos are stored before the INSERT, so each is registered for removal on rollback.
    for photo in photos:
        path, thumbnail_path = photo_files.store_photo(photo, store)
        remove_on_rollback(path, thumbnail_path)
        report.photos.append(
            ReportPhoto(
                position=len(report.photos) + 1,
                path=path,
                thumbnail_path=thumbnail_path,
                width=photo.width,
                height=photo.height,
            )
        )
    # The timeline starts with the filing, so every later step has a recorded origin.
    report.events.append(ReportEvent(status=ReportStatus.SUBMITTED, created_at=utcnow()))
    stored = insert_or_existing(db.session, report, lambda: _report_by_token(submission_token))
    if stored is not report:  # a concurrent request with the same token got there first
        mine = [p for photo in report.photos for p in (photo.path, photo.thumbnail_path)]
        _delete_files([p for p in mine if p not in kept_paths])  # kept ones are the winner's
        return stored
    for draft in kept_photos:  # the files belong to the report now
        db.session.delete(draft)
    # Audited only once the insert won, so a duplicate submission leaves no second event.
    record_event("report.submit", report, actor=user, after={"status": report.status})
    db.session.flush()
    signals.new_report_submitted.send(report)
    return report


def _report_by_token(token: str) -> Report | None:
    return db.session.scalar(select(Report).where(Report.submission_token == token))


def _unused_code() -> str:
    prefix = current_app.config["REPORT_CODE_PREFIX"]
    while True:  # a collision is a one-in-hundreds-of-millions event
        code = new_tracking_code(prefix)
        if db.session.scalar(select(Report.id).where(Report.code == code)) is None:
            return code


def remove_on_rollback(*paths: str) -> None:
    """Delete these stored files if the current transaction is rolled back (new photos)."""
    db.session().info.setdefault(_FILES_KEY, []).extend(paths)


def remove_after_commit(*paths: str) -> None:
    """Delete these stored files once the current transaction is committed (photos a change
    replaces: a rolled-back change must still find them)."""
    db.session().info.setdefault(_OBSOLETE_FILES_KEY, []).extend(paths)


def _delete_files(paths: list[str]) -> None:
    # Runs once the transaction is settled: a store that is down must not turn a committed
    # change into an error page. The files stay behind, named in the log.
    try:
        photo_files.delete_stored(storage.backend(), *paths)
    except Exception:
        current_app.logger.exception("Could not delete stored files %s", paths)


# Savepoints commit and roll back too; only the outermost transaction decides a file's fate.
@event.listens_for(Session, "after_commit")
def _settle_files_after_commit(session):
    if not session.in_nested_transaction():
        session.info.pop(_FILES_KEY, None)
        if paths := session.info.pop(_OBSOLETE_FILES_KEY, None):
            _delete_files(paths)


@event.listens_for(Session, "after_rollback")
def _settle_files_after_rollback(session):
    if not session.in_nested_transaction():
        session.info.pop(_OBSOLETE_FILES_KEY, None)
        if paths := session.info.pop(_FILES_KEY, None):
            _delete_files(paths)


def transition(
    report: Report,
    status: str,
    *,
    note: str | None = None,
    bureau: Bureau | None = None,
    allowed: tuple[str, ...] = (ReportStatus.SUBMITTED,),
    extra: dict | None = None,
    refusal: str | None = None,
) -> ReportEvent:
    """Move a report from one of the ``allowed`` statuses to ``status`` with one conditional
    UPDATE, so that of two people acting at the same moment exactly one wins; the other (and
    anyone acting on a report in another state) gets a ReportError with ``refusal``, or one
    naming the report's status. The step joins the report's timeline, with its note; the
    flushed timeline entry is returned, for the caller's signal (``core.signals``)."""
    table = Report.__table__
    before = (report.bureau_id, report.status)
    # The status test is in the WHERE clause, so the database, not a read beforehand, decides
    # who wins when two people act on the report at once. It names the status (and bureau)
    # this request read, so the bureaus' counts below move from what the report really was.
    moved = db.session.execute(
        update(table)
        .where(
            table.c.id == report.id,
            table.c.status.in_(allowed),
            table.c.status == report.status,
            table.c.bureau_id.is_not_distinct_from(report.bureau_id),
        )
        .values(status=status, updated_at=utcnow(), **(extra or {}))
    )
    # Zero rows: the report had already left the allowed statuses (or never was in one).
    if moved.rowcount != 1:
        raise ReportError(
            refusal
            or _(
                "This cannot be done now: the report is “%(status)s”.",
                status=STATUS_LABELS[ReportStatus(_current_status(report))],
            )
        )
    # The UPDATE bypassed the ORM, so reload exactly the columns it wrote.
    refreshed = ["status", "updated_at", *(extra or {})]
    if "bureau_id" in refreshed:
        # The relationship is stale too when its foreign key changed under it.
        refreshed.append("bureau")
    db.session.refresh(report, refreshed)
    count_held(*before, -1)
    count_held(report.bureau_id, report.status, +1)
    return add_timeline_step(report, status, note=note, bureau=bureau)


def count_held(bureau_id: int | None, status: str, delta: int) -> None:
    """Count a report in (+1) or out (-1) of what ``bureau_id`` holds in ``status`` (nothing
    for a report no bureau holds); ``transition`` calls it for every step."""
    if bureau_id is None:
        return
    key = {"bureau_id": bureau_id, "status": status}
    add_to_count(db.session, BureauReportCount.__table__, key, "report_count", delta)


def add_timeline_step(
    report: Report, step: str, *, note: str | None = None, bureau: Bureau | None = None
) -> ReportEvent:
    """Append a step (a status, or ``REPLY``) to the report's public timeline and flush."""
    event = ReportEvent(status=step, note=note, bureau=bureau, created_at=utcnow())
    report.events.append(event)
    db.session.flush()
    return event


def _current_status(report: Report) -> str:
    db.session.refresh(report, ["status"])
    return report.status


# Supporting an existing report ("me too")


def support_report(
    report: Report,
    *,
    supporter_key: str,
    user=None,
    email: str | None = None,
    language: str | None = None,
) -> ReportSupport:
    """Add a resident's support to an open public report, once each, and flush. With an
    ``email``, the supporter hears of each public step, in ``language``."""
    # A resident supporting their own report would inflate its count.
    if report.author_key == supporter_key:
        raise ReportError(_("This is your own report: there is no need to support it."))
    if report.status not in OPEN_STATUSES:
        raise ReportError(_("Only open reports can be supported."))
    already = _("You already support this report.")
    taken = select(ReportSupport.id).where(
        ReportSupport.report_id == report.id, ReportSupport.supporter_key == supporter_key
    )
    # Friendly refusal first; the unique (report, supporter) pair still settles a race.
    if db.session.scalar(taken) is not None:
        raise ReportError(already)
    support = ReportSupport(
        report_id=report.id,
        supporter_key=supporter_key,
        user_id=user and user.id,
        email=email,
        # The language only matters for e-mails; none is kept without an address.
        language=language if email else None,
    )
    if not insert_unless_taken(db.session, support):
        raise ReportError(already)
    table = Report.__table__
    db.session.execute(
        # Counted in SQL (n = n + 1) and only after the support row won: exact under concurrency.
        update(table).where(table.c.id == report.id).values(support_count=table.c.support_count + 1)
    )
    db.session.flush()
    # The page shows the new count right away, so read it back from the database.
    db.session.refresh(report, ["support_count"])
    return support


def change_public_count(report: Report, delta: int) -> None:
    """Count ``report`` in (+1) or out (-1) of its measure's public reports; call it in the
    transaction that moves the report into or out of the public statuses."""
    # A report about no measure counts on no measure page.
    if report.measure_id is None:
        return
    add_to_count(
        db.session,
        MeasureReportCount.__table__,
        {"measure_id": report.measure_id},
        "public_count",
        delta,
    )


# Supporters' e-mails (the signed link that stops them is read in ``queries``)


def stop_supporter_emails(support: ReportSupport) -> None:
    """Forget a supporter's e-mail address: they hear nothing more about the report."""
    # The support itself stays (it still counts); only the address is forgotten.
    support.email = None
    support.language = None
    db.session.flush()


# Internal notes: one service for community workers and bureau staff alike

NOTE_MAX_LENGTH = 2000


def add_note(report: Report, *, author, body: str | None) -> ReportNote:
    """Add an internal note to a report and flush. Notes are for the community workers and
    the bureau handling it (``policy.can_read_report_notes``); the audit event names the note,
    not its text."""
    # Notes are internal, so no moderation: length and emptiness are the only checks.
    text = (body or "").strip()
    if not text:
        raise ReportError(_("Write the note first."))
    if len(text) > NOTE_MAX_LENGTH:
        raise ReportError(_("A note has at most %(max)d characters.", max=NOTE_MAX_LENGTH))
    note = ReportNote(report_id=report.id, author_id=author.id, body=text, created_at=utcnow())
    db.session.add(note)
    db.session.flush()
    # The note's id, never its text: notes may hold a resident's private details.
    record_event("report.note", report, actor=author, after={"note": note.id})
    db.session.flush()
    return note
