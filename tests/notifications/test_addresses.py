"""An address that refused six attempts in a row stops being used (and a delivery in between
starts the count again); an outage of our own mail server counts against no address."""

import pytest
from aiosmtpd.controller import Controller

from planvoice.core.extensions import db
from planvoice.notifications import addresses
from planvoice.notifications.models import OutboxMessage, OutboxStatus
from planvoice.notifications.outbox import SendSummary, queue_message, send_due_messages
from tests.factories import UserFactory
from tests.notifications.conftest import free_port

ADDRESS = "Wang@Example.org"


class PickyMailServer:
    """An SMTP server that refuses every recipient while ``refusing``, and accepts them after."""

    def __init__(self):
        self.refusing = True
        self.accepted = []
        self.controller = Controller(self, hostname="127.0.0.1", port=free_port())

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if self.refusing:
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        self.accepted.append(envelope)
        return "250 Message accepted for delivery"


@pytest.fixture
def picky_server(app):
    server = PickyMailServer()
    server.controller.start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=server.controller.port)
    yield server
    server.controller.stop()


def queue_mail(n: int, to: str = ADDRESS) -> OutboxMessage | None:
    return queue_message(recipient=to, subject=f"Message {n}", body="您好", language="zh_Hans")


def test_six_refusals_in_a_row_stop_an_address(app, picky_server):
    for n in range(7):
        queue_mail(n)
    db.session.commit()

    # Six are refused; the seventh, queued before, is not sent to the stopped address.
    assert send_due_messages() == SendSummary(retried=6, failed=1)
    row = addresses.find_address(ADDRESS)
    assert (row.address, row.failures, row.stop_reason) == ("wang@example.org", 6, "failures")
    assert row.stopped_at is not None

    # Nothing more is queued for it, in any spelling; other addresses are not concerned.
    assert queue_mail(8) is None
    assert queue_mail(9, to="wang@example.org ") is None
    assert queue_mail(10, to="li@example.org") is not None
    owner = UserFactory(email="wang@example.org")
    assert addresses.stopped_addresses_of(owner) == [row]
    assert addresses.stopped_addresses_of(UserFactory()) == []


def test_a_delivery_starts_the_count_again(app, picky_server):
    for n in range(5):
        queue_mail(n)
    db.session.commit()
    assert send_due_messages() == SendSummary(retried=5)
    assert addresses.find_address(ADDRESS).failures == 5

    picky_server.refusing = False
    queue_mail(5)
    db.session.commit()
    # The new message and the five waiting ones are due later (backoff): send the new one now.
    assert send_due_messages().sent == 1
    assert addresses.find_address(ADDRESS).failures == 0

    picky_server.refusing = True
    for n in range(6, 11):
        queue_mail(n)
    db.session.commit()
    send_due_messages()
    assert addresses.is_usable(ADDRESS)  # five in a row, not six


def test_an_outage_of_our_mail_server_counts_against_no_address(app, mail_server_down):
    queue_mail(1)
    db.session.commit()
    assert send_due_messages() == SendSummary(retried=1)
    assert addresses.find_address(ADDRESS) is None
    assert addresses.is_usable(ADDRESS)


def test_a_changed_or_confirmed_address_is_used_again(app):
    addresses.stop(ADDRESS, "failures")
    addresses.stop(ADDRESS, "stop")  # the first reason stays
    assert addresses.find_address(ADDRESS).stop_reason == "failures"
    assert queue_mail(1) is None

    addresses.restart("wang@example.org")
    row = addresses.find_address(ADDRESS)
    assert (row.failures, row.stopped_at, row.stop_reason) == (0, None, None)
    message = queue_mail(2)
    assert message is not None and message.status == OutboxStatus.PENDING


def test_addresses_are_kept_in_one_spelling(app):
    assert addresses.normalise(" Wang@Example.ORG ") == "wang@example.org"
    assert addresses.normalise("+86 138-0013-8000") == "13800138000"
    row = addresses.address_row("+86 138 0013 8000")
    assert (row.address, row.channel) == ("13800138000", "sms")
    assert addresses.address_row("13800138000") is row
    assert addresses.address_row(ADDRESS).channel == "email"
