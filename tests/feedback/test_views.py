"""Residents comment on a measure page: the stories, and every way a comment can go wrong."""

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import escape
from sqlalchemy import func, select

from planvoice.core.extensions import cache, db
from planvoice.feedback import services
from planvoice.feedback.models import Comment, CommentFlag
from tests.feedback.conftest import form_fields, post_comment


def _comments() -> list[Comment]:
    db.session.expire_all()
    return list(db.session.scalars(select(Comment).order_by(Comment.id)))


def _page(client, measure) -> str:
    # Anonymous readers may get the micro-cached page for a few seconds; skip that wait.
    cache.clear()
    return client.get(f"/measures/{measure.id}").text


@pytest.fixture
def post_moderation(app):
    app.config["COMMENT_MODERATION"] = "post"


def test_guest_comment_waits_for_moderation(english, other_guest, measure):
    response = post_comment(english, measure, "Please fix the road by the school.")

    (comment,) = _comments()
    assert response.status_code == 302
    assert response.location == f"/measures/{measure.id}#comment-{comment.id}"
    assert comment.status == "pending" and comment.nickname == "老王"
    page = english.get(response.location).text
    assert "Thanks! Your comment will appear after review." in page
    assert "Please fix the road by the school." in page and "Awaiting review" in page
    # Nobody else sees it, not even in the count.
    other = _page(other_guest, measure)
    assert "Please fix the road" not in other and "0 comments" in other


def test_published_comment_is_shown_to_everyone(english, other_guest, measure, post_moderation):
    response = post_comment(english, measure, "Pocket parks, yes please!")

    assert "Thanks! Your comment is published." in english.get(response.location).text
    page = _page(other_guest, measure)
    assert "Pocket parks, yes please!" in page and "老王" in page and "1 comment" in page
    assert "Awaiting review" not in page


def test_publishing_a_pending_comment_shows_it_to_everyone(client, other_guest, measure):
    post_comment(client, measure, "Wait for me")
    (comment,) = _comments()
    services.publish_comment(comment)
    db.session.commit()
    assert "Wait for me" in _page(other_guest, measure)


def test_resubmitting_the_same_form_creates_one_comment(client, measure):
    fields = form_fields(client, measure) | {
        "body": "Sent twice on a slow network",
        "nickname": "A",
    }
    first = client.post(f"/measures/{measure.id}/comments", data=fields)
    second = client.post(f"/measures/{measure.id}/comments", data=fields)

    assert first.status_code == second.status_code == 302
    assert first.location == second.location
    assert len(_comments()) == 1


def test_a_signed_in_resident_signs_with_their_name(english, measure, post_moderation):
    from tests.feedback.conftest import sign_in

    user = sign_in(english, display_name="Zhang San")
    fields = form_fields(english, measure) | {"body": "From my account"}
    assert english.post(f"/measures/{measure.id}/comments", data=fields).status_code == 302
    (comment,) = _comments()
    assert comment.user_id == user.id and comment.nickname is None
    assert comment.author_key == f"user:{user.id}"


def test_replies_appear_under_their_comment(english, other_guest, measure, post_moderation):
    post_comment(english, measure, "The first comment")
    (parent,) = _comments()
    response = post_comment(other_guest, measure, "A reply to it", parent_id=parent.id)

    assert response.status_code == 302
    page = _page(english, measure)
    assert page.index("The first comment") < page.index("A reply to it")
    assert "2 comments" in page
    assert _comments()[0].reply_count == 1


def test_html_and_script_are_shown_inert_and_links_clickable(client, measure, post_moderation):
    body = '<script>alert("x")</script><b>bold</b> see https://example.com/a?b=1&c=2.'
    post_comment(client, measure, body)
    page = _page(client, measure)

    assert "<script>alert" not in page and "<b>bold</b>" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&lt;b&gt;bold&lt;/b&gt;" in page
    assert (
        '<a href="https://example.com/a?b=1&amp;c=2" rel="nofollow ugc">'
        "https://example.com/a?b=1&amp;c=2</a>." in page
    )


def test_line_breaks_are_kept(client, measure, post_moderation):
    post_comment(client, measure, "first line\r\nsecond line")
    assert "first line<br>\nsecond line" in _page(client, measure)


