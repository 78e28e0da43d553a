from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from planvoice.bureaus.queries import (
    deadlines_of,
    get_bureau,
    list_bureaus,
    suggest_bureau,
)
from planvoice.core import policy
from planvoice.core.caching import forget_page
from planvoice.core.db import utcnow
from planvoice.core.errors import flash_form_errors
from planvoice.core.extensions import db
from planvoice.core.i18n import _
from planvoice.core.signals import Panel
from planvoice.feedback.models import Comment
from planvoice.moderation import queries, redaction, services
from planvoice.moderation.forms import (
    DecisionForm,
    DuplicateForm,
    ReasonTemplateForm,
    RedactPhotoForm,
    RedactTextForm,
    RouteForm,
)
from planvoice.moderation.models import ReasonTemplate
from planvoice.moderation.services import DUPLICABLE_STATUSES
from planvoice.open311.queries import client_apps_of
from planvoice.reports import answers
from planvoice.reports import photos as photo_files
from planvoice.reports import services as report_services
from planvoice.reports.forms import NoteForm, SatisfactionForm
from planvoice.reports.models import ROUTABLE_STATUSES, AnswerChannel
from planvoice.reports.places import normalise_code
from planvoice.reports.queries import get_report

moderators_only = policy.requires(policy.can_moderate_comments)


def queue_counts_for_header() -> dict:
    """How much waits for review, shown beside the "Moderation" link to those who moderate
    (and at the head of the queue, from this one query)."""
    if not (current_user.is_authenticated and policy.can_moderate_comments(current_user)):
        return {}
    return {"moderation_counts": queries.queue_counts(policy.moderated_area_ids(current_user))}


def _decision_form() -> DecisionForm:
    form = DecisionForm()
    templates = queries.list_reason_templates()
    form.template.choices = [SelectChoice(0, _("— write the reason below —"))] + [
        SelectChoice(t.id, t.title) for t in templates
    ]
    return form


def _reason(form: DecisionForm) -> str:
    written = (form.reason.data or "").strip()
    template = db.session.get(ReasonTemplate, form.template.data) if form.template.data else None
    return written or (template.body if template else "")


@moderators_only
def show_queue():
    area_ids = policy.moderated_area_ids(current_user)
    reports = queries.list_report_queue(area_ids)
    to_route = queries.list_report_queue(area_ids, statuses=ROUTABLE_STATUSES)
    return render_template(
        "moderation/queue.html",
        comments=queries.list_queue(),
        reports=reports,
        to_route=to_route,
        overdue=queries.list_overdue_routed(area_ids),
        report_counts=queries.count_report_queue(area_ids),
        similar=queries.similar_open([*reports, *to_route]),
        page_size=queries.QUEUE_PAGE_SIZE,
        deadlines_of=deadlines_of,
        now=utcnow(),
        client_apps=client_apps_of(r.id for r in reports),
        form=_decision_form(),
    )


def _report_to_moderate(code: str):
    """The report with this code, if the current community worker may act on it."""
    report = get_report(code) or abort(404)
    if not policy.can_moderate_report(current_user, report):
        abort(403)
    return report


def _carry_out(report, change, done) -> bool:
    """Run ``change`` (one service call on ``report``); flash why it was refused, or flash
    ``done()`` and drop the cached copies of the report's page. Tell whether it went through."""
    try:
        change()
    except (report_services.ReportError, photo_files.PhotoError) as error:
        flash(str(error), "error")
        return False
    forget_page(url_for("reports.show_report", code=report.code))
    flash(done())
    return True


def _moderator():
    return current_user._get_current_object()


def _route_form(report_code: str, *, bureaus, suggested, **kwargs) -> RouteForm:
    form = RouteForm(**kwargs)
    form.bureau.choices = [(b.code, b.display_name) for b in bureaus]
    if form.bureau.data is None:
        form.bureau.data = suggested.code if suggested else None
    return form.give_ids(f"route-{report_code}")


@moderators_only
def route_report(code: str):
    """Send a published or returned report to the bureau chosen (a routing rule suggests one)."""
    report = _report_to_moderate(code)
    form = _route_form(report.code, bureaus=list_bureaus(), suggested=suggest_bureau(report))
    bureau = get_bureau(form.bureau.data)
    if not form.validate_on_submit() or bureau is None:
        flash(_("Choose the bureau to send the report to."), "error")
        return _back(report, request.form.get("back"), anchor=f"route-{report.code}")
    _carry_out(
        report,
        lambda: services.route_report(report, bureau, moderator=_moderator(), note=form.note.data),
        lambda: _("The report is sent to %(bureau)s.", bureau=bureau.display_name),
    )
    return _back(report, request.form.get("back"), anchor="")


