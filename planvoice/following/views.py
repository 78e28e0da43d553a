from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from planvoice.core import signals
from planvoice.core.extensions import csrf, db, limiter
from planvoice.core.i18n import _
from planvoice.core.ratelimits import (
    FOLLOW_CONFIRMATIONS_PER_ADDRESS,
    FOLLOWS_PER_ACTOR,
    FOLLOWS_PER_CLIENT,
    per_actor,
)
from planvoice.core.security import mark_private, safe_next
from planvoice.following import links, queries, services
from planvoice.following.forms import FollowForm
from planvoice.following.models import Follow, FollowKind


def _typed_address() -> str:
    return "follow-email:" + request.form.get("email", "").strip().lower()[:254]


def _no_confirmation_sent() -> bool:
    return current_user.is_authenticated or not request.form.get("email", "").strip()


# Following


def show_follow_form():
    """The form to follow a subject (from its page, when the button needs more), or a place."""
    form = FollowForm(formdata=None)
    form.kind.data = request.args.get("kind", FollowKind.PLACE)
    form.target.data = request.args.get("target", "")
    form.lat.data, form.lng.data = request.args.get("lat", ""), request.args.get("lng", "")
    form.next.data = request.args.get("next", "")
    return _render_follow_form(form)


@limiter.limit(FOLLOWS_PER_CLIENT)
@limiter.limit(FOLLOWS_PER_ACTOR, key_func=per_actor)
@limiter.limit(
    FOLLOW_CONFIRMATIONS_PER_ADDRESS, key_func=_typed_address, exempt_when=_no_confirmation_sent
)
def create_follow():
    form = FollowForm()
    if not form.validate_on_submit():
        notice = _("Nothing is followed yet. Please check what you entered.")
        return _render_follow_form(form, notice=notice, status=400)
    signed_in = current_user.is_authenticated
    point = form.point or (None, None)
    try:
        follow = services.follow(
            form.kind.data,
            form.target.data,
            user=current_user._get_current_object() if signed_in else None,
            email=form.email.data,
            lat=point[0],
            lng=point[1],
            radius_m=form.radius_m.data,
            label=form.label.data,
            language=str(get_locale()),
        )
    except services.FollowError as error:
        return _render_follow_form(form, notice=str(error), status=400)
    flash(_followed_message(follow))
    fallback = url_for("following.show_following") if signed_in else None
    return redirect(safe_next(form.next.data or fallback))


# What a person follows


@login_required
def show_following():
    user = current_user._get_current_object()
    return _render_list(queries.follows_of_person(user=user), user=user)


@login_required
def stop_own_follow(follow_id: int):
    follow = db.session.get(Follow, follow_id)
    if follow is None or follow.user_id != current_user.id:
        abort(404)
    services.end_follow(follow)
    flash(_("Done: you no longer follow %(subject)s.", subject=services.subject_name(follow)))
    return redirect(safe_next(request.form.get("next") or url_for("following.show_following")))


def show_managed_following(token: str):
    """An e-mail-only follower's page, by the link in their messages."""
    email = links.email_of_manage_token(token) or abort(404)
    follows = queries.follows_of_person(email=email)
    return _private(_render_list(follows, email=email, token=token))


def stop_managed_follow(token: str, follow_id: int):
    email = links.email_of_manage_token(token) or abort(404)
    follow = db.session.get(Follow, follow_id)
    if follow is None or follow.user_id is not None or follow.email != email:
        abort(404)
    services.end_follow(follow)
    flash(_("Done: you no longer follow %(subject)s.", subject=services.subject_name(follow)))
    return redirect(url_for("following.show_managed_following", token=token))


# The links in messages


def confirm_follow(token: str):
    """The link in the confirmation e-mail: a page with one button (mail scanners open links
    too, and must not confirm anything); the follow is live once it is pressed."""
    follow = services.follow_of_confirm_token(token)
    if follow is None:
        return _private(render_template("following/confirm.html", follow=None), 404)
    names = {"subject_name": services.subject_name}
    form = FlaskForm()
    if not follow.is_live and form.validate_on_submit():
        services.confirm_follow(token)
        flash(_("Thank you: you follow %(subject)s now.", subject=services.subject_name(follow)))
        manage = url_for("following.show_managed_following", token=links.manage_token(follow.email))
        return redirect(manage)
    return _private(render_template("following/confirm.html", follow=follow, **names))


@csrf.exempt  # the form below checks its own token; a mail program's one click has none
def stop_following(token: str):
    """The stop link of every message about a followed subject: confirm (POST, so that mail
    scanners stop nothing); a mail program's one-click unsubscribe (RFC 8058, a POST of
    ``List-Unsubscribe=One-Click`` without cookies) stops it too: the signed token is the
    proof, as in the link itself."""
    named = links.subject_of_stop_token(token) or abort(404)
    subject = queries.subject_of(named["kind"], named["target_id"])
    if subject is None:
        abort(404)
    person = {"user_id": named["user_id"], "email": named["email"]}
    if request.method == "POST" and request.form.get("List-Unsubscribe") == "One-Click":
        services.stop_subject(named["kind"], named["target_id"], **person)
        return "", 200
    form = FlaskForm()
    stopped = form.validate_on_submit()
    if stopped:
        services.stop_subject(named["kind"], named["target_id"], **person)
    label = services.describe_subject(named["kind"], subject)
    page = render_template("following/stop.html", subject_label=label, stopped=stopped)
    return _private(page)


# Helpers


def _followed_message(follow: Follow) -> str:
    subject = services.subject_name(follow)
    if follow.is_live:
        return _("You follow %(subject)s now.", subject=subject)
    return _(
        "We have sent a link to %(email)s. Open it to confirm that you want to follow "
        "%(subject)s: nothing is sent about it until you do.",
        email=follow.email,
        subject=subject,
    )


def _render_follow_form(form: FollowForm, *, notice=None, status=200):
    if form.radius_m.data is None:
        form.radius_m.data = form.radius_m.default
    own_places = []
    if current_user.is_authenticated and form.kind.data == FollowKind.PLACE:
        own_places = queries.places_of_own_reports(current_user)
    page = render_template("following/follow.html", form=form, notice=notice, own_places=own_places)
    return page, status


def _render_list(follows, *, user=None, email=None, token=None):
    groups = [
        (kind, heading, [f for f in follows if f.kind == kind])
        for kind, heading in (
            (FollowKind.MEASURE, _("Measures of the plan")),
            (FollowKind.REPORT, _("Reports")),
            (FollowKind.AREA, _("Streets, towns and communities")),
            (FollowKind.PLACE, _("Places")),
        )
    ]
    panels = signals.draw_panels(
        signals.following_page_opened, current_app._get_current_object(), user=user, email=email
    )
    return render_template(
        "following/list.html",
        groups=groups,
        count=len(follows),
        user=user,
        email=email,
        token=token,
        panels=panels,
        subject_name=services.subject_name,
    )


def _private(page, status: int = 200):
    """A page reached by a signed link: never cached, and its address never sent on."""
    mark_private()
    return page, status, {"Referrer-Policy": "no-referrer"}
