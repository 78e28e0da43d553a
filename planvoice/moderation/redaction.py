"""Redacting personal data from a report, a community worker's step: its text, a rectangle of
a photo, or the link to a photo a client app holds. What the resident sent is kept for
administrators only; every redaction is audited."""

from sqlalchemy import func, update

from planvoice.core import storage
from planvoice.core.audit import record_event
from planvoice.core.db import utcnow
from planvoice.core.extensions import db
from planvoice.core.i18n import _
from planvoice.reports import photos as photo_files
from planvoice.reports.models import (
    Report,
    ReportPhoto,
)
from planvoice.reports.services import (
    ReportError,
    remove_after_commit,
    remove_on_rollback,
)


def redact_description(report: Report, *, moderator, description: str | None) -> Report:
    """Replace the report's public text with the moderator's edit of it, and flush. The first
    redaction keeps the resident's own text in ``original_description`` (for administrators);
    later ones never overwrite it, even when two moderators redact at once."""
    text = (description or "").strip()
    if not text:
        raise ReportError(_("The description cannot be empty: remove only the personal data."))
    before = report.description
    # An unchanged text would overwrite nothing yet still cost an audit entry: refuse it.
    if text == before:
        raise ReportError(_("The text is unchanged: nothing was removed."))
    table = Report.__table__
    db.session.execute(
        update(table)
        .where(table.c.id == report.id)
        .values(
            description=text,
            updated_at=utcnow(),
            # COALESCE in SQL: the first redaction saves the resident's text, and a concurrent
            # second one cannot overwrite it with already-redacted text.
            original_description=func.coalesce(table.c.original_description, table.c.description),
        )
    )
    db.session.refresh(report, ["description", "original_description", "updated_at"])
    # The audit log is for administrators, who may read the original anyway.
    record_event(
        "report.redact_text",
        report,
        actor=moderator,
        before={"description": before},
        after={"description": text},
    )
    db.session.flush()
    return report


def remove_media_link(report: Report, *, moderator) -> Report:
    """Take the link to a photo a client app holds (Open311 ``media_url``) off the report, and
    flush: the photo may show a face, a number plate or a house number, and it cannot be
    blacked out here. The audit log keeps the address, for administrators."""
    if report.media_url is None:
        raise ReportError(_("This report has no linked photo."))
    record_event(
        "report.remove_media_link", report, actor=moderator, before={"media_url": report.media_url}
    )
    # The link is only dropped from the report: the photo lives on the client app's server.
    report.media_url = None
    db.session.flush()
    return report


def redact_photo(
    photo: ReportPhoto, *, report: Report, moderator, box: photo_files.Rectangle
) -> ReportPhoto:
    """Black out ``box`` of a report's photo (the whole of it for ``Rectangle.whole()``) and
    flush. The photo as the resident sent it is kept as ``original_path`` the first time, for
    administrators; a later redaction starts from the redacted photo and replaces it (the
    replaced file and every old thumbnail are deleted once the change is committed)."""
    store = storage.backend()
    old_path, old_thumbnail = photo.path, photo.thumbnail_path
    path, thumbnail, width, height = photo_files.redact_stored(store, old_path, box)
    # The new files exist before the UPDATE; a failed transaction must not leave them.
    remove_on_rollback(path, thumbnail)
    table = ReportPhoto.__table__
    moved = db.session.execute(
        update(table)
        # Conditional on the path read before, so two moderators redacting at once cannot stack a
        # redaction on a file the other just replaced.
        .where(table.c.id == photo.id, table.c.path == old_path)
        .values(
            path=path,
            thumbnail_path=thumbnail,
            width=width,
            height=height,
            # Only the first redaction sets the original; later ones keep the resident's own photo.
            original_path=func.coalesce(table.c.original_path, old_path),
        )
    )
    if moved.rowcount != 1:  # another moderator redacted it a moment ago
        photo_files.delete_stored(store, path, thumbnail)
        raise ReportError(_("Someone has just redacted this photo. Look at it again."))
    db.session.refresh(photo)
    # Old files go only after commit (a rollback needs them back), and the original is kept.
    remove_after_commit(old_thumbnail, *([old_path] if photo.original_path != old_path else []))
    record_event(
        "report.redact_photo",
        report,
        actor=moderator,
        # The rectangle, not the image: the log says what was blacked out without holding it.
        after={"photo": photo.position, "rectangle": box.as_list()},
    )
    db.session.flush()
    return photo
