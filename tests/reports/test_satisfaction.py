"""After a fix the resident says whether it satisfied them; "not satisfied" reopens it."""

import pytest
from sqlalchemy import select

from planvoice.bureaus.queries import get_bureau
from planvoice.core.db import utcnow
from planvoice.core.extensions import db
from planvoice.reports.models import Report
from tests.conftest import csrf_from
from tests.factories import ReportFactory, UserFactory
from tests.reports.conftest import form_tokens


@pytest.fixture
def resolved(categories):
    return ReportFactory(category=categories["bare_ground"], status="resolved",
                         bureau=get_bureau("urban_management"), routed_at=utcnow(),
                         resolved_at=utcnow(), author_key="guest:author",
                         contact="wang@example.org")  # fmt: skip


@pytest.fixture
def author(app):
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    with client.session_transaction() as session:
        session["guest"] = "guest:author"
    return client


def _answer(client, report, **data):
    csrf = form_tokens(client)["csrf_token"]
    return client.post(f"/reports/{report.code}/satisfaction", data={"csrf_token": csrf, **data})


def _reload(report) -> Report:
    db.session.expire_all()
    return db.session.get(Report, report.id)


def test_a_satisfied_resident_closes_the_report(author, resolved):
    page = author.get(f"/reports/{resolved.code}").text
    assert 'name="satisfaction"' in page and 'name="contact"' not in page

    _answer(author, resolved, satisfaction="satisfied", comment="很满意,已经绿化了。")
    report = _reload(resolved)
    assert report.status == "closed" and report.satisfaction == "satisfied"
    body = author.get(f"/api/v1/reports/{report.code}").json
    assert body["satisfaction"] == "satisfied" and body["status"] == "closed"


def test_not_satisfied_reopens_the_report_to_the_same_bureau(author, resolved):
    _answer(author, resolved, satisfaction="not_satisfied", comment="还是黄土,没有变化。")
    report = _reload(resolved)
    assert report.status == "reopened" and report.reopen_count == 1
    assert report.bureau.code == "urban_management" and report.resolved_at is None
    assert "还是黄土,没有变化。" in author.get(f"/reports/{report.code}").text


def test_anyone_else_must_give_the_contact_of_the_report(app, other_guest, resolved):
    _answer(other_guest, resolved, satisfaction="satisfied")
    assert _reload(resolved).status == "resolved"
    assert (
        "Only the resident who reported it can answer"
        in other_guest.get(f"/reports/{resolved.code}").text
    )
    _answer(other_guest, resolved, satisfaction="satisfied", contact="WANG@example.org")
    assert _reload(resolved).status == "closed"


@pytest.mark.parametrize("status", ["published", "routed", "accepted", "closed"])
def test_no_answer_before_resolution_or_twice(author, resolved, status):
    resolved.status = status
    db.session.commit()
    _answer(author, resolved, satisfaction="satisfied")
    assert _reload(resolved).status == status
    assert "once the report is resolved" in author.get(f"/reports/{resolved.code}").text


def test_an_answer_outside_the_choices_changes_nothing(author, resolved):
    _answer(author, resolved, satisfaction="ecstatic")
    assert _reload(resolved).status == "resolved"


def test_a_reopened_report_can_be_accepted_again(client, sign_in, resolved, author):
    _answer(author, resolved, satisfaction="not_satisfied")
    clerk = UserFactory(bureau_staff=True, bureau=_reload(resolved).bureau)
    sign_in(clerk)
    client.post(f"/bureau/reports/{resolved.code}/accept",
                data={"csrf_token": csrf_from(client, "/bureau")})  # fmt: skip
    assert _reload(resolved).status == "accepted"
    assert db.session.scalar(select(Report.reopen_count)) == 1


@pytest.mark.parametrize("role", ["moderator", "bureau", "admin"])
def test_staff_never_answer_for_the_resident_even_with_their_contact(
    client, sign_in, resolved, role
):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    staff = UserFactory(role=role, bureau=_reload(resolved).bureau if role == "bureau" else None)
    sign_in(staff)
    page = client.get(f"/reports/{resolved.code}").text
    assert 'name="satisfaction"' not in page

    _answer(client, resolved, satisfaction="satisfied", contact="wang@example.org")
    assert _reload(resolved).status == "resolved" and _reload(resolved).satisfaction is None
    assert "Staff do not answer for a resident" in client.get(f"/reports/{resolved.code}").text
