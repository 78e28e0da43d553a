from flask_wtf import FlaskForm
from wtforms import FileField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from planvoice.core.i18n import _l
from planvoice.core.text import clean_text


class BureauActionForm(FlaskForm):
    """What bureau staff write when they return, answer, report progress or resolve; the
    text is public except for nobody: residents read it in the report's timeline."""

    # A reply or resolution may start from one of the bureau's prepared replies: the written
    # text takes precedence, an empty one takes the chosen reply's text. The choices depend
    # on the bureau, so the view checks the id (another bureau's counts as none).
    template = SelectField(
        _l("Prepared reply"),
        coerce=int,
        validate_choice=False,
        validators=[Optional()],
        description=_l("Leave the text below empty to send the prepared reply as it is."),
    )
    body = TextAreaField(
        _l("Public text"),
        filters=[clean_text],
        validators=[Length(max=2000, message=_l("Write at most %(max)d characters."))],
        render_kw={"rows": 3, "maxlength": 2000},
    )
    after_photo = FileField(
        _l("Photo after the fix"),
        description=_l("Residents trust a fix they can see. Without one, the page says so."),
        render_kw={"accept": "image/jpeg,image/png,image/webp"},
    )
    # "case": the step was taken on the case page, which the clerk comes back to.
    back = HiddenField()

    def give_ids(self, prefix: str) -> "BureauActionForm":
        """Ids of its own, so that several forms fit on the inbox page."""
        for field in self:
            field.id = f"{prefix}-{field.name}"
            field.label.field_id = field.id
        return self


class ReplyTemplateForm(FlaskForm):
    """A prepared reply; administrators also choose whose bureau it is (staff keep their own:
    the view removes the field for them)."""

    bureau_id = SelectField(_l("Bureau"), coerce=int)
    title = StringField(
        _l("Short name"),
        filters=[clean_text],
        validators=[
            DataRequired(_l("Give the prepared reply a short name.")),
            Length(max=80, message=_l("Write at most %(max)d characters.")),
        ],
        render_kw={"maxlength": 80},
    )
    body = TextAreaField(
        _l("Text residents read"),
        filters=[clean_text],
        validators=[
            DataRequired(_l("Write the text of the prepared reply.")),
            Length(max=2000, message=_l("Write at most %(max)d characters.")),
        ],
        render_kw={"rows": 4, "maxlength": 2000},
    )


class DeleteReplyForm(FlaskForm):
    """The delete button of a prepared reply: only the CSRF token."""


class MeasureAnswerForm(FlaskForm):
    """A bureau's public answer on a measure of the plan."""

    body = TextAreaField(
        _l("Your bureau's answer"),
        description=_l(
            "Public, in your bureau's name: what you are doing about this measure, or an answer"
            " to what residents said. Everyone who commented on it, rated it or follows it is told."
        ),
        filters=[clean_text],
        validators=[
            DataRequired(message=_l("Write the answer first.")),
            Length(max=4000, message=_l("Write at most %(max)d characters.")),
        ],
        render_kw={"rows": 6, "maxlength": 4000},
    )
