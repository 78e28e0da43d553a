"""The whole loop on phone-sized pages, in both languages, each person working from the case
page: a resident reports bare ground; the community worker opens it from the queue, publishes
it and routes it to the wrong bureau, whose clerk opens it from the routing e-mail and returns
it with a reason; the worker routes it to the right bureau, whose clerk (again from the
e-mail) accepts, replies and resolves it with an "after" photo; the resident says it is not
solved, so it reopens; it is resolved again and the resident answers from the link in the
"resolved" e-mail. A real SMTP server receives each expected e-mail exactly once, and the
administrators' audit log shows every step."""

import re
from collections import Counter

import pytest
from sqlalchemy import select

from planvoice.bureaus.models import Bureau
from planvoice.core.extensions import db
from planvoice.demo import load_reference_data
from planvoice.notifications.outbox import send_due_messages
from planvoice.reports.areas import Area
from tests.browser.test_plan_pages import assert_accessible, assert_fits_phone
from tests.factories import PASSWORD, UserFactory
from tests.notifications.conftest import start_mail_server  # noqa: F401  (fixture)

pytestmark = pytest.mark.browser
CODE = re.compile(r"EDQ-[2-9A-Z]{4}-[2-9A-Z]{2}")
RESIDENT = "li.na@example.org"
WORDS = {
    "zh_Hans": {"publish": "发布", "route": "转交", "accept": "受理", "return": "退回",
                "reply": "回复", "progress": "标记为处理中", "resolve": "办结",
                "reopened": "已重新办理",
                "subject": "问题 {code}:{step}",
                "steps": {"published": "已发布", "routed": "已转交部门",
                          "accepted": "部门已受理", "replied": "公开答复",
                          "in_progress": "正在处理", "resolved": "已解决"}},
    "en": {"publish": "Publish", "route": "Route", "accept": "Accept", "return": "Return",
           "reply": "Reply", "progress": "Mark in progress", "resolve": "Resolve",
           "reopened": "reopened",
           "subject": "Report {code}: {step}",
           "steps": {"published": "published", "routed": "sent to a bureau",
                     "accepted": "accepted by the bureau", "replied": "public reply",
                     "in_progress": "being fixed", "resolved": "resolved"}},
}  # fmt: skip


@pytest.fixture
def people(plan, app, start_mail_server):  # noqa: F811
    """Reference data, bureaus with addresses, the staff, and the district's mail server."""
    server = start_mail_server()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=server.port)

    load_reference_data()
    bureaus = {b.code: b for b in db.session.scalars(select(Bureau))}
    bureaus["housing"].email = "housing@example.gov.cn"
    bureaus["urban_management"].email = "city@example.gov.cn"
    dongsheng = db.session.scalar(select(Area).where(Area.code == "dongsheng"))
    logins = {
        "worker": UserFactory(moderator=True, areas=[dongsheng], email="worker@example.org"),
        "housing": UserFactory(bureau_staff=True, bureau=bureaus["housing"]),
        "city": UserFactory(bureau_staff=True, bureau=bureaus["urban_management"]),
        "admin": UserFactory(admin=True),
    }
    logins = {role: user.login for role, user in logins.items()}
    db.session.commit()
    db.session.rollback()  # no open transaction in the test thread while the server works
    return logins, server


def _sign_in(page, base, login, language):
    page.goto(f"{base}/login?lang={language}")
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form[action='/login'] [type=submit]").click()
    page.wait_for_load_state("load")


def _click(page, scope, name):
    page.locator(scope).get_by_role("button", name=name, exact=True).click()
    page.wait_for_load_state("load")


def _check(page):
    assert_fits_phone(page)
    assert_accessible(page)


def _deliver(server) -> Counter:
    """Run the outbox worker once, as `flask outbox run --once` does; what arrived, by step."""
    db.session.rollback()
    send_due_messages()
    db.session.rollback()
    return Counter((m["To"], str(m["Subject"])) for m in server.messages)