@moderators_only
def publish_report(code: str):
    """Make a report awaiting review public."""
    report = _report_to_moderate(code)
    _carry_out(
        report,
        lambda: services.publish_report(report, moderator=_moderator()),
        lambda: _("The report is published."),
    )
    return _back(report, request.form.get("back"), anchor="")


@moderators_only
def reject_report(code: str):
    """Refuse a report awaiting review, with a reason its author reads."""
    report = _report_to_moderate(code)
    form = _decision_form()
    if not form.validate_on_submit():
        flash_form_errors(form)
        return _back(report, request.form.get("back"))
    _carry_out(
        report,
        lambda: services.reject_report(report, moderator=_moderator(), reason=_reason(form)),
        lambda: _("The report is not accepted; its author will see why."),
    )
    return _back(report, request.form.get("back"), anchor="")


def _back(report, where: str | None, *, anchor: str | None = None):
    """Back to where the moderator acted: the queue (at the report, or at ``anchor``; "" for
    its top) or the case page (``where`` is "case" or "report")."""
    if where in ("case", "report"):
        at = "notes" if where == "report" else "case"  # "report": the notes of the case page
        return redirect(url_for("reports.show_report", code=report.code, _anchor=at))
    anchor = f"report-{report.code}" if anchor is None else anchor
    return redirect(url_for("moderation.show_queue") + (f"#{anchor}" if anchor else ""))


@moderators_only
def mark_duplicate(code: str):
    """Mark the report as a duplicate of the one whose tracking code the moderator gives."""
    report = _report_to_moderate(code)
    form = DuplicateForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
        return _back(report, form.back.data)
    target = get_report(normalise_code(form.original.data))
    done = _carry_out(
        report,
        lambda: services.mark_duplicate(report, target, moderator=_moderator()),
        lambda: _(
            "The report is marked as a duplicate of %(code)s; its supporters and its "
            "author now support that one.",
            code=report.duplicate_of.code,
        ),
    )
    if done:  # the original's supporters changed too
        forget_page(url_for("reports.show_report", code=report.duplicate_of.code))
    return _back(report, form.back.data)


@moderators_only
def redact_text(code: str):
    """Replace the description with the moderator's copy of it without personal data."""
    report = _report_to_moderate(code)
    form = RedactTextForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
        return _back(report, "case")
    _carry_out(
        report,
        lambda: redaction.redact_description(
            report, moderator=_moderator(), description=form.description.data
        ),
        lambda: _("The description is changed; administrators can still read the original."),
    )
    return _back(report, "case")


@moderators_only
def remove_media_link(code: str):
    """Take away the link to a photo the client app holds (it may show personal data)."""
    report = _report_to_moderate(code)
    _carry_out(
        report,
        lambda: redaction.remove_media_link(report, moderator=_moderator()),
        lambda: _("The link to the photo is removed; the audit log keeps it for administrators."),
    )
    return _back(report, "case")


@moderators_only
def redact_photo(code: str, photo_id: int):
    """Black out a rectangle (given in percentages) of one of the report's photos, or all."""
    report = _report_to_moderate(code)
    photo = next((p for p in report.photos if p.id == photo_id), None) or abort(404)
    form = RedactPhotoForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
        return _back(report, "case")
    edges = (form.left.data, form.top.data, form.right.data, form.bottom.data)

    def redact():
        whole = photo_files.Rectangle.whole()
        box = whole if form.whole.data else photo_files.check_rectangle(*edges)
        redaction.redact_photo(photo, report=report, moderator=_moderator(), box=box)

    done = lambda: _("The photo is redacted; administrators can still see the original.")  # noqa: E731
    _carry_out(report, redact, done)
    return _back(report, "case")


@moderators_only
def record_phone_answer(code: str):
    """A community worker of the area records what a resident who has only a phone said on a
    call-back; the report's page says it was answered by phone and recorded by the community."""
    report = get_report(code) or abort(404)
    if not policy.can_record_phone_answer(current_user, report):
        abort(403)
    form = SatisfactionForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
        return _back(report, "case")
    _carry_out(
        report,
        lambda: answers.answer_satisfaction(
            report,
            answer=form.satisfaction.data,
            solved=form.is_solved,
            comment=form.comment.data,
            channel=AnswerChannel.PHONE,
            recorded_by=_moderator(),
        ),
        lambda: _("The resident's answer is recorded."),
    )
    return _back(report, "case")


