"""Residents who said "me too" and left an e-mail hear of each public step, in their language,
once per address, at their pace (a daily digest unless they chose "at once"), and can stop
those e-mails with the link each one carries."""

import re
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from planvoice.bureaus import services as bureau_services
from planvoice.core.db import utcnow
from planvoice.core.extensions import db
from planvoice.moderation import services as moderation
from planvoice.notifications.digests import build_due_digests
from planvoice.notifications.outbox import send_due_messages
from planvoice.notifications.services import set_pace
from planvoice.reports.models import ReportSupport
from tests.conftest import csrf_from
from tests.factories import UserFactory


def _support(client, report, email, language="en"):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = language
    token = csrf_from(client, f"/reports/{report.code}")
    return client.post(f"/reports/{report.code}/support", data={"csrf_token": token,
                       "email": email}, follow_redirects=True)  # fmt: skip


def _morning(*, days_after: int) -> datetime:
    """Nine o'clock in Changchun, ``days_after`` days from now: digests are due by then."""
    local = utcnow().astimezone(ZoneInfo("Asia/Shanghai"))
    return datetime.combine(local.date() + timedelta(days=days_after), time(9), local.tzinfo)


def _deliver(mail_server):
    db.session.commit()
    send_due_messages()
    return mail_server.messages


def test_a_supporter_who_left_an_email_hears_of_routing_and_the_fix(
    app,
    client,
    other_guest,
    mail_server,
    city,
    report,
):
    app.config["PUBLIC_URL"] = "https://planvoice.example.cn"
    page = _support(client, report, " Li@Example.org ").text
    assert "Thank you. Your support is added to this report." in page
    _support(other_guest, report, "zhao@example.org", language="zh-CN")
    # Li chose to hear at once; Zhao keeps the default, a daily digest.
    set_pace(address="li@example.org", own="immediately", following="immediately")

    moderation.route_report(report, city, moderator=UserFactory(moderator=True))
    clerk = UserFactory(bureau_staff=True, bureau=city)
    bureau_services.accept_report(report, staff=clerk)
    mine = [m for m in _deliver(mail_server) if m["To"] == "li@example.org"]
    assert [m["Subject"] for m in mine] == [
        f"Report {report.code}: sent to a bureau",
        f"Report {report.code}: accepted by the bureau",
    ]
    assert not [m for m in mail_server.messages if m["To"] == "zhao@example.org"]
    # The next morning, both steps reach Zhao in one digest, in Chinese.
    assert build_due_digests(now=_morning(days_after=1)) == 1
    chinese = [m for m in _deliver(mail_server) if m["To"] == "zhao@example.org"]
    assert len(chinese) == 1 and "规划民声" in chinese[0]["Subject"]
    assert chinese[0].get_body(("plain",)).get_content().count(report.code) >= 2

    # The link in the e-mail stops them (after a confirmation, so a mail scanner cannot).
    link = re.search(r"https://planvoice\.example\.cn(/reports/\S+/stop-emails/\S+)",
                     mine[0].get_body(("plain",)).get_content()).group(1)  # fmt: skip
    assert "Stop these e-mails" in client.get(link).text
    done = client.post(link, data={"csrf_token": csrf_from(client, link)}, follow_redirects=True)
    assert "Done: you will get no more e-mails about this report." in done.text
    assert "You get no e-mails about this report any more." in client.get(link).text

    bureau_services.reply_to_report(report, staff=clerk, body="We will visit on Monday.")
    recipients = [m["To"] for m in _deliver(mail_server)]
    assert recipients.count("li@example.org") == 2  # nothing new
    # Zhao is still told, in the digest of the day after.
    assert build_due_digests(now=_morning(days_after=2)) == 1
    recipients = [m["To"] for m in _deliver(mail_server)]
    assert recipients.count("li@example.org") == 2
    assert recipients.count("zhao@example.org") == 2
    # Support still counts.
    db.session.refresh(report)
    assert report.support_count == 2


def test_the_reporters_own_address_gets_each_step_once(
    client,
    mail_server,
    city,
    report,
):
    _support(client, report, "WANG@example.org")  # the address given with the report
    moderation.route_report(report, city, moderator=UserFactory(moderator=True))
    recipients = [m["To"] for m in _deliver(mail_server)]
    assert sorted(recipients) == ["chengguan@example.gov.cn", "wang@example.org"]


@pytest.mark.parametrize("email", ["not-an-address", "x" * 250 + "@a.cn"])
def test_a_bad_email_adds_no_support(client, report, email):
    page = _support(client, report, email).text
    assert "Enter an e-mail address such as name@example.com." in page or (
        "At most 254 characters." in page
    )
    assert db.session.scalar(select(func.count()).select_from(ReportSupport)) == 0


def test_a_forged_stop_link_is_not_found(client, report):
    _support(client, report, "li@example.org")
    assert client.get(f"/reports/{report.code}/stop-emails/forged.token").status_code == 404
    support = db.session.scalar(select(ReportSupport))
    assert support.email == "li@example.org"


def test_one_click_in_the_mail_program_stops_a_supporters_emails(
    app, client, other_guest, mail_server, city, report
):
    """RFC 8058: a supporter's e-mails carry List-Unsubscribe and List-Unsubscribe-Post; the
    mail program's POST (no cookies, no form token) stops them, and a forged address does not.
    The reporter's and the bureau's e-mails carry their own (``/unsubscribe/…``)."""
    app.config["PUBLIC_URL"] = "https://planvoice.example.cn"
    _support(client, report, "li@example.org")
    set_pace(address="li@example.org", own="immediately", following="immediately")
    moderation.route_report(report, city, moderator=UserFactory(moderator=True))
    [told] = [m for m in _deliver(mail_server) if m["To"] == "li@example.org"]
    assert told["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    url = told["List-Unsubscribe"].strip("<>")
    assert url.startswith(f"https://planvoice.example.cn/reports/{report.code}/stop-emails/")
    others = [m for m in mail_server.messages if m["To"] != "li@example.org"]
    assert others and all(
        m["List-Unsubscribe"].startswith("<https://planvoice.example.cn/unsubscribe/")
        for m in others
    )

    path = url.removeprefix("https://planvoice.example.cn")
    forged = other_guest.post(path[:-3] + "abc", data={"List-Unsubscribe": "One-Click"})
    assert forged.status_code == 404
    # Without the one-click body, a POST is the confirmation form's and needs its token.
    assert other_guest.post(path, data={}).status_code in (200, 400)
    assert db.session.scalar(select(func.count()).where(ReportSupport.email.is_not(None))) == 1
    clicked = other_guest.post(path, data={"List-Unsubscribe": "One-Click"})
    assert clicked.status_code == 200
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).where(ReportSupport.email.is_not(None))) == 0
