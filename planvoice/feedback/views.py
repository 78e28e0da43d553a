import re

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup, escape

from planvoice.core import policy, signals
from planvoice.core.caching import cached_page, forget_page
from planvoice.core.extensions import limiter
from planvoice.core.i18n import _
from planvoice.core.identity import actor_key, hash_ip
from planvoice.core.params import parse_id
from planvoice.core.ratelimits import (
    COMMENTS_PER_ACTOR,
    COMMENTS_PER_CLIENT,
    FLAGS_PER_ACTOR,
    FLAGS_PER_CLIENT,
    RATINGS_PER_ACTOR,
    RATINGS_PER_CLIENT,
    per_actor,
)
from planvoice.feedback import queries, services
from planvoice.feedback.forms import RATING_CHOICES, CommentForm, RatingForm
from planvoice.following import queries as following_queries
from planvoice.following import services as following_services
from planvoice.plans import queries as plan_queries
from planvoice.reports import queries as report_queries

# Pages


@cached_page
def show_measure(measure_id: int):
    """A measure's page: its text and targets, the reports about it, its rating and its
    thread, with the forms to rate and comment. This package composes it; plans and reports
    offer the reads."""
    measure = plan_queries.get_measure(measure_id) or abort(404)
    return render_measure_page(measure)


def render_measure_page(measure, *, notice=None, comment_form=None, **forms) -> str:
    """The measure page with its thread, rating and forms (optionally ones that failed)."""
    key = actor_key()
    previous, following = plan_queries.neighbours(measure)
    if comment_form is None:
        comment_form = _comment_form(formdata=None, measure_id=measure.id)
    rating_form = forms.get("rating_form") or RatingForm(formdata=None)
    own_rating = queries.get_own_rating(measure, key)
    if not rating_form.errors:
        rating_form.rating.data = own_rating
    failed_reply = forms.get("reply_form")
    reply_to = request.args.get("reply_to", type=parse_id)
    return render_template(
        "feedback/measure.html",
        measure=measure,
        plan=measure.section.plan,
        previous=previous,
        following=following,
        thread=queries.get_thread(measure, reader_key=key, after=request.args.get("after")),
        summary=queries.get_rating_summary(measure),
        own_rating=own_rating,
        reader_key=key,
        notice=notice,
        comment_form=comment_form,
        rating_form=rating_form,
        reply_form=lambda parent: _reply_form(parent, failed_reply, reply_to),
        can_flag=lambda comment: policy.can_flag_comment(key, comment),
        rating_choices=RATING_CHOICES,
        report_summary=report_queries.summarise_measure_reports(measure),
        panels=signals.draw_panels(signals.measure_page_opened, measure),
        # Signed-in pages are never cached, so the reader's own follow may show there.
        follow_live=(
            following_queries.live_follow_of("measure", measure.id, current_user)
            if current_user.is_authenticated
            else None
        ),
    )


@cached_page
def show_ranking():
    plan = plan_queries.get_default_plan()
    sections = [s for s in plan_queries.list_sections(plan) if s.current_measures] if plan else []
    section_id = request.args.get("section", type=parse_id)
    return render_template(
        "feedback/ranking.html",
        ranking=queries.rank_measures(section_id=section_id),
        sections=sections,
        section_id=section_id,
    )


# Actions


@limiter.limit(COMMENTS_PER_CLIENT)
@limiter.limit(COMMENTS_PER_ACTOR, key_func=per_actor)
def create_comment(measure_id: int):
    measure = plan_queries.get_measure(measure_id) or abort(404)
    form = _comment_form()
    if not form.validate_on_submit():
        return _refuse_comment(measure, form)
    try:
        parent = _parent(form, measure)
        comment = services.submit_comment(
            measure,
            body=form.body.data,
            submission_token=form.submission_token.data,
            author_key=actor_key(create=True),
            user=current_user if current_user.is_authenticated else None,
            nickname=form.nickname.data if "nickname" in form else None,
            parent=parent,
            ip_hash=hash_ip(request.remote_addr),
        )
    except services.FeedbackError as error:
        form.parent_id.data = ""
        return render_measure_page(measure, notice=str(error), comment_form=form), 400
    if "follow" in form and form.follow.data:
        following_services.follow_as_participant(
            "measure", measure, user=current_user._get_current_object()
        )
    if comment.status == "published":
        forget_page(url_for("feedback.show_measure", measure_id=measure.id))
        flash(_("Thanks! Your comment is published."))
    else:
        flash(_("Thanks! Your comment will appear after review."))
    return redirect(_measure_url(measure, f"comment-{comment.id}"))


@limiter.limit(FLAGS_PER_CLIENT)
@limiter.limit(FLAGS_PER_ACTOR, key_func=per_actor)
def flag_comment(measure_id: int, comment_id: int):
    measure = plan_queries.get_measure(measure_id) or abort(404)
    comment = queries.get_comment(comment_id, measure) or abort(404)
    try:
        services.flag_comment(comment, flagger_key=actor_key(create=True))
    except services.FeedbackError as error:
        return render_measure_page(measure, notice=str(error)), 400
    flash(_("Thank you. A moderator will look at this comment."))
    return redirect(_measure_url(measure, f"comment-{comment.id}"))