@pytest.mark.parametrize(
    ("body", "nickname", "message"),
    [
        ("", "A", "Write your comment first."),
        ("   \n\t  ", "A", "Write your comment first."),
        ("x", "A", "Write between 2 and 2000 characters."),
        ("长" * 2001, "A", "Write between 2 and 2000 characters."),
        ("A fine comment", "", "Tell us what name to show with your comment."),
        ("A fine comment", "n" * 41, "At most 40 characters."),
    ],
)
def test_bad_comments_are_refused_with_the_text_kept(english, measure, body, nickname, message):
    response = post_comment(english, measure, body, nickname=nickname)

    assert response.status_code == 400
    assert message in response.text
    assert "Your comment could not be sent" in response.text
    assert str(escape(body.strip())) in response.text  # what they typed is still there
    assert _comments() == []


def test_a_reply_to_a_reply_is_refused(english, measure, post_moderation):
    post_comment(english, measure, "Top")
    (top,) = _comments()
    post_comment(english, measure, "Reply", parent_id=top.id)
    reply = _comments()[1]

    response = post_comment(english, measure, "Reply to the reply", parent_id=reply.id)
    assert response.status_code == 400
    assert "Replies go one level deep" in response.text
    assert "Reply to the reply" in response.text
    assert len(_comments()) == 2


def test_a_reply_to_a_pending_comment_is_refused(english, other_guest, measure):
    post_comment(english, measure, "Still pending")
    (pending,) = _comments()

    own = post_comment(english, measure, "Reply", parent_id=pending.id)
    assert own.status_code == 400 and "only reply to a published comment" in own.text
    other = post_comment(other_guest, measure, "Reply", parent_id=pending.id)
    assert other.status_code == 400 and "There is no such comment to reply to." in other.text
    bogus = post_comment(other_guest, measure, "Reply", parent_id="abc")
    assert bogus.status_code == 400 and "There is no such comment to reply to." in bogus.text
    assert len(_comments()) == 1


@pytest.mark.parametrize("token", [None, "stale-or-forged"])
def test_a_missing_or_stale_csrf_token_is_refused_with_the_text_kept(english, measure, token):
    fields = form_fields(english, measure) | {"body": "Typed with care", "nickname": "A"}
    fields.pop("csrf_token")
    if token:
        fields["csrf_token"] = token
    response = english.post(f"/measures/{measure.id}/comments", data=fields)

    assert response.status_code == 400
    assert "This form has expired. Please send it again." in response.text
    assert "Typed with care" in response.text
    assert _comments() == []


def test_a_comment_on_a_missing_measure_is_a_404(client, measure):
    fields = form_fields(client, measure) | {"body": "Lost", "nickname": "A"}
    assert client.post("/measures/999999/comments", data=fields).status_code == 404
    assert _comments() == []


def test_messages_speak_chinese_by_default(client, measure):
    response = post_comment(client, measure, "")
    assert response.status_code == 400 and 'lang="zh-Hans"' in response.text
    assert "Write your comment first." not in response.text


# Flags


def _flag(client, measure, comment):
    fields = form_fields(client, measure)
    url = f"/measures/{measure.id}/comments/{comment.id}/flag"
    return client.post(url, data={"csrf_token": fields["csrf_token"]})


def test_a_resident_flags_a_published_comment_once(english, other_guest, measure, post_moderation):
    post_comment(english, measure, "Rude words")
    (comment,) = _comments()

    first = _flag(other_guest, measure, comment)
    assert first.status_code == 302
    assert "A moderator will look at this comment." in other_guest.get(first.location).text
    again = _flag(other_guest, measure, comment)
    assert again.status_code == 400 and "already flagged this comment" in again.text
    assert _comments()[0].flag_count == 1
    assert db.session.scalar(select(func.count()).select_from(CommentFlag)) == 1


def test_nobody_flags_their_own_comment(english, measure, post_moderation):
    post_comment(english, measure, "Mine")
    (comment,) = _comments()
    page = _page(english, measure)
    assert "Report to a moderator" not in page  # no button for one's own comment

    response = _flag(english, measure, comment)
    assert response.status_code == 400 and "cannot flag your own comment" in response.text
    assert _comments()[0].flag_count == 0


