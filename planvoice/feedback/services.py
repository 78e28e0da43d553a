"""Comments, flags and priority ratings: every state change (the reads are in ``queries``).

Counters (a parent's ``reply_count``, a comment's ``flag_count``, a measure's count of
published comments and its rating summary) change by ``UPDATE … SET n = n + 1`` in the
caller's transaction, so they stay exact however many people write at once. Rows that must
exist once (a comment per submission token, a flag per resident, a rating per voter, a summary
or count per measure) are inserted inside a SAVEPOINT; when a concurrent request won the race,
the unique violation is rolled back to the savepoint and the existing row is used instead.
"""

from flask import current_app
from sqlalchemy import select, update

from planvoice.core import policy
from planvoice.core.audit import record_event
from planvoice.core.db import add_to_count, insert_or_existing, insert_unless_taken, utcnow
from planvoice.core.extensions import db
from planvoice.core.i18n import _
from planvoice.feedback.models import (
    Comment,
    CommentFlag,
    CommentStatus,
    MeasureCommentCount,
    Rating,
    RatingSummary,
)
from planvoice.plans.models import Measure


class FeedbackError(ValueError):
    """A comment, flag or rating that cannot be accepted; the message is for people."""


# Comments


def submit_comment(
    measure: Measure,
    *,
    body: str,
    submission_token: str,
    author_key: str,
    user=None,
    nickname: str | None = None,
    parent: Comment | None = None,
    ip_hash: str | None = None,
) -> Comment:
    """Create a comment (or a reply to ``parent``) and flush; return it.

    The same ``submission_token`` sent twice (a resubmitted form) returns the comment it
    created the first time. Under pre-moderation (``COMMENT_MODERATION = "pre"``, the
    default) the comment waits for a moderator; under "post" it is published at once.
    """
    # A double-clicked or resent form must not post the comment twice: the token is the key.
    existing = _comment_by_token(submission_token)
    if existing is not None:
        return existing
    if parent is not None:
        _check_reply(measure, parent)
    comment = Comment(
        measure_id=measure.id,
        parent_id=parent.id if parent is not None else None,
        user_id=user.id if user is not None else None,
        nickname=None if user is not None else nickname,
        body=body,
        # Always inserted pending; post-moderation publishes it below, through publish_comment,
        # so the parent's reply_count is maintained in exactly one place.
        status=CommentStatus.PENDING,
        submission_token=submission_token,
        author_key=author_key,
        ip_hash=ip_hash,
    )
    stored = insert_or_existing(db.session, comment, lambda: _comment_by_token(submission_token))
    if stored is not comment:  # a concurrent request with the same token got there first
        return stored
    if current_app.config["COMMENT_MODERATION"] == "post":
        publish_comment(comment)
    record_event("comment.submit", comment, actor=user, after={"status": comment.status})
    db.session.flush()
    return comment


def _check_reply(measure: Measure, parent: Comment) -> None:
    if parent.measure_id != measure.id:
        raise FeedbackError(_("The comment you are replying to is not on this measure."))
    if parent.parent_id is not None:
        raise FeedbackError(
            _("Replies go one level deep: please reply to the original comment instead.")
        )
    if not policy.can_reply_to(parent):
        raise FeedbackError(_("You can only reply to a published comment."))


def _comment_by_token(token: str) -> Comment | None:
    return db.session.scalar(select(Comment).where(Comment.submission_token == token))


def publish_comment(comment: Comment) -> Comment:
    """Make a comment public (from any other status) and flush.

    A reply counts towards its parent's ``reply_count``. Publishing an already published
    comment changes nothing.
    """
    if comment.status == CommentStatus.PUBLISHED:
        return comment
    comment.status = CommentStatus.PUBLISHED
    # Threads are paged by (published_at, id), so the time is when it became visible.
    comment.published_at = utcnow()
    count_published(comment, +1)
    db.session.flush()
    return comment


def unpublish_comment(comment: Comment) -> None:
    """Take a published comment out of its thread (a moderator hides it; the caller sets its
    new status): it no longer counts on its measure, nor a reply towards its parent's
    ``reply_count``."""
    # Only a comment that was counted is uncounted, so no count can go below the truth.
    if comment.status == CommentStatus.PUBLISHED:
        count_published(comment, -1)


def count_published(comment: Comment, delta: int) -> None:
    """Count ``comment`` in (+1) or out (-1) of its measure's published comments and, for a
    reply, its parent's ``reply_count``; call it in the transaction that changes its status."""
    # Relative UPDATEs in SQL: two comments published at once both count.
    if comment.parent_id is not None:
        table = Comment.__table__
        db.session.execute(
            update(table)
            .where(table.c.id == comment.parent_id)
            .values(reply_count=table.c.reply_count + delta)
        )
    add_to_count(
        db.session,
        MeasureCommentCount.__table__,
        {"measure_id": comment.measure_id},
        "published_count",
        delta,
    )


