from flask_wtf import FlaskForm
from wtforms import DateField, FileField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from planvoice.core.i18n import _l
from planvoice.core.text import clean_text

STATE_LABELS = {
    "not_started": _l("not started"),
    "on_track": _l("on track"),
    "behind": _l("behind"),
    "achieved": _l("achieved"),
    "overdue": _l("overdue"),
}


def state_labels() -> dict[str, str]:
    """``STATE_LABELS`` in the reader's language, translated once for a page that names a
    state beside every target."""
    return {state: str(label) for state, label in STATE_LABELS.items()}


_DATE_MESSAGE = _l("Give the date as YYYY-MM-DD.")


class ProgressForm(FlaskForm):
    """One progress entry; the services check the value, the date and the link."""

    on = DateField(
        _l("Date"),
        validators=[DataRequired(_DATE_MESSAGE)],
        description=_l("The day the value was reached."),
    )
    # Text, not a number field: the service gives the message ("3" or "2.5", not "3,5").
    value = StringField(
        _l("Value reached"),
        filters=[clean_text],
        validators=[DataRequired(_l("Give the value reached."))],
        render_kw={"inputmode": "decimal", "autocomplete": "off"},
    )
    note = TextAreaField(
        _l("Public note"),
        filters=[clean_text],
        validators=[Length(max=2000, message=_l("Write at most %(max)d characters."))],
        description=_l("What was done; residents read it on the target's page."),
        render_kw={"rows": 3, "maxlength": 2000},
    )
    evidence_url = StringField(
        _l("Evidence link"),
        filters=[clean_text],
        validators=[Optional()],
        description=_l("A page that shows the work, starting with https:// (optional)."),
        render_kw={"type": "url", "inputmode": "url", "autocapitalize": "none"},
    )
    photo = FileField(
        _l("Photo"),
        description=_l("Optional; its location data is removed before it is published."),
        render_kw={"accept": "image/jpeg,image/png,image/webp"},
    )
    supersedes = SelectField(
        _l("Corrects entry"),
        coerce=int,
        validate_choice=False,
        description=_l("Choose an entry only if this one corrects it; both stay in the history."),
    )


class TrackingForm(FlaskForm):
    """What an administrator sets about a target."""

    owner_id = SelectField(_l("Owner bureau"), coerce=int, validate_choice=False)
    baseline_value = StringField(
        _l("Baseline value"),
        filters=[clean_text],
        description=_l("Where the target stood when the plan began (optional)."),
        render_kw={"inputmode": "decimal", "autocomplete": "off"},
    )
    baseline_date = DateField(
        _l("Baseline date"), validators=[Optional()], render_kw={"autocomplete": "off"}
    )
    weight = StringField(
        _l("Weight"),
        filters=[clean_text],
        description=_l(
            "Its share of the measure's progress; leave every target of a measure empty "
            "for a plain mean."
        ),
        render_kw={"inputmode": "decimal", "autocomplete": "off"},
    )


class UploadForm(FlaskForm):
    sheet = FileField(
        _l("Filled-in sheet"),
        description=_l("The CSV or XLSX file you downloaded, with new values filled in."),
        render_kw={"accept": ".csv,.xlsx,text/csv"},
    )


class ConfirmUploadForm(FlaskForm):
    # The checked rows, signed (``bulk.sign_rows``), so nothing is kept on the server meanwhile.
    rows = HiddenField(validators=[DataRequired()])