def test_a_pending_comment_cannot_be_flagged(english, other_guest, measure):
    post_comment(english, measure, "Pending")
    (comment,) = _comments()
    response = _flag(other_guest, measure, comment)
    assert response.status_code == 400 and "Only published comments" in response.text
    assert _flag(other_guest, measure, type("C", (), {"id": 999999})).status_code == 404


# Rate limits


def test_too_many_comments_get_a_friendly_message(english, measure, rate_limits):
    statuses = [post_comment(english, measure, f"Comment {n}").status_code for n in range(6)]

    assert statuses == [302] * 5 + [429]
    response = post_comment(english, measure, "One too many")
    assert response.status_code == 429
    assert "Please wait a minute and try again." in response.text
    assert "One too many" in response.text  # kept, to send again later
    assert len(_comments()) == 5


# The thread


def _add_published(measure, count: int) -> None:
    for n in range(count):
        comment = services.submit_comment(
            measure, body=f"comment number {n}", submission_token=f"t{n}",
            author_key=f"guest:{n}", nickname=f"guest {n}",
        )  # fmt: skip
        services.publish_comment(comment)
        if n % 10 == 0:
            reply = services.submit_comment(
                measure, body=f"reply to {n}", submission_token=f"r{n}",
                author_key="guest:r", nickname="replier", parent=comment,
            )  # fmt: skip
            services.publish_comment(reply)
    db.session.commit()


@pytest.mark.parametrize("count", [3, 500])
def test_a_thread_renders_in_a_fixed_number_of_queries(client, measure, count_queries, count):
    _add_published(measure, count)
    url = f"/measures/{measure.id}"
    with count_queries as counter:
        page = client.get(url).text
    # measure, targets, neighbours (2), rating summary, comments, replies, count, reports, and
    # the targets' progress (their trackings with latest entries), and the bureaus' answers
    assert counter.count == 11, "\n".join(s[:100] for s in counter.statements)
    assert "comment number 0" in page and "reply to 0" in page


def test_long_threads_come_fifty_at_a_time_oldest_first(english, measure):
    _add_published(measure, 120)
    page = _page(english, measure)

    assert "132 comments" in page  # 120 comments and 12 replies
    assert page.count('class="comment"') == 50 + 5
    assert page.index("comment number 0<") < page.index("comment number 49<")
    assert "comment number 50<" not in page
    pages = [page]
    while match := re.search(r'href="(/measures/\d+\?after=[\d.]+)#comments"', pages[-1]):
        pages.append(english.get(match[1]).text)
        assert len(pages) < 5
    assert len(pages) == 3
    assert "comment number 50<" in pages[1] and "comment number 119<" in pages[2]
    assert "Back to the first comments" in pages[2]


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(body=st.text(max_size=2100))
def test_no_comment_text_breaks_the_page(client, measure, post_moderation, body):
    response = post_comment(client, measure, body)
    assert response.status_code in (302, 400)
    cache.clear()
    page = client.get(f"/measures/{measure.id}")
    assert page.status_code == 200
    cleaned = services_clean(body)
    if response.status_code == 302 and cleaned:
        assert str(escape(cleaned)).split("\n")[0][:30] in page.text.replace("<br>", "")


def services_clean(body: str) -> str:
    from planvoice.core.text import clean_text

    return clean_text(body)


def test_a_reader_opens_the_reply_form_under_one_comment_and_replies(english, measure):
    _add_published(measure, 3)
    page = _page(english, measure)
    assert page.count(">Reply</a>") == 3 and 'name="parent_id"' not in page
    parent = db.session.scalar(select(Comment).where(Comment.body == "comment number 1"))

    opened = english.get(f"/measures/{measure.id}?reply_to={parent.id}").text
    assert f'name="parent_id" value="{parent.id}"' in opened
    assert opened.count('name="parent_id"') == 1

    token = re.search(r'name="csrf_token" value="([^"]+)"', opened).group(1)
    response = english.post(
        f"/measures/{measure.id}/comments",
        data={"body": "同意楼上", "nickname": "小李", "parent_id": parent.id,
              "submission_token": "reply-once", "csrf_token": token},
    )  # fmt: skip
    assert response.status_code == 302
    reply = db.session.scalar(select(Comment).where(Comment.body == "同意楼上"))
    assert reply.parent_id == parent.id and reply.status == "pending"
