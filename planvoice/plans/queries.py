"""Reading plans: each function loads exactly what its page (or the API) shows, in a fixed
number of queries. State changes (importing a plan) are in ``services``."""

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from planvoice.core.extensions import db
from planvoice.plans.models import Measure, Plan, Section


def get_default_plan() -> Plan | None:
    """The plan shown on the home page: the most recently published one."""
    return db.session.scalar(
        # An undated plan sorts last (PostgreSQL would put NULLs first in DESC); the id decides
        # between plans published the same day.
        select(Plan).order_by(Plan.published.desc().nulls_last(), Plan.id.desc()).limit(1)
    )


def get_plan(slug: str) -> Plan | None:
    return db.session.scalar(select(Plan).where(Plan.slug == slug))


def list_other_plans(plan: Plan) -> list[Plan]:
    return list(db.session.scalars(select(Plan).where(Plan.id != plan.id).order_by(Plan.id)))


def list_sections(plan: Plan) -> list[Section]:
    """The plan's sections with their current measures and targets loaded."""
    return list(
        db.session.scalars(
            select(Section)
            .where(Section.plan_id == plan.id)
            .order_by(Section.position)
            # Measures and targets in two extra queries, however many sections the page shows.
            .options(selectinload(Section.measures).selectinload(Measure.targets))
        )
    )


def get_section(section_id: int) -> Section | None:
    return db.session.scalar(
        select(Section)
        .where(Section.id == section_id)
        .options(
            # joinedload for the single parent, selectinload for the lists: no row multiplication.
            joinedload(Section.plan),
            selectinload(Section.measures).selectinload(Measure.targets),
        )
    )


def get_measure(measure_id: int) -> Measure | None:
    return db.session.scalar(
        select(Measure)
        .where(Measure.id == measure_id)
        .options(
            # The measure page shows the breadcrumb (plan, section) and the targets in its text.
            joinedload(Measure.section).joinedload(Section.plan),
            selectinload(Measure.targets),
        )
    )


def neighbours(measure: Measure) -> tuple[Measure | None, Measure | None]:
    """The current measures just before and after this one in the plan's order."""
    # Retired measures keep their pages but are skipped by previous/next links.
    current = select(Measure).where(
        Measure.plan_id == measure.plan_id, Measure.is_retired.is_(False)
    )
    previous = db.session.scalar(
        # Two LIMIT 1 lookups on the (plan_id, position) index, not a scan of the plan.
        current.where(Measure.position < measure.position)
        .order_by(Measure.position.desc())
        .limit(1)
    )
    following = db.session.scalar(
        current.where(Measure.position > measure.position).order_by(Measure.position).limit(1)
    )
    return previous, following


def list_measures(*, plan: Plan | None = None, section_id: int | None = None) -> list[Measure]:
    """Current measures in plan order, with section and targets, optionally filtered."""
    query = (
        select(Measure)
        .where(Measure.is_retired.is_(False))
        .order_by(Measure.plan_id, Measure.position)
        # A fixed number of queries for the whole list (also the API's measure listing).
        .options(joinedload(Measure.section), selectinload(Measure.targets))
    )
    if plan is not None:
        query = query.where(Measure.plan_id == plan.id)
    if section_id is not None:
        query = query.where(Measure.section_id == section_id)
    return list(db.session.scalars(query))


def list_plans_with_sections() -> list[Plan]:
    return list(
        db.session.scalars(
            select(Plan)
            .order_by(Plan.id)
            # Every plan's sections and measures in two queries, whatever the number of plans.
            .options(selectinload(Plan.sections).selectinload(Section.measures))
        )
    )
