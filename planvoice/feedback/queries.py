"""Reading comments and ratings: a measure's thread (keyset pages in a fixed number of
queries), its rating summary and a reader's own rating, and the ranking of measures."""

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import and_, or_, select, tuple_
from sqlalchemy.orm import joinedload, load_only

from planvoice.accounts.models import User
from planvoice.core.extensions import db
from planvoice.feedback.models import (
    IN_THREAD,
    IS_PUBLISHED,
    Comment,
    CommentStatus,
    MeasureCommentCount,
    Rating,
    RatingSummary,
)
from planvoice.feedback.ranking import RankedMeasure, rank
from planvoice.plans.models import Measure, Section

THREAD_PAGE_SIZE = 50
# A thread shows each comment's text, time, status and author's name: the other columns
# (tokens, moderation bookkeeping, the rest of each account's row) stay unread, which makes a
# page of fifty comments and their replies markedly cheaper to build.
_AUTHOR = joinedload(Comment.user).load_only(User.display_name, User.is_deleted)
_SHOWN = load_only(
    Comment.measure_id,
    Comment.parent_id,
    Comment.user_id,
    Comment.nickname,
    Comment.body,
    Comment.status,
    Comment.moderation_reason,
    Comment.published_at,
    Comment.created_at,
    Comment.author_key,
)
# Thread cursors are "<microseconds since the epoch>.<id>" of the last comment shown.
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_CURSOR_RE = re.compile(r"^(\d{1,19})\.(\d{1,18})$")


def get_comment(comment_id: int, measure: Measure) -> Comment | None:
    return db.session.scalar(
        select(Comment).where(Comment.id == comment_id, Comment.measure_id == measure.id)
    )


@dataclass
class Thread:
    """One page of a measure's published comments, oldest first, and the reader's own."""

    comments: list[Comment]
    replies: dict[int, list[Comment]]
    # The reader's own top-level comments that await review.
    pending: list[Comment]
    count: int
    next_cursor: str | None = None
    is_first_page: bool = True
    own_keys: set[str] = field(default_factory=set)


def encode_cursor(comment: Comment) -> str:
    # Integer microseconds, not an ISO string: exact (no float rounding) and safe in a URL.
    micros = (comment.published_at - _EPOCH) // timedelta(microseconds=1)
    return f"{micros}.{comment.id}"


def decode_cursor(cursor: str | None) -> tuple[datetime, int] | None:
    """``(published_at, id)`` of the last comment already shown, or None for the first page."""
    match = _CURSOR_RE.match(cursor or "")
    if match is None:
        return None
    try:
        published_at = _EPOCH + timedelta(microseconds=int(match[1]))
    except OverflowError:
        return None
    return published_at, int(match[2])


def get_thread(
    measure: Measure,
    *,
    reader_key: str | None,
    after: str | None = None,
    page_size: int = THREAD_PAGE_SIZE,
) -> Thread:
    """A page of the thread in a fixed number of queries, whatever its length.

    Published top-level comments come oldest first, ``page_size`` at a time (keyset
    pagination on ``(published_at, id)``; ``after`` is the cursor of the previous page), each
    with its published replies. The reader (``reader_key``, see ``actor_key``) also sees
    their own comments that await review.
    """
    query = (
        select(Comment)
        .where(Comment.measure_id == measure.id, IN_THREAD)
        # The id breaks ties between comments published in the same microsecond, so the keyset
        # never skips or repeats one at a page boundary.
        .order_by(Comment.published_at, Comment.id)
        .limit(page_size + 1)
        .options(_SHOWN, _AUTHOR)
    )
    position = decode_cursor(after)
    if position is not None:
        # Keyset instead of OFFSET: a comment published meanwhile does not shift later pages.
        query = query.where(tuple_(Comment.published_at, Comment.id) > position)
    comments = list(db.session.scalars(query))
    has_more = len(comments) > page_size
    comments = comments[:page_size]

    # Authors keep seeing their own unpublished comments: waiting, or refused with a reason.
    own_pending = and_(
        Comment.author_key == reader_key,
        Comment.status.in_((CommentStatus.PENDING, CommentStatus.REJECTED, CommentStatus.HIDDEN)),
    )
    visible = or_(IS_PUBLISHED, own_pending) if reader_key else IS_PUBLISHED
    replies: dict[int, list[Comment]] = {}
    for reply in db.session.scalars(
        select(Comment)
        # All the page's replies in one query (not one per comment), so the page costs the same
        # number of queries however long the thread.
        .where(Comment.parent_id.in_([c.id for c in comments]), visible)
        # The reader's own unpublished replies have no published_at yet: put them last.
        .order_by(Comment.published_at.nulls_last(), Comment.id)
        .options(_SHOWN, _AUTHOR)
    ):
        replies.setdefault(reply.parent_id, []).append(reply)

    pending = []
    if reader_key:
        pending = list(
            db.session.scalars(
                select(Comment)
                # Read apart from the keyset: unpublished comments have no place in its order.
                .where(Comment.measure_id == measure.id, Comment.parent_id.is_(None), own_pending)
                .order_by(Comment.id)
                .limit(page_size)
                .options(_SHOWN, _AUTHOR)
            )
        )
    count = db.session.scalar(
        # A maintained count (feedback.services) instead of COUNT(*) over the whole thread.
        select(MeasureCommentCount.published_count).where(
            MeasureCommentCount.measure_id == measure.id
        )
    )
    return Thread(
        comments=comments,
        replies=replies,
        pending=pending,
        count=count or 0,
        next_cursor=encode_cursor(comments[-1]) if has_more else None,
        is_first_page=position is None,
    )


# Priority ratings


def get_rating_summary(measure: Measure) -> RatingSummary:
    """The measure's summary as committed now (an empty one if nobody rated it yet)."""
    summary = db.session.scalar(
        select(RatingSummary)
        .where(RatingSummary.measure_id == measure.id)
        # Re-read even if already in the session, so the page shows the totals just committed.
        .execution_options(populate_existing=True)
    )
    # A transient zero summary, never added to the session: reading must not create rows.
    return summary or RatingSummary(**RatingSummary.zero_values(measure.id))


def get_own_rating(measure: Measure, voter_key: str | None) -> int | None:
    if not voter_key:
        return None
    return db.session.scalar(
        select(Rating.value).where(Rating.measure_id == measure.id, Rating.voter_key == voter_key)
    )


# The ranking (the arithmetic is in ``ranking``)


def rank_measures(*, section_id: int | None = None) -> list[RankedMeasure]:
    """Current measures by resident priority, optionally those of one section only.

    The prior mean always comes from all ratings, so a section's ranking scores its measures
    exactly as the full ranking does.
    """
    rows = db.session.execute(
        select(Measure, RatingSummary.count, RatingSummary.total)
        .join(RatingSummary, RatingSummary.measure_id == Measure.id)
        # Unrated measures have nothing to rank by; retired ones are no longer up for priority.
        .where(Measure.is_retired.is_(False), RatingSummary.count > 0)
        .options(joinedload(Measure.section).joinedload(Section.plan))
    ).all()
    # Rank everything first, then filter: the prior mean comes from all current measures.
    ranked = rank([tuple(row) for row in rows])
    if section_id is not None:
        ranked = [r for r in ranked if r.measure.section_id == section_id]
        ranked = [
            RankedMeasure(rank=i, measure=r.measure, score=r.score, mean=r.mean, count=r.count)
            for i, r in enumerate(ranked, start=1)
        ]
    return ranked
