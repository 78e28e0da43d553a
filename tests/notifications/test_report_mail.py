"""Who hears of a report's steps by e-mail: the bureau it is routed to, the resident who filed
it (in the language they wrote in), the community workers when a bureau returns it."""

from sqlalchemy import select

from planvoice.bureaus import services as bureau_services
from planvoice.core.extensions import db
from planvoice.moderation import services as moderation
from planvoice.notifications.outbox import send_due_messages
from planvoice.reports.areas import Area
from tests.factories import UserFactory


def _deliver(mail_server) -> list:
    db.session.commit()
    send_due_messages()
    return mail_server.messages


def test_routing_tells_the_bureau_and_the_resident(app, mail_server, city, report):
    app.config["PUBLIC_URL"] = "https://planvoice.example.cn"
    moderation.route_report(report, city, moderator=UserFactory(moderator=True), note="请尽快处理")
    messages = _deliver(mail_server)

    by_recipient = {m["To"]: m for m in messages}
    assert set(by_recipient) == {"chengguan@example.gov.cn", "wang@example.org"}
    to_bureau = by_recipient["chengguan@example.gov.cn"].get_body(("plain",)).get_content()
    assert f"https://planvoice.example.cn/reports/{report.code}" in to_bureau
    assert "请尽快处理" in to_bureau and city.name in to_bureau  # in Chinese
    to_resident = by_recipient["wang@example.org"]
    assert to_resident["Subject"] == f"Report {report.code}: sent to a bureau"  # in English

    # Running the worker again sends nothing more.
    send_due_messages()
    assert len(mail_server.envelopes) == 2


def test_the_resident_hears_of_the_bureaus_reply(app, mail_server, city, report):
    moderator = UserFactory(moderator=True)
    moderation.route_report(report, city, moderator=moderator)
    clerk = UserFactory(bureau_staff=True, bureau=city)
    bureau_services.accept_report(report, staff=clerk)
    bureau_services.reply_to_report(report, staff=clerk, body="We will visit on Monday.")
    subjects = [m["Subject"] for m in _deliver(mail_server) if m["To"] == "wang@example.org"]
    assert subjects == [
        f"Report {report.code}: sent to a bureau",
        f"Report {report.code}: accepted by the bureau",
        f"Report {report.code}: public reply",
    ]


def test_a_return_tells_the_community_workers_of_the_area(app, mail_server, city, report):
    dongsheng = report.area
    worker = UserFactory(moderator=True, areas=[dongsheng], email="worker@example.org")
    UserFactory(moderator=True, email="elsewhere@example.org",
                areas=[db.session.scalar(select(Area).where(Area.code == "jilin"))])  # fmt: skip
    moderation.route_report(report, city, moderator=worker)
    clerk = UserFactory(bureau_staff=True, bureau=city)
    bureau_services.return_report(report, staff=clerk, reason="不属于本局职责")
    recipients = [m["To"] for m in _deliver(mail_server)]
    assert recipients.count("worker@example.org") == 1
    assert "elsewhere@example.org" not in recipients


def test_a_resident_who_gave_a_phone_number_gets_no_mail(app, mail_server, city, report):
    report.contact = "13800138000"
    db.session.commit()
    moderation.route_report(report, city, moderator=UserFactory(moderator=True))
    assert [m["To"] for m in _deliver(mail_server)] == ["chengguan@example.gov.cn"]


def test_nothing_is_queued_when_the_change_is_rolled_back(app, mail_server, city, report):
    moderation.route_report(report, city, moderator=UserFactory(moderator=True))
    db.session.rollback()
    send_due_messages()
    assert mail_server.envelopes == []