def flag_comment(comment: Comment, *, flagger_key: str) -> CommentFlag:
    """Record that a resident finds a published comment against the rules, once each."""
    if comment.author_key == flagger_key:
        raise FeedbackError(_("You cannot flag your own comment."))
    if not policy.can_flag_comment(flagger_key, comment):
        raise FeedbackError(_("Only published comments can be flagged."))
    already = _("You have already flagged this comment. A moderator will look at it.")
    if db.session.scalar(
        select(CommentFlag.id).where(
            CommentFlag.comment_id == comment.id, CommentFlag.flagger_key == flagger_key
        )
    ):
        raise FeedbackError(already)
    flag = CommentFlag(comment_id=comment.id, flagger_key=flagger_key, created_at=utcnow())
    # The unique (comment, flagger) pair decides a race between two clicks of the same person.
    if not insert_unless_taken(db.session, flag):
        raise FeedbackError(already)
    table = Comment.__table__
    db.session.execute(
        # Counted only after the flag row won, so flag_count equals the number of flag rows.
        update(table).where(table.c.id == comment.id).values(flag_count=table.c.flag_count + 1)
    )
    db.session.flush()
    return flag


# Priority ratings


def rate_measure(measure: Measure, *, voter_key: str, value: int, user=None) -> Rating:
    """Record or change one voter's rating (1–5) of a measure and flush.

    The measure's summary changes in the same transaction by relative UPDATEs; the voter's
    rating row is locked while it changes, so concurrent votes, even by the same voter, keep
    the summary exact.
    """
    if value not in range(1, 6):
        raise FeedbackError(_("Choose a number from 1 to 5."))
    # The summary row must exist before the relative UPDATEs, which would otherwise change
    # nothing and silently lose the vote from the totals.
    _ensure_summary(measure.id)
    rating = _locked_rating(measure.id, voter_key)
    if rating is None:
        rating = Rating(measure_id=measure.id, voter_key=voter_key, user_id=user and user.id)
        rating.value = value
        # The same voter's other request may insert first: then that vote changes instead.
        stored = insert_or_existing(
            db.session, rating, lambda: _locked_rating(measure.id, voter_key)
        )
        if stored is rating:
            _change_summary(measure.id, add=value)
            db.session.flush()
            return rating
        rating = stored
    old = rating.value
    # Re-rating with the same value leaves the totals alone; a change moves one vote between
    # the n1..n5 buckets instead of adding a second one.
    if old != value:
        rating.value = value
        _change_summary(measure.id, add=value, remove=old)
    db.session.flush()
    return rating


def withdraw_rating(measure: Measure, *, voter_key: str) -> bool:
    """Remove the voter's rating of a measure, if any, and flush; tell whether there was one."""
    rating = _locked_rating(measure.id, voter_key)
    if rating is None:
        return False
    # The row is locked (FOR UPDATE), so the value removed is the one actually counted.
    _change_summary(measure.id, remove=rating.value)
    db.session.delete(rating)
    db.session.flush()
    return True


def _locked_rating(measure_id: int, voter_key: str) -> Rating | None:
    return db.session.scalar(
        select(Rating)
        .where(Rating.measure_id == measure_id, Rating.voter_key == voter_key)
        # FOR UPDATE serialises a voter's concurrent requests, so each reads the value the other
        # left and the summary is adjusted once per real change.
        .with_for_update()
        # Overwrite the identity map's copy: after waiting on the lock the row may have changed.
        .execution_options(populate_existing=True)
    )


def _ensure_summary(measure_id: int) -> None:
    exists = select(RatingSummary.measure_id).where(RatingSummary.measure_id == measure_id)
    if db.session.scalar(exists) is not None:
        return
    # A concurrent first vote may create it first: fine.
    zero = RatingSummary.__table__.insert().values(RatingSummary.zero_values(measure_id))
    insert_unless_taken(db.session, zero)


def _change_summary(measure_id: int, *, add: int | None = None, remove: int | None = None):
    table = RatingSummary.__table__
    values = {}
    total = table.c.total
    count = table.c.count
    if add is not None:
        values[f"n{add}"] = table.c[f"n{add}"] + 1
        total, count = total + add, count + 1
    if remove is not None:
        # Should add and remove name one bucket, combine them into one expression (net zero).
        column = values.get(f"n{remove}", table.c[f"n{remove}"])
        values[f"n{remove}"] = column - 1
        total, count = total - remove, count - 1
    values |= {"total": total, "count": count}
    db.session.execute(update(table).where(table.c.measure_id == measure_id).values(values))
