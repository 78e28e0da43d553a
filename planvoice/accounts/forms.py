from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length, Optional, ValidationError

from planvoice.core.i18n import _l
from planvoice.core.identity import normalise_login
from planvoice.core.text import optional_text


def _valid_login(form, field):
    if normalise_login(field.data) is None:
        raise ValidationError(_l("Enter an e-mail address or an 11-digit mobile number."))


class LoginForm(FlaskForm):
    login = StringField(
        _l("E-mail or mobile number"),
        validators=[DataRequired(_l("Enter your e-mail address or mobile number."))],
        render_kw={"autocomplete": "username"},
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(_l("Enter your password."))],
        render_kw={"autocomplete": "current-password"},
    )
    next = HiddenField()
    submit = SubmitField(_l("Sign in"))


class RegisterForm(FlaskForm):
    login = StringField(
        _l("E-mail or mobile number"),
        validators=[DataRequired(_l("Enter your e-mail address or mobile number.")), _valid_login],
        description=_l("We never show it to anyone."),
        render_kw={"autocomplete": "username"},
    )
    display_name = StringField(
        _l("Name shown with your comments (optional)"),
        # A name of zero-width characters would sign comments with nothing: no name instead.
        filters=[optional_text],
        validators=[Optional(), Length(max=40, message=_l("At most %(max)d characters."))],
        render_kw={"autocomplete": "nickname"},
    )
    password = PasswordField(
        _l("Password"),
        validators=[
            DataRequired(_l("Choose a password.")),
            Length(min=8, max=200, message=_l("Use at least 8 characters.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )
    password_confirm = PasswordField(
        _l("Password again"),
        validators=[EqualTo("password", message=_l("The two passwords differ."))],
        render_kw={"autocomplete": "new-password"},
    )
    next = HiddenField()
    submit = SubmitField(_l("Create account"))


class LogoutForm(FlaskForm):
    submit = SubmitField(_l("Sign out"))


class DeleteAccountForm(FlaskForm):
    password = PasswordField(
        _l("Your password, to confirm"),
        validators=[DataRequired(_l("Enter your password."))],
        render_kw={"autocomplete": "current-password"},
    )
    submit = SubmitField(_l("Delete my account"))


class PasswordResetRequestForm(FlaskForm):
    email = StringField(
        _l("Your account's e-mail address"),
        validators=[DataRequired(_l("Enter your e-mail address."))],
        render_kw={"autocomplete": "email", "inputmode": "email"},
    )
    submit = SubmitField(_l("Send me a link"))


class NewPasswordForm(FlaskForm):
    """A new password, typed twice: the reset link's page and the change in ``/me``."""

    password = PasswordField(
        _l("New password"),
        validators=[
            DataRequired(_l("Choose a password.")),
            Length(min=8, max=200, message=_l("Use at least 8 characters.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )
    password_confirm = PasswordField(
        _l("New password again"),
        validators=[EqualTo("password", message=_l("The two passwords differ."))],
        render_kw={"autocomplete": "new-password"},
    )


class PasswordResetForm(NewPasswordForm):
    submit = SubmitField(_l("Set the new password"))


class ChangePasswordForm(NewPasswordForm):
    current_password = PasswordField(
        _l("Your password now"),
        validators=[DataRequired(_l("Enter your password."))],
        render_kw={"autocomplete": "current-password"},
    )
    submit = SubmitField(_l("Change my password"))


class ChangeEmailForm(FlaskForm):
    email = StringField(
        _l("New e-mail address"),
        validators=[DataRequired(_l("Enter your e-mail address."))],
        description=_l("We send a link there; your address changes when you open it."),
        render_kw={"autocomplete": "email", "inputmode": "email"},
    )
    password = PasswordField(
        _l("Your password now"),
        validators=[DataRequired(_l("Enter your password."))],
        render_kw={"autocomplete": "current-password"},
    )
    submit = SubmitField(_l("Send the link"))


class ChangePhoneForm(FlaskForm):
    phone = StringField(
        _l("Mobile number"),
        description=_l("11 digits. Leave it empty to remove your number."),
        render_kw={"autocomplete": "tel", "inputmode": "tel"},
    )
    password = PasswordField(
        _l("Your password now"),
        validators=[DataRequired(_l("Enter your password."))],
        render_kw={"autocomplete": "current-password"},
    )
    submit = SubmitField(_l("Save my number"))


class ResendConfirmationForm(FlaskForm):
    submit = SubmitField(_l("Send the link again"))
