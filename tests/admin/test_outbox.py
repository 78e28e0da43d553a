"""An administrator sends again the e-mails the outbox gave up on."""

from planvoice.core.db import utcnow
from planvoice.core.extensions import db
from planvoice.notifications.models import OutboxMessage, OutboxStatus
from tests.admin.conftest import audit_actions


def _failed_message() -> OutboxMessage:
    message = OutboxMessage(
        recipient="water@example.gov.cn", subject="Report EDQ-1: sent to a bureau", body="…",
        language="zh_Hans", status=OutboxStatus.FAILED, attempts=6,
        last_error="SMTPRecipientsRefused: unknown user", next_attempt_at=utcnow(),
    )  # fmt: skip
    db.session.add(message)
    db.session.commit()
    return message


def test_a_failed_email_is_listed_and_queued_again(client, signed_in_admin, submit):
    message = _failed_message()
    page = client.get("/admin/emails").text
    assert "water@example.gov.cn" in page and "unknown user" in page and "6 attempts" in page
    url = f"/admin/emails/{message.id}/send-again"
    assert submit(url, form_page="/admin/emails").status_code == 302
    db.session.expire_all()
    message = db.session.get(OutboxMessage, message.id)
    assert (message.status, message.attempts) == ("pending", 0)
    assert message.next_attempt_at <= utcnow()
    assert "No e-mail has failed." in client.get("/admin/emails").text
    assert audit_actions() == ["outbox.retry"]


def test_a_message_already_queued_is_not_touched(client, signed_in_admin, submit):
    message = _failed_message()
    url = f"/admin/emails/{message.id}/send-again"
    submit(url, form_page="/admin/emails")
    response = submit(url, form_page="/admin/emails")
    assert response.status_code == 302
    assert "not waiting for a retry" in client.get("/admin/emails").text
    assert audit_actions() == ["outbox.retry"]
