"""After a fix the reporter says whether they are satisfied and whether the problem is solved;
"not satisfied" or "not solved" reopens it. Only the reporter answers: by account, browser or
the signed link in the "resolved" e-mail; a community worker records a call-back for a
resident with only a phone. Knowing the resident's contact opens nothing."""

import re

import pytest
from sqlalchemy import select

from planvoice.bureaus.queries import get_bureau
from planvoice.core.audit import AuditEvent
from planvoice.core.db import utcnow
from planvoice.core.extensions import db
from planvoice.reports.answers import satisfaction_token
from planvoice.reports.areas import Area
from planvoice.reports.models import Report, SatisfactionAnswer
from tests.conftest import csrf_from
from tests.factories import ReportFactory, UserFactory
from tests.reports.conftest import form_tokens


@pytest.fixture
def resolved(categories):
    street = db.session.scalar(select(Area).where(Area.code == "dongsheng"))
    return ReportFactory(category=categories["bare_ground"], status="resolved",
                         bureau=get_bureau("urban_management"), routed_at=utcnow(),
                         resolved_at=utcnow(), author_key="guest:author", area=street,
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


def _link(report) -> str:
    return f"/reports/{report.code}/answer/{satisfaction_token(report)}"


def _answer_by_link(client, url, **data):
    page = client.get(url).text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page)[1]
    return client.post(url, data={"csrf_token": csrf, **data})


def _reload(report) -> Report:
    db.session.expire_all()
    return db.session.get(Report, report.id)


def _answers() -> list[SatisfactionAnswer]:
    db.session.expire_all()
    return list(db.session.scalars(select(SatisfactionAnswer)))


def test_a_satisfied_resident_whose_problem_is_solved_closes_the_report(author, resolved):
    page = author.get(f"/reports/{resolved.code}").text
    assert 'name="satisfaction"' in page and 'name="solved"' in page
    assert 'name="contact"' not in page

    _answer(author, resolved, satisfaction="satisfied", solved="yes", comment="很满意,已经绿化了。")
    report = _reload(resolved)
    assert report.status == "closed" and report.satisfaction == "satisfied" and report.solved
    body = author.get(f"/api/v1/reports/{report.code}").json
    assert body["satisfaction"] == "satisfied" and body["solved"] is True
    assert body["status"] == "closed"
    [answer] = _answers()
    assert (answer.channel, answer.recorded_by_id) == ("browser", None)
    assert answer.bureau_id == get_bureau("urban_management").id


@pytest.mark.parametrize(
    ("satisfaction", "solved"), [("not_satisfied", "yes"), ("basically_satisfied", "no")]
)
def test_not_satisfied_or_not_solved_reopens_it_to_the_same_bureau(
    author, resolved, satisfaction, solved
):
    comment = "还是黄土,没有变化。"
    _answer(author, resolved, satisfaction=satisfaction, solved=solved, comment=comment)
    report = _reload(resolved)
    assert report.status == "reopened" and report.reopen_count == 1
    assert report.bureau.code == "urban_management" and report.resolved_at is None
    assert report.solved is (solved == "yes")
    assert "还是黄土,没有变化。" in author.get(f"/reports/{report.code}").text


def test_both_questions_must_be_answered(author, resolved):
    _answer(author, resolved, satisfaction="satisfied")
    assert _reload(resolved).status == "resolved" and _answers() == []
    assert "Say whether the problem was solved." in author.get(f"/reports/{resolved.code}").text


def test_knowing_the_contact_lets_nobody_else_answer(other_guest, resolved):
    page = other_guest.get(f"/reports/{resolved.code}").text
    assert 'name="satisfaction"' not in page

    _answer(other_guest, resolved, satisfaction="satisfied", solved="yes",
            contact="wang@example.org")  # fmt: skip
    assert _reload(resolved).status == "resolved" and _answers() == []
    assert (
        "Only the resident who reported it can answer"
        in other_guest.get(f"/reports/{resolved.code}").text
    )


def test_the_reporters_account_answers_through_the_account(client, sign_in, resolved):
    resident = UserFactory()
    resolved.user_id, resolved.author_key = resident.id, f"user:{resident.id}"
    db.session.commit()
    sign_in(resident)
    _answer(client, resolved, satisfaction="basically_satisfied", solved="yes")
    assert _reload(resolved).status == "closed"
    assert [a.channel for a in _answers()] == ["account"]


@pytest.mark.parametrize("status", ["published", "routed", "accepted", "closed"])
def test_no_answer_before_resolution_or_twice(author, resolved, status):
    resolved.status = status
    db.session.commit()
    _answer(author, resolved, satisfaction="satisfied", solved="yes")
    assert _reload(resolved).status == status
    assert "once the report is resolved" in author.get(f"/reports/{resolved.code}").text


def test_an_answer_outside_the_choices_changes_nothing(author, resolved):
    _answer(author, resolved, satisfaction="ecstatic", solved="yes")
    _answer(author, resolved, satisfaction="satisfied", solved="maybe")
    assert _reload(resolved).status == "resolved" and _answers() == []


def test_a_reopened_report_can_be_accepted_again(client, sign_in, resolved, author):
    _answer(author, resolved, satisfaction="not_satisfied", solved="no")
    clerk = UserFactory(bureau_staff=True, bureau=_reload(resolved).bureau)
    sign_in(clerk)
    client.post(f"/bureau/reports/{resolved.code}/accept",
                data={"csrf_token": csrf_from(client, "/bureau")})  # fmt: skip
    assert _reload(resolved).status == "accepted"
    assert db.session.scalar(select(Report.reopen_count)) == 1


