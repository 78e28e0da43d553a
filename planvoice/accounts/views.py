import json

from flask import (
    Response,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required, login_user, logout_user

from planvoice.accounts import confirmation, queries, recovery, services
from planvoice.accounts.confirmation import Outcome
from planvoice.accounts.forms import (
    ChangeEmailForm,
    ChangePasswordForm,
    ChangePhoneForm,
    DeleteAccountForm,
    LoginForm,
    LogoutForm,
    PasswordResetForm,
    PasswordResetRequestForm,
    RegisterForm,
    ResendConfirmationForm,
)
from planvoice.core import signals
from planvoice.core.db import SAFE_METHODS
from planvoice.core.extensions import db, limiter
from planvoice.core.i18n import _, select_locale
from planvoice.core.links import public_url
from planvoice.core.params import parse_id
from planvoice.core.ratelimits import (
    CONFIRMATION_LINKS_PER_ACCOUNT,
    KNOWN_BROWSER_COOKIE,
    KNOWN_BROWSER_MAX_AGE,
    PASSWORD_RESETS_PER_CLIENT,
    SIGN_IN_FAILURES_PER_ACCOUNT,
    SIGN_INS_PER_CLIENT,
    SIGN_UPS_PER_CLIENT,
    is_known_browser,
    known_browser_token,
    per_actor,
    record_failed_sign_in,
    sign_in_account,
    sign_in_failed,
)
from planvoice.core.security import safe_next


@limiter.limit(
    SIGN_INS_PER_CLIENT,
    methods=["POST"],
    exempt_when=is_known_browser,
    deduct_when=sign_in_failed,
)
@limiter.limit(
    SIGN_IN_FAILURES_PER_ACCOUNT,
    methods=["POST"],
    key_func=sign_in_account,
    deduct_when=sign_in_failed,
)
def login():
    form = LoginForm(next=request.args.get("next"))
    if form.validate_on_submit():
        user = queries.authenticate(form.login.data, form.password.data)
        if user is not None:
            login_user(user)
            services.remember_language(user, select_locale())
            response = redirect(safe_next(form.next.data))
            response.set_cookie(
                KNOWN_BROWSER_COOKIE,
                known_browser_token(),
                max_age=KNOWN_BROWSER_MAX_AGE,
                httponly=True,
                secure=current_app.config["SESSION_COOKIE_SECURE"],
                samesite="Lax",
            )
            return response
        record_failed_sign_in()
        form.password.errors.append(_("The login or the password is wrong."))
    return render_template("accounts/login.html", form=form)


@limiter.limit(SIGN_UPS_PER_CLIENT, methods=["POST"])
def register():
    form = RegisterForm(next=request.args.get("next"))
    if form.validate_on_submit():
        try:
            user = services.create_user(
                form.login.data, form.password.data, display_name=form.display_name.data
            )
        except services.AccountError as error:
            form.login.errors.append(str(error))
        else:
            login_user(user)
            services.remember_language(user, select_locale())
            flash(_("Welcome! Your account is ready."))
            if user.email:
                confirmation.request_confirmation(user, user.email, link_for=_confirm_link)
                flash(_("We have sent you a link: open it to confirm your e-mail address."))
            return redirect(safe_next(form.next.data))
    return render_template("accounts/register.html", form=form)


def logout():
    form = LogoutForm()
    if not current_user.is_authenticated:
        return redirect(url_for("plans.show_home"))
    if form.validate_on_submit():
        # Signing out ends the account's sessions everywhere: a copied cookie is no use either.
        services.end_sessions(current_user._get_current_object())
        logout_user()
        flash(_("You have signed out."))
        return redirect(url_for("plans.show_home"))
    return render_template("accounts/logout.html", form=form)


@login_required
def show_activity():
    # One more than a page tells whether there are older ones (keyset: ids below ``*_before``).
    size = queries.ACTIVITY_PAGE_SIZE
    comments = queries.list_my_comments(
        current_user, limit=size + 1, before=request.args.get("comments_before", type=parse_id)
    )
    reports = queries.list_my_reports(
        current_user, limit=size + 1, before=request.args.get("reports_before", type=parse_id)
    )
    return render_template(
        "accounts/activity.html",
        panels=signals.draw_panels(signals.me_page_opened, current_user._get_current_object()),
        resend_form=ResendConfirmationForm(),
        comments=comments[:size],
        older_comments=comments[size - 1].id if len(comments) > size else None,
        ratings=queries.list_my_ratings(current_user),
        reports=reports[:size],
        older_reports=reports[size - 1].id if len(reports) > size else None,
    )


@login_required
def download_data():
    data = json.dumps(queries.export_user_data(current_user), ensure_ascii=False, indent=2)
    return Response(
        data,
        mimetype="application/json",
        headers={"Content-Disposition": 'attachment; filename="planvoice-my-data.json"'},
    )


@login_required
def delete_account():
    form = DeleteAccountForm()
    if form.validate_on_submit():
        if queries.authenticate(current_user.login, form.password.data) is None:
            form.password.errors.append(_("The password is wrong."))
        else:
            services.delete_account(current_user._get_current_object())
            logout_user()
            flash(_("Your account is deleted. Your comments stay, signed “former resident”."))
            return redirect(url_for("plans.show_home"))
    return render_template("accounts/delete.html", form=form)


@login_required
@limiter.limit(SIGN_INS_PER_CLIENT, methods=["POST"], deduct_when=lambda r: r.status_code == 200)
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        if queries.authenticate(user.login, form.current_password.data) is None:
            form.current_password.errors.append(_("The password is wrong."))
        else:
            services.change_password(user, form.password.data)
            # Every session ends with the old version; this browser signs in with the new one.
            login_user(user)
            flash(_("Your password is changed. You are signed out everywhere else."))
            return redirect(url_for("accounts.show_activity"))
    return render_template("accounts/change_password.html", form=form)


# A way back: a new password through a link sent by e-mail (``accounts.recovery``)


@limiter.limit(PASSWORD_RESETS_PER_CLIENT, methods=["POST"])
def request_password_reset():
    form = PasswordResetRequestForm()
    if form.validate_on_submit():
        recovery.request_password_reset(
            form.email.data,
            link_for=lambda token: public_url(url_for("accounts.reset_password", token=token)),
        )
        # The same answer whether or not an account has the address.
        flash(
            _(
                "If an account has this address, we have sent it a link to set a new "
                "password. It works once, for an hour."
            )
        )
        return redirect(url_for("accounts.request_password_reset"))
    return render_template("accounts/reset_request.html", form=form)


def reset_password(token: str):
    user = recovery.user_for_token(token)
    if user is None:
        response = make_response(render_template("accounts/reset_password.html", form=None), 410)
        response.cache_control.no_store = True
        return response
    form = PasswordResetForm()
    if form.validate_on_submit():
        recovery.reset_password(user, form.password.data)
        if current_user.is_authenticated:
            logout_user()
        flash(_("Your new password is set. Sign in with it; every other session has ended."))
        return redirect(url_for("accounts.login"))
    response = make_response(render_template("accounts/reset_password.html", form=form))
    response.headers["Referrer-Policy"] = "no-referrer"  # the token must not leave in a Referer
    response.cache_control.no_store = True  # nor stay in a cache
    return response


# The account's e-mail address and mobile number (``accounts.confirmation``)


def _confirm_link(token: str) -> str:
    return public_url(url_for("accounts.confirm_email", token=token))


@login_required
@limiter.limit(CONFIRMATION_LINKS_PER_ACCOUNT, methods=["POST"], key_func=per_actor)
def change_email():
    form = ChangeEmailForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        if queries.authenticate(user.login, form.password.data) is None:
            form.password.errors.append(_("The password is wrong."))
        else:
            try:
                confirmation.request_email_change(user, form.email.data, link_for=_confirm_link)
            except services.AccountError as error:
                form.email.errors.append(str(error))
            else:
                flash(
                    _(
                        "We have sent a link to %(email)s. Your address changes when you open "
                        "it; it works once, for three days.",
                        email=form.email.data.strip().lower(),
                    )
                )
                return redirect(url_for("accounts.show_activity"))
    return render_template("accounts/change_email.html", form=form)


@login_required
@limiter.limit(CONFIRMATION_LINKS_PER_ACCOUNT, key_func=per_actor)
def resend_confirmation():
    user = current_user._get_current_object()
    if ResendConfirmationForm().validate_on_submit() and user.email:
        if user.email_confirmed_at is not None:
            flash(_("Your e-mail address is confirmed already."))
        else:
            confirmation.request_confirmation(user, user.email, link_for=_confirm_link)
            flash(_("We have sent the link again to %(email)s.", email=user.email))
    return redirect(url_for("accounts.show_activity"))


def confirm_email(token: str):
    outcome, user = confirmation.confirm_email(token)
    if outcome in (Outcome.CONFIRMED, Outcome.CHANGED):
        # Opening a link is a GET, which commits nothing by itself (core.db): this one commits.
        db.session.commit()
    status = {Outcome.INVALID: 410, Outcome.TAKEN: 409}.get(outcome, 200)
    page = render_template("accounts/email_confirmed.html", outcome=outcome, user=user)
    response = make_response(page, status)
    response.headers["Referrer-Policy"] = "no-referrer"  # the token must not leave in a Referer
    response.cache_control.no_store = True
    return response


@login_required
@limiter.limit(SIGN_INS_PER_CLIENT, methods=["POST"], deduct_when=lambda r: r.status_code == 200)
def change_phone():
    user = current_user._get_current_object()
    form = ChangePhoneForm(data={"phone": user.phone})
    if form.validate_on_submit():
        if queries.authenticate(user.login, form.password.data) is None:
            form.password.errors.append(_("The password is wrong."))
        else:
            try:
                services.change_phone(user, form.phone.data)
            except services.AccountError as error:
                form.phone.errors.append(str(error))
            else:
                flash(
                    _("Your mobile number is saved.")
                    if user.phone
                    else _("Your mobile number is removed.")
                )
                return redirect(url_for("accounts.show_activity"))
    return render_template("accounts/change_phone.html", form=form)


def remember_language():
    """Before each request of a signed-in person: keep the language they read the site in
    (``users.language``; their e-mail is written in it) when it changed, e.g. through the
    language links. A GET commits nothing (``core.db``), so then the change is committed here,
    on its own: before the view runs, nothing else is in the session yet."""
    # Without a session cookie nobody is signed in: answered without loading the session.
    if current_app.config["SESSION_COOKIE_NAME"] not in request.cookies:
        return
    if request.endpoint == "static" or not current_user.is_authenticated:
        return
    changed = services.remember_language(current_user._get_current_object(), select_locale())
    if changed and request.method in SAFE_METHODS:
        db.session.commit()
