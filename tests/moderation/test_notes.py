"""Internal notes: the community workers of a report's area and the bureau it is routed to
talk about it; the public, the reporter, other bureaus and the API never see them."""

import pytest
from sqlalchemy import select

from planvoice.bureaus.queries import get_bureau
from planvoice.core.audit import AuditEvent
from planvoice.core.db import utcnow
from planvoice.core.extensions import db
from planvoice.reports.areas import Category
from planvoice.reports.models import ReportNote
from tests.conftest import csrf_from
from tests.factories import ReportFactory, UserFactory
from tests.moderation.conftest import category

NOTE = "已电话联系街道办,下周一现场查看。"


@pytest.fixture
def dust(areas) -> Category:
    return category("dust")


@pytest.fixture
def routed(areas, dust):
    return ReportFactory(category=dust, area=areas["dongsheng"], status="routed",
                         bureau=get_bureau("urban_management"), routed_at=utcnow(),
                         author_key="guest:reporter")  # fmt: skip


def _note(client, url, body=NOTE, back="queue"):
    csrf = csrf_from(client, "/reports/new")
    return client.post(url, data={"csrf_token": csrf, "body": body, "back": back})


def _sign_out(client):
    client.post("/logout", data={"csrf_token": csrf_from(client, "/reports/new")})


def test_a_worker_notes_and_the_routed_bureau_reads_and_answers(
    app, client, sign_in, dongsheng_worker, routed
):
    response = _note(client, f"/moderation/reports/{routed.code}/notes", back="report")
    assert response.headers["Location"].endswith(f"/reports/{routed.code}#notes")
    assert NOTE in client.get(f"/reports/{routed.code}").text
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "report.note"))
    assert event.actor_id == dongsheng_worker.id and NOTE not in str(event.after)
    assert event.note is None

    _sign_out(client)
    clerk = UserFactory(bureau_staff=True, bureau=get_bureau("urban_management"))
    sign_in(clerk)
    case_page = client.get(f"/reports/{routed.code}").text
    assert NOTE in case_page and dongsheng_worker.display_name in case_page
    _note(client, f"/bureau/reports/{routed.code}/notes", body="收到,已派人。")
    page = client.get(f"/reports/{routed.code}").text
    assert page.index(NOTE) < page.index("收到,已派人。")  # newest last


def test_notes_are_not_shown_to_the_public_the_reporter_other_bureaus_or_the_api(
    app, client, sign_in, routed
):
    author = UserFactory(moderator=True)
    db.session.add(ReportNote(report_id=routed.id, author_id=author.id, body=NOTE))
    db.session.commit()
    reporter = app.test_client()
    with reporter.session_transaction() as session:
        session["guest"] = "guest:reporter"
    assert NOTE not in reporter.get(f"/reports/{routed.code}").text
    assert NOTE not in app.test_client().get(f"/reports/{routed.code}").text
    assert NOTE not in app.test_client().get(f"/api/v1/reports/{routed.code}").text
    assert NOTE not in app.test_client().get("/api/v1/reports").text

    sign_in(UserFactory(bureau_staff=True, bureau=get_bureau("housing")))
    assert NOTE not in client.get(f"/reports/{routed.code}").text
    assert NOTE not in client.get("/bureau").text
    assert _note(client, f"/bureau/reports/{routed.code}/notes").status_code == 403
    _sign_out(client)
    sign_in(UserFactory())
    assert NOTE not in client.get(f"/reports/{routed.code}").text


def test_a_worker_of_another_area_neither_reads_nor_adds(client, sign_in, areas, routed):
    db.session.add(ReportNote(report_id=routed.id, author_id=UserFactory(admin=True).id,
                              body=NOTE))  # fmt: skip
    db.session.commit()
    sign_in(UserFactory(moderator=True, areas=[areas["jilin"]]))
    assert NOTE not in client.get(f"/reports/{routed.code}").text
    assert _note(client, f"/moderation/reports/{routed.code}/notes").status_code == 403


@pytest.mark.parametrize("body", ["", "   ", "x" * 2001])
def test_an_empty_or_too_long_note_is_refused(client, dongsheng_worker, routed, body):
    response = _note(client, f"/moderation/reports/{routed.code}/notes", body=body)
    page = client.get(response.headers["Location"]).text
    assert "Write the note first." in page or "At most 2000 characters." in page
    assert db.session.scalar(select(ReportNote.id)) is None


def test_a_case_in_the_queue_shows_its_notes_on_its_case_page(
    client, dongsheng_worker, areas, dust
):
    waiting = ReportFactory(category=dust, area=areas["dongsheng"])
    _note(client, f"/moderation/reports/{waiting.code}/notes")
    assert f'href="/reports/{waiting.code}"' in client.get("/moderation").text
    assert NOTE in client.get(f"/reports/{waiting.code}").text
