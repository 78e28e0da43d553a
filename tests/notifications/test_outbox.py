"""Stories of the outbox: e-mails queued with a change and sent by the worker, with retries."""

import threading
from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from planvoice.core.db import utcnow
from planvoice.core.extensions import db
from planvoice.notifications.models import OutboxMessage, OutboxStatus
from planvoice.notifications.outbox import (
    SendSummary,
    backoff,
    queue_message,
    send_due_messages,
)
from planvoice.notifications.queries import list_failed_messages

NOTHING = SendSummary(sent=0, failed=0, retried=0)
SUBJECT = "您的报告 EDQ-7K3M9P 已转交区城管局"
BODY = "王阿姨您好:\n\n您反映的东盛大街扬尘问题已转交区城管局,请留意后续答复。\n\n规划民声"


def queue_routed_notice(n: int = 1, **fields) -> OutboxMessage:
    return queue_message(
        **{
            "recipient": f"wang{n}@example.org",
            "subject": SUBJECT,
            "body": BODY,
            "language": "zh_Hans",
            **fields,
        }
    )


def outbox_size() -> int:
    return db.session.scalar(select(func.count()).select_from(OutboxMessage))


def test_a_queued_message_is_sent_once_in_chinese(app, mail_server):
    message = queue_routed_notice()
    db.session.commit()

    assert send_due_messages() == SendSummary(sent=1, failed=0, retried=0)
    assert send_due_messages() == NOTHING

    [envelope] = mail_server.envelopes
    assert envelope.mail_from == "noreply@planvoice.local"
    assert envelope.rcpt_tos == ["wang1@example.org"]
    [received] = mail_server.messages
    assert received["To"] == "wang1@example.org"
    assert received["From"] == "规划民声 <noreply@planvoice.local>"  # named in Chinese
    assert received["Subject"] == SUBJECT
    text = received.get_body(("plain",))
    assert text.get_content_charset() == "utf-8"
    assert text.get_content().replace("\r\n", "\n").rstrip("\n") == BODY
    assert received["Message-ID"].startswith(f"<outbox-{message.id}.")
    assert received["Date"]
    assert (message.status, message.attempts) == (OutboxStatus.SENT, 1)
    assert message.sent_at is not None


def test_nothing_is_sent_for_a_change_that_was_rolled_back(app, mail_server):
    queue_routed_notice()
    db.session.rollback()

    assert send_due_messages() == NOTHING
    assert mail_server.envelopes == []
    assert outbox_size() == 0


def test_nothing_is_sent_for_a_rolled_back_change_with_a_dedupe_key(app, mail_server):
    # The dedupe key puts the row in a SAVEPOINT; on SQLite that is the transaction's first
    # statement, which core/db.py makes roll back like any other.
    queue_routed_notice(dedupe_key="report-routed:42")
    db.session.rollback()

    assert send_due_messages() == NOTHING
    assert mail_server.envelopes == []


def test_the_same_event_queues_one_message(app, mail_server):
    first = queue_routed_notice(dedupe_key="report-routed:42")
    again = queue_routed_notice(dedupe_key="report-routed:42")
    db.session.commit()
    later = queue_routed_notice(dedupe_key="report-routed:42")

    assert first is again is later
    assert outbox_size() == 1
    assert send_due_messages().sent == 1
    assert len(mail_server.envelopes) == 1


def test_a_subject_cannot_smuggle_in_headers(app):
    with pytest.raises(ValueError, match="single lines"):
        queue_routed_notice(subject="Hello\r\nBcc: everyone@example.org")


def test_pauses_between_attempts_double_up_to_an_hour():
    assert [backoff(n) // timedelta(minutes=1) for n in range(1, 9)] == [1, 2, 4, 8, 16, 32, 60, 60]


def test_an_unreachable_server_means_growing_pauses_then_giving_up(app, mail_server_down):
    message = queue_routed_notice()
    db.session.commit()
    now = utcnow()

    assert send_due_messages(now=now) == SendSummary(sent=0, failed=0, retried=1)
    assert (message.status, message.attempts) == (OutboxStatus.PENDING, 1)
    assert message.next_attempt_at == now + timedelta(minutes=1)
    assert "ConnectionRefusedError" in message.last_error
    # Knocking again before the pause is over sends nothing and counts nothing.
    assert send_due_messages(now=now + timedelta(seconds=59)) == NOTHING
    assert message.attempts == 1

    for attempts, pause in [(2, 2), (3, 4), (4, 8), (5, 16)]:
        now = message.next_attempt_at
        assert send_due_messages(now=now).retried == 1
        assert message.attempts == attempts
        assert message.next_attempt_at == now + timedelta(minutes=pause)

    assert send_due_messages(now=message.next_attempt_at) == SendSummary(0, failed=1, retried=0)
    assert (message.status, message.attempts) == (OutboxStatus.FAILED, 6)
    assert message.last_error
    assert message.sent_at is None
    assert send_due_messages(now=now + timedelta(days=1)) == NOTHING
    assert list_failed_messages() == [message]


def test_a_message_goes_out_when_the_server_is_back_and_its_time_has_come(
    app, mail_server_down, start_mail_server
):
    message = queue_routed_notice()
    db.session.commit()
    now = utcnow()
    assert send_due_messages(now=now).retried == 1

    server = start_mail_server(port=mail_server_down)
    assert send_due_messages(now=now + timedelta(seconds=30)) == NOTHING
    assert server.envelopes == []

    assert send_due_messages(now=now + timedelta(minutes=1)).sent == 1
    assert [e.rcpt_tos for e in server.envelopes] == [["wang1@example.org"]]
    assert (message.status, message.attempts) == (OutboxStatus.SENT, 2)


def test_the_worker_command_sends_what_is_due_and_says_so(app, runner, mail_server):
    queue_routed_notice(1)
    queue_routed_notice(2)
    db.session.commit()

    result = runner.invoke(args=["outbox", "run", "--once"])

    assert result.exit_code == 0, result.output
    assert result.output == "Sent 2, retrying 0, failed 0.\n"
    assert sorted(e.rcpt_tos[0] for e in mail_server.envelopes) == [
        "wang1@example.org",
        "wang2@example.org",
    ]
    assert db.session.scalars(select(OutboxMessage.status)).all() == ["sent", "sent"]


def test_the_worker_command_drains_more_than_one_batch(app, runner, mail_server):
    for n in range(5):
        queue_routed_notice(n)
    db.session.commit()

    result = runner.invoke(args=["outbox", "run", "--once", "--batch", "2"])

    assert result.output == "Sent 5, retrying 0, failed 0.\n"
    assert len(mail_server.envelopes) == 5


def test_two_workers_racing_send_each_message_once(app, app_factory, database_url, mail_server):
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite serialises writers: concurrency is proven on PostgreSQL")
    for n in range(40):
        queue_routed_notice(n)
    db.session.commit()
    worker_app = app_factory(database_url, MAIL_SERVER="127.0.0.1", MAIL_PORT=mail_server.port)
    barrier = threading.Barrier(2, timeout=60)
    summaries, errors = [], []

    def work() -> None:
        try:
            with worker_app.app_context():
                barrier.wait()
                summaries.append(send_due_messages(batch=100))
                db.session.remove()
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    workers = [threading.Thread(target=work) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    with worker_app.app_context():
        db.engine.dispose()

    assert errors == []
    assert sum(summary.sent for summary in summaries) == 40
    arrivals = Counter(e.rcpt_tos[0] for e in mail_server.envelopes)
    assert arrivals == Counter(f"wang{n}@example.org" for n in range(40))
