"""Signing in with a six-digit code sent by text message, for residents without e-mail
(``accounts.sign_in_codes``): ask for a code with the number, then type it in."""

import re

from flask import flash, redirect, render_template, request, session, url_for
from flask_login import login_user
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField, SubmitField
from wtforms.validators import DataRequired, ValidationError

from planvoice.accounts import sign_in_codes
from planvoice.core.extensions import limiter
from planvoice.core.i18n import _, _l
from planvoice.core.identity import normalise_login
from planvoice.core.ratelimits import (
    SIGN_IN_CODE_CHECKS_PER_CLIENT,
    SIGN_IN_CODE_CHECKS_PER_NUMBER,
    SIGN_IN_CODES_PER_CLIENT,
    SIGN_IN_CODES_PER_NUMBER,
)
from planvoice.core.security import safe_next

# The number asked for, so the page where the code is typed already holds it.
_PHONE_KEY = "sign_in_phone"


def mobile_number(form, field):
    """A form validator: an 11-digit mainland mobile number (+86 and separators allowed)."""
    kind_value = normalise_login(field.data)
    if kind_value is None or kind_value[0] != "phone":
        raise ValidationError(_l("Enter an 11-digit mobile number."))


def _six_digits(form, field):
    if not re.fullmatch(r"\d{6}", "".join((field.data or "").split())):
        raise ValidationError(_l("Enter the six digits of the code."))


_phone_field = {
    "validators": [DataRequired(_l("Enter your mobile number.")), mobile_number],
    "render_kw": {"autocomplete": "tel", "inputmode": "tel"},
}


class SignInCodeRequestForm(FlaskForm):
    phone = StringField(_l("Your account's mobile number"), **_phone_field)
    next = HiddenField()
    submit = SubmitField(_l("Send me a code"))


class SignInCodeForm(FlaskForm):
    phone = StringField(_l("Mobile number"), **_phone_field)
    code = StringField(
        _l("The six-digit code from the text message"),
        validators=[DataRequired(_l("Enter the code.")), _six_digits],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric", "maxlength": 7},
    )
    next = HiddenField()
    submit = SubmitField(_l("Sign in"))


def number_typed() -> str:
    """The number a request names, as a limiter key (``138 0013 8000`` and ``+86138…``
    share one count)."""
    typed = request.form.get("phone", "")
    kind_value = normalise_login(typed)
    return "sms-number:" + (kind_value[1] if kind_value else typed.strip()[:20])


@limiter.limit(SIGN_IN_CODES_PER_CLIENT, methods=["POST"])
@limiter.limit(SIGN_IN_CODES_PER_NUMBER, methods=["POST"], key_func=number_typed)
def request_sign_in_code():
    form = SignInCodeRequestForm(next=request.args.get("next"))
    if form.validate_on_submit():
        sign_in_codes.send_sign_in_code(form.phone.data)
        session[_PHONE_KEY] = normalise_login(form.phone.data)[1]
        # The same answer whether or not an account has the number.
        flash(
            _(
                "If an account has this number, we have sent it a six-digit code by text "
                "message. It works once, for 10 minutes."
            )
        )
        return redirect(url_for("accounts.check_sign_in_code", next=form.next.data or None))
    return render_template("accounts/code_request.html", form=form)


@limiter.limit(SIGN_IN_CODE_CHECKS_PER_CLIENT, methods=["POST"])
@limiter.limit(SIGN_IN_CODE_CHECKS_PER_NUMBER, methods=["POST"], key_func=number_typed)
def check_sign_in_code():
    form = SignInCodeForm(phone=session.get(_PHONE_KEY), next=request.args.get("next"))
    if form.validate_on_submit():
        user = sign_in_codes.check_sign_in_code(form.phone.data, form.code.data)
        if user is not None:
            session.pop(_PHONE_KEY, None)
            login_user(user)
            return redirect(safe_next(form.next.data))
        form.code.errors.append(_("This code is wrong or no longer works. Ask for a new one."))
    return render_template("accounts/code_check.html", form=form)
