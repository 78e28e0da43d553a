"""A community worker marks a report as the same problem as an earlier, open one: its
supporters and its author count on the original from then on."""

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from planvoice.core.audit import AuditEvent
from planvoice.core.extensions import db
from planvoice.moderation import services
from planvoice.notifications.models import OutboxMessage
from planvoice.reports.areas import Category
from planvoice.reports.models import MeasureReportCount, Report, ReportSupport
from planvoice.reports.services import ReportError
from tests.conftest import csrf_from
from tests.factories import ReportFactory
from tests.moderation.conftest import category


@pytest.fixture
def dust(areas) -> Category:
    return category("dust")


def _mark(client, report, original_code, back="report"):
    data = {"csrf_token": csrf_from(client, "/moderation"), "original": original_code, "back": back}
    return client.post(f"/moderation/reports/{report.code}/duplicate", data=data)


def _reload(report) -> Report:
    db.session.expire_all()
    return db.session.get(Report, report.id)


def _supporters(report) -> set[str]:
    return set(
        db.session.scalars(
            select(ReportSupport.supporter_key).where(ReportSupport.report_id == report.id)
        )
    )


def _public_count(report) -> int:
    return db.session.scalar(
        select(MeasureReportCount.public_count).where(
            MeasureReportCount.measure_id == report.measure_id
        )
    )


def test_a_duplicate_brings_its_supporters_and_author_to_the_original(
    client, dongsheng_worker, areas, dust
):
    original = ReportFactory(category=dust, area=areas["dongsheng"], published=True,
                             author_key="guest:first")  # fmt: skip
    duplicate = ReportFactory(category=dust, area=areas["dongsheng"], published=True,
                              author_key="guest:second")  # fmt: skip
    # "both" supports both reports: counted once on the original.
    for report, key in ((original, "guest:both"), (duplicate, "guest:both"),
                        (duplicate, "guest:only-dup"), (duplicate, "guest:first")):  # fmt: skip
        db.session.add(ReportSupport(report_id=report.id, supporter_key=key))
    db.session.commit()

    response = _mark(client, duplicate, original.code.lower())

    assert response.status_code == 302
    assert _reload(duplicate).status == "duplicate"
    assert _reload(duplicate).duplicate_of_id == original.id
    assert _supporters(original) == {"guest:both", "guest:only-dup", "guest:second"}
    assert _reload(original).support_count == 3
    page = client.get(f"/reports/{original.code}").text
    assert "3 residents have the same problem." in page
    dup_page = client.get(f"/reports/{duplicate.code}").text
    assert "Duplicate of" in dup_page and f'href="/reports/{original.code}"' in dup_page
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "report.duplicate"))
    assert event.after == {"status": "duplicate", "duplicate_of": original.code}
    assert event.before == {"status": "published"}


def test_a_submitted_duplicate_becomes_public_and_is_counted_once(
    client, dongsheng_worker, areas, dust
):
    original = ReportFactory(category=dust, area=areas["dongsheng"], published=True)
    duplicate = ReportFactory(category=dust, area=areas["dongsheng"])
    assert _public_count(original) == 1

    _mark(client, duplicate, original.code, back="queue")

    assert _reload(duplicate).status == "duplicate"
    assert _reload(duplicate).published_at is not None  # listed among public reports by date
    assert _public_count(original) == 2
    assert duplicate.code in client.get("/reports").text
    # The public timeline points to the original.
    assert original.code in client.get(f"/reports/{duplicate.code}").text


