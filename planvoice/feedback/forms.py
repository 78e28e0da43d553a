from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, DataRequired, InputRequired, Length, Regexp

from planvoice.core.i18n import _l
from planvoice.core.text import clean_text

RATING_CHOICES = [
    SelectChoice(1, _l("1 – not important")),
    SelectChoice(2, _l("2 – a little important")),
    SelectChoice(3, _l("3 – important")),
    SelectChoice(4, _l("4 – very important")),
    SelectChoice(5, _l("5 – most important")),
]


class CommentForm(FlaskForm):
    """A comment, or (with ``parent_id``) a reply. Signed-in people have no nickname field;
    only those with a confirmed e-mail address have the ``follow`` switch."""

    body = TextAreaField(
        _l("Your comment"),
        filters=[clean_text],
        validators=[
            DataRequired(_l("Write your comment first.")),
            Length(min=2, max=2000, message=_l("Write between 2 and 2000 characters.")),
        ],
        description=_l("Plain text; links become clickable. Everyone can read it."),
        render_kw={"rows": 5, "maxlength": 2000},
    )
    nickname = StringField(
        _l("Your name or nickname"),
        filters=[clean_text],
        validators=[
            DataRequired(_l("Tell us what name to show with your comment.")),
            Length(max=40, message=_l("At most %(max)d characters.")),
        ],
        render_kw={"autocomplete": "nickname", "maxlength": 40},
    )
    # Shown to a signed-in person with a confirmed e-mail: their comment follows the measure.
    follow = BooleanField(_l("Tell me when a bureau answers on this"), default=True)
    parent_id = HiddenField(
        validators=[Regexp(r"^\d{0,18}$", message=_l("There is no such comment to reply to."))]
    )
    submission_token = HiddenField(
        validators=[
            DataRequired(_l("This form has expired. Please send it again.")),
            Length(max=64),
        ]
    )

    def give_ids(self, prefix: str) -> "CommentForm":
        """Give the fields ids of their own, so that many reply forms fit on one page."""
        for field in self:
            field.id = f"{prefix}-{field.name}"
            field.label.field_id = field.id
        return self


def _rating_value(value):
    # Anything that is not a whole number stays as it came and fails the AnyOf check below.
    try:
        return int(value)
    except (TypeError, ValueError):
        return value


class RatingForm(FlaskForm):
    rating = RadioField(
        _l("How important is this to you?"),
        choices=RATING_CHOICES,
        coerce=_rating_value,
        validate_choice=False,
        validators=[
            InputRequired(_l("Choose how important this is to you, from 1 to 5.")),
            AnyOf(range(1, 6), message=_l("Choose how important this is to you, from 1 to 5.")),
        ],
    )
