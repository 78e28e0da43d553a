"""The form where a person chooses how often they hear of each kind of news."""

from flask_wtf import FlaskForm
from wtforms import RadioField
from wtforms.fields.choices import SelectChoice

from planvoice.core.i18n import _l

PACE_CHOICES = [
    SelectChoice("immediately", _l("At once")),
    SelectChoice("daily", _l("Once a day")),
    SelectChoice("weekly", _l("Once a week")),
    SelectChoice("off", _l("Never")),
]


class PaceForm(FlaskForm):
    pace_own = RadioField(_l("News of my own reports"), choices=PACE_CHOICES, default="immediately")
    pace_following = RadioField(
        _l("News of what I follow or took part in"), choices=PACE_CHOICES, default="daily"
    )
