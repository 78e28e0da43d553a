from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from planvoice.bureaus.models import Bureau
from planvoice.bureaus.queries import list_bureaus
from planvoice.core import policy
from planvoice.core.caching import cached_page
from planvoice.core.extensions import db
from planvoice.core.i18n import _
from planvoice.core.signals import Panel
from planvoice.core.storage import send as send_stored
from planvoice.plans import queries as plan_queries
from planvoice.progress import queries, services
from planvoice.progress.forms import (
    STATE_LABELS,
    ProgressForm,
    TrackingForm,
    state_labels,
)
from planvoice.progress.state import exact_number
from planvoice.reports import photos as photo_files

ONE_YEAR = 365 * 24 * 3600
_ID = 2**31 - 1  # a stand-in id in a link built once, replaced per row
may_record_any = policy.requires(policy.can_record_progress)
admins_only = policy.requires(policy.can_set_target_tracking)


def _may_record(tracking) -> bool:
    return services.may_record(current_user, tracking)


# Public pages


@cached_page
def show_progress():
    plan = plan_queries.get_default_plan() or abort(404)
    bureaus = list_bureaus()
    # The filters only narrow a public page: a value that is not a choice is no filter.
    bureau = request.args.get("bureau")
    bureau = bureau if bureau in {b.code for b in bureaus} else None
    state = request.args.get("state")
    state = state if state in STATE_LABELS else None
    overview = queries.progress_overview(plan, bureaus, bureau_code=bureau, state=state)
    return render_template(
        "progress/overview.html",
        plan=plan,
        overview=overview,
        bureaus=bureaus,
        filters={"bureau": bureau, "state": state},
        labels=state_labels(),
        # One address built per kind, the id put in per row (as the scorecard does).
        links={
            "measure": url_for("feedback.show_measure", measure_id=_ID),
            "target": url_for("progress.show_target", target_id=_ID),
        },
        placeholder=str(_ID),
    )


@cached_page
def show_target(target_id: int):
    target = queries.get_target(target_id) or abort(404)
    (item,) = queries.progress_of_targets([target], target.measure.plan)
    return render_template(
        "progress/target.html",
        item=item,
        target=target,
        plan=target.measure.plan,
        history=queries.target_history(target),
        labels=state_labels(),
        may_record=_may_record(item.tracking),
    )


def serve_photo(path: str):
    queries.get_entry_with_photo(path) or abort(404)
    response = send_stored(path, mimetype="image/jpeg", max_age=ONE_YEAR)
    # Entries are public and their photos' names random and never reused: cached for good.
    response.cache_control.public = True
    response.cache_control.immutable = True
    return response


def measure_panel(measure, **_kwargs) -> Panel | None:
    """The targets' bars on a measure page (a ``measure_page_opened`` receiver)."""
    if not measure.targets:
        return None
    items = queries.progress_of_targets(measure.targets, measure.section.plan)
    context = {
        "items": items,
        "fraction": queries.measure_progress(items),
        "labels": state_labels(),
    }
    return Panel("progress/_measure_panel.html", context)


# Recording progress: the owner bureau's staff and administrators


def _entry_page(target, form, status: int = 200):
    history = queries.target_history(target)
    form.supersedes.choices = [(0, _("None: a new value"))] + [
        (row.entry.id, _entry_label(row.entry)) for row in history if row.corrected_by is None
    ]
    return render_template("progress/entry_form.html", target=target, form=form), status


def _entry_label(entry) -> str:
    return _(
        "#%(id)d: %(value)s on %(date)s",
        id=entry.id,
        value=exact_number(entry.value),
        date=entry.on,
    )


def _plain_or_empty(number) -> str:
    return "" if number is None else exact_number(number)


def _target_to_record(target_id: int):
    target = queries.get_target(target_id) or abort(404)
    if not _may_record(queries.trackings_of([target.id]).get(target.id)):
        abort(403)
    return target


@may_record_any
def new_entry(target_id: int):
    target = _target_to_record(target_id)
    form = ProgressForm(formdata=None, on=services.today(), supersedes=0)
    return _entry_page(target, form)


@may_record_any
def record_entry(target_id: int):
    target = _target_to_record(target_id)
    form = ProgressForm()
    if not form.validate_on_submit():
        return _entry_page(target, form, 422)
    try:
        services.record_progress(
            target,
            author=current_user._get_current_object(),
            on=form.on.data,
            value=form.value.data,
            note=form.note.data or "",
            evidence_url=form.evidence_url.data,
            photo=_photo(form),
            supersedes=_corrected(target, form.supersedes.data),
            bureau=current_user.bureau,
        )
    except services.ProgressError as error:
        form[error.field or "value"].errors = [str(error)]
        return _entry_page(target, form, 422)
    except photo_files.PhotoError as error:
        form.photo.errors = [str(error)]
        return _entry_page(target, form, 422)
    flash(_("Progress recorded; the target's page shows it now."))
    return redirect(url_for("progress.show_target", target_id=target.id))


def _photo(form) -> photo_files.ProcessedPhoto | None:
    upload = form.photo.data
    if not upload or not getattr(upload, "filename", ""):
        return None
    return photo_files.process_photo(upload.read(), upload.filename)


def _corrected(target, entry_id: int | None):
    if not entry_id:
        return None
    entry = queries.get_entry(entry_id)
    if entry is None or entry.target_id != target.id:
        raise services.ProgressError(_("There is no such entry to correct."), field="supersedes")
    return entry


# Administrators: who owns a target, its baseline and weight


@admins_only
def list_tracking():
    plan = plan_queries.get_default_plan()
    targets = queries.targets_owned_by(None)
    items = queries.progress_of_targets(targets, plan) if plan else []
    return render_template("progress/admin_list.html", items=items, labels=state_labels())


def _tracking_page(target, form, *, suggested=None, status: int = 200):
    form.owner_id.choices = [(0, _("No bureau yet"))] + [
        (b.id, b.display_name) for b in list_bureaus()
    ]
    return render_template(
        "progress/admin_edit.html", target=target, form=form, suggested=suggested
    ), status


@admins_only
def edit_tracking(target_id: int):
    target = queries.get_target(target_id) or abort(404)
    tracking = queries.trackings_of([target.id]).get(target.id)
    suggested = services.suggested_owner(target)
    form = TrackingForm(formdata=None)
    owner_id = tracking.owner_bureau_id if tracking else None
    form.owner_id.data = owner_id or (suggested.id if suggested else 0)
    if tracking is not None:
        form.baseline_value.data = _plain_or_empty(tracking.baseline_value)
        form.baseline_date.data = tracking.baseline_date
        form.weight.data = _plain_or_empty(tracking.weight)
    return _tracking_page(target, form, suggested=suggested if owner_id is None else None)


@admins_only
def save_tracking(target_id: int):
    target = queries.get_target(target_id) or abort(404)
    form = TrackingForm()
    if not form.validate_on_submit():
        return _tracking_page(target, form, status=422)
    try:
        services.set_tracking(
            target,
            admin=current_user._get_current_object(),
            owner=db.session.get(Bureau, form.owner_id.data) if form.owner_id.data else None,
            baseline_value=form.baseline_value.data or None,
            baseline_date=form.baseline_date.data,
            weight=form.weight.data or None,
        )
    except services.ProgressError as error:
        form[error.field or "baseline_value"].errors = [str(error)]
        return _tracking_page(target, form, status=422)
    flash(_("Saved."))
    return redirect(url_for("progress.list_tracking"))
