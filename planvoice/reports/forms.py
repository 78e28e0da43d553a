import re

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    MultipleFileField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from planvoice.core.i18n import _, _l
from planvoice.core.identity import normalise_login
from planvoice.core.params import parse_id
from planvoice.core.text import clean_text, optional_text
from planvoice.reports.places import parse_coordinate
from planvoice.reports.queries import district_bounds
from planvoice.reports.services import NOTE_MAX_LENGTH

MAX_PHOTOS = 3


def email_address(_form, field) -> None:
    """Validator: an e-mail address (not a phone number), kept normalised (lower case)."""
    normalised = normalise_login(field.data)
    if normalised is None or normalised[0] != "email":
        raise ValidationError(_("Enter an e-mail address such as name@example.com."))
    field.data = normalised[1]


def _add_error(field, message: str) -> None:
    # Before ``validate()`` has run, a field's errors are an empty tuple.
    field.errors = [*field.errors, message]


_DRAFT_KEY = re.compile(r"[A-Za-z0-9_-]{43}")  # secrets.token_urlsafe(32)


class ReportForm(FlaskForm):
    """A local problem: what, where, photos, and (privately) who to contact.

    Category and area choices come from the database (``with_choices``). A place is an area,
    a point, or both; ``point`` holds the parsed point after validation.
    """

    category = RadioField(
        _l("What is the problem?"),
        validate_choice=False,
        validators=[DataRequired(_l("Choose what kind of problem this is."))],
    )
    description = TextAreaField(
        _l("Describe the problem"),
        filters=[clean_text],
        validators=[
            DataRequired(_l("Describe the problem in a few words.")),
            Length(min=10, max=2000, message=_l("Write between 10 and 2000 characters.")),
        ],
        description=_l("What is wrong, since when, and how it affects you. Everyone can read it."),
        render_kw={"rows": 5, "maxlength": 2000},
    )
    area = SelectField(_l("Street or town, community"), validate_choice=False)
    address = StringField(
        _l("Address or landmark"),
        filters=[clean_text],
        validators=[Length(max=200, message=_l("At most %(max)d characters."))],
        description=_l("For example: the east gate of a compound, or a bus stop."),
        render_kw={"maxlength": 200, "autocomplete": "street-address"},
    )
    lat = StringField(_l("Latitude"), filters=[clean_text], render_kw={"inputmode": "decimal"})
    lng = StringField(_l("Longitude"), filters=[clean_text], render_kw={"inputmode": "decimal"})
    photos = MultipleFileField(
        _l("Photos (up to 3)"),
        description=_l("JPEG, PNG or WebP, at most 10 MB each. Location data is removed."),
        # Naming only these lets iPhones turn their HEIC photos into JPEG when uploading.
        render_kw={"accept": "image/jpeg,image/png,image/webp"},
    )
    name = StringField(
        _l("Your name"),
        filters=[clean_text],
        validators=[Optional(), Length(max=40, message=_l("At most %(max)d characters."))],
        render_kw={"autocomplete": "name", "maxlength": 40},
    )
    contact = StringField(
        _l("E-mail or mobile number"),
        filters=[clean_text],
        validators=[Optional(), Length(max=254, message=_l("At most %(max)d characters."))],
        render_kw={"autocomplete": "email", "maxlength": 254},
    )
    # A signed-in reporter's account follows the report by default (a guest hears at the
    # contact they gave, as its reporter).
    follow = BooleanField(
        _l("Follow this report: tell me when a bureau answers on it"), default=True
    )
    measure = HiddenField()
    submission_token = HiddenField(
        validators=[
            DataRequired(_l("This form has expired. Please send it again.")),
            Length(max=64),
        ]
    )

    # The photos kept from the form's earlier round trips (see ``DraftPhoto``): the random
    # key that finds them, and how many there are (they count towards the three).
    draft = HiddenField(
        filters=[lambda value: value if value and _DRAFT_KEY.fullmatch(value) else None]
    )
    kept_count = 0

    point: tuple[float, float] | None = None

    def with_choices(self, categories, areas) -> "ReportForm":
        """Offer these categories (radio buttons) and areas (streets with their communities)."""
        self.category.choices = [(c.code, c.name) for c in categories]
        self.category.hints = {c.code: c.hint for c in categories}
        # Streets and towns, each followed by its communities (a flat list reads better on a
        # phone than one option group per street).
        choices = [("", _("— choose —"))]
        for area in areas:
            choices.append((area.code, area.name))
            choices += [(c.code, f"{area.name} · {c.name}") for c in area.children]
        self.area.choices = choices
        self._area_codes = {code for code, _name in choices[1:]}
        self._category_codes = {c.code for c in categories}
        return self

    def validate_category(self, field):
        if field.data not in self._category_codes:
            raise ValidationError(_("Choose one of the listed kinds of problem."))

    def validate_area(self, field):
        if field.data and field.data not in self._area_codes:
            raise ValidationError(_("Choose an area from the list."))

    def validate_contact(self, field):
        if field.data and normalise_login(field.data) is None:
            raise ValidationError(_("Enter an e-mail address or an 11-digit mobile number."))

    def validate_photos(self, field):
        if len(self.chosen_photos()) + self.kept_count > MAX_PHOTOS:
            raise ValidationError(_("You can attach at most 3 photos."))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        return self.validate_place() and valid

    def validate_place(self) -> bool:
        """Check the place alone (also for "Show reports already made here"): a half or
        malformed point, or one outside the district, is an error; so is no place at all."""
        lat_text, lng_text = self.lat.data or "", self.lng.data or ""
        if lat_text or lng_text:
            lat, lng = parse_coordinate(lat_text), parse_coordinate(lng_text)
            if lat is None:
                _add_error(self.lat, _("Enter the latitude as a number, e.g. 43.8712."))
            if lng is None:
                _add_error(self.lng, _("Enter the longitude as a number, e.g. 125.3520."))
            if lat is None or lng is None:
                return False
            if not district_bounds().contains(lat, lng):
                outside = _(
                    "This point lies outside the district. Check the numbers, or choose an area."
                )
                _add_error(self.lat, outside)
                return False
            self.point = (lat, lng)
        elif not self.area.data:
            _add_error(
                self.area,
                _("Tell us where the problem is: choose an area, or give a point (or both)."),
            )
            return False
        return True

    def chosen_photos(self) -> list:
        """The files actually chosen (a file input with nothing chosen sends an empty part)."""
        return [f for f in (self.photos.data or []) if getattr(f, "filename", None)]

    def measure_id(self) -> int | None:
        """The plan measure the form was opened from (``?measure=``), if any."""
        try:
            return parse_id(str(self.measure.data or ""))
        except ValueError:
            return None

    def contact_value(self) -> str | None:
        normalised = normalise_login(self.contact.data or "")
        return normalised[1] if normalised else None


