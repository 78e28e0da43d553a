"""Stories of what people hear, and when: followers of a place, a street, a measure; people
who took part told once per event; daily digests of at most 20 items; one-click stops."""

import math
import re
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from planvoice.bureaus import services as bureau_services
from planvoice.core.db import utcnow
from planvoice.core.extensions import db
from planvoice.feedback.models import Rating
from planvoice.following.models import Follow
from planvoice.moderation import services as moderation
from planvoice.notifications.digests import build_due_digests
from planvoice.notifications.models import Digest, DigestItem, OutboxMessage
from planvoice.notifications.outbox import send_due_messages
from planvoice.notifications.services import set_pace
from planvoice.plans.models import Measure
from planvoice.progress.services import record_progress
from planvoice.reports.areas import Area, Category
from tests.conftest import csrf_from
from tests.factories import CommentFactory, ReportFactory, UserFactory

# A point in Dongsheng, inside the district.
HOME = (43.8712, 125.3520)
BASE = "https://planvoice.example.cn"


@pytest.fixture(autouse=True)
def public_url(app):
    app.config["PUBLIC_URL"] = BASE


def _north_of(point, metres: float) -> tuple[float, float]:
    """The point ``metres`` due north (a degree of latitude is 111.32 km)."""
    return point[0] + metres / 111_320, point[1]


def _east_of(point, metres: float) -> tuple[float, float]:
    return point[0], point[1] + metres / (111_320 * math.cos(math.radians(point[0])))


def _morning(*, days_after: int = 1) -> datetime:
    """Nine o'clock in Changchun, ``days_after`` days from now: the daily digest is due."""
    local = utcnow().astimezone(ZoneInfo("Asia/Shanghai"))
    return datetime.combine(local.date() + timedelta(days=days_after), time(9), local.tzinfo)


def _deliver(mail_server):
    db.session.commit()
    send_due_messages(batch=100)
    return mail_server.messages


def _follow(user, **target) -> Follow:
    follow = Follow(user_id=user.id, confirmed_at=utcnow(), **target)
    db.session.add(follow)
    db.session.commit()
    return follow


def _new_report(point, **fields):
    bare = db.session.scalar(select(Category).where(Category.code == "bare_ground"))
    return ReportFactory(category=bare, lat=point[0], lng=point[1], **fields)


def test_a_place_with_a_300_m_radius_hears_of_a_report_250_m_away_and_not_350_m(mail_server, city):
    resident = UserFactory(email="zhou@example.org", pace_following="immediately")
    _follow(resident, kind="place", lat=HOME[0], lng=HOME[1], radius_m=300)
    near = _new_report(_north_of(HOME, 250))
    far = _new_report(_east_of(HOME, 350))
    moderator = UserFactory(moderator=True)
    moderation.publish_report(near, moderator=moderator)
    moderation.publish_report(far, moderator=moderator)

    told = [m for m in _deliver(mail_server) if m["To"] == "zhou@example.org"]
    assert len(told) == 1
    text = told[0].get_body(("plain",)).get_content()
    assert near.code in text and far.code not in text
    assert "您关注的地点附近有新问题" in text  # no language chosen: the district's Chinese
    # Its one-click link ends this follow, and only this one.
    assert told[0]["List-Unsubscribe"].startswith(f"<{BASE}/following/stop/")


def test_a_street_follower_hears_of_a_new_report_and_its_fix_in_the_daily_digest(mail_server, city):
    resident = UserFactory(email="sun@example.org")  # the default pace: daily
    dongsheng = db.session.scalar(select(Area).where(Area.code == "dongsheng"))
    _follow(resident, kind="area", area_id=dongsheng.id)
    report = _new_report(HOME, area=dongsheng)
    moderation.publish_report(report, moderator=UserFactory(moderator=True))
    assert not [m for m in _deliver(mail_server) if m["To"] == "sun@example.org"]

    assert build_due_digests(now=_morning()) == 1
    [digest] = [m for m in _deliver(mail_server) if m["To"] == "sun@example.org"]
    assert report.code in digest.get_body(("plain",)).get_content()


def test_a_person_who_commented_three_times_and_rated_hears_once_of_the_bureaus_answer(
    client, mail_server, city
):
    measure = db.session.scalar(select(Measure).order_by(Measure.id))
    chen = UserFactory(email="chen@example.org", pace_following="immediately")
    for number in range(3):
        CommentFactory(measure=measure, user=chen, published=True, body=f"意见{number}")
    db.session.add(Rating(measure_id=measure.id, voter_key=f"user:{chen.id}", user_id=chen.id,
                          value=5))  # fmt: skip
    _follow(chen, kind="measure", measure_id=measure.id)
    other = UserFactory(email="liu@example.org", pace_following="immediately")
    CommentFactory(measure=measure, user=other, published=True)
    staff = UserFactory(bureau_staff=True, bureau=city)

    answer = bureau_services.answer_measure(measure, staff=staff, body="今年完成全部裸地覆盖。")
    db.session.commit()
    messages = _deliver(mail_server)
    assert [m["To"] for m in messages].count("chen@example.org") == 1
    assert [m["To"] for m in messages].count("liu@example.org") == 1
    text = next(m for m in messages if m["To"] == "chen@example.org").get_body(("plain",))
    assert "今年完成全部裸地覆盖。" in text.get_content()
    assert f"{BASE}/measures/{measure.id}" in text.get_content()
    # The answer is public on the measure's page.
    assert "今年完成全部裸地覆盖。" in client.get(f"/measures/{measure.id}").text

    # Sent again (a retried signal, say): nobody is told twice.
    from planvoice.notifications.services import tell_about_measure_answer

    tell_about_measure_answer(measure, answer=answer)
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 2


