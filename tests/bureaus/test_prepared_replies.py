"""Each bureau keeps prepared replies that its staff insert into an answer or a resolution
note, as the community workers have prepared reasons."""

import pytest
from sqlalchemy import select

from planvoice.bureaus.models import ReplyTemplate
from planvoice.bureaus.queries import get_bureau
from planvoice.core.audit import AuditEvent
from planvoice.core.db import utcnow
from planvoice.core.extensions import db
from planvoice.demo import load_reference_data
from planvoice.reports.areas import Category
from planvoice.reports.models import Report
from tests.conftest import csrf_from
from tests.factories import PASSWORD, ReportFactory, UserFactory

SITE_VISIT = "您好,我局已安排人员于三个工作日内到现场核查,处理结果将在此公布。"


def _browser(app, user):
    """A browser of its own, signed in as ``user`` through the real form, reading English."""
    browser = app.test_client()
    browser.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    csrf = csrf_from(browser, "/login")
    signed_in = browser.post(
        "/login", data={"login": user.login, "password": PASSWORD, "csrf_token": csrf}
    )
    assert signed_in.status_code == 302
    return browser


@pytest.fixture
def categories(plan, no_rate_limits) -> dict[str, Category]:
    """The seeded bureaus and categories (by code)."""
    load_reference_data()
    db.session.commit()
    return {c.code: c for c in db.session.scalars(select(Category))}


@pytest.fixture
def clerk(app, categories):
    return _browser(app, UserFactory(bureau_staff=True, bureau=get_bureau("urban_management")))


@pytest.fixture
def other_clerk(app, categories):
    return _browser(app, UserFactory(bureau_staff=True, bureau=get_bureau("ecology")))


@pytest.fixture
def accepted(categories):
    return ReportFactory(category=categories["bare_ground"], status="accepted",
                         bureau=get_bureau("urban_management"), routed_at=utcnow(),
                         accepted_at=utcnow(), published=True)  # fmt: skip


def _add(browser, title="Site visit", body=SITE_VISIT, **extra):
    data = {"csrf_token": csrf_from(browser, "/bureau/replies"), "title": title, "body": body}
    return browser.post("/bureau/replies", data={**data, **extra})


def _only_template() -> ReplyTemplate:
    db.session.expire_all()
    (template,) = db.session.scalars(select(ReplyTemplate))
    return template


def _step(browser, report, step, **data):
    csrf = csrf_from(browser, f"/reports/{report.code}")
    return browser.post(f"/bureau/reports/{report.code}/{step}",
                        data={"csrf_token": csrf, "back": "case", **data},
                        content_type="multipart/form-data")  # fmt: skip


def _timeline_notes(report) -> list[str]:
    db.session.expire_all()
    return [event.note for event in db.session.get(Report, report.id).events if event.note]


def test_a_clerk_prepares_a_reply_and_sends_it_from_the_case_page(clerk, accepted):
    assert "/bureau/replies" in clerk.get("/bureau").text
    response = _add(clerk)
    assert response.status_code == 302
    listing = clerk.get(response.headers["Location"]).text
    assert "The prepared reply is saved." in listing and "Site visit" in listing
    template = _only_template()
    assert template.bureau == get_bureau("urban_management")

    # The reply and resolve steps offer it, its text ready for the script to copy.
    page = clerk.get(f"/reports/{accepted.code}").text
    reply_step = page[page.index('id="case-step-reply"') : page.index('id="case-step-progress"')]
    assert "Prepared reply" in reply_step and f'value="{template.id}"' in reply_step
    assert f'data-body="{SITE_VISIT}"' in reply_step and "bureau-replies.js" in page
    # An empty text is allowed then: the prepared reply is sent.
    assert 'name="body" required' not in reply_step

    _step(clerk, accepted, "reply", template=str(template.id), body="")
    assert SITE_VISIT in clerk.get(f"/reports/{accepted.code}").text
    assert _timeline_notes(accepted)[-1] == SITE_VISIT


def test_what_the_clerk_writes_wins_over_the_prepared_reply(clerk, accepted):
    _add(clerk)
    template = _only_template()
    _step(clerk, accepted, "resolve", template=str(template.id), body="已平整并铺设草皮。")
    db.session.expire_all()
    report = db.session.get(Report, accepted.id)
    assert report.status == "resolved"
    assert _timeline_notes(accepted)[-1] == "已平整并铺设草皮。"
    assert SITE_VISIT not in _timeline_notes(accepted)


