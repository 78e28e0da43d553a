"""Text messages for residents who left a mobile number: the tracking code, the steps of their
report and the satisfaction question, sent through the outbox to an HTTP gateway (here a
real server on 127.0.0.1 that records what it receives); at most so many a day per number;
and stopped by the STOP page or a STOP reply."""

import json
import logging
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from zoneinfo import ZoneInfo

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from planvoice.bureaus import services as bureau_services
from planvoice.core.db import utcnow
from planvoice.core.extensions import db
from planvoice.moderation import services as moderation
from planvoice.notifications import addresses
from planvoice.notifications.models import OutboxMessage, OutboxStatus
from planvoice.notifications.outbox import SendSummary, queue_message, send_due_messages
from planvoice.notifications.sms import next_morning, text_body
from planvoice.notifications.texts import stop_line
from planvoice.reports.areas import Area, Category
from planvoice.reports.services import submit_report
from tests.conftest import CSRF_RE, csrf_from
from tests.factories import ReportFactory, UserFactory

KEY = "gateway-test-key"
NUMBER = "13800138000"


class Gateway:
    """An SMS gateway on 127.0.0.1 and a free port, in a thread: it keeps every request and
    answers with the next of ``statuses`` (200 once they are used up)."""

    def __init__(self):
        self.requests: list[dict] = []
        self.statuses: list[int] = []
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 -- http.server's name
                body = self.rfile.read(int(self.headers["Content-Length"]))
                gateway.requests.append(
                    {"path": self.path, "headers": dict(self.headers), "json": json.loads(body)}
                )
                status = gateway.statuses.pop(0) if gateway.statuses else 200
                self.send_response(status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args):  # quiet
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/send"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def texts(self) -> list[dict]:
        return [request["json"] for request in self.requests]


@pytest.fixture
def gateway(app):
    """The app's SMS gateway (``SMS_SENDER = "http"``), up and recording."""
    server = Gateway()
    server.thread.start()
    app.config.update(SMS_SENDER="http", SMS_GATEWAY_URL=server.url, SMS_GATEWAY_KEY=KEY)
    yield server
    server.server.shutdown()
    server.server.server_close()
    server.thread.join(timeout=5)


def file_report(contact: str, language: str = "zh_Hans"):
    report = submit_report(
        category=db.session.scalar(select(Category).where(Category.code == "bare_ground")),
        area=db.session.scalar(select(Area).where(Area.code == "dongsheng")),
        description="小区门口的空地一直是黄土,刮风就起尘。",
        submission_token=f"sms-test-{contact}",
        author_key="guest:sms-test",
        contact=contact,
        language=language,
    )
    db.session.commit()
    return report


def queue_text(n: int, number: str = NUMBER, **fields):
    return queue_message(recipient=number, subject=f"Text {n}", language="zh_Hans",
                         channel="sms", body=text_body("status", f"第{n}条"), **fields)  # fmt: skip


def test_a_report_filed_with_a_mobile_number_texts_its_tracking_code(app, city, gateway):
    app.config["PUBLIC_URL"] = "https://planvoice.example.cn"
    report = file_report("+86 138-0013-8000")

    assert send_due_messages() == SendSummary(sent=1)

    [request] = gateway.requests
    assert request["headers"]["Authorization"] == f"Bearer {KEY}"
    text = request["json"]
    assert text["to"] == NUMBER  # the bare number, however it was typed
    assert text["template"] == "PV_TRACKING_CODE"
    assert text["params"]["code"] == report.code
    assert report.code in text["text"]
    assert f"https://planvoice.example.cn/reports/{report.code}" in text["text"]
    with app.test_request_context(), force_locale("zh_Hans"):
        assert text["text"].splitlines()[-1] == stop_line()
    # Nothing is sent twice.
    assert send_due_messages() == SendSummary()
    assert len(gateway.requests) == 1


def test_a_report_with_an_email_contact_gets_no_text(app, city, gateway, mail_server):
    file_report("wang@example.org")
    send_due_messages()
    assert gateway.requests == []


def test_each_step_texts_once_and_the_resolution_asks_for_satisfaction(
    app, city, gateway, client, mail_server_down
):
    report = ReportFactory(category=db.session.scalar(select(Category)), published=True,
                           contact=NUMBER, language="en")  # fmt: skip
    moderation.route_report(report, city, moderator=UserFactory(moderator=True))
    clerk = UserFactory(bureau_staff=True, bureau=city)
    bureau_services.accept_report(report, staff=clerk)
    bureau_services.resolve_report(report, staff=clerk, note="The ground is paved.")
    db.session.commit()
    send_due_messages()

    templates = [text["template"] for text in gateway.texts]
    assert templates == ["PV_REPORT_STATUS"] * 3 + ["PV_SATISFACTION"]
    routed, accepted, resolved, question = (text["text"] for text in gateway.texts)
    assert f"report {report.code}: sent to a bureau" in routed  # in the report's English
    assert "accepted by the bureau" in accepted and "resolved" in resolved
    assert all(t["text"].endswith("Reply STOP to stop") for t in gateway.texts)
    # The question's link opens the resident's own answer page.
    link = gateway.texts[3]["params"]["link"]
    assert link in question
    assert link.startswith(f"http://127.0.0.1:5000/reports/{report.code}/answer/")
    page = client.get(link.removeprefix("http://127.0.0.1:5000"))
    assert page.status_code == 200

    # A step texts once; and the mail server being down (for the bureau's e-mails) never held
    # the texts up.
    assert send_due_messages().sent == 0
    assert len(gateway.requests) == 4


