"""The counts pages read instead of counting rows stay equal to a count of the rows through
every step people take: a measure's published comments, and what each bureau holds."""

from sqlalchemy import func, select

from planvoice.bureaus import services as bureau_steps
from planvoice.bureaus.models import Bureau
from planvoice.bureaus.queries import count_inbox
from planvoice.core.extensions import db
from planvoice.demo import load_reference_data
from planvoice.feedback.models import Comment, MeasureCommentCount
from planvoice.feedback.services import submit_comment
from planvoice.moderation import services as moderation
from planvoice.plans.models import Measure
from planvoice.reports.areas import Category
from planvoice.reports.models import Report
from tests.factories import ReportFactory, UserFactory


def _published_count(measure) -> int:
    kept = db.session.scalar(
        select(MeasureCommentCount.published_count).where(
            MeasureCommentCount.measure_id == measure.id
        )
    )
    counted = db.session.scalar(
        select(func.count()).where(Comment.measure_id == measure.id, Comment.status == "published")
    )
    assert kept == counted
    return kept


def test_a_measures_comment_count_follows_publishing_and_hiding(app, plan):
    measure = db.session.scalar(select(Measure).limit(1))
    moderator = UserFactory(moderator=True)
    comments = [
        submit_comment(
            measure,
            body=f"第{n}条意见",
            submission_token=f"t{n}",
            author_key=f"g{n}",
            nickname="居民",
        )
        for n in range(3)
    ]
    for comment in comments:
        moderation.publish(comment, moderator=moderator)
    reply = submit_comment(
        measure,
        body="同意",
        submission_token="r",
        author_key="g9",
        nickname="邻居",
        parent=comments[0],
    )
    moderation.publish(reply, moderator=moderator)
    db.session.commit()
    assert _published_count(measure) == 4

    moderation.hide(comments[1], moderator=moderator, reason="含有个人信息。")
    moderation.hide(reply, moderator=moderator, reason="含有个人信息。")
    moderation.reject(
        submit_comment(measure, body="广告", submission_token="x", author_key="gx", nickname="某"),
        moderator=moderator,
        reason="广告。",
    )
    db.session.commit()
    assert _published_count(measure) == 2
    assert db.session.get(Comment, comments[0].id).reply_count == 0


def _held(bureau) -> dict[str, int]:
    kept = {status: n for status, n in count_inbox(bureau.id).items() if n}
    counted = dict(
        db.session.execute(
            select(Report.status, func.count())
            .where(Report.bureau_id == bureau.id)
            .group_by(Report.status)
        ).all()
    )
    assert kept == counted
    return kept


def test_a_bureaus_counts_follow_each_step_of_its_reports(app, plan):
    load_reference_data()
    db.session.commit()
    category = db.session.scalar(select(Category).where(Category.code == "bare_ground"))
    first, second = db.session.scalars(select(Bureau).order_by(Bureau.id).limit(2))
    moderator = UserFactory(moderator=True)
    clerk = UserFactory(bureau_staff=True, bureau=first)
    reports = [ReportFactory(category=category, status="published") for _ in range(3)]

    for report in reports:
        moderation.route_report(report, first, moderator=moderator)
    db.session.commit()
    assert _held(first) == {"routed": 3}

    bureau_steps.accept_report(reports[0], staff=clerk)
    bureau_steps.accept_report(reports[1], staff=clerk)
    bureau_steps.resolve_report(reports[1], staff=clerk, note="已硬化。")
    bureau_steps.return_report(reports[2], staff=clerk, reason="不属于本局职责。")
    db.session.commit()
    assert _held(first) == {"accepted": 1, "resolved": 1}

    moderation.route_report(reports[2], second, moderator=moderator)
    db.session.commit()
    assert _held(first) == {"accepted": 1, "resolved": 1}
    assert _held(second) == {"routed": 1}
