"""Stopping text messages: the STOP page, and the gateway's webhook for replies such as
"STOP" or "退订" (``addresses.stop`` with reason "stop" either way)."""

import hmac

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField
from wtforms.validators import DataRequired

from planvoice.accounts.code_views import mobile_number
from planvoice.core.extensions import csrf, limiter
from planvoice.core.i18n import _, _l
from planvoice.core.identity import normalise_login
from planvoice.core.ratelimits import SMS_STOPS_PER_CLIENT
from planvoice.notifications import addresses

# A reply made of one of these (any case, spaces and punctuation ignored) stops the texts.
STOP_WORDS = frozenset({"STOP", "退订", "TD", "T", "UNSUBSCRIBE", "取消"})


class StopTextsForm(FlaskForm):
    phone = StringField(
        _l("Mobile number"),
        validators=[DataRequired(_l("Enter the mobile number.")), mobile_number],
        render_kw={"autocomplete": "tel", "inputmode": "tel"},
    )
    submit = SubmitField(_l("Stop the texts"))


@limiter.limit(SMS_STOPS_PER_CLIENT, methods=["POST"])
def stop_texts():
    form = StopTextsForm()
    if form.validate_on_submit():
        number = normalise_login(form.phone.data)[1]
        addresses.stop(number, "stop")
        # The same answer whether or not we ever wrote to the number.
        flash(_("Done: we send no more text messages to %(number)s.", number=number))
        return redirect(url_for("notifications.stop_texts"))
    return render_template("notifications/sms_stop.html", form=form)


@csrf.exempt  # the gateway has no session: its key in the Authorization header is the proof
def receive_text():
    """The gateway's webhook for a reply (POST, JSON or form: ``number`` and ``text``, with
    ``Authorization: Bearer <SMS_GATEWAY_KEY>``): a STOP word stops texts to that number."""
    key = current_app.config["SMS_GATEWAY_KEY"]
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if not key or not hmac.compare_digest(given.encode(), key.encode()):
        abort(403)
    # (A form's MultiDict is a dict too.)
    data = request.get_json(silent=True) if request.is_json else request.form
    if not isinstance(data, dict):
        abort(400)
    kind_value = normalise_login(str(data.get("number") or ""))
    if kind_value is None or kind_value[0] != "phone":
        abort(400)
    if is_stop_word(str(data.get("text") or "")):
        addresses.stop(kind_value[1], "stop")
    return "", 204


def is_stop_word(text: str) -> bool:
    """Is the reply one of ``STOP_WORDS`` (e.g. "stop", "退订。", " TD ")?"""
    bare = "".join(char for char in text if char.isalnum()).upper()
    return bare in STOP_WORDS
