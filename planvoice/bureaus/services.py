"""What bureau staff do with the reports routed to their bureau: accept, return, reply in
public, report progress, resolve. Every step is a conditional status change (so a report in
the wrong state, or one a colleague acted on a moment ago, is refused with a clear message),
joins the report's public timeline and is written to the audit log."""

from flask import current_app
from sqlalchemy import func, select

from planvoice.core.audit import record_event
from planvoice.core.db import utcnow
from planvoice.core.extensions import db
from planvoice.core.i18n import _
from planvoice.core.signals import report_changed
from planvoice.reports import photos as photo_files
from planvoice.reports.models import REPLY, Report, ReportEvent, ReportPhoto, ReportStatus
from planvoice.reports.services import ReportError, remove_on_rollback, transition

# The bureau holds the report in these states.
IN_HAND = (ReportStatus.ROUTED, ReportStatus.ACCEPTED, ReportStatus.IN_PROGRESS,
           ReportStatus.REOPENED)  # fmt: skip


def accept_report(report: Report, *, staff) -> Report:
    """The bureau signs for a report routed (or reopened) to it."""
    allowed = (ReportStatus.ROUTED, ReportStatus.REOPENED)
    transition(report, ReportStatus.ACCEPTED, allowed=allowed, extra={"accepted_at": utcnow()})
    return _audit("report.accept", report, staff)


def return_report(report: Report, *, staff, reason: str) -> Report:
    """Send a routed report back to the community workers, with the reason (public, counted
    against the routing): it waits in their queue to be routed again."""
    _require_text(reason, _("Say why the report is returned."))
    returns = report.return_count + 1
    transition(report, ReportStatus.RETURNED, note=reason, bureau=report.bureau,
               allowed=(ReportStatus.ROUTED, ReportStatus.ACCEPTED),
               extra={"return_count": returns, "bureau_id": None})  # fmt: skip
    return _audit("report.return", report, staff, note=reason)


def reply_to_report(report: Report, *, staff, body: str) -> Report:
    """A public answer from the bureau; the first one stops the reply clock."""
    _require_text(body, _("Write the reply first."))
    if report.status not in (ReportStatus.ACCEPTED, ReportStatus.IN_PROGRESS):
        raise ReportError(_("Accept the report before replying to it."))
    report.events.append(
        ReportEvent(status=REPLY, note=body, bureau=report.bureau, created_at=utcnow())
    )
    if report.first_reply_at is None:
        report.first_reply_at = utcnow()
    _audit("report.reply", report, staff, note=body)
    report_changed.send(report, status=REPLY, note=body)
    return report


def start_work(report: Report, *, staff, note: str) -> Report:
    """Tell residents that work has started, and what is being done."""
    _require_text(note, _("Write a public note on what is being done."))
    transition(report, ReportStatus.IN_PROGRESS, note=note, bureau=report.bureau,
               allowed=(ReportStatus.ACCEPTED,))  # fmt: skip
    return _audit("report.in_progress", report, staff, note=note)


def resolve_report(
    report: Report, *, staff, note: str, after_photo: photo_files.ProcessedPhoto | None = None
) -> Report:
    """Mark a report resolved with a public note and, where there is one, an "after" photo
    (its absence is shown on the report's page)."""
    _require_text(note, _("Write a public note on how it was resolved."))
    transition(report, ReportStatus.RESOLVED, note=note, bureau=report.bureau,
               allowed=(ReportStatus.ACCEPTED, ReportStatus.IN_PROGRESS),
               extra={"resolved_at": utcnow()})  # fmt: skip
    if after_photo is not None:
        _add_after_photo(report, after_photo)
    return _audit("report.resolve", report, staff, note=note)


def _add_after_photo(report: Report, photo: photo_files.ProcessedPhoto) -> None:
    path, thumbnail_path = photo_files.store_photo(photo, current_app.config["UPLOAD_FOLDER"])
    remove_on_rollback(path, thumbnail_path)
    last = db.session.scalar(
        select(func.max(ReportPhoto.position)).where(ReportPhoto.report_id == report.id)
    )
    report.photos.append(
        ReportPhoto(position=(last or 0) + 1, path=path, thumbnail_path=thumbnail_path,
                    width=photo.width, height=photo.height, is_after=True)
    )  # fmt: skip


def _require_text(text: str | None, message: str) -> None:
    if not (text or "").strip():
        raise ReportError(message)


def _audit(action: str, report: Report, staff, *, note: str | None = None) -> Report:
    record_event(action, report, actor=staff, after={"status": report.status}, note=note)
    db.session.flush()
    return report


def list_inbox(bureau_id: int, *, view: str = "new", limit: int = 100) -> list[Report]:
    """The bureau's reports for one tab of its inbox, oldest routing first."""
    query = select(Report).order_by(Report.routed_at, Report.id).limit(limit)
    if view == "returned":
        # Returned reports have left the bureau; the timeline remembers who returned them.
        returned_by = select(ReportEvent.report_id).where(
            ReportEvent.status == ReportStatus.RETURNED, ReportEvent.bureau_id == bureau_id
        )
        return list(db.session.scalars(query.where(Report.id.in_(returned_by))))
    statuses = {
        "new": (ReportStatus.ROUTED, ReportStatus.REOPENED),
        "accepted": (ReportStatus.ACCEPTED,),
        "in_progress": (ReportStatus.IN_PROGRESS,),
        "resolved": (ReportStatus.RESOLVED, ReportStatus.CLOSED),
        "all": IN_HAND,
    }[view]
    return list(
        db.session.scalars(query.where(Report.bureau_id == bureau_id, Report.status.in_(statuses)))
    )


def count_inbox(bureau_id: int) -> dict[str, int]:
    """How many reports each status holds for the bureau, in one query."""
    rows = db.session.execute(
        select(Report.status, func.count())
        .where(Report.bureau_id == bureau_id)
        .group_by(Report.status)
    ).all()
    return dict(rows)