def test_fifty_events_in_a_day_make_one_daily_digest_of_20_items_and_30_more(
    client, mail_server, city
):
    resident = UserFactory(email="wu@example.org", language="en")
    _follow(resident, kind="place", lat=HOME[0], lng=HOME[1], radius_m=2000)
    moderator = UserFactory(moderator=True)
    reports = [_new_report(_north_of(HOME, 10 * n)) for n in range(50)]
    for report in reports:
        moderation.publish_report(report, moderator=moderator)
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(DigestItem)) == 50
    assert build_due_digests(now=_morning() - timedelta(days=1) - timedelta(hours=12)) == 0

    assert build_due_digests(now=_morning()) == 1
    assert build_due_digests(now=_morning() + timedelta(hours=3)) == 0  # never twice a day
    [digest] = [m for m in _deliver(mail_server) if m["To"] == "wu@example.org"]
    assert digest["Subject"] == "PlanVoice today: 50 updates"
    text = digest.get_body(("plain",)).get_content()
    assert text.count("• ") == 20
    assert "And 30 more:" in text
    assert digest["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # The link lists all fifty.
    page = re.search(rf"{BASE}(/digests/\S+)", text).group(1)
    listed = client.get(page).text
    assert all(report.code in listed for report in reports)
    assert db.session.scalar(select(func.count()).select_from(Digest)) == 1


def test_one_click_in_a_digest_stops_what_i_follow_and_nothing_more_is_gathered(
    app, other_guest, mail_server, city
):
    resident = UserFactory(email="he@example.org")
    _follow(resident, kind="place", lat=HOME[0], lng=HOME[1], radius_m=500)
    moderator = UserFactory(moderator=True)
    moderation.publish_report(_new_report(HOME), moderator=moderator)
    db.session.commit()
    build_due_digests(now=_morning())
    [digest] = [m for m in _deliver(mail_server) if m["To"] == "he@example.org"]
    url = digest["List-Unsubscribe"].strip("<>").removeprefix(BASE)

    assert (
        other_guest.post(url[:-4] + "abcd", data={"List-Unsubscribe": "One-Click"}).status_code
        == 404
    )
    assert other_guest.post(url, data={"List-Unsubscribe": "One-Click"}).status_code == 200
    db.session.expire_all()
    assert db.session.get(type(resident), resident.id).pace_following == "off"
    moderation.publish_report(_new_report(HOME), moderator=moderator)
    db.session.commit()
    assert db.session.scalar(select(func.count()).where(DigestItem.digest_id.is_(None))) == 0


def test_who_stopped_a_measure_hears_no_more_of_it_though_they_commented(
    other_guest, mail_server, city
):
    measure = db.session.scalar(select(Measure).order_by(Measure.id))
    chen = UserFactory(email="chen@example.org", pace_following="immediately")
    CommentFactory(measure=measure, user=chen, published=True)
    staff = UserFactory(bureau_staff=True, bureau=city)
    bureau_services.answer_measure(measure, staff=staff, body="第一次答复")
    [told] = [m for m in _deliver(mail_server) if m["To"] == "chen@example.org"]
    stop = told["List-Unsubscribe"].strip("<>").removeprefix(BASE)
    assert other_guest.post(stop, data={"List-Unsubscribe": "One-Click"}).status_code == 200

    bureau_services.answer_measure(measure, staff=staff, body="第二次答复")
    assert [m["To"] for m in _deliver(mail_server)].count("chen@example.org") == 1


def test_new_progress_tells_the_measures_people_and_a_correction_does_not(mail_server, city):
    measure = db.session.scalar(select(Measure).where(Measure.targets.any()).order_by(Measure.id))
    target = measure.targets[0]
    chen = UserFactory(email="chen@example.org", pace_following="immediately")
    _follow(chen, kind="measure", measure_id=measure.id)
    admin = UserFactory(admin=True)
    entry = record_progress(target, author=admin, on=utcnow().date(), value=3, note="进展顺利")
    db.session.commit()
    [told] = [m for m in _deliver(mail_server) if m["To"] == "chen@example.org"]
    assert "进展顺利" in told.get_body(("plain",)).get_content()
    assert f"{BASE}/targets/{target.id}" in told.get_body(("plain",)).get_content()

    record_progress(target, author=admin, on=utcnow().date(), value=4, supersedes=entry)
    assert [m["To"] for m in _deliver(mail_server)].count("chen@example.org") == 1


def test_the_pace_form_saves_and_refuses_an_unknown_pace(client, sign_in):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    resident = UserFactory()
    sign_in(resident)
    token = csrf_from(client, "/me/following")
    page = client.post("/me/pace", data={"csrf_token": token, "pace_own": "daily",
                       "pace_following": "weekly"}, follow_redirects=True)  # fmt: skip
    assert "Saved: we will write to you at the pace you chose." in page.text
    db.session.expire_all()
    assert (resident.pace_own, resident.pace_following) == ("daily", "weekly")

    page = client.post("/me/pace", data={"csrf_token": token, "pace_own": "hourly",
                       "pace_following": "off"}, follow_redirects=True)  # fmt: skip
    assert "Not a valid choice." in page.text
    db.session.expire_all()
    assert (resident.pace_own, resident.pace_following) == ("daily", "weekly")


def test_the_pace_form_needs_an_account_or_a_signed_address(client):
    page = client.post("/me/pace", data={"pace_own": "off", "pace_following": "off"})
    assert page.status_code in (400, 403)


def test_only_bureau_staff_answer_on_a_measure_and_an_empty_answer_is_refused(
    client, sign_in, city
):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    measure = db.session.scalar(select(Measure).order_by(Measure.id))
    url = f"/bureau/measures/{measure.id}/answer"
    sign_in(UserFactory())
    assert client.get(url).status_code == 403
    client.post("/logout", data={"csrf_token": csrf_from(client, "/logout")})
    sign_in(UserFactory(bureau_staff=True, bureau=city))
    page = client.post(url, data={"csrf_token": csrf_from(client, url), "body": "  "})
    assert page.status_code == 400 and "Write the answer first." in page.text
    assert "Answer in your bureau's name" in client.get(f"/measures/{measure.id}").text


def test_digests_fall_due_at_the_configured_hour_weekly_ones_from_monday(app):
    from planvoice.notifications.digests import due_periods

    zone = ZoneInfo("Asia/Shanghai")
    monday_early = datetime(2026, 12, 7, 7, 59, tzinfo=zone)
    assert due_periods(monday_early) == []
    monday = [
        period for _pace, period, _cut in due_periods(datetime(2026, 12, 7, 8, 0, tzinfo=zone))
    ]
    assert monday == ["daily:2026-12-07", "weekly:2026-W50"]
    tuesday_early = due_periods(datetime(2026, 12, 8, 6, 0, tzinfo=zone))
    assert [period for _pace, period, _cut in tuesday_early] == ["weekly:2026-W50"]
    app.config["DIGEST_HOUR"] = 18
    assert due_periods(datetime(2026, 12, 9, 17, 0, tzinfo=zone))[0][1] == "weekly:2026-W50"


def test_a_weekly_reader_gets_one_digest_for_the_week(mail_server, city):
    resident = UserFactory(email="ma@example.org", pace_following="weekly", language="en")
    _follow(resident, kind="place", lat=HOME[0], lng=HOME[1], radius_m=500)
    moderation.publish_report(_new_report(HOME), moderator=UserFactory(moderator=True))
    db.session.commit()
    built = sum(build_due_digests(now=_morning(days_after=days)) for days in range(1, 9))
    assert built == 1  # one weekly digest, however many mornings the worker ran
    [digest] = [m for m in _deliver(mail_server) if m["To"] == "ma@example.org"]
    assert digest["Subject"] == "PlanVoice this week: 1 update"


def test_unsubscribing_from_every_email_is_shown_on_me_and_a_reset_starts_again(
    client, other_guest, sign_in
):
    from planvoice.accounts.recovery import request_password_reset
    from planvoice.notifications.outbox import queue_message
    from planvoice.notifications.unsubscribing import unsubscribe_url

    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    worker = UserFactory(moderator=True, email="gao@example.org")
    url = unsubscribe_url("gao@example.org", "all").removeprefix(BASE)
    assert other_guest.post(url, data={"List-Unsubscribe": "One-Click"}).status_code == 200
    assert queue_message(recipient="gao@example.org", subject="s", body="b", language="en") is None
    sign_in(worker)
    page = client.get("/me").text
    assert "We no longer write to gao@example.org" in page

    request_password_reset("gao@example.org", link_for=lambda token: f"{BASE}/r/{token}")
    db.session.commit()
    reset = db.session.scalar(
        select(OutboxMessage).where(OutboxMessage.recipient == "gao@example.org")
    )
    assert reset is not None and "/r/" in reset.body


def test_news_waiting_for_a_digest_follows_a_new_pace(city):
    resident = UserFactory(email="lu@example.org")
    _follow(resident, kind="place", lat=HOME[0], lng=HOME[1], radius_m=500)
    moderator = UserFactory(moderator=True)
    moderation.publish_report(_new_report(HOME), moderator=moderator)
    db.session.commit()
    set_pace(user=resident, own="immediately", following="weekly")
    assert db.session.scalar(select(DigestItem.pace)) == "weekly"
    set_pace(user=resident, own="immediately", following="off")
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(DigestItem)) == 0
