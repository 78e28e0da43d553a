"""A community worker sends a published report to the bureau responsible; the clock starts."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from planvoice.bureaus.queries import deadlines_of, get_bureau
from planvoice.core.audit import AuditEvent
from planvoice.core.extensions import db
from planvoice.reports.areas import Area, Category, RoutingRule
from planvoice.reports.models import Report
from tests.conftest import csrf_from
from tests.factories import ReportFactory, UserFactory
from tests.moderation.conftest import category


@pytest.fixture
def bare(areas) -> Category:
    return category("bare_ground")


@pytest.fixture
def worker(dongsheng_worker):
    return dongsheng_worker


def _route(client, report, bureau="urban_management", note=""):
    csrf = csrf_from(client, "/moderation")
    return client.post(f"/moderation/reports/{report.code}/route",
                       data={"csrf_token": csrf, "bureau": bureau, "note": note})  # fmt: skip


def _reload(report) -> Report:
    db.session.expire_all()
    return db.session.get(Report, report.id)


def test_the_queue_suggests_the_categorys_bureau(client, worker, areas, bare):
    report = ReportFactory(category=bare, area=areas["dongsheng"], published=True)
    assert f'id="report-{report.code}"' in client.get("/moderation").text
    page = client.get(f"/reports/{report.code}").text
    assert 'id="case-step-route"' in page
    assert '<option selected value="urban_management">' in page


def test_a_routing_rule_for_the_area_wins_over_the_default(client, worker, areas, bare):
    community = Area(code="ds-x", name="某社区", kind="community", parent=areas["dongsheng"])
    db.session.add(community)
    db.session.flush()
    housing, ecology = get_bureau("housing"), get_bureau("ecology")
    db.session.add_all([
        RoutingRule(category_id=bare.id, area_id=areas["dongsheng"].id, bureau_id=housing.id),
        RoutingRule(category_id=bare.id, area_id=community.id, bureau_id=ecology.id),
    ])  # fmt: skip
    db.session.commit()
    on_street = ReportFactory(category=bare, area=areas["dongsheng"], published=True)
    in_community = ReportFactory(category=bare, area=community, published=True)

    assert '<option selected value="housing">' in client.get(f"/reports/{on_street.code}").text
    community_page = client.get(f"/reports/{in_community.code}").text
    assert '<option selected value="ecology">' in community_page


def test_routing_sends_the_report_and_starts_the_clock(client, worker, areas, bare):
    report = ReportFactory(category=bare, area=areas["dongsheng"], published=True)
    response = _route(client, report, note="请城管执法局尽快处理。")

    assert response.status_code == 302
    routed = _reload(report)
    assert routed.status == "routed" and routed.bureau.code == "urban_management"
    assert routed.routed_at is not None
    page = client.get(f"/reports/{report.code}").text
    assert "sent to a bureau" in page and "Urban Management and Law Enforcement Bureau" in page
    assert "请城管执法局尽快处理。" in page and "resolve it by" in page
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "report.route"))
    assert event.after == {"status": "routed", "bureau": "urban_management"}
    body = client.get(f"/api/v1/reports/{report.code}").json
    assert body["bureau"] == {"code": "urban_management", "name": "区城市管理执法局"}
    assert body["timeline"][-1]["status"] == "routed"


@pytest.mark.parametrize("status", ["submitted", "rejected", "routed"])
def test_only_a_published_or_returned_report_can_be_routed(client, worker, areas, bare, status):
    report = ReportFactory(category=bare, area=areas["dongsheng"], status=status)
    _route(client, report)
    assert _reload(report).status == status
    assert "Someone has already decided on this report." in client.get("/moderation").text


def test_an_unknown_bureau_changes_nothing(client, worker, areas, bare):
    report = ReportFactory(category=bare, area=areas["dongsheng"], published=True)
    _route(client, report, bureau="ministry_of_magic")
    assert _reload(report).status == "published"
    assert "Choose the bureau to send the report to." in client.get("/moderation").text


def test_a_worker_cannot_route_another_areas_report(client, worker, areas, bare):
    report = ReportFactory(category=bare, area=areas["jilin"], published=True)
    assert _route(client, report).status_code == 403
    assert _reload(report).status == "published"


def test_deadlines_count_working_days_from_routing(app, areas, bare):
    # Routed on Friday 2026-11-27 at 16:00 in Changchun (08:00 UTC).
    report = ReportFactory(category=bare, area=areas["dongsheng"], status="routed",
                           routed_at=datetime(2026, 11, 27, 8, tzinfo=UTC))  # fmt: skip
    monday_evening = datetime(2026, 11, 30, 15, 59, 59, 999999, tzinfo=UTC)  # 23:59:59 local
    on_monday = deadlines_of(report, now=datetime(2026, 11, 30, 3, tzinfo=UTC))
    assert on_monday.due.accept_by == monday_evening
    assert not on_monday.accept_overdue
    on_tuesday = deadlines_of(report, now=datetime(2026, 12, 1, 3, tzinfo=UTC))
    assert on_tuesday.accept_overdue and not on_tuesday.resolve_overdue
    # A holiday on the Monday pushes the deadline to Tuesday.
    app.config["HOLIDAYS"] = ["2026-11-30"]
    assert deadlines_of(report).due.accept_by == datetime(2026, 12, 1, 15, 59, 59, 999999, UTC)


def test_a_report_returned_twice_waits_for_an_administrator(client, sign_in, areas, bare, admin):
    bounced = ReportFactory(category=bare, area=areas["dongsheng"], status="returned",
                            return_count=2, published_at=None)  # fmt: skip
    worker = UserFactory(moderator=True, areas=[areas["dongsheng"]])
    sign_in(worker)
    assert bounced.code not in client.get("/moderation").text
    assert _route(client, bounced).status_code == 403

    sign_in(admin)
    assert f'id="report-{bounced.code}"' in client.get("/moderation").text
    _route(client, bounced, bureau="housing")
    assert _reload(bounced).bureau.code == "housing"
