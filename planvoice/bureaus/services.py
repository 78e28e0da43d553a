"""What bureau staff do with the reports routed to their bureau: accept, return, reply in
public, report progress, resolve. Every step but a reply is a conditional status change
through ``reports.services.transition`` (so a report in the wrong state, or one a colleague
acted on a moment ago, is refused with a clear message); every step joins the report's public
timeline, is written to the audit log and is sent as its signal (``core.signals``). And the
bureau's prepared replies, which staff insert into an answer or a resolution note."""

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from planvoice.bureaus.models import Bureau, MeasureAnswer, ReplyTemplate
from planvoice.core import signals, storage
from planvoice.core.audit import record_event
from planvoice.core.caching import forget_page
from planvoice.core.db import utcnow
from planvoice.core.extensions import db
from planvoice.core.i18n import _
from planvoice.reports import photos as photo_files
from planvoice.reports.models import REPLY, Report, ReportPhoto, ReportStatus
from planvoice.reports.services import (
    ReportError,
    add_timeline_step,
    remove_on_rollback,
    transition,
)

# Which statuses each of the bureau's steps starts from: the case page offers only these, and
# the services refuse the rest (a colleague may have acted a moment ago).
STEPS_FROM = {
    # A reopened report comes back to the same bureau, which must sign for it again.
    "accept": (ReportStatus.ROUTED, ReportStatus.REOPENED),
    "reply": (ReportStatus.ACCEPTED, ReportStatus.IN_PROGRESS),
    "progress": (ReportStatus.ACCEPTED,),
    "resolve": (ReportStatus.ACCEPTED, ReportStatus.IN_PROGRESS),
    "return": (ReportStatus.ROUTED, ReportStatus.ACCEPTED),
}


def steps_open_to(report: Report) -> list[str]:
    """The bureau's steps that ``report``'s status allows now, in the order a clerk takes them."""
    return [step for step, statuses in STEPS_FROM.items() if report.status in statuses]


def accept_report(report: Report, *, staff) -> Report:
    """The bureau signs for a report routed (or reopened) to it."""
    # The resident said the fix failed, so the bureau takes explicit ownership once more.
    event = transition(
        report, ReportStatus.ACCEPTED, allowed=STEPS_FROM["accept"], extra={"accepted_at": utcnow()}
    )
    return _finish("report.accept", report, staff, signals.report_accepted, event)


def return_report(report: Report, *, staff, reason: str) -> Report:
    """Send a routed report back to the community workers, with the reason (public, counted
    against the routing): it waits in their queue to be routed again."""
    _require_text(reason, _("Say why the report is returned."))
    # Counted because a report bounced between bureaus goes to an administrator to arbitrate
    # (``policy.ARBITRATION_AFTER_RETURNS``); it rides in the same conditional UPDATE.
    returns = report.return_count + 1
    event = transition(
        report,
        ReportStatus.RETURNED,
        note=reason,
        bureau=report.bureau,
        allowed=STEPS_FROM["return"],
        extra={"return_count": returns, "bureau_id": None},
    )
    return _finish("report.return", report, staff, signals.report_returned, event, note=reason)


def reply_to_report(report: Report, *, staff, body: str) -> Report:
    """A public answer from the bureau; the first one stops the reply clock."""
    _require_text(body, _("Write the reply first."))
    # No conditional UPDATE guards a reply, so check the state here: a bureau that has not
    # signed for the report is not answerable for it yet.
    if report.status not in STEPS_FROM["reply"]:
        raise ReportError(_("Accept the report before replying to it."))
    # A reply changes no status: it is a step of the timeline only.
    event = add_timeline_step(report, REPLY, note=body, bureau=report.bureau)
    # Only the first reply counts for the reply time limit; later ones must not reset it.
    if report.first_reply_at is None:
        report.first_reply_at = utcnow()
    return _finish("report.reply", report, staff, signals.report_replied, event, note=body)


def start_work(report: Report, *, staff, note: str) -> Report:
    """Tell residents that work has started, and what is being done."""
    _require_text(note, _("Write a public note on what is being done."))
    event = transition(
        report,
        ReportStatus.IN_PROGRESS,
        note=note,
        bureau=report.bureau,
        allowed=STEPS_FROM["progress"],
    )
    return _finish(
        "report.in_progress", report, staff, signals.report_work_started, event, note=note
    )


