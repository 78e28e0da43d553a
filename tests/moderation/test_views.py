"""A community worker reviews what residents wrote."""

import re

import pytest
from sqlalchemy import select

from planvoice.core.audit import AuditEvent
from planvoice.core.extensions import db
from planvoice.demo import load_reference_data
from planvoice.feedback.models import Comment
from planvoice.moderation.models import ReasonTemplate
from planvoice.plans.models import Measure
from tests.conftest import csrf_from
from tests.factories import CommentFactory


@pytest.fixture
def measure(plan):
    return db.session.scalar(select(Measure).where(Measure.title == "“绣花功夫”管理城市"))


@pytest.fixture
def signed_in_moderator(client, moderator, sign_in):
    load_reference_data()
    db.session.commit()
    sign_in(moderator)
    return moderator


def _post(client, url, **data):
    token = csrf_from(client, "/moderation?lang=en")
    return client.post(url, data={"csrf_token": token, **data})


def _reload(comment) -> Comment:
    db.session.expire_all()
    return db.session.get(Comment, comment.id)


def test_the_queue_shows_pending_comments_oldest_first_with_counts(
    client, signed_in_moderator, measure
):
    first = CommentFactory(measure=measure, body="第一条")
    second = CommentFactory(measure=measure, body="第二条")
    CommentFactory(measure=measure, published=True, body="已发布的")

    page = client.get("/moderation?lang=en").text

    assert "2 comments awaiting review" in page and "0 flagged comments" in page
    assert "2 waiting, 0 flagged" in client.get("/?lang=en").text  # in the header, everywhere
    assert page.index(first.body) < page.index(second.body)
    assert "已发布的" not in page
    assert page.count(">Publish<") == 2 and page.count(">Reject<") == 2


def test_flagged_comments_come_first_and_can_be_hidden_or_kept(
    client, signed_in_moderator, measure
):
    CommentFactory(measure=measure, body="待审核")
    flagged = CommentFactory(measure=measure, published=True, flag_count=2, body="被举报的")
    page = client.get("/moderation?lang=en").text
    assert page.index("被举报的") < page.index("待审核")
    assert "Flagged 2 times" in page and ">Hide<" in page and ">Keep<" in page

    _post(client, f"/moderation/comments/{flagged.id}/keep")
    assert _reload(flagged).flag_count == 0 and flagged.status == "published"


def test_publishing_makes_the_comment_public_and_is_audited(
    app, client, signed_in_moderator, measure
):
    comment = CommentFactory(measure=measure, body="请尽快消除裸露地面")
    reader = app.test_client()
    assert "请尽快消除裸露地面" not in reader.get(f"/measures/{measure.id}").text  # now cached

    response = _post(client, f"/moderation/comments/{comment.id}/publish")

    assert response.status_code == 302
    comment = _reload(comment)
    assert comment.status == "published" and comment.published_at is not None
    event = db.session.scalar(select(AuditEvent))
    assert (event.action, event.actor_id, event.subject_id) == (
        "comment.publish", signed_in_moderator.id, comment.id,
    )  # fmt: skip
    assert (event.before, event.after) == ({"status": "pending"}, {"status": "published"})
    assert "请尽快消除裸露地面" in reader.get(f"/measures/{measure.id}").text


def test_rejecting_with_a_prepared_reason_records_it(client, signed_in_moderator, measure):
    comment = CommentFactory(measure=measure)
    template = db.session.scalar(select(ReasonTemplate).where(ReasonTemplate.title == "广告"))

    _post(client, f"/moderation/comments/{comment.id}/reject", template=template.id, reason="")

    comment = _reload(comment)
    assert (comment.status, comment.moderation_reason) == ("rejected", template.body)
    event = db.session.scalar(select(AuditEvent))
    assert event.after == {"status": "rejected", "reason": template.body}


def test_the_moderators_own_words_take_precedence(client, signed_in_moderator, measure):
    comment = CommentFactory(measure=measure)
    _post(
        client, f"/moderation/comments/{comment.id}/reject", template=1, reason="请补充具体位置。"
    )
    assert _reload(comment).moderation_reason == "请补充具体位置。"


def test_a_rejection_needs_a_reason(client, signed_in_moderator, measure):
    comment = CommentFactory(measure=measure)
    response = _post(client, f"/moderation/comments/{comment.id}/reject", template=0, reason=" ")
    assert response.status_code == 302
    page = client.get(
        response.headers["Location"] + "&lang=en"
        if "?" in response.headers["Location"]
        else "/moderation?lang=en"
    ).text
    assert "Give a reason" in page
    assert _reload(comment).status == "pending"
    assert db.session.scalar(select(AuditEvent)) is None


