"""The plan desk's forms: a plan file (or its pasted text) for a new plan or a new version;
corrections of a measure or a target (checked by ``correction_services``, which say why)."""

import re

from flask import current_app
from flask_babel import format_decimal
from flask_wtf import FlaskForm
from wtforms import FileField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import Length, Optional, Regexp

from planvoice.core.i18n import _, _l
from planvoice.plans.desk import DEFAULT_MAX_BYTES, FILE_EXTENSIONS
from planvoice.plans.models import COMPARATOR_LABELS

_SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def _lower(value):
    return value.strip().lower() if isinstance(value, str) else value


class DraftForm(FlaskForm):
    """Once valid, ``plan_data``, ``file_name`` (None for pasted text) and ``plan_slug``
    say what to keep as a draft."""

    file = FileField(
        _l("Plan file"),
        render_kw={"accept": ".txt,.htm,.html,.pdf,.docx"},
    )
    text = TextAreaField(
        _l("Or paste the plan's text"),
        description=_l("The title first, then the date line, the sections and their measures."),
        render_kw={"rows": 6},
    )
    version_of = SelectField(_l("New version of"), validate_choice=False)
    slug = StringField(
        _l("Identifier of a new plan"),
        filters=[_lower],
        validators=[
            Optional(),
            Length(max=80, message=_l("Write at most %(max)d characters.")),
            Regexp(_SLUG_RE, message=_l("Use only letters, digits and hyphens, e.g. erdao-2026.")),
        ],
        description=_l("Part of the plan's address, e.g. erdao-2026 for /plans/erdao-2026."),
        render_kw={"autocapitalize": "none", "autocomplete": "off", "spellcheck": "false"},
    )

    def __init__(self, *args, plans=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.file.description = _(
            "Text (.txt), a saved web page (.html), PDF or Word (.docx), at most %(size)s MB.",
            size=self._megabytes(),
        )
        self.version_of.choices = [("", _("— a new plan —"))] + [
            (plan.slug, f"{plan.title} ({plan.slug})") for plan in plans
        ]
        self.plan_data: bytes = b""
        self.file_name: str | None = None
        self.plan_slug: str = ""

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        self.plan_slug = self.version_of.data or self.slug.data or ""
        if not self.plan_slug:
            self.slug.errors.append(_("Give the new plan an identifier, or choose a plan."))
        elif self.version_of.data and self.slug.data and self.slug.data != self.version_of.data:
            self.slug.errors.append(_("Leave the identifier empty for a new version of a plan."))
        return self._read_plan() and not self.slug.errors

    def _read_plan(self) -> bool:
        """Take the uploaded file, or else the pasted text, within the size limit."""
        upload, text = self.file.data, (self.text.data or "").strip()
        if getattr(upload, "filename", ""):
            name = upload.filename.replace("\\", "/").rpartition("/")[2]  # no client's folders
            extension = name.rpartition(".")[2].lower()
            if "." not in name or extension not in FILE_EXTENSIONS:
                self.file.errors.append(_("Upload a .txt, .html, .pdf or .docx file."))
                return False
            self.file_name = name[-200:]
            self.plan_data = upload.read(self.max_bytes + 1)
        elif text:
            self.plan_data = text.encode("utf-8")
        else:
            self.file.errors.append(_("Upload the plan's file or paste its text."))
            return False
        if len(self.plan_data) > self.max_bytes:
            field = self.file if self.file_name else self.text
            field.errors.append(
                _("The plan is too large: at most %(size)s MB.", size=self._megabytes())
            )
            return False
        return True

    @property
    def max_bytes(self) -> int:
        return current_app.config.get("PLAN_FILE_MAX_BYTES", DEFAULT_MAX_BYTES)

    def _megabytes(self) -> str:
        return format_decimal(round(self.max_bytes / (1024 * 1024), 1))


class DraftActionForm(FlaskForm):
    """Publish or discard a draft: only the CSRF token."""


class MeasureCorrectionForm(FlaskForm):
    """A measure's title, text and group as a person corrects them."""

    title = StringField(_l("Title"))
    text = TextAreaField(_l("Text"), render_kw={"rows": 8})
    group = StringField(
        _l("Group"), description=_l("The sub-heading it stands under; empty for none.")
    )


class TargetCorrectionForm(FlaskForm):
    """A target's fields; ``span`` is its words in the measure's text (typed for a new target,
    kept hidden for a target read, to notice that the preview changed meanwhile)."""

    span = StringField(
        _l("The target's words"),
        description=_l("Copy them exactly as they stand in the measure's text."),
    )
    subject = StringField(_l("What is counted"), description=_l("e.g. 口袋公园"))
    value = StringField(_l("Value"), render_kw={"inputmode": "decimal"})
    unit = StringField(_l("Unit"), description=_l("As the plan writes it, e.g. 个 or 公里."))
    comparator = SelectField(_l("Meaning of the value"), validate_choice=False)
    low = StringField(
        _l("Low end of a range"),
        description=_l("Only for a range such as 3至5个; then the value is its low end."),
        render_kw={"inputmode": "decimal"},
    )
    high = StringField(_l("High end of a range"), render_kw={"inputmode": "decimal"})
    deadline = StringField(
        _l("Deadline"),
        description=_l("A year, e.g. 2025; empty for none."),
        render_kw={"inputmode": "numeric"},
    )
    not_target = SubmitField(_l("Not a target"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.comparator.choices = [(name, str(label)) for name, label in COMPARATOR_LABELS.items()]