@moderators_only
def add_note(code: str):
    """Add an internal note to a report of the moderator's areas."""
    report = _report_to_moderate(code)
    form = NoteForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
        return _back(report, form.back.data)
    _carry_out(
        report,
        lambda: report_services.add_note(report, author=_moderator(), body=form.body.data),
        lambda: _("The note is added. Only staff working on the report can read it."),
    )
    return _back(report, form.back.data)


def _decide_comment(comment_id: int, decide, done: str, *, needs_reason: bool = False):
    """Carry out ``decide(comment, moderator=…, [reason=…])`` (one moderation service) on a
    comment; flash why it was refused, or ``done``, and drop the measure's cached page."""
    comment = db.session.get(Comment, comment_id) or abort(404)
    options = {}
    if needs_reason:
        form = _decision_form()
        if not form.validate_on_submit():
            flash_form_errors(form)
            return redirect(url_for("moderation.show_queue") + f"#comment-{comment.id}")
        options["reason"] = _reason(form)
    try:
        decide(comment, moderator=_moderator(), **options)
    except services.ModerationError:
        flash(_("Someone has already decided on this comment."), "error")
    else:
        # Readers of the measure should see the decision now, not when the cache expires.
        forget_page(url_for("feedback.show_measure", measure_id=comment.measure_id))
        flash(done)
    return redirect(url_for("moderation.show_queue"))


@moderators_only
def publish_comment(comment_id: int):
    """Publish a pending comment (or bring back a hidden one)."""
    return _decide_comment(comment_id, services.publish, _("The comment is published."))


@moderators_only
def reject_comment(comment_id: int):
    return _decide_comment(
        comment_id,
        services.reject,
        _("The comment is rejected; its author will see why."),
        needs_reason=True,
    )


@moderators_only
def hide_comment(comment_id: int):
    return _decide_comment(
        comment_id,
        services.hide,
        _("The comment is hidden; its author will see why."),
        needs_reason=True,
    )


@moderators_only
def keep_comment(comment_id: int):
    """Keep a flagged comment published and clear its flags."""
    return _decide_comment(
        comment_id, services.keep, _("The comment stays published; its flags are cleared.")
    )


def _save_reason(template: ReasonTemplate | None, form: ReasonTemplateForm):
    services.save_reason_template(
        template,
        title=form.title.data,
        body=form.body.data,
        moderator=_moderator(),
    )
    flash(_("The reason is saved."))
    return redirect(url_for("moderation.list_reasons"))


@moderators_only
def list_reasons():
    form = ReasonTemplateForm()
    if form.validate_on_submit():
        return _save_reason(None, form)
    return render_template(
        "moderation/reasons.html", templates=queries.list_reason_templates(), form=form
    )


@moderators_only
def edit_reason(template_id: int):
    template = db.session.get(ReasonTemplate, template_id) or abort(404)
    form = ReasonTemplateForm(obj=template)
    if form.validate_on_submit():
        return _save_reason(template, form)
    return render_template("moderation/reason.html", template=template, form=form)


def show_audit_log():
    """The audit log moved to the administration pages (filterable there)."""
    return redirect(url_for("admin.show_audit_log", **request.args), 301)


def case_panel(report, *, user) -> Panel | None:
    """The community worker's panel on the case page (a ``case_page_opened`` receiver):
    publish or reject, route (the bureau the rules suggest chosen), mark as a duplicate of a
    suggested report, record a call-back answer, remove personal data."""
    phone_answer = policy.can_record_phone_answer(user, report)
    if not (policy.can_moderate_report(user, report) or phone_answer):
        return None
    context = {"phone_answer_form": SatisfactionForm(formdata=None) if phone_answer else None}
    context["may_moderate"] = may_moderate = policy.can_moderate_report(user, report)
    if may_moderate and report.status == "submitted":
        context["decision_form"] = _decision_form()
    if may_moderate and report.status in ROUTABLE_STATUSES:
        context["route_form"] = _route_form(
            "case", bureaus=list_bureaus(), suggested=suggest_bureau(report), formdata=None
        )
    if may_moderate and report.status in DUPLICABLE_STATUSES:
        context["duplicate_suggestions"] = queries.duplicate_suggestions(report)
        context["duplicate_form"] = DuplicateForm(formdata=None)
    return Panel("moderation/_case_panel.html", context)
