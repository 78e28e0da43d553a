from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    FloatField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from planvoice.accounts.models import ROLE_LABELS
from planvoice.admin import queries, services
from planvoice.bureaus.queries import list_bureaus
from planvoice.core.i18n import _, _l
from planvoice.core.identity import EMAIL_RE
from planvoice.reports.queries import district_bounds, list_areas, list_categories


def _id_or_none(value):
    return int(value) if value not in ("", None) else None


def _strip(value):
    return value.strip() if isinstance(value, str) else value


_NONE = SelectChoice("", _l("— none —"))
_CODE = StringField(
    _l("Code"),
    filters=[_strip],
    description=_l("A lowercase word such as urban_management. It cannot be changed later."),
    validators=[
        DataRequired(_l("Give a code.")),
        Regexp(
            services.CODE_RE,
            message=_l("A code is 2 to 40 lowercase letters, digits or _, starting with a letter."),
        ),
    ],
)


def _text(label, *, max_length, required=None, description=None):
    first = DataRequired(required) if required else Optional()
    return StringField(
        label,
        filters=[_strip],
        description=description,
        validators=[first, Length(max=max_length, message=_l("At most %(max)d characters."))],
    )


class ActionForm(FlaskForm):
    """A button that changes something (delete, send again): only the CSRF token."""


class BureauForm(FlaskForm):
    code = _CODE
    name = _text(_l("Name (Chinese)"), max_length=100, required=_l("Give the bureau's name."))
    name_en = _text(_l("Name (English)"), max_length=100)
    email = _text(
        _l("E-mail address (optional)"),
        max_length=254,
        description=_l("Routed reports are announced here."),
    )

    def validate_email(self, field):
        if field.data and not EMAIL_RE.match(field.data):
            raise ValidationError(_l("Enter a valid e-mail address, or leave it empty."))


