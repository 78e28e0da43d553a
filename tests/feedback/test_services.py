"""The comment services, tested directly: moderation modes, retries, replies and flags."""

import pytest
from sqlalchemy import select

from planvoice.accounts.services import create_user
from planvoice.core.extensions import db
from planvoice.core.identity import hash_ip
from planvoice.feedback import queries, services
from planvoice.feedback.models import Comment


def _submit(measure, form_id="t1", *, author="guest:a", parent=None, body="一条评论"):
    return services.submit_comment(
        measure, body=body, submission_token=form_id, author_key=author, nickname="小李",
        parent=parent,
    )  # fmt: skip


def test_guest_comment_waits_for_moderation(app, measure):
    comment = _submit(measure)
    assert comment.status == "pending" and comment.published_at is None


def test_post_moderation_publishes_at_once(app, measure):
    app.config["COMMENT_MODERATION"] = "post"
    comment = _submit(measure)
    assert comment.status == "published" and comment.published_at is not None


def test_the_same_submission_token_gives_back_the_same_comment(app, measure):
    first = _submit(measure, "same")
    again = _submit(measure, "same", body="a resubmission after a timeout")
    assert again is first
    assert len(db.session.scalars(select(Comment)).all()) == 1


def test_a_token_race_lost_to_another_request_returns_its_comment(app, measure, monkeypatch):
    winner = _submit(measure, "raced")
    db.session.commit()
    # The look-up ran before the other request committed: only the constraint notices.
    monkeypatch.setattr(services, "_comment_by_token", lambda token, calls=[]: calls.append(1) or (
        None if len(calls) == 1 else db.session.get(Comment, winner.id)
    ))  # fmt: skip
    assert _submit(measure, "raced", author="guest:b").id == winner.id
    db.session.commit()
    assert len(db.session.scalars(select(Comment)).all()) == 1


def test_publishing_a_reply_counts_it_on_its_parent_once(app, measure):
    parent = services.publish_comment(_submit(measure, "p"))
    reply = _submit(measure, "r", parent=parent)
    services.publish_comment(reply)
    services.publish_comment(reply)
    db.session.commit()
    db.session.refresh(parent)
    assert parent.reply_count == 1


@pytest.mark.parametrize("kind", ["reply", "pending", "other measure"])
def test_replies_go_one_level_deep_under_published_comments(app, plan, measure, kind):
    top = services.publish_comment(_submit(measure, "top"))
    parent = {
        "reply": lambda: services.publish_comment(_submit(measure, "r", parent=top)),
        "pending": lambda: _submit(measure, "pending"),
        "other measure": lambda: top,
    }[kind]()
    target = measure if kind != "other measure" else plan.sections[0].measures[0]
    with pytest.raises(services.FeedbackError):
        _submit(target, "refused", parent=parent)


def test_flags_count_once_per_resident_and_never_on_ones_own(app, measure):
    comment = services.publish_comment(_submit(measure, author="guest:author"))
    services.flag_comment(comment, flagger_key="guest:x")
    services.flag_comment(comment, flagger_key="user:7")
    with pytest.raises(services.FeedbackError, match="已经举报过"):
        services.flag_comment(comment, flagger_key="guest:x")
    with pytest.raises(services.FeedbackError, match="自己的留言"):
        services.flag_comment(comment, flagger_key="guest:author")
    db.session.commit()
    db.session.refresh(comment)
    assert comment.flag_count == 2


def test_authors_are_named_by_account_nickname_or_as_former_residents(app, measure):
    user = create_user("someone@example.com", "a long password", display_name="张三")
    by_account = services.submit_comment(
        measure, body="hi", submission_token="u", author_key=f"user:{user.id}", user=user
    )
    assert by_account.author_name == "张三"
    assert _submit(measure).author_name == "小李"
    user.is_deleted, user.display_name, user.email = True, None, None
    assert by_account.author_name == "已注销居民"  # "former resident"


def test_ip_addresses_are_kept_only_as_salted_hashes(app):
    digest = hash_ip("203.0.113.9")
    assert digest and "203.0.113.9" not in digest and len(digest) == 64
    assert hash_ip(None) is None


@pytest.mark.parametrize("cursor", [None, "", "abc", "1.2.3", "9" * 19 + ".1", "-5.1"])
def test_odd_cursors_start_from_the_first_page(cursor):
    decoded = queries.decode_cursor(cursor)
    assert decoded is None or decoded[1] == 1