def test_hiding_a_published_reply_updates_its_parent(client, signed_in_moderator, measure):
    parent = CommentFactory(measure=measure, published=True)
    reply = CommentFactory(measure=measure, published=True, parent=parent, flag_count=1)

    _post(client, f"/moderation/comments/{reply.id}/hide", reason="含有个人信息。")

    assert _reload(reply).status == "hidden"
    assert _reload(parent).reply_count == 0


def test_a_decision_already_taken_is_not_taken_twice(client, signed_in_moderator, measure):
    comment = CommentFactory(measure=measure)
    _post(client, f"/moderation/comments/{comment.id}/publish")
    response = _post(client, f"/moderation/comments/{comment.id}/reject", reason="迟到的决定")
    assert response.status_code == 302
    assert "Someone has already decided" in client.get("/moderation?lang=en").text
    assert _reload(comment).status == "published"
    assert len(db.session.scalars(select(AuditEvent)).all()) == 1


def test_residents_and_guests_cannot_moderate(client, plan, resident, sign_in, measure):
    comment = CommentFactory(measure=measure)
    assert client.get("/moderation").status_code == 302  # to the sign-in page
    sign_in(resident)
    assert client.get("/moderation").status_code == 403
    token = csrf_from(client, "/")
    response = client.post(f"/moderation/comments/{comment.id}/publish", data={"csrf_token": token})
    assert response.status_code == 403
    assert _reload(comment).status == "pending"


def test_moderators_edit_the_prepared_reasons(client, signed_in_moderator):
    _post(client, "/moderation/reasons", title="重复", body="与已有留言重复。")
    template = db.session.scalar(select(ReasonTemplate).where(ReasonTemplate.title == "重复"))
    assert template.body == "与已有留言重复。"
    _post(client, f"/moderation/reasons/{template.id}", title="重复", body="内容与他人留言重复。")
    db.session.expire_all()
    assert db.session.get(ReasonTemplate, template.id).body == "内容与他人留言重复。"


def test_admins_read_the_audit_log_and_others_cannot(client, plan, admin, moderator, sign_in):
    comment = CommentFactory(measure=db.session.scalar(select(Measure).limit(1)))
    load_reference_data()
    db.session.commit()
    sign_in(moderator)
    assert client.get("/admin/audit").status_code == 403
    _post(client, f"/moderation/comments/{comment.id}/publish")
    client.post("/logout", data={"csrf_token": csrf_from(client, "/")})

    sign_in(admin)
    moved = client.get("/moderation/audit?lang=en")
    assert moved.status_code == 301 and moved.location == "/admin/audit?lang=en"
    page = client.get(moved.location).text

    assert 'data-action="comment.publish"' in page and moderator.display_name in page
    assert "comment published" in page and "status: Awaiting review → Published" in page


def test_the_audit_log_is_append_only(app, measure):
    from sqlalchemy import delete, update
    from sqlalchemy.exc import DatabaseError

    from planvoice.core.audit import AuditEvent, record_event

    record_event("comment.publish", CommentFactory(measure=measure))
    db.session.commit()
    for statement in (update(AuditEvent).values(action="forged"), delete(AuditEvent)):
        with pytest.raises(DatabaseError):
            db.session.execute(statement)
            db.session.flush()
        db.session.rollback()
    assert db.session.scalar(select(AuditEvent.action)) == "comment.publish"


def test_an_action_the_audit_page_cannot_offer_is_refused(app, measure):
    from planvoice.core.audit import record_event

    # The audit page's filters list the actions and subjects the code names (ACTIONS,
    # SUBJECT_TYPES): one missing there could never be filtered for.
    with pytest.raises(ValueError, match="ACTIONS"):
        record_event("comment.forged", CommentFactory(measure=measure))
    with pytest.raises(ValueError, match="SUBJECT_TYPES"):
        record_event("comment.publish", measure)


def test_a_guest_sees_why_their_comment_was_not_published_and_others_see_nothing(
    app, client, moderator, sign_in, measure
):
    load_reference_data()
    db.session.commit()
    guest = app.test_client()
    page = guest.get(f"/measures/{measure.id}").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    guest.post(
        f"/measures/{measure.id}/comments",
        data={"body": "这里有广告链接", "nickname": "路人", "submission_token": "once",
              "csrf_token": token},
    )  # fmt: skip
    comment = db.session.scalar(select(Comment).where(Comment.body == "这里有广告链接"))
    sign_in(moderator)
    _post(client, f"/moderation/comments/{comment.id}/reject", reason="您的留言含有广告内容。")

    own = guest.get(f"/measures/{measure.id}?lang=en").text
    assert "这里有广告链接" in own and "Not published" in own
    assert "您的留言含有广告内容。" in own
    stranger = app.test_client().get(f"/measures/{measure.id}").text
    assert "这里有广告链接" not in stranger and "您的留言含有广告内容。" not in stranger
