"""What changes a target's progress: an entry recorded by its owner bureau (or an
administrator), and the tracking an administrator sets (owner bureau, baseline, weight).

Entries are append-only: a correction is a new entry that supersedes one, and both stay in the
history. ``TargetTracking.latest_entry_id`` follows every entry in the same transaction, so
the pages read one row per target. Services flush; the request (or command) commits."""

from datetime import date
from decimal import Decimal, InvalidOperation
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import to_user_timezone
from sqlalchemy import select

from planvoice.bureaus.models import Bureau
from planvoice.core import policy, signals, storage
from planvoice.core.audit import record_event
from planvoice.core.caching import forget_page
from planvoice.core.db import utcnow
from planvoice.core.extensions import db
from planvoice.core.i18n import _
from planvoice.plans.models import Target
from planvoice.progress.models import ProgressEntry, TargetTracking
from planvoice.reports import photos as photo_files
from planvoice.reports.areas import Category
from planvoice.reports.services import remove_on_rollback

MAX_NOTE = 2000
# Numeric(14, 4): ten digits before the point.
MAX_VALUE = Decimal("9999999999")


class ProgressError(Exception):
    """Input a service refuses; str(error) is a translated message for people. ``field`` names
    the form field it concerns, where there is one."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.field = field


def today() -> date:
    """The date in the district (the app's time zone), which is what entries are dated in."""
    return to_user_timezone(utcnow()).date()


def check_value(value, *, field: str = "value") -> Decimal:
    """A value as recorded: a finite number, at least zero (``ProgressError`` otherwise)."""
    try:
        number = Decimal(str(value).strip().replace(",", "")) if value is not None else None
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        raise ProgressError(_("The value must be a number, such as 3 or 2.5."), field=field)
    if number < 0:
        raise ProgressError(_("The value cannot be negative."), field=field)
    if number > MAX_VALUE:
        raise ProgressError(_("This value is too large."), field=field)
    return number.quantize(Decimal("0.0001"))


def check_date(on, plan, *, field: str = "on") -> date:
    """A date that has come, and not before the plan began (``ProgressError`` otherwise)."""
    if not isinstance(on, date):
        raise ProgressError(_("Give the date as YYYY-MM-DD."), field=field)
    if on > today():
        raise ProgressError(_("The date cannot be in the future."), field=field)
    if plan.start_year and on < date(plan.start_year, 1, 1):
        raise ProgressError(
            _("The date cannot be before the plan began (%(year)d).", year=plan.start_year),
            field=field,
        )
    return on


def check_link(url: str | None) -> str | None:
    """An evidence link: empty for none, else a full https:// address."""
    url = (url or "").strip()
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.netloc or len(url) > 2000 or " " in url:
        raise ProgressError(
            _("The evidence link must be a full address starting with https://."),
            field="evidence_url",
        )
    return url


def may_record(user, tracking: TargetTracking | None) -> bool:
    """Whether ``user`` may record progress on the target ``tracking`` describes: its owner
    bureau's staff and administrators; a target nobody owns yet, administrators alone (the
    policy question without an owner means "on any target")."""
    if tracking is None or tracking.owner_bureau_id is None:
        return policy.can_set_target_tracking(user)
    return policy.can_record_progress(user, tracking.owner_bureau_id)


def tracking_of(target: Target) -> TargetTracking:
    """The target's tracking row, created (and flushed) on first use."""
    tracking = db.session.get(TargetTracking, target.id)
    if tracking is None:
        tracking = TargetTracking(target_id=target.id)
        db.session.add(tracking)
        db.session.flush()
    return tracking


def suggested_owner(target: Target) -> Bureau | None:
    """The default bureau of a report category about the target's measure: the bureau that
    already answers residents on it. None when no category concerns the measure."""
    return db.session.scalar(
        select(Bureau)
        .join(Category, Category.default_bureau_id == Bureau.id)
        .where(Category.measure_id == target.measure_id)
        .order_by(Category.is_active.desc(), Category.position, Category.id)
        .limit(1)
    )


def record_progress(
    target: Target,
    *,
    author,
    on: date,
    value,
    note: str = "",
    evidence_url: str | None = None,
    photo: photo_files.ProcessedPhoto | None = None,
    supersedes: ProgressEntry | None = None,
    upload_key: str | None = None,
    bureau: Bureau | None = None,
) -> ProgressEntry:
    """Append an entry to the target's history (who may is the caller's question:
    ``policy.can_record_progress``). ``supersedes`` is the entry it corrects, which must be the
    same target's and not corrected yet. With an ``upload_key`` already recorded, the entry
    that has it is returned and nothing is added (a sheet uploaded twice)."""
    if upload_key is not None:
        existing = db.session.scalar(
            select(ProgressEntry).where(ProgressEntry.upload_key == upload_key)
        )
        if existing is not None:
            return existing
    plan = target.measure.plan
    on = check_date(on, plan)
    value = check_value(value)
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise ProgressError(_("Write at most %(max)d characters.", max=MAX_NOTE), field="note")
    evidence_url = check_link(evidence_url)
    if supersedes is not None:
        _check_supersedes(target, supersedes)

    entry = ProgressEntry(
        target_id=target.id,
        on=on,
        value=value,
        note=note,
        evidence_url=evidence_url,
        author_id=author.id,
        bureau_id=bureau.id if bureau is not None else None,
        supersedes_id=supersedes.id if supersedes is not None else None,
        upload_key=upload_key,
    )
    if photo is not None:
        entry.photo_path, entry.thumbnail_path = photo_files.store_photo(photo, storage.backend())
        # Stored before the row exists: a failed transaction must not leave the files behind.
        remove_on_rollback(entry.photo_path, entry.thumbnail_path)
    db.session.add(entry)
    db.session.flush()
    _follow_latest(tracking_of(target))
    record_event(
        "progress.record",
        entry,
        actor=author,
        after={
            "target": target.id,
            "on": on.isoformat(),
            "value": f"{value.normalize():f}",
            "supersedes": entry.supersedes_id,
        },
        note=note or None,
    )
    db.session.flush()
    _forget_pages(target)
    if supersedes is None:  # a correction is not news: the people were told of the first
        signals.progress_recorded.send(target, entry=entry)
    return entry


def _check_supersedes(target: Target, supersedes: ProgressEntry) -> None:
    if supersedes.target_id != target.id:
        raise ProgressError(
            _("The entry to correct belongs to another target."), field="supersedes"
        )
    corrected = db.session.scalar(
        select(ProgressEntry.id).where(ProgressEntry.supersedes_id == supersedes.id)
    )
    if corrected is not None:
        raise ProgressError(
            _("That entry has been corrected already; correct the newer one."), field="supersedes"
        )


def _follow_latest(tracking: TargetTracking) -> None:
    """Point the tracking at the newest entry (by date, then id) that none supersedes."""
    corrected = select(ProgressEntry.supersedes_id).where(
        ProgressEntry.target_id == tracking.target_id, ProgressEntry.supersedes_id.is_not(None)
    )
    tracking.latest_entry_id = db.session.scalar(
        select(ProgressEntry.id)
        .where(ProgressEntry.target_id == tracking.target_id, ProgressEntry.id.not_in(corrected))
        .order_by(ProgressEntry.on.desc(), ProgressEntry.id.desc())
        .limit(1)
    )
    # The relationship may have been read before: make it follow the new id.
    db.session.flush()
    db.session.expire(tracking, ["latest_entry"])


def set_tracking(
    target: Target,
    *,
    admin,
    owner: Bureau | None = None,
    baseline_value=None,
    baseline_date: date | None = None,
    weight=None,
) -> TargetTracking:
    """Set what an administrator decides about a target, all at once (None clears a value):
    the bureau that owns it, the baseline (a value and its date, both or neither) and its
    weight in its measure's progress."""
    if (baseline_value is None) != (baseline_date is None):
        raise ProgressError(_("Give the baseline's value and its date, or neither."))
    if baseline_value is not None:
        baseline_value = check_value(baseline_value, field="baseline_value")
        if baseline_date > today():
            raise ProgressError(_("The date cannot be in the future."), field="baseline_date")
    if weight is not None:
        weight = check_value(weight, field="weight")
    tracking = tracking_of(target)
    before = _tracking_values(tracking)
    tracking.owner_bureau_id = owner.id if owner is not None else None
    tracking.baseline_value = baseline_value
    tracking.baseline_date = baseline_date
    tracking.weight = weight
    after = _tracking_values(tracking)
    if after != before:
        record_event("target.tracking", target, actor=admin, before=before, after=after)
    db.session.flush()
    db.session.expire(tracking, ["owner"])
    _forget_pages(target)
    return tracking


def _tracking_values(tracking: TargetTracking) -> dict:
    def text(number):
        return None if number is None else f"{Decimal(number).normalize():f}"

    return {
        "owner": tracking.owner_bureau_id,
        "baseline_value": text(tracking.baseline_value),
        "baseline_date": tracking.baseline_date.isoformat() if tracking.baseline_date else None,
        "weight": text(tracking.weight),
    }


def _forget_pages(target: Target) -> None:
    """The cached public pages that show the target's progress."""
    # Built from the URL map rather than url_for, so that commands (no request) can do it too.
    urls = current_app.url_map.bind("")
    forget_page(urls.build("feedback.show_measure", {"measure_id": target.measure_id}))
    forget_page(urls.build("progress.show_progress"))
    forget_page(urls.build("progress.show_target", {"target_id": target.id}))
