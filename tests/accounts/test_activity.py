"""A resident's own page: what happened to their comments, their data, leaving."""

import json
import re

import pytest
from sqlalchemy import select

from planvoice.accounts.models import User
from planvoice.core.extensions import db
from planvoice.feedback.models import Comment, Rating, RatingSummary
from planvoice.feedback.services import rate_measure
from planvoice.following.models import Follow
from planvoice.plans.models import Measure
from tests.conftest import csrf_from
from tests.factories import PASSWORD, CommentFactory, UserFactory


@pytest.fixture
def measure(plan):
    return db.session.scalar(select(Measure).where(Measure.title == "“绣花功夫”管理城市"))


def _comment_by(user, measure, **fields):
    return CommentFactory(measure=measure, user=user, nickname=None,
                          author_key=f"user:{user.id}", **fields)  # fmt: skip


def test_activity_shows_each_comment_with_its_outcome_and_reason(
    client, resident, sign_in, measure
):
    _comment_by(resident, measure, body="等待审核的意见")
    _comment_by(resident, measure, body="被拒绝的意见", status="rejected",
                moderation_reason="您的留言与本项举措无关。")  # fmt: skip
    sign_in(resident)

    page = client.get("/me?lang=en").text

    assert "等待审核的意见" in page and "Awaiting review" in page
    assert "被拒绝的意见" in page and "Not published" in page
    assert "您的留言与本项举措无关。" in page


def test_activity_shows_the_newest_comments_a_page_at_a_time(client, resident, sign_in, measure):
    for n in range(1, 24):
        _comment_by(resident, measure, body=f"第{n}条意见。")
    sign_in(resident)

    first = client.get("/me?lang=en").text
    assert "第23条意见。" in first and "第4条意见。" in first and "第3条意见。" not in first
    older = re.search(r'href="([^"]*comments_before=\d+[^"]*)"', first)
    assert older and "Older comments" in first

    rest = client.get(older[1].replace("&amp;", "&")).text
    assert "第3条意见。" in rest and "第1条意见。" in rest and "第4条意见。" not in rest
    assert "Older comments" not in rest


def test_activity_needs_an_account(client, plan):
    response = client.get("/me")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_download_holds_my_data_and_nobody_elses(client, resident, sign_in, measure):
    other = UserFactory()
    _comment_by(resident, measure, body="我的意见")
    _comment_by(other, measure, body="别人的意见")
    rate_measure(measure, voter_key=f"user:{resident.id}", value=4, user=resident)
    home = Follow(kind="place", user_id=resident.id, lat=43.87, lng=125.35, radius_m=300)
    home.label, home.confirmed_at = "家", measure.plan.created_at
    db.session.add(home)
    db.session.commit()
    sign_in(resident)

    response = client.get("/me/data.json")

    assert response.headers["Content-Disposition"].startswith("attachment")
    data = json.loads(response.text)
    assert data["account"]["email"] == resident.email
    assert [c["body"] for c in data["comments"]] == ["我的意见"]
    assert data["ratings"] == [
        {"measure": {"id": measure.id, "title": measure.title}, "rating": 4,
         "updated_at": data["ratings"][0]["updated_at"]}
    ]  # fmt: skip
    assert other.email not in response.text and "别人的意见" not in response.text
    [place] = data["follows"]
    assert (place["kind"], place["radius_m"], place["label"]) == ("place", 300, "家")


