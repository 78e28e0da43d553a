"""The e-mails read as a person would write them: a greeting, what happened, the report's
category, place and description, the bureau and its time limits, the satisfaction question
with one-click answers for the reporter, why a report came back; sent from "规划民声" or
"PlanVoice", as text with an HTML alternative, with links to PUBLIC_URL."""

import re

import pytest
from flask_babel import force_locale, format_datetime

from planvoice.bureaus import services as bureau_services
from planvoice.bureaus.queries import deadlines_of
from planvoice.core.extensions import db
from planvoice.core.i18n import _
from planvoice.moderation import services as moderation
from planvoice.notifications.outbox import send_due_messages
from planvoice.notifications.services import set_pace
from planvoice.reports import answers
from planvoice.reports.answers import report_of_satisfaction_token
from planvoice.reports.models import ReportSupport
from tests.factories import UserFactory

BASE = "https://planvoice.example.cn"
ANSWER = re.compile(re.escape(BASE) + r"/reports/([^/\s]+)/answer/(\S+)\?satisfaction=(\w+)")


def _deliver(mail_server) -> dict:
    db.session.commit()
    send_due_messages()
    return {(m["To"], str(m["Subject"])): m for m in mail_server.messages}


def _text(message) -> str:
    return message.get_body(("plain",)).get_content()


@pytest.fixture
def routed(app, city, report):
    app.config["PUBLIC_URL"] = BASE
    report.reporter_name = "王女士"
    report.address = "东盛大街12号"
    report.description = "小区门口的空地一直是黄土,刮风就起尘。\n第二行不该出现在邮件里。"
    moderation.route_report(report, city, moderator=UserFactory(moderator=True), note="请尽快处理")
    return report


def _resolve(report, city):
    clerk = UserFactory(bureau_staff=True, bureau=city)
    bureau_services.accept_report(report, staff=clerk)
    bureau_services.resolve_report(report, staff=clerk, note="已覆盖绿网。")


def test_the_routing_email_names_the_bureau_and_its_time_limits(mail_server, city, routed):
    messages = _deliver(mail_server)
    [to_bureau] = [m for (to, _s), m in messages.items() if to == city.email]
    [to_resident] = [m for (to, _s), m in messages.items() if to == "wang@example.org"]
    due = deadlines_of(routed).due

    bureau_text = _text(to_bureau)
    with force_locale("zh_Hans"):  # staff read Chinese
        assert bureau_text.startswith(_("Dear colleagues of %(bureau)s,", bureau=city.name))
    assert "东盛" in bureau_text and "东盛大街12号" in bureau_text
    assert "小区门口的空地一直是黄土" in bureau_text and "第二行" not in bureau_text
    assert "请尽快处理" in bureau_text
    with force_locale("zh_Hans"):
        for when in (due.accept_by, due.reply_by, due.resolve_by):
            assert format_datetime(when, "short") in bureau_text
    assert f"{BASE}/reports/{routed.code}" in bureau_text

    resident_text = _text(to_resident)
    assert resident_text.startswith("Dear 王女士,")
    assert (city.name_en or city.name) in resident_text
    with force_locale("en"):
        assert f"Resolve by {format_datetime(due.resolve_by, 'short')}" in resident_text
    with force_locale("en"):
        assert f"Category: {routed.category.name}" in resident_text


def test_the_sender_is_named_in_the_recipients_language(mail_server, city, routed):
    messages = _deliver(mail_server)
    senders = {to: m["From"].addresses[0] for (to, _s), m in messages.items()}
    assert senders[city.email].display_name == "规划民声"
    assert senders["wang@example.org"].display_name == "PlanVoice"
    assert {a.addr_spec for a in senders.values()} == {"noreply@planvoice.local"}
    raw = {e.rcpt_tos[0]: e.content for e in mail_server.envelopes}
    from_line = re.search(rb"^From: (.*)$", raw[city.email], re.M)[1]
    assert from_line.startswith(b"=?utf-8?") and from_line.isascii()  # RFC 2047


def test_each_email_has_text_and_html_with_links_to_public_url(mail_server, city, routed):
    for message in _deliver(mail_server).values():
        assert message.get_content_type() == "multipart/alternative"
        html = message.get_body(("html",)).get_content()
        link = f"{BASE}/reports/{routed.code}"
        assert f'<a href="{link}">{link}</a>' in html
        assert "<script" not in html
        links = re.findall(r"https?://\S+", _text(message))
        assert links and all(url.startswith(BASE) for url in links)


def test_the_resolved_email_asks_the_reporter_with_three_signed_links(mail_server, city, routed):
    routed.support_count  # noqa: B018 - loaded before the session is used below
    db.session.add(ReportSupport(report_id=routed.id, supporter_key="guest:li",
                                 email="li@example.org", language="en"))  # fmt: skip
    set_pace(address="li@example.org", own="immediately", following="immediately")
    _resolve(routed, city)
    messages = _deliver(mail_server)
    resolved = messages[("wang@example.org", f"Report {routed.code}: resolved")]
    text = _text(resolved)
    answers = ANSWER.findall(text)
    assert [value for _c, _t, value in answers] == [
        "satisfied",
        "basically_satisfied",
        "not_satisfied",
    ]
    for code, token, _value in answers:
        assert report_of_satisfaction_token(code, token) == routed
    assert "已覆盖绿网。" in text
    html = resolved.get_body(("html",)).get_content()
    assert "?satisfaction=satisfied" in html and "&amp;" not in html.split("answer/")[1][:5]

    supporter = messages[("li@example.org", f"Report {routed.code}: resolved")]
    assert "/answer/" not in _text(supporter) and "stop-emails" in _text(supporter)


def test_a_reopened_report_tells_the_bureau_why(mail_server, city, routed):
    _resolve(routed, city)
    answers.answer_satisfaction(routed, answer="not_satisfied", solved=False,
                                        channel="browser", comment="绿网被风吹走了")  # fmt: skip
    messages = _deliver(mail_server)
    with force_locale("zh_Hans"):
        subject = _("Report %(code)s: %(step)s", code=routed.code, step=_("reopened"))
    text = _text(messages[(city.email, subject)])
    assert "绿网被风吹走了" in text
    with force_locale("zh_Hans"):
        assert _("The resident is not satisfied with the fix.") in text
        assert _("The resident says the problem is not solved.") in text