@limiter.limit(RATINGS_PER_CLIENT)
@limiter.limit(RATINGS_PER_ACTOR, key_func=per_actor)
def rate_measure(measure_id: int):
    measure = plan_queries.get_measure(measure_id) or abort(404)
    form = RatingForm()
    if not form.validate_on_submit():
        notice = _("Your rating could not be saved. Please check what you chose.")
        return render_measure_page(measure, notice=notice, rating_form=form), 400
    services.rate_measure(
        measure,
        voter_key=actor_key(create=True),
        value=form.rating.data,
        user=current_user if current_user.is_authenticated else None,
    )
    flash(_("Thank you. Your rating is saved; you can change it at any time."))
    return redirect(_measure_url(measure, "rating"))


@limiter.limit(RATINGS_PER_CLIENT)
@limiter.limit(RATINGS_PER_ACTOR, key_func=per_actor)
def withdraw_rating(measure_id: int):
    measure = plan_queries.get_measure(measure_id) or abort(404)
    # A guest acting gets their key, so their next page (with the message) is their own.
    if services.withdraw_rating(measure, voter_key=actor_key(create=True)):
        flash(_("Your rating is withdrawn."))
    else:
        flash(_("You have not rated this measure."))
    return redirect(_measure_url(measure, "rating"))


# Errors on the forms of a measure page are shown on that page, with the text kept.


def show_limit_reached(error):
    message = _("You are sending too much too quickly. Please wait a minute and try again.")
    return _show_error(message, error, 429)


def show_expired_form(error):
    return _show_error(_("This form has expired. Please send it again."), error, 400)


def _show_error(message: str, error, status: int):
    measure_id = (request.view_args or {}).get("measure_id")
    measure = plan_queries.get_measure(measure_id) if measure_id else None
    if measure is None:
        return render_template("error.html", error=error, message=message), status
    comment_form = None
    if request.endpoint == "feedback.create_comment":
        comment_form = _comment_form()
        comment_form.parent_id.data = ""
    return render_measure_page(measure, notice=message, comment_form=comment_form), status


# Helpers


def _comment_form(*, measure_id=None, **kwargs) -> CommentForm:
    form = CommentForm(**kwargs)
    if current_user.is_authenticated:
        del form.nickname  # an account signs with its display name
    if not (current_user.is_authenticated and current_user.email_confirmed_at):
        del form.follow  # nothing to follow with: no account, or no confirmed address
    elif measure_id is not None and kwargs.get("formdata", True) is None:
        # Ticked, but for someone who asked to hear no more of this measure.
        form.follow.data = following_queries.follows_by_default("measure", measure_id, current_user)
    return form


def _reply_form(parent, failed: CommentForm | None, reply_to: int | None) -> CommentForm | None:
    """The reply form under ``parent``: the one that failed, or the one the reader opened."""
    if failed is not None and failed.parent_id.data == str(parent.id):
        return failed
    if parent.id == reply_to:
        return _comment_form(formdata=None, measure_id=parent.measure_id).give_ids(
            f"reply-{parent.id}"
        )
    return None


def _refuse_comment(measure, form: CommentForm):
    notice = _("Your comment could not be sent. Please check what you entered.")
    # The hidden fields have no place of their own to show an error.
    hidden_errors = form.parent_id.errors or form.submission_token.errors
    if hidden_errors:
        notice = hidden_errors[0]
    if form.parent_id.data and not form.parent_id.errors:
        form.give_ids(f"reply-{form.parent_id.data}")
        return render_measure_page(measure, notice=notice, reply_form=form), 400
    form.parent_id.data = ""
    return render_measure_page(measure, notice=notice, comment_form=form), 400


def _parent(form: CommentForm, measure):
    if not form.parent_id.data:
        return None
    parent = queries.get_comment(int(form.parent_id.data), measure)
    if parent is None or parent.status != "published" and parent.author_key != actor_key():
        raise services.FeedbackError(_("There is no such comment to reply to."))
    return parent


def _measure_url(measure, anchor: str) -> str:
    return url_for("feedback.show_measure", measure_id=measure.id, _anchor=anchor)


# Template filters

_URL_RE = re.compile(r"https?://(?:(?!&(?:lt|gt|#34|#39);)[A-Za-z0-9\-._~:/?#\[\]@!$&()*+,;=%])+")
_TRAILING_PUNCTUATION = ".,;:!?)]"


def linkify(text: str) -> Markup:
    """Plain text as HTML: everything escaped, http(s) links clickable, line breaks kept."""
    escaped = str(escape(text))

    def link(match: re.Match) -> str:
        url = match[0]
        trailing = ""
        while url and url[-1] in _TRAILING_PUNCTUATION:
            url, trailing = url[:-1], url[-1] + trailing
        if url.rstrip("/").endswith(":") or "://" not in url:
            return match[0]
        return f'<a href="{url}" rel="nofollow ugc">{url}</a>{trailing}'

    return Markup(_URL_RE.sub(link, escaped).replace("\n", "<br>\n"))  # noqa: S704 - escaped
