from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional, ValidationError

from planvoice.core.i18n import _, _l
from planvoice.core.text import clean_text, optional_text
from planvoice.following.models import FollowKind
from planvoice.reports.places import parse_coordinate

RADIUS_CHOICES = [
    SelectChoice(200, _l("200 m")),
    SelectChoice(300, _l("300 m")),
    SelectChoice(500, _l("500 m")),
    SelectChoice(1000, _l("1 km")),
    SelectChoice(2000, _l("2 km")),
]
DEFAULT_RADIUS_M = 500


def _radius(value):
    # Anything that is not a whole number stays as it came; the service refuses it.
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class FollowForm(FlaskForm):
    """Follow a subject (``kind`` and ``target``), or a place (``lat``, ``lng``,
    ``radius_m``, ``label``); ``email`` when signed out. The service checks the rest."""

    kind = HiddenField(filters=[optional_text])
    target = HiddenField(filters=[optional_text])
    lat = StringField(
        _l("Latitude"),
        filters=[clean_text],
        description=_l("A number such as 43.8712."),
        render_kw={"inputmode": "decimal", "autocomplete": "off", "maxlength": 20},
    )
    lng = StringField(
        _l("Longitude"),
        filters=[clean_text],
        description=_l("A number such as 125.3520."),
        render_kw={"inputmode": "decimal", "autocomplete": "off", "maxlength": 20},
    )
    radius_m = SelectField(
        _l("Tell me of reports within"),
        choices=RADIUS_CHOICES,
        coerce=_radius,
        validate_choice=False,
        default=DEFAULT_RADIUS_M,
    )
    label = StringField(
        _l("Name this place (optional)"),
        filters=[optional_text],
        validators=[Optional(), Length(max=60, message=_l("At most %(max)d characters."))],
        description=_l("For example: home, or my mother's. Only you see it."),
        render_kw={"maxlength": 60},
    )
    email = EmailField(
        _l("Your e-mail"),
        filters=[optional_text],
        description=_l("We send one e-mail to confirm; nothing else until you do."),
        validators=[Optional(), Length(max=254, message=_l("At most %(max)d characters."))],
        render_kw={"autocomplete": "email", "maxlength": 254},
    )
    next = HiddenField()

    point: tuple[float, float] | None = None

    def validate_kind(self, field):
        if field.data not in FollowKind.__members__.values():
            raise ValidationError(
                _("Choose what to follow: a measure, a report, an area or a place.")
            )

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.kind.data != FollowKind.PLACE:
            return valid
        lat, lng = parse_coordinate(self.lat.data), parse_coordinate(self.lng.data)
        if lat is None:
            self.lat.errors = [*self.lat.errors, _("Enter the latitude as a number, e.g. 43.8712.")]
        if lng is None:
            message = _("Enter the longitude as a number, e.g. 125.3520.")
            self.lng.errors = [*self.lng.errors, message]
        if lat is None or lng is None:
            return False
        self.point = (lat, lng)
        return valid