def test_a_gateway_error_is_retried_later(app, gateway):
    gateway.statuses = [500]
    message = queue_text(1)
    db.session.commit()

    assert send_due_messages() == SendSummary(retried=1)
    assert message.status == OutboxStatus.PENDING and "500" in message.last_error
    # The gateway's trouble is not the number's fault.
    assert addresses.find_address(NUMBER) is None

    later = utcnow() + timedelta(minutes=2)
    assert send_due_messages(now=later) == SendSummary(sent=1)
    assert len(gateway.requests) == 2
    assert gateway.texts[0] == gateway.texts[1]


def test_a_gateway_that_cannot_be_reached_is_retried_later(app, gateway):
    gateway.server.shutdown()
    gateway.server.server_close()
    queue_text(1)
    queue_text(2)
    db.session.commit()
    # One attempt, then the round stops: the other text waits for the gateway too.
    assert send_due_messages() == SendSummary(retried=1)


def test_a_number_the_gateway_refuses_stops_after_six_refusals(app, gateway):
    gateway.statuses = [400] * 6
    for n in range(7):
        queue_text(n)
    db.session.commit()

    assert send_due_messages() == SendSummary(retried=6, failed=1)
    row = addresses.find_address(NUMBER)
    assert (row.failures, row.stop_reason) == (6, "failures")
    assert len(gateway.requests) == 6  # the seventh is never sent
    assert queue_text(8) is None


def test_over_the_daily_cap_a_text_waits_for_the_next_morning(app, gateway):
    app.config["SMS_PER_NUMBER_PER_DAY"] = 2
    for n in range(3):
        queue_text(n)
    queue_text(9, number="13900139000")  # another number has its own count
    db.session.commit()
    now = utcnow()

    assert send_due_messages(now=now) == SendSummary(sent=3, postponed=1)
    assert [t["text"] for t in gateway.texts if t["to"] == NUMBER] == ["第0条", "第1条"]
    waiting = db.session.scalar(select(OutboxMessage).where(OutboxMessage.subject == "Text 2"))
    morning = next_morning(now, "Asia/Shanghai")
    assert waiting.status == OutboxStatus.PENDING and waiting.next_attempt_at == morning
    assert morning.astimezone(ZoneInfo("Asia/Shanghai")).hour == 8

    # Not lost: it goes the next morning, in the district's time.
    assert send_due_messages(now=morning - timedelta(minutes=1)) == SendSummary()
    assert send_due_messages(now=morning) == SendSummary(sent=1)
    assert gateway.texts[-1]["text"] == "第2条"


def test_the_stop_page_stops_texts_to_a_number(app, city, gateway, client, no_rate_limits):
    page = client.get("/sms/stop")
    assert page.status_code == 200 and "退订" in page.text
    waiting = queue_text(1)
    db.session.commit()

    response = client.post(
        "/sms/stop",
        data={"phone": "138 0013 8000", "csrf_token": csrf_from(client, "/sms/stop")},
        follow_redirects=True,
    )
    assert NUMBER in response.text

    # A report filed with the number texts nothing; what waited is not sent either.
    file_report(NUMBER)
    assert send_due_messages() == SendSummary(failed=1)
    assert gateway.requests == []
    assert db.session.get(OutboxMessage, waiting.id).status == OutboxStatus.FAILED
    assert addresses.find_address(NUMBER).stop_reason == "stop"


def test_the_stop_page_answers_alike_for_an_unknown_number(app, client, no_rate_limits):
    queue_text(1, number="13700137000")  # a number we wrote to
    db.session.commit()

    def stop(number):
        token = csrf_from(client, "/sms/stop")
        response = client.post("/sms/stop", data={"phone": number, "csrf_token": token},
                               follow_redirects=True)  # fmt: skip
        # Without the CSRF token, which holds the second it was made.
        return CSRF_RE.sub("", response.text).replace(number, "N")

    assert stop("13700137000") == stop("13600136000")


def test_the_stop_page_refuses_what_is_not_a_mobile_number(app, english, no_rate_limits):
    response = english.post(
        "/sms/stop", data={"phone": "12345", "csrf_token": csrf_from(english, "/sms/stop")}
    )
    assert "Enter an 11-digit mobile number." in response.text
    assert addresses.find_address("12345") is None


def test_a_stop_reply_through_the_gateway_stops_texts(app, client):
    if "notifications.receive_text" not in app.view_functions:
        pytest.skip("the /sms/inbound rule is not in notifications/blueprint.py yet")
    app.config["SMS_GATEWAY_KEY"] = KEY
    refused = client.post("/sms/inbound", json={"number": NUMBER, "text": "退订"})
    assert refused.status_code == 403
    assert addresses.is_usable(NUMBER)

    auth = {"Authorization": f"Bearer {KEY}"}
    other = client.post("/sms/inbound", json={"number": NUMBER, "text": "谢谢"}, headers=auth)
    assert other.status_code == 204 and addresses.is_usable(NUMBER)
    stop = client.post("/sms/inbound", json={"number": "+8613800138000", "text": " td。"},
                       headers=auth)  # fmt: skip
    assert stop.status_code == 204
    db.session.expire_all()
    assert not addresses.is_usable(NUMBER)


def test_the_log_sender_writes_texts_to_the_log(app, caplog):
    assert app.config["SMS_SENDER"] == "log"
    queue_text(1)
    db.session.commit()
    with caplog.at_level(logging.INFO, logger="planvoice.notifications.sms"):
        assert send_due_messages() == SendSummary(sent=1)
    assert "13800138000" in caplog.text and "第1条" in caplog.text