def test_a_duplicate_of_a_duplicate_joins_the_original(client, dongsheng_worker, areas, dust):
    original = ReportFactory(category=dust, area=areas["dongsheng"], published=True)
    first = ReportFactory(category=dust, area=areas["dongsheng"], published=True)
    second = ReportFactory(category=dust, area=areas["dongsheng"])
    services.mark_duplicate(first, original, moderator=dongsheng_worker)
    db.session.commit()

    _mark(client, second, first.code)

    assert _reload(second).duplicate_of_id == original.id


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("self", "A report cannot be a duplicate of itself."),
        ("EDQ-ZZZZ-ZZ", "There is no report with this tracking code."),
        ("nonsense", "There is no report with this tracking code."),
        ("closed", "is not open any more"),
        ("submitted", "is not open any more"),
        ("", "Give the tracking code of the original report."),
    ],
)
def test_a_bad_original_is_refused_and_changes_nothing(
    client, dongsheng_worker, areas, dust, target, message
):
    duplicate = ReportFactory(category=dust, area=areas["dongsheng"], published=True)
    db.session.add(ReportSupport(report_id=duplicate.id, supporter_key="guest:s"))
    db.session.commit()
    others = {
        "self": duplicate,
        "closed": ReportFactory(category=dust, status="closed"),
        "submitted": ReportFactory(category=dust),
    }
    code = others[target].code if target in others else target

    response = _mark(client, duplicate, code)

    assert response.status_code == 302
    assert message in client.get(response.headers["Location"]).text
    assert _reload(duplicate).status == "published"
    assert _supporters(duplicate) == {"guest:s"}
    count = (
        select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "report.duplicate")
    )
    assert db.session.scalar(count) == 0


def test_a_report_with_a_bureau_cannot_be_marked(client, dongsheng_worker, areas, dust):
    original = ReportFactory(category=dust, area=areas["dongsheng"], published=True)
    routed = ReportFactory(category=dust, area=areas["dongsheng"], status="routed")

    response = _mark(client, routed, original.code)

    page = client.get(response.headers["Location"]).text
    assert "Only a report awaiting review, published or returned" in page
    assert _reload(routed).status == "routed"


def test_of_two_moderators_marking_at_once_one_wins(client, dongsheng_worker, areas, dust):
    original = ReportFactory(category=dust, area=areas["dongsheng"], published=True)
    other = ReportFactory(category=dust, area=areas["dongsheng"], published=True)
    duplicate = ReportFactory(category=dust, area=areas["dongsheng"])
    stale = db.session.get(Report, duplicate.id)  # the second moderator's page, loaded before

    _mark(client, duplicate, original.code)
    # The second moderator's request still sees the report as submitted.
    assert stale.status == "submitted"
    with force_locale("en"), pytest.raises(ReportError, match="cannot be done now"):
        services.mark_duplicate(stale, other, moderator=dongsheng_worker)
    db.session.rollback()

    assert _reload(duplicate).duplicate_of_id == original.id
    assert _public_count(original) == 3  # original, other, and the duplicate once


def test_the_second_moderator_is_told_through_the_page(client, dongsheng_worker, areas, dust):
    original = ReportFactory(category=dust, area=areas["dongsheng"], published=True)
    duplicate = ReportFactory(category=dust, area=areas["dongsheng"])
    _mark(client, duplicate, original.code)

    response = _mark(client, duplicate, original.code)

    assert (
        "Only a report awaiting review, published or returned"
        in client.get(response.headers["Location"]).text
    )


def test_a_worker_of_another_area_cannot_mark(client, dongsheng_worker, areas, dust):
    original = ReportFactory(category=dust, area=areas["jilin"], published=True)
    duplicate = ReportFactory(category=dust, area=areas["jilin"])
    assert _mark(client, duplicate, original.code).status_code == 403
    assert _reload(duplicate).status == "submitted"


def test_the_resident_hears_that_their_report_is_a_duplicate(client, dongsheng_worker, areas, dust):
    original = ReportFactory(category=dust, area=areas["dongsheng"], published=True)
    duplicate = ReportFactory(category=dust, area=areas["dongsheng"], contact="wang@example.org",
                              language="en")  # fmt: skip

    _mark(client, duplicate, original.code)

    message = db.session.scalar(
        select(OutboxMessage).where(OutboxMessage.recipient == "wang@example.org")
    )
    assert message is not None and original.code in message.body
