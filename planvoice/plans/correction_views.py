"""The plan desk's corrections (administrators): correct a measure or a target of a draft's plan,
add a target, mark a number as no target, withdraw a correction. Each saves a correction for
the draft's plan slug and returns to the draft's preview, at the measure."""

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from planvoice.core import policy
from planvoice.core.errors import flash_form_errors
from planvoice.core.extensions import db
from planvoice.core.i18n import _
from planvoice.plans import correction_services as services
from planvoice.plans import desk
from planvoice.plans.correction_services import CorrectionError
from planvoice.plans.corrections import TARGET_FIELDS, apply_corrections, find_measure
from planvoice.plans.errors import PlanFormatError
from planvoice.plans.forms import DraftActionForm, MeasureCorrectionForm, TargetCorrectionForm
from planvoice.plans.models import PlanCorrection, PlanDraft

admins_only = policy.requires(policy.can_administer)


def _load(draft_id: int, key: str):
    """The draft, its plan as parsed, and the measure ``key`` as the preview shows it."""
    draft = db.session.get(PlanDraft, draft_id) or abort(404)
    try:
        parsed = desk.parse_draft(draft)
    except PlanFormatError:
        abort(404)  # the preview says why; there is nothing to correct
    corrected, _conflicts = apply_corrections(parsed, services.list_corrections(draft.slug))
    shown = find_measure(corrected, key) or abort(404)
    return draft, parsed, shown


def _back(draft, key: str):
    return redirect(url_for("plans.show_draft", draft_id=draft.id, _anchor=f"measure-{key}"))


def _refused(form, error: CorrectionError, template: str, **context):
    field = getattr(form, error.field, None) if error.field else None
    if field is None:
        form.form_error = str(error)
    else:
        field.errors = [*field.errors, str(error)]
    return render_template(template, form=form, **context), 422


@admins_only
def correct_measure(draft_id: int, key: str):
    draft, parsed, measure = _load(draft_id, key)
    form = MeasureCorrectionForm(obj=measure)
    context = {"draft": draft, "measure": measure}
    if not form.validate_on_submit():
        return render_template("plans/desk/correct_measure.html", form=form, **context)
    try:
        services.correct_measure(
            parsed,
            key,
            slug=draft.slug,
            actor=current_user,
            title=form.title.data or "",
            text=form.text.data or "",
            group=form.group.data,
        )
    except CorrectionError as error:
        return _refused(form, error, "plans/desk/correct_measure.html", **context)
    flash(_("Your correction is saved: it applies to every import of this plan."))
    return _back(draft, key)


@admins_only
def correct_target(draft_id: int, key: str, index: int):
    draft, parsed, measure = _load(draft_id, key)
    if not 0 <= index < len(measure.targets):
        abort(404)
    target = measure.targets[index]
    form = TargetCorrectionForm(obj=target, span=target.text)
    context = {"draft": draft, "measure": measure, "target": target}
    if not form.validate_on_submit():
        return render_template("plans/desk/correct_target.html", form=form, **context)
    if form.span.data != target.text:  # the preview changed since the form was sent
        flash(_("The measure's targets changed meanwhile; look at them again."), "error")
        return _back(draft, key)
    try:
        if form.not_target.data:
            services.mark_not_target(parsed, key, target.text, slug=draft.slug, actor=current_user)
        else:
            values = {name: getattr(form, name).data for name in TARGET_FIELDS}
            services.correct_target(
                parsed, key, target.text, slug=draft.slug, actor=current_user, **values
            )
    except CorrectionError as error:
        return _refused(form, error, "plans/desk/correct_target.html", **context)
    flash(_("Your correction is saved: it applies to every import of this plan."))
    return _back(draft, key)


@admins_only
def add_target(draft_id: int, key: str):
    draft, parsed, measure = _load(draft_id, key)
    form = TargetCorrectionForm()
    context = {"draft": draft, "measure": measure, "target": None}
    if not form.validate_on_submit():
        return render_template("plans/desk/correct_target.html", form=form, **context)
    values = {name: getattr(form, name).data for name in TARGET_FIELDS}
    try:
        services.add_target(
            parsed, key, slug=draft.slug, actor=current_user, span=form.span.data, **values
        )
    except CorrectionError as error:
        return _refused(form, error, "plans/desk/correct_target.html", **context)
    flash(_("Your correction is saved: it applies to every import of this plan."))
    return _back(draft, key)


@admins_only
def withdraw_correction(draft_id: int, correction_id: int):
    draft = db.session.get(PlanDraft, draft_id) or abort(404)
    correction = db.session.get(PlanCorrection, correction_id)
    if correction is None or correction.plan_slug != draft.slug:
        abort(404)
    form = DraftActionForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
    else:
        services.withdraw_correction(correction, actor=current_user)
        flash(_("The correction is withdrawn: the plan reads as its file says."))
    return redirect(url_for("plans.show_draft", draft_id=draft.id, _anchor="corrections"))
