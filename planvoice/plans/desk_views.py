"""The plan desk (administrators): upload a plan as a draft, preview it, publish or discard it."""

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from planvoice.core import policy
from planvoice.core.caching import forget_page
from planvoice.core.errors import flash_form_errors
from planvoice.core.extensions import db
from planvoice.core.i18n import _
from planvoice.plans import desk
from planvoice.plans.correction_services import list_corrections
from planvoice.plans.errors import PlanFormatError
from planvoice.plans.forms import DraftActionForm, DraftForm
from planvoice.plans.importer import plan_to_dict
from planvoice.plans.models import COMPARATOR_LABELS, CORRECTION_FIELD_LABELS, PlanDraft

admins_only = policy.requires(policy.can_administer)


def _desk_page(form: DraftForm, status: int = 200):
    plans = desk.list_published_plans()
    return render_template(
        "plans/desk/index.html",
        plans=plans,
        published_slugs={line.plan.slug for line in plans},
        drafts=desk.list_drafts(),
        form=form,
    ), status


def _draft_form(**kwargs) -> DraftForm:
    return DraftForm(plans=[line.plan for line in desk.list_published_plans()], **kwargs)


@admins_only
def show_desk():
    return _desk_page(_draft_form(formdata=None))


@admins_only
def create_draft():
    form = _draft_form()
    if not form.validate_on_submit():
        return _desk_page(form, 422)
    try:
        draft = desk.create_draft(
            form.plan_data, slug=form.plan_slug, file_name=form.file_name, actor=current_user
        )
    except PlanFormatError as error:
        (form.file if form.file_name else form.text).errors.append(str(error))
        return _desk_page(form, 422)
    return redirect(url_for("plans.show_draft", draft_id=draft.id))


@admins_only
def show_draft(draft_id: int):
    draft = db.session.get(PlanDraft, draft_id) or abort(404)
    corrections = list_corrections(draft.slug)
    try:
        parsed, conflicts = desk.corrected_draft(draft)
        diff = desk.diff_with_published(parsed, slug=draft.slug)
    except PlanFormatError as error:
        # The plan as it was read at upload, uncorrected: enough to see what went wrong.
        plan, conflicts, diff, error_message = draft.parsed, [], None, str(error)
    else:
        plan, error_message = plan_to_dict(parsed), None
    return render_template(
        "plans/desk/draft.html",
        draft=draft,
        preview=desk.preview_plan(plan, corrections=corrections, conflicts=conflicts),
        diff=diff,
        corrections=corrections,
        conflicts=conflicts,
        error_message=error_message,
        comparators={name: str(label) for name, label in COMPARATOR_LABELS.items()},
        field_labels=CORRECTION_FIELD_LABELS,
        form=DraftActionForm(formdata=None),
    )


@admins_only
def publish_draft(draft_id: int):
    draft = db.session.get(PlanDraft, draft_id) or abort(404)
    form = DraftActionForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
        return redirect(url_for("plans.show_draft", draft_id=draft.id))
    try:
        summary = desk.publish_draft(draft, actor=current_user)
    except PlanFormatError as error:
        flash(str(error), "error")
        return redirect(url_for("plans.show_draft", draft_id=draft_id))
    page = url_for("plans.show_plan", slug=summary.plan.slug)
    for path in (url_for("plans.show_home"), page):
        forget_page(path)
    flash(
        _(
            "“%(title)s” is published: %(added)d measures added, %(changed)d changed, "
            "%(removed)d retired.",
            title=summary.plan.title,
            added=len(summary.added),
            changed=len(summary.changed),
            removed=len(summary.removed),
        )
    )
    return redirect(page)


@admins_only
def discard_draft(draft_id: int):
    draft = db.session.get(PlanDraft, draft_id) or abort(404)
    form = DraftActionForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
        return redirect(url_for("plans.show_draft", draft_id=draft.id))
    desk.discard_draft(draft, actor=current_user)
    flash(_("The draft is discarded."))
    return redirect(url_for("plans.show_desk"))