@pytest.mark.parametrize("role", ["moderator", "bureau", "admin"])
def test_staff_never_answer_for_the_resident_by_any_route(client, sign_in, resolved, role):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    staff = UserFactory(role=role, bureau=_reload(resolved).bureau if role == "bureau" else None)
    link = _link(resolved)
    sign_in(staff)
    page = client.get(f"/reports/{resolved.code}").text
    assert 'name="satisfaction"' not in page and "Me too" not in page

    _answer(client, resolved, satisfaction="satisfied", solved="yes", contact="wang@example.org")
    assert _reload(resolved).status == "resolved" and _reload(resolved).satisfaction is None
    assert "Staff do not answer for a resident" in client.get(f"/reports/{resolved.code}").text
    # Even holding the resident's own link (a forwarded e-mail, say).
    page = client.get(link).text
    assert 'name="satisfaction"' not in page and "Staff do not answer" in page
    csrf = csrf_from(client, f"/reports/{resolved.code}")
    client.post(link, data={"csrf_token": csrf, "satisfaction": "satisfied", "solved": "yes"})
    assert _reload(resolved).status == "resolved" and _answers() == []


def test_the_link_in_the_email_asks_and_works_once(other_guest, resolved):
    url = _link(resolved)
    page = other_guest.get(url + "?satisfaction=basically_satisfied").text
    [ticked] = re.findall(r"<input[^>]* checked[^>]*>", page)
    assert 'value="basically_satisfied"' in ticked
    # Opening the link records nothing (mail scanners open links too).
    assert _reload(resolved).status == "resolved"

    response = _answer_by_link(other_guest, url, satisfaction="satisfied", solved="yes")
    assert response.status_code == 302
    assert _reload(resolved).status == "closed"
    assert [a.channel for a in _answers()] == ["link"]
    # Used: the same link opens no form again.
    again = other_guest.get(url)
    assert again.status_code == 404 and "This link no longer works" in again.text


def test_a_link_for_an_earlier_resolution_or_forged_or_for_another_report_is_refused(
    categories, other_guest, resolved
):
    stale = _link(resolved)
    other = ReportFactory(category=categories["dust"], status="resolved", resolved_at=utcnow(),
                          bureau=get_bureau("urban_management"), routed_at=utcnow())  # fmt: skip
    token = satisfaction_token(resolved)
    # Resolved again later: the first e-mail's link is stale.
    resolved.resolved_at = utcnow().replace(year=2030)
    db.session.commit()
    assert other_guest.get(stale).status_code == 404
    assert other_guest.get(f"/reports/{other.code}/answer/{token}").status_code == 404
    assert other_guest.get(f"/reports/{resolved.code}/answer/{token[:-2]}xx").status_code == 404
    assert _reload(resolved).status == "resolved" and _answers() == []


@pytest.fixture
def phone_only(resolved):
    resolved.contact = "13800138000"
    db.session.commit()
    return resolved


def test_a_community_worker_records_a_call_back_shown_in_public(
    app, client, sign_in, phone_only, other_guest
):
    street = db.session.scalar(select(Area).where(Area.code == "dongsheng"))
    worker = UserFactory(moderator=True, areas=[street])
    sign_in(worker)
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    page = client.get(f"/reports/{phone_only.code}").text
    assert "Record the resident's answer from a call-back" in page
    csrf = csrf_from(client, f"/reports/{phone_only.code}")
    client.post(f"/moderation/reports/{phone_only.code}/satisfaction",
                data={"csrf_token": csrf, "satisfaction": "satisfied", "solved": "yes",
                      "comment": "电话回访:已经修好了。"})  # fmt: skip
    assert _reload(phone_only).status == "closed"
    [answer] = _answers()
    assert (answer.channel, answer.recorded_by_id) == ("phone", worker.id)
    audit = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "report.satisfied"))
    assert audit.actor_id == worker.id and audit.after["channel"] == "phone"
    public = other_guest.get(f"/reports/{phone_only.code}").text
    assert "Answered by phone, recorded by the community." in public


@pytest.mark.parametrize("who", ["bureau", "other_street_worker", "email_report"])
def test_no_call_back_from_the_bureau_another_area_or_for_a_resident_with_email(
    client, sign_in, phone_only, who
):
    if who == "bureau":
        user = UserFactory(bureau_staff=True, bureau=phone_only.bureau)
    else:
        street = db.session.scalar(
            select(Area).where(Area.kind == "street", Area.code != "dongsheng")
        )
        home = db.session.scalar(select(Area).where(Area.code == "dongsheng"))
        user = UserFactory(moderator=True, areas=[home if who == "email_report" else street])
        if who == "email_report":
            phone_only.contact = "wang@example.org"
            db.session.commit()
    sign_in(user)
    csrf = csrf_from(client, "/")
    response = client.post(f"/moderation/reports/{phone_only.code}/satisfaction",
                           data={"csrf_token": csrf, "satisfaction": "satisfied",
                                 "solved": "yes"})  # fmt: skip
    assert response.status_code == 403
    assert _reload(phone_only).status == "resolved" and _answers() == []


def test_another_signed_in_resident_who_knows_the_contact_cannot_answer(client, sign_in, resolved):
    sign_in(UserFactory(email="neighbour@example.org"))
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    assert 'name="satisfaction"' not in client.get(f"/reports/{resolved.code}").text
    _answer(client, resolved, satisfaction="satisfied", solved="yes", contact="wang@example.org")
    assert _reload(resolved).status == "resolved" and _answers() == []
