"""A bureau's targets as a sheet: the page, the downloads, the upload's preview and its
confirmation (the owner bureau's staff; administrators for every target)."""

from flask import Response, flash, redirect, render_template, url_for
from flask_login import current_user

from planvoice.bureaus.export import as_csv, as_xlsx
from planvoice.core import policy
from planvoice.core.i18n import _, ngettext
from planvoice.plans import queries as plan_queries
from planvoice.progress import bulk, queries
from planvoice.progress.forms import ConfirmUploadForm, UploadForm, state_labels

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
may_record_any = policy.requires(policy.can_record_progress)


def _my_targets():
    """The clerk's bureau's targets; every target for an administrator (who owns none)."""
    user = current_user
    owned_by = None if policy.can_set_target_tracking(user) else user.bureau_id
    targets = queries.targets_owned_by(owned_by)
    plan = plan_queries.get_default_plan()
    return queries.progress_of_targets(targets, plan) if targets and plan else []


def _page(form=None, status: int = 200):
    return render_template(
        "progress/bureau_targets.html",
        items=_my_targets(),
        labels=state_labels(),
        form=form or UploadForm(formdata=None),
    ), status


@may_record_any
def bureau_targets():
    return _page()


def _download(body: bytes, mimetype: str, extension: str) -> Response:
    return Response(
        body,
        mimetype=mimetype,
        headers={
            "Content-Disposition": f'attachment; filename="planvoice-targets.{extension}"',
            "Cache-Control": "private, no-store",
        },
    )


@may_record_any
def download_csv():
    return _download(as_csv(bulk.sheet_rows(_my_targets())), "text/csv", "csv")


@may_record_any
def download_xlsx():
    sheet = as_xlsx(bulk.sheet_rows(_my_targets()), sheet_name=_("Targets"))
    return _download(sheet, XLSX_TYPE, "xlsx")


@may_record_any
def preview_upload():
    form = UploadForm()
    upload = form.sheet.data
    if not form.validate_on_submit() or not getattr(upload, "filename", ""):
        form.sheet.errors = list(form.sheet.errors) or [_("Choose the filled-in sheet first.")]
        return _page(form, 422)
    try:
        rows = bulk.check_rows(bulk.read_sheet(upload.filename, upload.read()), user=current_user)
    except bulk.SheetError as error:
        form.sheet.errors = [str(error)]
        return _page(form, 422)
    valid = [row for row in rows if row.is_valid]
    confirm = ConfirmUploadForm(formdata=None, rows=bulk.sign_rows(valid, user=current_user))
    return render_template("progress/upload_preview.html", rows=rows, valid=valid, confirm=confirm)


@may_record_any
def apply_upload():
    form = ConfirmUploadForm()
    user = current_user._get_current_object()
    try:
        if not form.validate_on_submit():
            raise bulk.SheetError(_("This preview has expired. Please upload the sheet again."))
        rows = bulk.check_rows(bulk.unsign_rows(form.rows.data, user=user), user=user)
    except bulk.SheetError as error:
        flash(str(error), "error")
        return redirect(url_for("progress.bureau_targets"))
    new, already = bulk.apply_rows(rows, user=user)
    refused = sum(1 for row in rows if not row.is_valid)
    messages = [
        ngettext("%(num)d new entry recorded.", "%(num)d new entries recorded.", new),
        ngettext(
            "%(num)d row was recorded already; nothing added for it.",
            "%(num)d rows were recorded already; nothing added for them.",
            already,
        ),
    ]
    if refused:
        messages.append(
            ngettext(
                "%(num)d row could no longer be applied.",
                "%(num)d rows could no longer be applied.",
                refused,
            )
        )
    flash(" ".join(messages))
    return redirect(url_for("progress.bureau_targets"))
