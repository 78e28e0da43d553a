from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from planvoice.bureaus import export, queries, services
from planvoice.bureaus.forms import BureauActionForm, DeleteReplyForm, ReplyTemplateForm
from planvoice.bureaus.models import Bureau
from planvoice.bureaus.queries import deadlines_of, report_is_overdue
from planvoice.core import policy
from planvoice.core.caching import forget_page
from planvoice.core.db import utcnow
from planvoice.core.errors import flash_form_errors
from planvoice.core.extensions import db
from planvoice.core.i18n import _, _l
from planvoice.core.signals import Panel
from planvoice.reports import photos as photo_files
from planvoice.reports.forms import NoteForm
from planvoice.reports.queries import get_report
from planvoice.reports.services import ReportError, add_note

VIEWS = ("new", "accepted", "in_progress", "overdue", "resolved", "returned")
# The page shows the oldest INBOX_PAGE_SIZE of a tab; its download, the oldest this many.
EXPORT_LIMIT = 100
staff_only = policy.requires(policy.can_work_in_bureau_inbox)


def _inbox(view: str, *, limit: int = queries.INBOX_PAGE_SIZE) -> list:
    if view not in VIEWS:
        abort(404)
    bureau_id = current_user.bureau_id
    if view == "overdue":
        # The oldest reports the bureau holds are the first to be late: a few pages of them are
        # checked against the working-day clocks, the oldest late ones kept.
        held = queries.list_inbox(bureau_id, view="all", limit=5 * limit)
        return [r for r in held if report_is_overdue(r)][:limit]
    return queries.list_inbox(bureau_id, view=view, limit=limit)


@staff_only
def show_inbox():
    view = request.args.get("view", "new")
    reports = _inbox(view)
    deadlines = {report.id: deadlines_of(report) for report in reports}
    return render_template(
        "bureaus/inbox.html",
        view=view,
        views=VIEWS,
        reports=sorted(reports, key=lambda report: _due_first(deadlines[report.id])),
        counts=queries.count_inbox(current_user.bureau_id),
        deadlines=deadlines,
        now=utcnow(),
        page_size=queries.INBOX_PAGE_SIZE,
    )


def _due_first(deadlines) -> tuple:
    """Sort key: the case whose next step is due soonest first; nothing due, last."""
    due = deadlines.next_due if deadlines is not None else None
    return (due is None, due or utcnow())


@staff_only
def export_inbox(fmt: str):
    """The tab of the inbox being looked at, as CSV or XLSX (with the reporters' contacts)."""
    view = request.args.get("view", "new")
    reports = _inbox(view, limit=EXPORT_LIMIT)
    rows = export.inbox_table(
        reports,
        {report.id: deadlines_of(report) for report in reports},
        url_of=lambda r: url_for("reports.show_report", code=r.code, _external=True),
    )
    body, mimetype = {
        "csv": (export.as_csv, "text/csv"),
        "xlsx": (export.as_xlsx, XLSX_TYPE),
    }[fmt]
    return Response(
        body(rows),
        mimetype=mimetype,
        headers={
            "Content-Disposition": f'attachment; filename="planvoice-{view}.{fmt}"',
            "Cache-Control": "private, no-store",
        },
    )


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _act(code: str, change):
    """Carry out ``change(report, form)`` (one service call) on a report routed to the
    signed-in clerk's bureau; flash why it was refused, or that it is done."""
    report = get_report(code) or abort(404)
    if not policy.can_handle_report(current_user, report):
        abort(403)
    form = BureauActionForm()
    on_case_page = form.back.data == "case"
    case_page = url_for("reports.show_report", code=report.code)
    if not form.validate_on_submit():
        flash_form_errors(form)
    else:
        try:
            change(report, form)
        except (ReportError, photo_files.PhotoError) as error:
            flash(str(error), "error")
        else:
            forget_page(case_page)
            flash(_("Done: the report's page shows it now."))
            if not on_case_page:
                return redirect(url_for("bureaus.show_inbox", view=request.args.get("view", "new")))
    if on_case_page:
        return redirect(case_page + "#case")
    return redirect(url_for("bureaus.show_inbox") + f"#report-{report.code}")


def _staff():
    return current_user._get_current_object()


@staff_only
def accept_report(code: str):
    return _act(code, lambda report, form: services.accept_report(report, staff=_staff()))


@staff_only
def return_report(code: str):
    """Back to the community workers, with the public reason (``body``)."""
    return _act(
        code,
        lambda report, form: services.return_report(report, staff=_staff(), reason=form.body.data),
    )


def _written_or_prepared(report, form: BureauActionForm) -> str:
    """The clerk's own words or, when they wrote none, the chosen prepared reply's text (only
    the report's bureau's replies count: another bureau's id is ignored)."""
    template = queries.get_reply_template(form.template.data, bureau_id=report.bureau_id)
    return form.body.data or (template.body if template is not None else "")


@staff_only
def reply_report(code: str):
    return _act(
        code,
        lambda report, form: services.reply_to_report(
            report, staff=_staff(), body=_written_or_prepared(report, form)
        ),
    )


@staff_only
def progress_report(code: str):
    return _act(
        code, lambda report, form: services.start_work(report, staff=_staff(), note=form.body.data)
    )


@staff_only
def resolve_report(code: str):
    """Resolved, with a public note and, where the clerk chose one, an "after" photo."""

    def resolve(report, form):
        upload = form.after_photo.data
        photo = None
        if upload is not None and getattr(upload, "filename", None):
            data = upload.stream.read(photo_files.MAX_PHOTO_BYTES + 1)
            photo = photo_files.process_photo(data, upload.filename)
        note = _written_or_prepared(report, form)
        services.resolve_report(report, staff=_staff(), note=note, after_photo=photo)

    return _act(code, resolve)


