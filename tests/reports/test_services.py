"""Filing and finding reports, below the web pages."""

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from planvoice.core.extensions import db
from planvoice.moderation import services as moderation
from planvoice.reports import queries, services
from planvoice.reports.areas import Area
from planvoice.reports.models import Report
from planvoice.reports.photos import process_photo
from tests import factories
from tests.conftest import BOTH_PHOTO_STORAGES
from tests.reports.conftest import jpeg_bytes, stored_files


def _file(category, token="token-1", **options):  # noqa: S107 - a form token
    options.setdefault("point", (43.8712, 125.3520))
    return services.submit_report(
        category=category, description="人行道上的井盖不见了,很危险。",
        submission_token=token, author_key="guest:me", **options,
    )  # fmt: skip


@BOTH_PHOTO_STORAGES
def test_photos_of_a_report_rolled_back_are_removed_from_disk(categories, photo_storage):
    photo = process_photo(jpeg_bytes(), "a.jpg")
    _file(categories["road"], photos=[photo, photo])
    assert len(stored_files(photo_storage)) == 4

    db.session.rollback()  # e.g. the commit failed, or the request crashed afterwards
    assert stored_files(photo_storage) == []
    # The row went with the files (on SQLite too, where a savepoint came first).
    assert db.session.scalar(select(func.count()).select_from(Report)) == 0


def test_a_store_that_cannot_delete_leaves_files_behind_without_failing_the_request(
    categories, photo_storage, monkeypatch, caplog
):
    _file(categories["road"], photos=[process_photo(jpeg_bytes(), "a.jpg")])

    def store_down(*keys):
        raise OSError("the object store does not answer")

    monkeypatch.setattr(photo_storage, "delete", store_down)
    db.session.rollback()  # no exception: the rollback itself succeeded
    assert "Could not delete stored files" in caplog.text
    assert len(stored_files(photo_storage)) == 2


@BOTH_PHOTO_STORAGES
def test_photos_of_a_committed_report_stay(categories, photo_storage):
    _file(categories["road"], photos=[process_photo(jpeg_bytes(), "a.jpg")])
    db.session.commit()
    db.session.rollback()  # a later, unrelated rollback
    assert len(stored_files(photo_storage)) == 2


def test_the_same_token_twice_gives_the_same_report(categories):
    first = _file(categories["road"])
    second = _file(categories["road"])
    assert first.id == second.id


def test_a_report_needs_a_place_inside_the_district(categories):
    with pytest.raises(services.ReportError):
        _file(categories["road"], point=None)
    with pytest.raises(services.ReportError):
        _file(categories["road"], point=(39.90, 116.40))


def test_the_database_refuses_a_report_without_a_place(categories):
    report = factories.ReportFactory.build(category=categories["road"], lat=None, lng=None)
    db.session.add(report)
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_nearby_reports_include_the_same_community_or_street_without_a_point(categories):
    street = db.session.query(Area).filter_by(code="dongsheng").one()
    community = Area(code="test-community", name="测试社区", kind="community", parent=street)
    db.session.add(community)
    far_but_same_community = factories.ReportFactory(
        category=categories["dust"], published=True, area=community, lat=43.95, lng=125.60
    )
    found = queries.find_nearby(categories["dust"], area=community)
    assert [(report.id, distance) for report, distance in found] == [
        (far_but_same_community.id, None)
    ]
    # A resident who chose only the street sees the open reports of the street and of its
    # communities; a report on another street is not the same place.
    on_the_street = factories.ReportFactory(
        category=categories["dust"], published=True, area=street, lat=None, lng=None
    )
    elsewhere = db.session.query(Area).filter(Area.kind == "street", Area.id != street.id).first()
    factories.ReportFactory(category=categories["dust"], published=True, area=elsewhere)
    found = queries.find_nearby(categories["dust"], area=street)
    assert {report.id for report, _ in found} == {far_but_same_community.id, on_the_street.id}


def test_nearby_reports_leave_out_the_readers_own(categories):
    mine = factories.ReportFactory(category=categories["dust"], published=True)
    found = queries.find_nearby(
        categories["dust"], point=(43.8712, 125.3520), exclude_key=mine.author_key
    )
    assert found == []


def test_a_measure_counts_exactly_the_reports_published_about_it(categories):
    moderator = factories.UserFactory(moderator=True)
    bare = categories["bare_ground"]
    for token in ("a", "b", "c"):
        moderation.publish_report(_file(bare, token=token), moderator=moderator)
    _file(bare, token="d")  # awaiting review: not counted
    db.session.commit()
    assert queries.count_measure_reports(bare.measure) == 3
    assert queries.summarise_measure_reports(bare.measure) == (3, "bare_ground")
    with pytest.raises(services.ReportError):
        moderation.publish_report(_file(bare, token="a"), moderator=moderator)  # already public
    assert queries.count_measure_reports(bare.measure) == 3


def test_a_concurrent_duplicate_returns_the_first_report_and_keeps_no_files(
    categories, upload_folder, monkeypatch
):
    first = _file(categories["road"], token="same")
    db.session.commit()
    # The other request checked for the token just before this one inserted it.
    real_lookup = services._report_by_token
    lookups = iter([None])
    monkeypatch.setattr(
        services, "_report_by_token", lambda t: next(lookups, None) or real_lookup(t)
    )

    second = _file(categories["road"], token="same", photos=[process_photo(jpeg_bytes(), "a.jpg")])
    db.session.commit()
    assert second.id == first.id
    assert stored_files(upload_folder) == []
