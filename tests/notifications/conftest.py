"""A real SMTP server for the outbox stories, on 127.0.0.1 and a free port."""

import socket
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from planvoice.bureaus.models import Bureau
from planvoice.core.extensions import db
from planvoice.demo import load_reference_data
from planvoice.reports.areas import Area, Category
from tests.factories import ReportFactory


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class MailServer:
    """An SMTP server in a thread that keeps every envelope it accepts."""

    def __init__(self, port: int):
        self.port = port
        self.envelopes = []
        self.controller = Controller(self, hostname="127.0.0.1", port=port)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    @property
    def messages(self) -> list[EmailMessage]:
        return [message_from_bytes(e.content, policy=policy.default) for e in self.envelopes]


@pytest.fixture
def start_mail_server():
    """Start a mail server (on ``port``, or a free one); each is stopped after the test."""
    servers = []

    def start(port: int | None = None) -> MailServer:
        server = MailServer(port or free_port())
        server.controller.start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.controller.stop()


@pytest.fixture
def mail_server(app, start_mail_server) -> MailServer:
    """The app's mail server, up and accepting everything."""
    server = start_mail_server()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=server.port)
    return server


@pytest.fixture
def mail_server_down(app) -> int:
    """The app's mail server address, with nothing listening there yet; returns the port."""
    port = free_port()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
    return port


@pytest.fixture
def city(plan) -> Bureau:
    load_reference_data()
    bureau = db.session.scalar(select(Bureau).where(Bureau.code == "urban_management"))
    bureau.email = "chengguan@example.gov.cn"
    db.session.commit()
    return bureau


@pytest.fixture
def report(city):
    bare = db.session.scalar(select(Category).where(Category.code == "bare_ground"))
    dongsheng = db.session.scalar(select(Area).where(Area.code == "dongsheng"))
    return ReportFactory(category=bare, area=dongsheng, published=True,
                         contact="wang@example.org", language="en")  # fmt: skip