@pytest.mark.parametrize("language", ["zh_Hans", "en"])
def test_a_report_goes_round_the_whole_loop(
    app, new_page, live_server, people, gps_photo, language
):
    logins, mail = people
    words = WORDS[language]
    app.config["PUBLIC_URL"] = live_server

    # The resident reports bare ground, leaving an e-mail address.
    resident = new_page()
    resident.goto(f"{live_server}/reports/new?lang={language}")
    resident.check("input[name=category][value=bare_ground]")
    resident.select_option("select[name=area]", "dongsheng")
    resident.fill("textarea[name=description]", "东盛大街路口的空地一直是黄土,刮风就起尘。")
    resident.fill("input[name=contact]", RESIDENT)
    _submit_report(resident)
    code = CODE.search(resident.locator("p.flash").inner_text())[0]

    # The worker opens it from the queue, publishes it, then routes it to the wrong bureau.
    worker = new_page()
    _sign_in(worker, live_server, logins["worker"], language)
    worker.goto(f"{live_server}/moderation")
    worker.locator(f"li#report-{code} a.case-link").click()
    _click(worker, "#case-step-publish", words["publish"])
    worker.locator("#case-step-route select[name=bureau]").select_option("housing")
    _click(worker, "#case-step-route", words["route"])

    # The housing bureau's clerk opens the case from the e-mail and returns it, with a reason.
    housing = new_page()
    _sign_in(housing, live_server, logins["housing"], language)
    housing.goto(_link_in_mail(mail, "housing@example.gov.cn", f"/reports/{code}"))
    assert housing.locator("#case-step-accept").is_visible()
    _check(housing)
    housing.fill("#case-step-return textarea[name=body]", "裸露地面不属于住建局职责,请转城管局。")
    _click(housing, "#case-step-return", words["return"])

    # It is back in the worker's queue; the case page has the reason; routed to the city.
    worker.goto(f"{live_server}/moderation")
    worker.locator(f"li#report-{code} a.case-link").click()
    worker.wait_for_load_state("load")
    assert "裸露地面不属于住建局职责" in worker.content()
    _check(worker)
    worker.locator("#case-step-route select[name=bureau]").select_option("urban_management")
    _click(worker, "#case-step-route", words["route"])

    # The city's clerk opens it from the e-mail: accepts, replies in public, resolves it with
    # an "after" photo, all on the case page; never offered "me too" or the resident's answer.
    city = new_page()
    _sign_in(city, live_server, logins["city"], language)
    city.goto(_link_in_mail(mail, "city@example.gov.cn", f"/reports/{code}"))
    _click(city, "#case-step-accept", words["accept"])
    city.fill("#case-step-reply textarea[name=body]", "已安排人员现场核查。")
    _click(city, "#case-step-reply", words["reply"])
    city.fill("#case-step-progress textarea[name=body]", "正在覆盖绿网。")
    _click(city, "#case-step-progress", words["progress"])
    _resolve(city, words, "已覆盖绿网。", gps_photo)
    assert city.locator("input[name=satisfaction]").count() == 0
    assert city.locator("#support button").count() == 0
    _check(city)

    # The resident, in the browser they reported from, says it is not solved: it reopens.
    resident.goto(f"{live_server}/reports/{code}?lang={language}")
    resident.check("input[name=satisfaction][value=not_satisfied]")
    resident.check("input[name=solved][value=no]")
    resident.fill("textarea[name=comment]", "绿网被风吹走了,还是黄土。")
    resident.locator("#satisfaction button[type=submit]").click()
    resident.wait_for_load_state("load")
    assert words["reopened"] in resident.content()

    # The city signs for it again and resolves it for good; the resident, on another phone,
    # answers from the link in the "resolved" e-mail.
    city.goto(f"{live_server}/reports/{code}")
    _click(city, "#case-step-accept", words["accept"])
    _resolve(city, words, "已种上草坪并设置围挡。", gps_photo)
    answer_link = _link_in_mail(
        mail, RESIDENT, f"/reports/{code}/answer/", last=True, query="satisfaction=satisfied"
    )
    phone = new_page()
    phone.goto(answer_link)
    assert phone.locator("input[name=satisfaction][value=satisfied]").is_checked()
    _check(phone)
    phone.check("input[name=solved][value=yes]")
    phone.locator("main form button[type=submit]").click()
    phone.wait_for_load_state("load")
    page = phone.content()
    assert "已种上草坪并设置围挡。" in page and "已安排人员现场核查。" in page
    _check(phone)
    phone.goto(answer_link)  # used: it asks no more
    assert phone.locator("input[name=satisfaction]").count() == 0

    # Each expected e-mail arrived exactly once: to the resident in their language, to each
    # bureau when the report was routed (or reopened) to it, to the worker on the return.
    received = _deliver(mail)
    steps = words["steps"]

    def to_resident(step):
        return (RESIDENT, words["subject"].format(code=code, step=steps[step]))

    expected = Counter([to_resident("published"), to_resident("routed"), to_resident("routed"),
                        to_resident("accepted"), to_resident("replied"), to_resident("in_progress"),
                        to_resident("resolved"),
                        to_resident("accepted"), to_resident("resolved")])  # fmt: skip
    staff = Counter(to for to, _subject in received if to != RESIDENT)
    assert +Counter({k: v for k, v in received.items() if k[0] == RESIDENT}) == expected
    assert staff == {"housing@example.gov.cn": 1, "city@example.gov.cn": 2,
                     "worker@example.org": 1}  # fmt: skip
    assert _deliver(mail) == received  # a second run of the worker sends nothing again

    # The audit log shows every step, in order.
    admin = new_page()
    _sign_in(admin, live_server, logins["admin"], language)
    admin.goto(f"{live_server}/admin/audit?report={code}&lang={language}")
    _check(admin)
    assert _audit_actions(admin) == [
        "report.submit", "report.publish", "report.route", "report.return", "report.route",
        "report.accept", "report.reply", "report.in_progress", "report.resolve",
        "report.not_satisfied",
        "report.accept", "report.resolve", "report.satisfied",
    ]  # fmt: skip


def _submit_report(page):
    page.wait_for_selector("#send-report:enabled")
    page.locator("#send-report").click()
    page.wait_for_load_state("load")


def _resolve(page, words, note, photo):
    page.fill("#case-step-resolve textarea[name=body]", note)
    page.locator("#case-step-resolve input[name=after_photo]").set_input_files(photo)
    _click(page, "#case-step-resolve", words["resolve"])


def _link_in_mail(server, to, path, *, last=False, query=None) -> str:
    """The link to ``path`` in the e-mails the outbox has sent to ``to`` (the first, or with
    ``last`` the newest); sends what is due first, as the worker would."""
    _deliver(server)
    links = [
        link
        for message in server.messages
        if message["To"] == to
        for link in re.findall(r"https?://\S+", message.get_body(("plain",)).get_content())
        if path in link and (query is None or query in link)
    ]
    assert links, f"no link to {path} in the e-mails to {to}"
    return links[-1] if last else links[0]


def _audit_actions(page) -> list[str]:
    """The actions the audit log lists for the report, oldest first."""
    actions = page.locator("[data-action]").evaluate_all(
        "rows => rows.map(row => row.dataset.action)"
    )
    return list(reversed(actions))
