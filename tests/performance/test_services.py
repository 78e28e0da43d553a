"""Cases follow the reports: each step of a real report, through the real services, writes
its case in the same transaction."""

import pytest
from sqlalchemy import select

from planvoice.bureaus import services as bureau_steps
from planvoice.bureaus.models import Bureau
from planvoice.core.extensions import db
from planvoice.demo import load_reference_data
from planvoice.moderation.services import route_report
from planvoice.performance import services
from planvoice.performance.models import Case
from planvoice.reports.answers import answer_satisfaction
from planvoice.reports.areas import Area, Category
from planvoice.reports.models import AnswerChannel
from tests.factories import ReportFactory, UserFactory


@pytest.fixture
def setting(app, plan):
    load_reference_data()
    db.session.commit()
    bureaus = {b.code: b for b in db.session.scalars(select(Bureau))}
    category = db.session.scalar(select(Category).where(Category.code == "bare_ground"))
    street = db.session.scalar(select(Area).where(Area.code == "dongsheng"))
    community = Area(code="dongsheng-qunying", name="群英社区", kind="community", parent=street)
    db.session.add(community)
    report = ReportFactory(category=category, area=community, published=True)
    return {
        "report": report,
        "bureaus": bureaus,
        "moderator": UserFactory(moderator=True),
        "clerk": UserFactory(bureau_staff=True, bureau=bureaus["urban_management"]),
        "street": street,
    }


def _cases(report) -> list[Case]:
    db.session.expire_all()
    return list(
        db.session.scalars(select(Case).where(Case.report_id == report.id).order_by(Case.id))
    )


def test_each_step_of_a_report_fills_in_its_case(setting):
    report, clerk = setting["report"], setting["clerk"]
    route_report(report, setting["bureaus"]["urban_management"], moderator=setting["moderator"])
    db.session.commit()
    [case] = _cases(report)
    assert case.area_id == setting["street"].id  # the street, not the community
    assert case.is_open and abs(case.routed_at - report.routed_at).total_seconds() < 1
    assert case.accept_by < case.reply_by < case.resolve_by

    bureau_steps.accept_report(report, staff=clerk)
    bureau_steps.resolve_report(report, staff=clerk, note="已硬化。")
    db.session.commit()
    [case] = _cases(report)
    assert case.accepted_at is not None and case.days_to_accept == 0
    # Resolving answered in public, too.
    assert case.first_reply_at == case.first_resolved_at is not None
    assert not case.is_open

    answer_satisfaction(report, answer="not_satisfied", solved=False, channel=AnswerChannel.LINK)
    db.session.commit()
    [case] = _cases(report)
    assert (case.reopen_count, case.is_open, case.satisfaction, case.solved) == (
        1, True, "not_satisfied", False,
    )  # fmt: skip


def test_a_report_sent_back_and_routed_again_makes_two_cases(setting):
    report, bureaus = setting["report"], setting["bureaus"]
    route_report(report, bureaus["housing"], moderator=setting["moderator"])
    housing_clerk = UserFactory(bureau_staff=True, bureau=bureaus["housing"])
    bureau_steps.return_report(report, staff=housing_clerk, reason="不属于本局职责。")
    route_report(report, bureaus["urban_management"], moderator=setting["moderator"])
    db.session.commit()
    first, second = _cases(report)
    assert (first.bureau_id, first.is_open) == (bureaus["housing"].id, False)
    assert first.returned_at is not None and first.accepted_at is None
    assert (second.bureau_id, second.is_open) == (bureaus["urban_management"].id, True)


def test_rebuilding_the_cases_from_the_timelines_gives_the_same_cases(setting):
    report, clerk = setting["report"], setting["clerk"]
    route_report(report, setting["bureaus"]["urban_management"], moderator=setting["moderator"])
    bureau_steps.accept_report(report, staff=clerk)
    bureau_steps.reply_to_report(report, staff=clerk, body="已安排。")
    db.session.commit()
    kept = [
        (c.bureau_id, c.area_id, c.routed_at, c.days_to_accept, c.days_to_reply)
        for c in _cases(report)
    ]
    assert services.rebuild_cases() == 1
    db.session.commit()
    rebuilt = [
        (c.bureau_id, c.area_id, c.routed_at, c.days_to_accept, c.days_to_reply)
        for c in _cases(report)
    ]
    assert rebuilt == kept
