from flask_wtf import FlaskForm
from wtforms import BooleanField, DecimalField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from planvoice.core.i18n import _l
from planvoice.core.text import clean_text, optional_text


class DecisionForm(FlaskForm):
    """Reject or hide: a prepared reason, or the moderator's own words (which take precedence)."""

    template = SelectField(_l("Prepared reason"), coerce=int, validators=[Optional()])
    reason = TextAreaField(
        _l("Reason shown to the author"),
        description=_l("Leave empty to use the prepared reason."),
        validators=[Length(max=1000, message=_l("At most %(max)d characters."))],
    )

    def validate_reason(self, field):
        if not (field.data or "").strip() and not self.template.data:
            raise ValidationError(_l("Give a reason: choose a prepared one or write it."))


class ReasonTemplateForm(FlaskForm):
    title = StringField(
        _l("Short name"),
        validators=[DataRequired(_l("Give the reason a short name.")), Length(max=80)],
    )
    body = TextAreaField(
        _l("Text shown to the author"),
        validators=[DataRequired(_l("Write the reason.")), Length(max=1000)],
    )


class RouteForm(FlaskForm):
    """Send a report to a bureau, with an optional note that joins its public timeline."""

    bureau = SelectField(_l("Bureau"), validate_choice=False)
    note = TextAreaField(
        _l("Note (public)"),
        description=_l("Optional. It appears in the report's timeline."),
        filters=[optional_text],
        validators=[Length(max=1000, message=_l("At most %(max)d characters."))],
    )

    def give_ids(self, prefix: str) -> "RouteForm":
        """Ids of its own, so that one form per report fits on the queue page."""
        for field in self:
            field.id = f"{prefix}-{field.name}"
            field.label.field_id = field.id
        return self


class DuplicateForm(FlaskForm):
    """Mark a report as the same problem as another one, named by its tracking code."""

    original = StringField(
        _l("Tracking code of the original report"),
        validators=[
            DataRequired(_l("Give the tracking code of the original report.")),
            Length(max=40),
        ],
    )
    back = HiddenField()


class RedactTextForm(FlaskForm):
    """The description with personal data removed by the moderator."""

    description = TextAreaField(
        _l("Description, without personal data"),
        description=_l("Remove names, phone numbers, house numbers and the like; keep the rest."),
        filters=[clean_text],
        validators=[DataRequired(_l("The description cannot be empty."))],
    )


class RedactPhotoForm(FlaskForm):
    """A rectangle of a photo to black out, in percentages of its width and height."""

    whole = BooleanField(_l("Black out the whole photo"))
    left = DecimalField(_l("Left edge (0–100)"), validators=[Optional()])
    top = DecimalField(_l("Top edge (0–100)"), validators=[Optional()])
    right = DecimalField(_l("Right edge (0–100)"), validators=[Optional()])
    bottom = DecimalField(_l("Bottom edge (0–100)"), validators=[Optional()])