@staff_only
def add_report_note(code: str):
    """An internal note on a report routed to the bureau, for its staff and the community
    workers of its area."""
    report = get_report(code) or abort(404)
    if not policy.can_handle_report(current_user, report):
        abort(403)
    form = NoteForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
    else:
        try:
            add_note(report, author=current_user._get_current_object(), body=form.body.data)
        except ReportError as error:
            flash(str(error), "error")
        else:
            flash(_("The note is added. Only staff working on the report can read it."))
    if form.back.data == "report":
        return redirect(url_for("reports.show_report", code=report.code, _anchor="notes"))
    return redirect(
        url_for("bureaus.show_inbox", view=request.args.get("view", "new"))
        + f"#report-{report.code}"
    )


def case_panel(report, *, user) -> Panel | None:
    """The routed bureau's panel on the case page (a ``case_page_opened`` receiver): the steps
    the report's status allows now, each its own form, the return set apart."""
    if not policy.can_handle_report(user, report):
        return None
    steps = services.steps_open_to(report)
    forms = {step: BureauActionForm(formdata=None).give_ids(f"case-{step}") for step in steps}
    for step, label in STEP_FIELD_LABELS.items():
        if step in forms:
            forms[step].body.label.text = label
    replies = queries.list_reply_templates(report.bureau_id) if _takes_replies(steps) else []
    for step in PREPARED_REPLY_STEPS:
        if step in forms:
            forms[step].template.choices = _reply_choices(replies)
    return Panel(
        "bureaus/_case_panel.html",
        {
            "bureau_steps": steps,
            "bureau_forms": forms,
            "bureau_deadlines": deadlines_of(report),
            "bureau_replies": replies,
        },
    )


# The steps whose text may start from one of the bureau's prepared replies.
PREPARED_REPLY_STEPS = ("reply", "resolve")


def _takes_replies(steps: list[str]) -> bool:
    return any(step in PREPARED_REPLY_STEPS for step in steps)


def _reply_choices(replies) -> list[SelectChoice]:
    # Each option carries its text, which bureau-replies.js copies into the field; without
    # JavaScript the view takes it when the field is left empty.
    return [SelectChoice(0, _("— none, I write it below —"))] + [
        SelectChoice(reply.id, reply.title, render_kw={"data-body": reply.body})
        for reply in replies
    ]


# What the clerk writes in each step's one field, said for that step.
STEP_FIELD_LABELS = {
    "reply": _l("Your public answer"),
    "progress": _l("What is being done (public)"),
    "resolve": _l("How it was fixed (public)"),
    "return": _l("Why it is not for your bureau (public)"),
}


# --- prepared replies ----------------------------------------------------------------------


reply_editors_only = policy.requires(policy.can_edit_prepared_replies)


def _editable_bureau_id() -> int | None:
    """Whose replies the signed-in person keeps: their bureau's, or (None) every bureau's."""
    return None if policy.can_administer(current_user) else current_user.bureau_id


def _reply_form(template=None) -> ReplyTemplateForm:
    form = ReplyTemplateForm(obj=template)
    if _editable_bureau_id() is None:
        form.bureau_id.choices = [(b.id, b.display_name) for b in queries.list_bureaus()]
    else:
        # Staff write for their own bureau only; the form does not ask.
        del form.bureau_id
    return form


def _save_reply(template, form: ReplyTemplateForm):
    """Save the form's reply and go back to the list, or None with the refusal on the form."""
    bureau_id = form.bureau_id.data if "bureau_id" in form else current_user.bureau_id
    try:
        services.save_reply_template(
            template,
            bureau=db.session.get(Bureau, bureau_id),
            title=form.title.data,
            body=form.body.data,
            editor=_staff(),
        )
    except services.ReplyTemplateError as error:
        form.title.errors.append(str(error))
        return None
    flash(_("The prepared reply is saved."))
    return redirect(url_for("bureaus.list_replies"))


@reply_editors_only
def list_replies():
    """The bureau's prepared replies (every bureau's, for administrators), and one to add."""
    form = _reply_form()
    if form.validate_on_submit() and (saved := _save_reply(None, form)):
        return saved
    bureau_id = _editable_bureau_id()
    return render_template(
        "bureaus/replies.html",
        templates=queries.list_reply_templates(bureau_id),
        every_bureau=bureau_id is None,
        form=form,
    )


def _own_reply(template_id: int):
    template = queries.get_reply_template(template_id, bureau_id=_editable_bureau_id())
    # Another bureau's reply is as good as absent: its staff don't learn that it exists.
    if template is None or not policy.can_edit_prepared_replies(current_user, template.bureau):
        abort(404)
    return template


@reply_editors_only
def edit_reply(template_id: int):
    template = _own_reply(template_id)
    form = _reply_form(template)
    if form.validate_on_submit() and (saved := _save_reply(template, form)):
        return saved
    return render_template(
        "bureaus/reply.html", template=template, form=form, delete_form=DeleteReplyForm()
    )


@reply_editors_only
def delete_reply(template_id: int):
    template = _own_reply(template_id)
    form = DeleteReplyForm()
    if form.validate_on_submit():
        services.delete_reply_template(template, editor=_staff())
        flash(_("The prepared reply is deleted. Answers that used it keep their text."))
    else:
        flash_form_errors(form)
    return redirect(url_for("bureaus.list_replies"))
