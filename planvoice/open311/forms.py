"""The parameters of ``POST requests``, checked as the web form checks a report.

Client apps send them form-encoded, with their api_key instead of a CSRF token. Errors are
named by the parameter they concern (``description``, ``attribute[area]``) so that a client's
developer sees at once what to fix.
"""

from datetime import UTC, datetime
from urllib.parse import urlsplit

from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from planvoice.core.i18n import _, _l
from planvoice.core.identity import normalise_login
from planvoice.core.text import clean_text
from planvoice.open311 import queries
from planvoice.open311.services import Reporter
from planvoice.reports.areas import Area
from planvoice.reports.forms import email_address
from planvoice.reports.places import normalise_code, parse_coordinate
from planvoice.reports.queries import district_bounds, get_area, get_category

AT_MOST = _l("At most %(max)d characters.")
# Attributes every service has (see ``views.show_service``).
AREA_ATTRIBUTE = "area"
# The dates a search may name (which keeps the 90-day arithmetic in range too).
EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
LATEST = datetime(9000, 1, 1, tzinfo=UTC)


def _optional_text(max_length: int):
    return StringField(
        filters=[clean_text], validators=[Optional(), Length(max=max_length, message=AT_MOST)]
    )


class ServiceRequestForm(FlaskForm):
    """A report from a client app. After ``validate()``: ``category``, ``area`` and ``point``."""

    class Meta:
        csrf = False  # the api_key stands in for it

    service_code = StringField(
        filters=[clean_text], validators=[DataRequired(_l("Name the service (its service_code)."))]
    )
    description = StringField(
        filters=[clean_text],
        validators=[
            DataRequired(_l("Describe the problem in a few words.")),
            Length(min=10, max=2000, message=_l("Write between 10 and 2000 characters.")),
        ],
    )
    lat = StringField(filters=[clean_text])
    long = StringField(filters=[clean_text])
    address_string = _optional_text(200)
    address_id = StringField(filters=[clean_text])
    email = StringField(
        filters=[clean_text],
        validators=[Optional(), Length(max=254, message=AT_MOST), email_address],
    )
    phone = _optional_text(20)
    first_name = _optional_text(20)
    last_name = _optional_text(20)
    device_id = _optional_text(100)
    account_id = _optional_text(100)
    media_url = _optional_text(2000)
    jurisdiction_id = _optional_text(100)  # accepted and ignored: one jurisdiction is served

    category = None
    area: Area | None = None
    point: tuple[float, float] | None = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.attributes: dict[str, str] = {}
        # Errors of parameters WTForms does not know (attributes) or checks together (place).
        self.parameter_errors: list[tuple[str, str]] = []

    def validate_service_code(self, field):
        category = get_category(field.data)
        if category is None or not category.is_active:
            raise ValidationError(_("There is no service with this service_code."))
        self.category = category

    def validate_phone(self, field):
        normalised = normalise_login(field.data)
        if normalised is None or normalised[0] != "phone":
            raise ValidationError(_("Enter an 11-digit mobile number."))
        field.data = normalised[1]

    def validate_media_url(self, field):
        parts = urlsplit(field.data)
        if parts.scheme not in ("http", "https") or not parts.netloc or " " in field.data:
            raise ValidationError(_("Give an http or https address of the photo."))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        return self._validate_place() and not self.parameter_errors and valid

    def read_attributes(self, formdata) -> "ServiceRequestForm":
        """Read ``attribute[code]`` parameters: the only attribute is the area."""
        for name, value in formdata.items():
            if name.startswith("attribute[") and name.endswith("]"):
                code = name[len("attribute[") : -1]
                if code != AREA_ATTRIBUTE:
                    self.parameter_errors.append((name, _("This service has no such attribute.")))
                self.attributes[code] = clean_text(value)
        return self

    def reporter(self) -> Reporter:
        """Who filed the request, as far as the app tells (all private)."""
        fields = ("email", "phone", "first_name", "last_name", "device_id", "account_id")
        return Reporter(**{name: self[name].data or None for name in fields})

    def errors_by_parameter(self) -> list[tuple[str, str]]:
        found = [(name, str(error)) for name, errors in self.errors.items() for error in errors]
        return found + self.parameter_errors

    def _validate_place(self) -> bool:
        """A point, an area (``attribute[area]`` or ``address_id``), or an address naming one."""
        if not self._read_point():
            return False
        area_code = self.attributes.get(AREA_ATTRIBUTE) or self.address_id.data
        if area_code:
            self.area = get_area(area_code)
            if self.area is None:
                name = "address_id" if self.address_id.data else f"attribute[{AREA_ATTRIBUTE}]"
                self.parameter_errors.append(
                    (name, _("There is no area with this code: see the service definition."))
                )
                return False
        elif self.point is None:
            self.area = queries.find_area_named_in(self.address_string.data)
            if self.area is None:
                self.parameter_errors.append(
                    (
                        "address_string",
                        _(
                            "Give a location: lat and long, an area code as address_id, or an "
                            "address_string that names a street, town or community."
                        ),
                    )
                )
                return False
        return True

    def _read_point(self) -> bool:
        if not (self.lat.data or self.long.data):
            return True
        lat, lng = parse_coordinate(self.lat.data), parse_coordinate(self.long.data)
        if lat is None or lng is None:
            name = "lat" if lat is None else "long"
            self.parameter_errors.append((name, _("Give lat and long as decimal degrees.")))
            return False
        if not district_bounds().contains(lat, lng):
            self.parameter_errors.append(("lat", _("This point lies outside the district.")))
            return False
        self.point = (lat, lng)
        return True


# Searching requests


def read_request_filters(args) -> tuple[queries.RequestFilters, list[str]]:
    """The filters of ``GET requests`` and what is wrong with them (an error per parameter)."""
    problems = []
    codes = tuple(filter(None, (normalise_code(c) for c in _split(args.get("service_request_id")))))
    categories = []
    for code in _split(args.get("service_code")):
        category = get_category(code)
        if category is None:
            problems.append(_("service_code: there is no service %(code)s.", code=code))
        else:
            categories.append(category)
    statuses = tuple(sorted(set(_split(args.get("status")))))
    if not set(statuses) <= {"open", "closed"}:
        problems.append(_("status: give open, closed, or both separated by a comma."))
    start, end = (_read_datetime(args, name, problems) for name in ("start_date", "end_date"))
    if start and end:
        if start > end:
            problems.append(_("start_date: it must come before end_date."))
        elif end - start > queries.MAX_SPAN:
            problems.append(_("end_date: a search may span at most 90 days."))
    filters = queries.RequestFilters(
        codes=codes,
        categories=tuple(categories),
        start=start,
        end=end,
        statuses=statuses if len(statuses) == 1 else (),
    )
    return filters, problems


def _split(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split(",") if part.strip()]


def _read_datetime(args, name: str, problems: list[str]) -> datetime | None:
    text = (args.get(name) or "").strip()
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        problems.append(
            _(
                "%(name)s: give a W3C date and time with its time zone, e.g. "
                "2026-11-30T08:00:00+08:00.",
                name=name,
            )
        )
        return None
    if not EARLIEST <= moment <= LATEST:
        problems.append(_("%(name)s: give a date between the years 1970 and 9000.", name=name))
        return None
    return moment