def test_deleting_the_account_keeps_comments_and_erases_the_person(
    client, resident, sign_in, measure
):
    comment = _comment_by(resident, measure, body="保留的意见", status="published")
    rate_measure(measure, voter_key=f"user:{resident.id}", value=5, user=resident)
    db.session.commit()
    sign_in(resident)
    login = resident.email

    wrong = client.post(
        "/me/delete?lang=en",
        data={"password": "nope", "csrf_token": csrf_from(client, "/me/delete")},
    )
    assert "The password is wrong." in wrong.text
    response = client.post(
        "/me/delete", data={"password": PASSWORD, "csrf_token": csrf_from(client, "/me/delete")}
    )

    assert response.status_code == 302
    db.session.expire_all()
    user = db.session.get(User, resident.id)
    assert user.is_deleted and user.email is None and user.phone is None
    assert user.password_hash is None and user.display_name is None
    assert db.session.get(Comment, comment.id).body == "保留的意见"
    assert db.session.scalar(select(Rating)) is None
    summary = db.session.get(RatingSummary, measure.id)
    assert (summary.count, summary.n5) == (0, 0)
    again = client.post(
        "/login",
        data={"login": login, "password": PASSWORD, "csrf_token": csrf_from(client, "/login")},
    )
    assert again.status_code == 200  # refused


@pytest.fixture
def report_of(plan):
    """A report filed by ``user`` (with a private name and contact) in a given status."""
    from planvoice.demo import load_reference_data
    from planvoice.reports.areas import Category
    from tests.factories import ReportFactory

    load_reference_data()
    dust = db.session.scalar(select(Category).where(Category.code == "dust"))

    def make(user, **fields):
        return ReportFactory(category=dust, user_id=user.id, author_key=f"user:{user.id}",
                             reporter_name="王阿姨", contact="13800138000", **fields)  # fmt: skip

    return make


def test_my_reports_show_their_status_and_the_reason_for_a_refusal(
    client, resident, sign_in, report_of
):
    waiting = report_of(resident)
    refused = report_of(resident, status="rejected", moderation_reason="请勿重复反映。")
    sign_in(resident)

    page = client.get("/me?lang=en").text
    assert waiting.code in page and "awaiting review" in page
    assert refused.code in page and "请勿重复反映。" in page


def test_my_data_holds_my_reports_with_their_contact(client, resident, sign_in, report_of):
    mine = report_of(resident)
    report_of(UserFactory())  # somebody else's
    sign_in(resident)

    data = json.loads(client.get("/me/data.json").data)
    assert [(r["code"], r["contact"]) for r in data["reports"]] == [(mine.code, "13800138000")]


def test_deleting_the_account_erases_the_contact_given_on_reports(
    client, resident, sign_in, report_of
):
    mine = report_of(resident)
    sign_in(resident)
    csrf = csrf_from(client, "/me/delete")
    client.post("/me/delete", data={"csrf_token": csrf, "password": PASSWORD})

    db.session.refresh(mine)
    assert mine.contact is None and mine.reporter_name is None
    assert mine.description  # the report itself stays


def test_deleting_an_account_forgets_its_follows_places_supports_email_and_waiting_news(
    client, sign_in, resident, report_of
):
    """Where someone lives (a followed place), the e-mail typed with a "me too" and the news
    waiting for their digest are personal data: gone with the account."""
    from planvoice.core.db import utcnow
    from planvoice.following.models import Follow
    from planvoice.notifications.models import DigestItem
    from planvoice.reports.models import ReportSupport

    report = report_of(UserFactory())
    db.session.add_all(
        [
            Follow(
                kind="place",
                user_id=resident.id,
                confirmed_at=utcnow(),
                lat=43.87,
                lng=125.35,
                radius_m=300,
                label="家",
            ),  # fmt: skip
            ReportSupport(
                report_id=report.id,
                supporter_key="user:me",
                user_id=resident.id,
                email="mine@example.org",
            ),  # fmt: skip
            DigestItem(
                address=resident.email,
                language="zh_Hans",
                kind="following",
                pace="daily",
                event_key="report:1",
                line="…",
                link="https://x.cn/",
            ),  # fmt: skip
        ]
    )
    db.session.commit()
    sign_in(resident)
    client.post("/me/delete", data={"csrf_token": csrf_from(client, "/me/delete"),
                                    "password": PASSWORD})  # fmt: skip

    db.session.expire_all()
    assert db.session.scalar(select(Follow)) is None
    assert db.session.scalar(select(DigestItem)) is None
    support = db.session.scalar(select(ReportSupport))
    assert support is not None and support.email is None  # the "me too" still counts
