from flask_wtf import FlaskForm
from wtforms import FileField, HiddenField, TextAreaField
from wtforms.validators import Length

from planvoice.core.i18n import _l
from planvoice.core.text import clean_text


class BureauActionForm(FlaskForm):
    """What bureau staff write when they return, answer, report progress or resolve; the
    text is public except for nobody: residents read it in the report's timeline."""

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