def test_another_bureaus_clerk_can_neither_see_edit_nor_use_it(clerk, other_clerk, categories):
    _add(clerk)
    template = _only_template()
    assert "Site visit" not in other_clerk.get("/bureau/replies").text
    assert other_clerk.get(f"/bureau/replies/{template.id}").status_code == 404
    csrf = csrf_from(other_clerk, "/bureau/replies")
    mine = {"csrf_token": csrf, "title": "Mine", "body": "改了"}
    edited = other_clerk.post(f"/bureau/replies/{template.id}", data=mine)
    deleted = other_clerk.post(f"/bureau/replies/{template.id}/delete", data={"csrf_token": csrf})
    assert edited.status_code == deleted.status_code == 404
    assert _only_template().title == "Site visit"

    # Its id, sent with a reply on the other bureau's own case, brings no text.
    theirs = ReportFactory(category=categories["dust"], status="accepted",
                           bureau=get_bureau("ecology"), routed_at=utcnow(),
                           accepted_at=utcnow(), published=True)  # fmt: skip
    _step(other_clerk, theirs, "reply", template=str(template.id), body="")
    assert SITE_VISIT not in _timeline_notes(theirs)
    assert "Write the reply first." in other_clerk.get(f"/reports/{theirs.code}").text


def test_an_administrator_edits_any_bureaus_reply_and_chooses_the_bureau(
    app, clerk, categories, accepted
):
    _add(clerk)
    template = _only_template()
    admin = _browser(app, UserFactory(admin=True))
    assert """<a href="/bureau/replies">Bureaus' prepared replies</a>""" in admin.get("/admin").text
    page = admin.get(f"/bureau/replies/{template.id}").text
    assert 'name="bureau_id"' in page and "Site visit" in page

    csrf = csrf_from(admin, "/bureau/replies")
    ecology = get_bureau("ecology")
    response = admin.post(f"/bureau/replies/{template.id}", data={
        "csrf_token": csrf, "bureau_id": str(ecology.id),
        "title": "Site visit", "body": "我局将于本周内现场核查。",
    })  # fmt: skip
    assert response.status_code == 302
    template = _only_template()
    assert template.bureau_id == ecology.id and template.body == "我局将于本周内现场核查。"
    # It is the ecology bureau's now: gone from the urban management case page.
    assert "Site visit" not in clerk.get(f"/reports/{accepted.code}").text


def test_a_clerk_cannot_choose_another_bureau(clerk):
    _add(clerk, bureau_id=str(get_bureau("ecology").id))
    assert _only_template().bureau == get_bureau("urban_management")


def test_an_empty_title_is_refused_and_changes_nothing(clerk):
    response = _add(clerk, title="   ")
    assert response.status_code == 200
    assert "Give the prepared reply a short name." in response.text
    # What was typed stays on the page.
    assert SITE_VISIT in response.text
    assert db.session.scalars(select(ReplyTemplate)).all() == []

    _add(clerk)
    template = _only_template()
    csrf = csrf_from(clerk, "/bureau/replies")
    edited = clerk.post(f"/bureau/replies/{template.id}",
                        data={"csrf_token": csrf, "title": "", "body": "改了"})  # fmt: skip
    assert "Give the prepared reply a short name." in edited.text
    assert (_only_template().title, _only_template().body) == ("Site visit", SITE_VISIT)


def test_a_short_name_the_bureau_already_uses_is_refused(clerk):
    _add(clerk)
    response = _add(clerk, body="另一段文字。")
    assert response.status_code == 200 and "already has a prepared reply called" in response.text
    assert _only_template().body == SITE_VISIT


def test_every_change_is_audited(clerk):
    _add(clerk)
    template = _only_template()
    csrf = csrf_from(clerk, "/bureau/replies")
    clerk.post(f"/bureau/replies/{template.id}",
               data={"csrf_token": csrf, "title": "Site visit", "body": "新的文字。"})  # fmt: skip
    deleted = clerk.post(f"/bureau/replies/{template.id}/delete", data={"csrf_token": csrf})
    assert "The prepared reply is deleted." in clerk.get(deleted.headers["Location"]).text
    assert db.session.scalars(select(ReplyTemplate)).all() == []

    events = db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.subject_type == "reply_templates")
        .order_by(AuditEvent.id)
    ).all()
    assert [e.action for e in events] == [
        "reply_template.create", "reply_template.update", "reply_template.delete",
    ]  # fmt: skip
    assert all(e.subject_id == template.id and e.actor_id is not None for e in events)
    assert events[1].before["body"] == SITE_VISIT and events[1].after["body"] == "新的文字。"
    assert events[2].before["title"] == "Site visit"


def test_guests_and_residents_are_kept_out(app, client, categories):
    assert client.get("/bureau/replies").status_code == 302
    resident = _browser(app, UserFactory())
    assert resident.get("/bureau/replies").status_code == 403