class CategoryForm(FlaskForm):
    code = _CODE
    position = IntegerField(
        _l("Position in the list"),
        default=0,
        validators=[NumberRange(min=0, max=9999, message=_l("Enter a number from 0 to 9999."))],
    )
    name_zh = _text(_l("Name (Chinese)"), max_length=60, required=_l("Give the Chinese name."))
    name_en = _text(_l("Name (English)"), max_length=60, required=_l("Give the English name."))
    hint_zh = _text(_l("Hint (Chinese)"), max_length=200)
    hint_en = _text(_l("Hint (English)"), max_length=200)
    default_bureau_id = SelectField(_l("Default bureau"), coerce=_id_or_none)
    measure_id = SelectField(_l("Plan measure it concerns"), coerce=_id_or_none)
    is_active = BooleanField(
        _l("Offered on the report form"),
        default=True,
        description=_l("Untick to retire it: old reports keep it."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.default_bureau_id.choices = [_NONE] + [
            SelectChoice(b.id, b.display_name) for b in list_bureaus()
        ]
        self.measure_id.choices = [_NONE] + [
            SelectChoice(m.id, m.title if len(m.title) <= 40 else m.title[:39] + "…")
            for m in queries.list_measures()
        ]


def _area_choices(areas):
    for area in areas:
        yield SelectChoice(area.id, area.name)
        for child in area.children:
            yield SelectChoice(child.id, f"{area.name} · {child.name}")


class CommunityForm(FlaskForm):
    parent = SelectField(_l("Street or town"), coerce=int)
    code = _CODE
    name = _text(_l("Name"), max_length=100, required=_l("Give the community's name."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.parent.choices = [SelectChoice(a.id, a.name) for a in list_areas()]


def _edge(label):
    return FloatField(
        label, validators=[Optional()], render_kw={"step": "0.0001", "inputmode": "decimal"}
    )


class AreaForm(FlaskForm):
    """An area's name and, for a street or town, where it lies: the box a report's point is
    matched against (all four edges, or none)."""

    name = _text(_l("Name"), max_length=100, required=_l("Give the area's name."))
    south = _edge(_l("South edge (latitude)"))
    west = _edge(_l("West edge (longitude)"))
    north = _edge(_l("North edge (latitude)"))
    east = _edge(_l("East edge (longitude)"))

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        edges = [self.south.data, self.west.data, self.north.data, self.east.data]
        if all(edge is None for edge in edges):
            return True
        if any(edge is None for edge in edges):
            self.south.errors.append(_("Give all four edges, or none."))
            return False
        south, west, north, east = edges
        district = district_bounds()
        if not (south < north and west < east):
            self.south.errors.append(_("South must be below north, and west left of east."))
            return False
        if not (district.contains(south, west) and district.contains(north, east)):
            self.south.errors.append(_("The box must lie inside the district."))
            return False
        return True

    @property
    def box(self) -> tuple | None:
        edges = (self.south.data, self.west.data, self.north.data, self.east.data)
        return None if None in edges else edges


class RoutingRuleForm(FlaskForm):
    category = SelectField(_l("Category"), coerce=int)
    area = SelectField(
        _l("Area"), coerce=int, description=_l("A street's rule also covers its communities.")
    )
    bureau = SelectField(_l("Bureau"), coerce=int)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.category.choices = [SelectChoice(c.id, c.name) for c in list_categories()]
        self.area.choices = list(_area_choices(list_areas()))
        self.bureau.choices = [SelectChoice(b.id, b.display_name) for b in list_bureaus()]


class UserRoleForm(FlaskForm):
    role = SelectField(
        _l("Role"), choices=[SelectChoice(r.value, label) for r, label in ROLE_LABELS.items()]
    )
    bureau_id = SelectField(_l("Bureau (for bureau staff)"), coerce=_id_or_none)
    area_ids = SelectMultipleField(
        _l("Areas served (for community workers)"),
        coerce=int,
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.bureau_id.choices = [_NONE] + [
            SelectChoice(b.id, b.display_name) for b in list_bureaus()
        ]
        self.area_ids.choices = list(_area_choices(list_areas()))


def _days(label):
    message = _l("Enter a whole number of working days from 0 to 365.")
    return IntegerField(label, validators=[NumberRange(min=0, max=365, message=message)])


class TimeLimitsForm(FlaskForm):
    accept_days = _days(_l("Accept within (working days)"))
    reply_days = _days(_l("First public reply within (working days)"))
    resolve_days = _days(_l("Resolve within (working days)"))


class CalendarDayForm(FlaskForm):
    day = DateField(_l("Day"), validators=[DataRequired(_l("Enter a date such as 2026-10-01."))])
    kind = RadioField(
        _l("What kind of day"),
        choices=[
            SelectChoice("holiday", _l("Public holiday (a weekday off)")),
            SelectChoice("workday", _l("Make-up working day (on a weekend)")),
        ],
        default="holiday",
    )
    name = _text(_l("Name, e.g. National Day"), max_length=60)


class ApiKeyForm(FlaskForm):
    name = _text(
        _l("Name of the client app"),
        max_length=80,
        required=_l("Give the app a name."),
        description=_l("Who the key is for, e.g. City Services App. Shown only to administrators."),
    )


class AuditFilterForm(FlaskForm):
    """The audit log's filters, read from the query string (no CSRF: it changes nothing)."""

    class Meta:
        csrf = False

    action = SelectField(_l("Action"), validate_choice=False)
    subject_type = SelectField(_l("Kind of subject"), validate_choice=False)
    subject = _text(_l("Report code or subject number"), max_length=40)
    actor = _text(_l("By (e-mail or mobile number)"), max_length=254)
    date_from = DateField(_l("Since (day)"), validators=[Optional()])
    date_to = DateField(_l("Until (day)"), validators=[Optional()])

    def fill_choices(self, actions: dict, subject_types: dict, *, any_label):
        """The choices: codes (what the URL carries) with their labels, in the reader's order."""
        self.action.choices = [SelectChoice("", any_label)] + sorted(
            (SelectChoice(code, str(label)) for code, label in actions.items()),
            key=lambda choice: choice.label,
        )
        self.subject_type.choices = [SelectChoice("", any_label)] + [
            SelectChoice(code, str(label)) for code, label in subject_types.items()
        ]
        return self
