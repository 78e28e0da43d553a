"""What a resident says of a report after it was filed: "me too" (with an e-mail to hear of
its steps), the satisfaction answer (on the report's page or by the e-mailed link), and
stopping a supporter's e-mails (by the link, or one click in the mail program)."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf import FlaskForm

from planvoice.core import policy
from planvoice.core.caching import forget_page
from planvoice.core.errors import flash_form_errors
from planvoice.core.extensions import csrf, limiter
from planvoice.core.i18n import _
from planvoice.core.identity import actor_key
from planvoice.core.ratelimits import SUPPORTS_PER_ACTOR, SUPPORTS_PER_CLIENT, per_actor
from planvoice.reports import answers, queries, services
from planvoice.reports.forms import SatisfactionForm, SupportForm
from planvoice.reports.models import SATISFACTION_LABELS, AnswerChannel
from planvoice.reports.views import follow_as_participant


@limiter.limit(SUPPORTS_PER_CLIENT)
@limiter.limit(SUPPORTS_PER_ACTOR, key_func=per_actor)
def support_report(code: str):
    report = queries.get_report(code) or abort(404)
    if not report.is_public:
        abort(404)
    form = SupportForm()
    if not form.validate_on_submit():
        flash_form_errors(form)
        return redirect(url_for("reports.show_report", code=report.code, _anchor="support"))
    try:
        services.support_report(
            report,
            supporter_key=actor_key(create=True),
            user=current_user if current_user.is_authenticated else None,
            email=form.email.data,
            language=str(get_locale()),
        )
    except services.ReportError as error:
        flash(str(error), "error")
    else:
        forget_page(url_for("reports.show_report", code=report.code))
        flash(_("Thank you. Your support is added to this report."))
        if form.follow.data:
            follow_as_participant(report, email=form.email.data)
    return redirect(url_for("reports.show_report", code=report.code, _anchor="support"))


@limiter.limit(SUPPORTS_PER_CLIENT)
@limiter.limit(SUPPORTS_PER_ACTOR, key_func=per_actor)
def answer_satisfaction(code: str):
    """The reporter's answer on the report's page: signed in, or in the browser that filed it."""
    report = queries.get_report(code) or abort(404)
    form = SatisfactionForm()
    if policy.is_staff(current_user):
        message = _("Staff do not answer for a resident: only the resident who reported it can.")
        flash(message, "error")
    elif not policy.can_answer_satisfaction(current_user, actor_key(), report):
        flash(
            _(
                "Only the resident who reported it can answer: in the browser or the account "
                "they reported it from, or with the link in the e-mail that told them it was "
                "resolved."
            ),
            "error",
        )
    elif not form.validate_on_submit():
        flash_form_errors(form)
    else:
        by_account = current_user.is_authenticated and report.user_id == current_user.id
        channel = AnswerChannel.ACCOUNT if by_account else AnswerChannel.BROWSER
        _answer(report, form, channel=channel)
    return redirect(url_for("reports.show_report", code=report.code, _anchor="satisfaction"))


@limiter.limit(SUPPORTS_PER_CLIENT)
def answer_by_link(code: str, token: str):
    """The link in the "resolved" e-mail: the question, with the answer chosen in the e-mail
    already ticked; nothing is recorded before the resident presses the button (mail
    scanners open links too)."""
    report = answers.report_of_satisfaction_token(code, token)
    if report is None:
        return render_template("reports/answer_link.html", report=None), 404
    form = SatisfactionForm(formdata=None if request.method == "GET" else request.form)
    if request.method == "GET" and request.args.get("satisfaction") in SATISFACTION_LABELS:
        form.satisfaction.data = request.args["satisfaction"]
    staff = policy.is_staff(current_user)  # sees why there is no form, and cannot post one
    answered = not staff and form.validate_on_submit()
    if answered and _answer(report, form, channel=AnswerChannel.LINK):
        return redirect(url_for("reports.show_report", code=report.code, _anchor="satisfaction"))
    return render_template("reports/answer_link.html", report=report, form=form, staff=staff)


def _answer(report, form: SatisfactionForm, *, channel: str) -> bool:
    try:
        answers.answer_satisfaction(
            report,
            answer=form.satisfaction.data,
            solved=form.is_solved,
            comment=form.comment.data,
            channel=channel,
            user=current_user if current_user.is_authenticated else None,
        )
    except services.ReportError as error:
        flash(str(error), "error")
        return False
    forget_page(url_for("reports.show_report", code=report.code))
    flash(_("Thank you for telling us."))
    return True


@csrf.exempt  # the form below checks its own token; a mail program's one click has none
def stop_emails(code: str, token: str):
    """The link in a supporter's e-mails: confirm (POST, so that mail scanners following
    links stop nothing), then forget the address. A mail program's one-click unsubscribe
    (RFC 8058: a POST of ``List-Unsubscribe=One-Click`` to this address, no cookies) stops
    them too: the signed token in the address is the proof, as in the link itself."""
    report = queries.get_report(code) or abort(404)
    support = queries.support_of_stop_token(report, token) or abort(404)
    if request.method == "POST" and request.form.get("List-Unsubscribe") == "One-Click":
        services.stop_supporter_emails(support)
        return "", 200
    form = FlaskForm()
    if form.validate_on_submit():
        services.stop_supporter_emails(support)
        flash(_("Done: you will get no more e-mails about this report."))
        return redirect(url_for("reports.show_report", code=report.code))
    return render_template(
        "reports/stop_emails.html", report=report, form=form, stopped=support.email is None
    )
