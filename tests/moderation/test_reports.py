"""A community worker publishes or refuses the reports of the areas they serve."""

import pytest
from sqlalchemy import func, select

from planvoice.core.audit import AuditEvent
from planvoice.core.extensions import db
from planvoice.reports.areas import Area, Category
from planvoice.reports.models import Report
from tests.conftest import csrf_from
from tests.factories import ReportFactory, UserFactory
from tests.moderation.conftest import category


@pytest.fixture
def dust(areas) -> Category:
    return category("dust")


def _post(client, url, **data):
    return client.post(url, data={"csrf_token": csrf_from(client, "/moderation"), **data})


def _status(report) -> str:
    db.session.expire_all()
    return db.session.get(Report, report.id).status


def test_the_queue_holds_the_reports_of_the_areas_served(client, dongsheng_worker, areas, dust):
    community = Area(code="ds-test", name="测试社区", kind="community", parent=areas["dongsheng"])
    db.session.add(community)
    db.session.commit()
    mine = ReportFactory(category=dust, area=areas["dongsheng"], contact="13800138000")
    in_community = ReportFactory(category=dust, area=community)
    unplaced = ReportFactory(category=dust, area=None, contact="li@example.org")
    elsewhere = ReportFactory(category=dust, area=areas["jilin"])
    published = ReportFactory(category=dust, area=areas["dongsheng"], published=True)

    page = client.get("/moderation").text
    assert "2 reports awaiting review" in page
    for report in (mine, in_community):
        assert report.code in page
    assert elsewhere.code not in page
    # A point in no known street: an administrator places it; no worker reads it meanwhile.
    assert unplaced.code not in page
    case_page = client.get(f"/reports/{unplaced.code}").text
    assert "li@example.org" not in case_page and unplaced.description not in case_page
    csrf = csrf_from(client, "/moderation")
    publish = client.post(f"/moderation/reports/{unplaced.code}/publish", data={"csrf_token": csrf})
    assert publish.status_code == 403
    # A published one waits for routing instead, in its own list.
    to_route = page.index("report to send to a bureau")
    assert page.index(f'id="report-{mine.code}"') < to_route
    assert to_route < page.index(f'id="report-{published.code}"')
    # The worker of the area may contact the resident: on the case page.
    assert "13800138000" in client.get(f"/reports/{mine.code}").text


def test_publishing_makes_a_report_public_and_is_audited(client, dongsheng_worker, areas, dust):
    report = ReportFactory(category=dust, area=areas["dongsheng"])
    response = _post(client, f"/moderation/reports/{report.code}/publish")

    assert response.status_code == 302
    assert _status(report) == "published"
    assert report.code in client.get("/reports").text
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "report.publish"))
    assert event.actor_id == dongsheng_worker.id and event.after == {"status": "published"}


def test_a_refused_report_shows_its_author_why(client, app, dongsheng_worker, areas, dust):
    report = ReportFactory(category=dust, area=areas["dongsheng"], author_key="guest:author")
    _post(client, f"/moderation/reports/{report.code}/reject", reason="该问题已由城管处理完毕。")
    assert _status(report) == "rejected"

    author = app.test_client()
    with author.session_transaction() as session:
        session["guest"] = "guest:author"
    page = author.get(f"/reports/{report.code}").text
    assert "该问题已由城管处理完毕。" in page
    assert report.code not in author.get("/reports").text


def test_a_refusal_needs_a_reason(client, dongsheng_worker, areas, dust):
    report = ReportFactory(category=dust, area=areas["dongsheng"])
    _post(client, f"/moderation/reports/{report.code}/reject", reason="  ")
    assert _status(report) == "submitted"
    assert "Give a reason" in client.get("/moderation").text


def test_a_second_decision_on_the_same_report_changes_nothing(
    client, dongsheng_worker, areas, dust
):
    report = ReportFactory(category=dust, area=areas["dongsheng"])
    _post(client, f"/moderation/reports/{report.code}/publish")
    _post(client, f"/moderation/reports/{report.code}/reject", reason="重复")

    assert _status(report) == "published"
    assert "Someone has already decided on this report." in client.get("/moderation").text
    events = select(func.count()).select_from(AuditEvent).where(AuditEvent.subject_id == report.id)
    assert db.session.scalar(events) == 1


def test_a_worker_cannot_decide_on_another_areas_report(client, dongsheng_worker, areas, dust):
    report = ReportFactory(category=dust, area=areas["jilin"])
    response = _post(client, f"/moderation/reports/{report.code}/publish")
    assert response.status_code == 403
    assert _status(report) == "submitted"


@pytest.mark.parametrize("who", ["resident", "bureau_staff", "anonymous"])
def test_only_community_workers_decide_on_reports(client, sign_in, areas, dust, who):
    report = ReportFactory(category=dust, area=areas["dongsheng"])
    if who != "anonymous":
        sign_in(UserFactory(**({who: True} if who != "resident" else {})))
    csrf = csrf_from(client, "/reports/new")
    response = client.post(f"/moderation/reports/{report.code}/publish", data={"csrf_token": csrf})
    assert response.status_code == (302 if who == "anonymous" else 403)
    if who == "anonymous":
        assert "/login" in response.headers["Location"]
    assert _status(report) == "submitted"


def test_an_administrator_sees_every_report(client, sign_in, areas, dust, admin):
    elsewhere = ReportFactory(category=dust, area=areas["jilin"])
    sign_in(admin)
    assert elsewhere.code in client.get("/moderation").text


def test_a_report_given_only_a_point_goes_to_the_street_it_lies_in(
    client, sign_in, areas, dust, app
):
    from planvoice.reports.services import submit_report

    dongsheng, jilin = areas["dongsheng"], areas["jilin"]
    dongsheng.south, dongsheng.west, dongsheng.north, dongsheng.east = 43.86, 125.34, 43.88, 125.36
    jilin.south, jilin.west, jilin.north, jilin.east = 43.89, 125.37, 43.91, 125.40
    db.session.commit()

    def filed(lat, lng, token):
        report = submit_report(category=dust, description="路边扬尘很大,请洒水。", point=(lat, lng),
                               submission_token=token, author_key="guest:x",
                               contact="13900139000")  # fmt: skip
        db.session.commit()
        return report

    inside = filed(43.87, 125.35, "t1")
    near_jilin = filed(43.92, 125.41, "t2")  # in no box: the nearest street's
    assert (inside.area_id, near_jilin.area_id) == (dongsheng.id, jilin.id)

    sign_in(UserFactory(moderator=True, areas=[jilin]))
    page = client.get("/moderation").text
    assert near_jilin.code in page and inside.code not in page
    assert "13900139000" not in client.get(f"/reports/{inside.code}").text
