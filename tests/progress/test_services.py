"""Recording progress and setting a target's tracking, through the services."""

from datetime import date, timedelta
from io import BytesIO

import pytest
from PIL import Image
from sqlalchemy import func, select

from planvoice.core.audit import AuditEvent
from planvoice.core.extensions import db
from planvoice.progress import services
from planvoice.progress.models import ProgressEntry, TargetTracking
from planvoice.reports.photos import process_photo
from tests.progress.conftest import bureau


def entries() -> int:
    return db.session.scalar(select(func.count(ProgressEntry.id)))


def latest_of(target) -> ProgressEntry | None:
    tracking = db.session.get(TargetTracking, target.id)
    db.session.refresh(tracking)
    return tracking.latest_entry


def test_recording_progress_keeps_the_latest_entry_and_audits_it(owned_parks, clerk):
    first = services.record_progress(
        owned_parks, author=clerk, on=date(2023, 3, 1), value="2", bureau=clerk.bureau
    )
    services.record_progress(owned_parks, author=clerk, on=date(2022, 3, 1), value="1")
    db.session.commit()
    assert latest_of(owned_parks) == first  # the newest by date, not the last recorded
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "progress.record"))
    assert event.actor_id == clerk.id and event.after["value"] == "2"


def test_a_correction_supersedes_an_entry_and_both_stay(owned_parks, clerk):
    wrong = services.record_progress(owned_parks, author=clerk, on=date(2024, 1, 5), value=30)
    fixed = services.record_progress(
        owned_parks, author=clerk, on=date(2024, 1, 5), value=3, supersedes=wrong
    )
    db.session.commit()
    assert entries() == 2
    assert latest_of(owned_parks) == fixed
    with pytest.raises(services.ProgressError, match="corrected already"):
        services.record_progress(
            owned_parks, author=clerk, on=date(2024, 1, 6), value=4, supersedes=wrong
        )


def test_a_correction_of_the_newest_entry_falls_back_to_the_one_before(owned_parks, clerk):
    older = services.record_progress(owned_parks, author=clerk, on=date(2024, 1, 1), value=2)
    newer = services.record_progress(owned_parks, author=clerk, on=date(2024, 6, 1), value=9)
    # The 9 was typed on the wrong date: corrected to an earlier one, so the 2 is older only.
    services.record_progress(
        owned_parks, author=clerk, on=date(2023, 6, 1), value=1, supersedes=newer
    )
    assert latest_of(owned_parks) == older


def test_an_entry_of_another_target_cannot_be_corrected_here(owned_parks, clerk, plan):
    other = next(t for t in owned_parks.measure.targets if t.id != owned_parks.id)
    theirs = services.record_progress(other, author=clerk, on=date(2024, 1, 1), value=1)
    with pytest.raises(services.ProgressError, match="another target"):
        services.record_progress(
            owned_parks, author=clerk, on=date(2024, 1, 1), value=1, supersedes=theirs
        )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"value": "three"}, "must be a number"),
        ({"value": "-1"}, "cannot be negative"),
        ({"value": "NaN"}, "must be a number"),
        ({"on": date.today() + timedelta(days=2)}, "future"),
        ({"on": date(2020, 12, 31)}, "before the plan began"),
        ({"evidence_url": "http://example.org/parks"}, "https://"),
        ({"evidence_url": "javascript:alert(1)"}, "https://"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_recorded(owned_parks, clerk, changes, message):
    values = {"on": date(2024, 1, 1), "value": "3"} | changes
    with pytest.raises(services.ProgressError, match=message):
        services.record_progress(owned_parks, author=clerk, **values)
    assert entries() == 0


def test_an_upload_key_already_recorded_adds_nothing(owned_parks, clerk):
    first = services.record_progress(
        owned_parks, author=clerk, on=date(2024, 1, 1), value=3, upload_key="k" * 64
    )
    again = services.record_progress(
        owned_parks, author=clerk, on=date(2024, 1, 1), value=3, upload_key="k" * 64
    )
    assert again == first and entries() == 1


def test_a_photo_goes_through_the_report_photo_pipeline(owned_parks, clerk, photo_storage):
    raw = BytesIO()
    Image.new("RGB", (800, 600), "green").save(raw, "PNG")
    photo = process_photo(raw.getvalue(), "park.png")
    entry = services.record_progress(
        owned_parks, author=clerk, on=date(2024, 1, 1), value=3, photo=photo
    )
    db.session.commit()
    assert entry.photo_path.endswith(".jpg") and photo_storage.exists(entry.photo_path)
    assert photo_storage.exists(entry.thumbnail_path)


def test_the_owner_is_suggested_from_the_measures_report_categories(parks):
    assert services.suggested_owner(parks) == bureau("urban_management")


def test_an_administrator_sets_owner_baseline_and_weight(parks, admin):
    tracking = services.set_tracking(
        parks,
        admin=admin,
        owner=bureau("housing"),
        baseline_value="2",
        baseline_date=date(2020, 12, 31),
        weight="2",
    )
    db.session.commit()
    assert (tracking.owner.code, tracking.baseline_value, tracking.weight) == ("housing", 2, 2)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "target.tracking"))
    assert event.before["owner"] is None and event.after["baseline_value"] == "2"
    with pytest.raises(services.ProgressError, match="or neither"):
        services.set_tracking(parks, admin=admin, baseline_value="2")