class SatisfactionForm(FlaskForm):
    """The resident's word on the fix: how satisfied, and whether the problem is solved (the
    two questions of the 12345 hotline). Who may send it is decided by ``policy`` and the
    signed link, never by something typed here."""

    satisfaction = RadioField(
        _l("Are you satisfied with how it was resolved?"),
        choices=[
            SelectChoice("satisfied", _l("Satisfied")),
            SelectChoice("basically_satisfied", _l("Basically satisfied")),
            SelectChoice("not_satisfied", _l("Not satisfied")),
        ],
        validators=[DataRequired(_l("Choose how satisfied you are with the fix."))],
    )
    solved = RadioField(
        _l("Was the problem solved?"),
        choices=[
            SelectChoice("yes", _l("Yes, it is solved")),
            SelectChoice("no", _l("No, it is not solved: send it back to the bureau")),
        ],
        validators=[DataRequired(_l("Say whether the problem was solved."))],
    )
    comment = TextAreaField(
        _l("Comment (public, optional)"),
        filters=[clean_text],
        validators=[Optional(), Length(max=1000, message=_l("At most %(max)d characters."))],
        render_kw={"rows": 3, "maxlength": 1000},
    )

    @property
    def is_solved(self) -> bool:
        return self.solved.data == "yes"


class SupportForm(FlaskForm):
    """ "Me too", with an optional e-mail address to hear of each public step of the report."""

    email = EmailField(
        _l("Your e-mail (optional)"),
        description=_l(
            "We tell you of each public step of this report, gathered in one e-mail a day (each"
            " e-mail says how to change that). Nobody else sees your address."
        ),
        filters=[optional_text],
        validators=[
            Optional(),
            Length(max=254, message=_l("At most %(max)d characters.")),
            email_address,
        ],
        render_kw={"autocomplete": "email", "maxlength": 254},
    )
    follow = BooleanField(_l("Tell me when a bureau answers on this"), default=True)


class NoteForm(FlaskForm):
    """An internal note: read by community workers and the bureau handling the report only."""

    body = TextAreaField(
        _l("Internal note"),
        description=_l("Only community workers and the bureau handling it read this."),
        filters=[clean_text],
        validators=[
            DataRequired(_l("Write the note first.")),
            Length(max=NOTE_MAX_LENGTH, message=_l("At most %(max)d characters.")),
        ],
    )
    back = HiddenField()