def resolve_report(
    report: Report, *, staff, note: str, after_photo: photo_files.ProcessedPhoto | None = None
) -> Report:
    """Mark a report resolved with a public note and, where there is one, an "after" photo
    (its absence is shown on the report's page)."""
    _require_text(note, _("Write a public note on how it was resolved."))
    event = transition(
        report,
        ReportStatus.RESOLVED,
        note=note,
        bureau=report.bureau,
        allowed=STEPS_FROM["resolve"],
        # Set in the same conditional UPDATE as the status, so the time of resolution can
        # never disagree with the state (nor be set by a refused, losing request).
        extra={"resolved_at": utcnow()},
    )
    if after_photo is not None:
        _add_after_photo(report, after_photo)
    return _finish("report.resolve", report, staff, signals.report_resolved, event, note=note)


def _add_after_photo(report: Report, photo: photo_files.ProcessedPhoto) -> None:
    path, thumbnail_path = photo_files.store_photo(photo, storage.backend())
    # The file is stored before the row exists; if the transaction fails it must not linger.
    remove_on_rollback(path, thumbnail_path)
    last = db.session.scalar(
        select(func.max(ReportPhoto.position)).where(ReportPhoto.report_id == report.id)
    )
    report.photos.append(
        ReportPhoto(
            position=(last or 0) + 1,
            path=path,
            thumbnail_path=thumbnail_path,
            width=photo.width,
            height=photo.height,
            is_after=True,
        )
    )


def _require_text(text: str | None, message: str) -> None:
    if not (text or "").strip():
        raise ReportError(message)


def _finish(action: str, report: Report, staff, signal, event, *, note: str | None = None):
    """Audit the step, flush, then send its signal, so receivers see the step complete."""
    # Every bureau step goes to the append-only audit log, so who did what stays provable
    # even when the public timeline only names the bureau.
    record_event(action, report, actor=staff, after={"status": report.status}, note=note)
    db.session.flush()
    signal.send(report, event=event)
    return report


# Prepared replies


class ReplyTemplateError(Exception):
    """A prepared reply that cannot be saved; the message says why, for the person editing."""


def save_reply_template(
    template: ReplyTemplate | None, *, bureau: Bureau, title: str, body: str, editor
) -> ReplyTemplate:
    """Create (``template`` None) or edit a prepared reply of ``bureau``, audited with what
    changed; refuse a short name the bureau already uses."""
    before = None
    if template is None:
        # New replies go last, so the list staff know keeps its order.
        last = db.session.scalar(
            select(func.max(ReplyTemplate.position)).where(ReplyTemplate.bureau_id == bureau.id)
        )
        template = ReplyTemplate(position=(last or 0) + 1)
    else:
        before = _reply_fields(template)
    try:
        # A savepoint, so a taken name (also one a colleague saved a moment ago) leaves the
        # request's transaction usable for the page that says so. The changes are made inside
        # it: entering it flushes what is pending outside.
        with db.session.begin_nested():
            template.bureau_id, template.title, template.body = bureau.id, title, body
            db.session.add(template)
    except IntegrityError:
        raise ReplyTemplateError(
            _(
                "%(bureau)s already has a prepared reply called “%(title)s”.",
                bureau=bureau.display_name,
                title=title,
            )
        ) from None
    record_event(
        "reply_template.create" if before is None else "reply_template.update",
        template,
        actor=editor,
        before=before,
        after=_reply_fields(template),
    )
    db.session.flush()
    return template


def delete_reply_template(template: ReplyTemplate, *, editor) -> None:
    """Remove a prepared reply (answers that used it keep their text), audited with its text."""
    record_event("reply_template.delete", template, actor=editor, before=_reply_fields(template))
    db.session.delete(template)
    db.session.flush()


def _reply_fields(template: ReplyTemplate) -> dict:
    return {"bureau_id": template.bureau_id, "title": template.title, "body": template.body}


MAX_MEASURE_ANSWER = 4000


def answer_measure(measure, *, staff, body: str) -> MeasureAnswer:
    """A bureau's public answer on a measure of the plan, in the name of ``staff``'s bureau
    (who may is ``policy.can_answer_measure``): stored, audited, the measure's cached page
    forgotten, and ``measure_answered`` sent (the measure's people are told); flushes."""
    body = (body or "").strip()
    _require_text(body, _("Write the answer first."))
    if len(body) > MAX_MEASURE_ANSWER:
        raise ReportError(_("Write at most %(max)d characters.", max=MAX_MEASURE_ANSWER))
    answer = MeasureAnswer(
        measure_id=measure.id, bureau_id=staff.bureau_id, author_id=staff.id, body=body
    )
    db.session.add(answer)
    db.session.flush()
    record_event("measure.answer", answer, actor=staff, after={"measure": measure.id}, note=body)
    db.session.flush()
    urls = current_app.url_map.bind("")
    forget_page(urls.build("feedback.show_measure", {"measure_id": measure.id}))
    signals.measure_answered.send(measure, answer=answer)
    return answer
