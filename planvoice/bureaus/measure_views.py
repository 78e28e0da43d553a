"""A bureau's public answers on the measures of the plan: the form for its staff, and the
answers drawn on the measure's page (a ``measure_page_opened`` receiver)."""

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user

from planvoice.bureaus import queries, services
from planvoice.bureaus.forms import MeasureAnswerForm
from planvoice.core import policy
from planvoice.core.errors import flash_form_errors
from planvoice.core.i18n import _
from planvoice.core.signals import Panel
from planvoice.plans.queries import get_measure
from planvoice.reports.services import ReportError


@policy.requires(policy.can_answer_measure)
def answer_measure(measure_id: int):
    measure = get_measure(measure_id) or abort(404)
    form = MeasureAnswerForm()
    if form.validate_on_submit():
        try:
            services.answer_measure(
                measure, staff=current_user._get_current_object(), body=form.body.data
            )
        except ReportError as error:
            form.body.errors.append(str(error))
        else:
            flash(_("Your answer is public on the measure's page; its people are being told."))
            return redirect(
                url_for("feedback.show_measure", measure_id=measure.id, _anchor="answers")
            )
    elif form.is_submitted():
        flash_form_errors(form)
    status = 400 if form.errors else 200
    return render_template("bureaus/answer_measure.html", measure=measure, form=form), status


def measure_panel(measure, **_kwargs) -> Panel | None:
    """The bureaus' answers on the measure, and for bureau staff the link to answer. The link
    is personal, but staff are signed in, and pages of signed-in readers are never shared."""
    answers = queries.answers_on_measure(measure.id)
    may_answer = current_user.is_authenticated and policy.can_answer_measure(current_user)
    if not answers and not may_answer:
        return None
    context = {"answers": answers, "may_answer": may_answer, "measure_id": measure.id}
    return Panel("bureaus/_measure_answers.html", context)
