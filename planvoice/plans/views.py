from flask import abort, render_template

from planvoice.core.caching import cached_page
from planvoice.plans import queries


@cached_page
def show_home():
    plan = queries.get_default_plan()
    if plan is None:
        return render_template("plans/empty.html")
    return _render_plan(plan)


@cached_page
def show_plan(slug: str):
    plan = queries.get_plan(slug) or abort(404)
    return _render_plan(plan)


def _render_plan(plan):
    # Sections left with only retired measures are history, not part of the plan's outline.
    sections = [s for s in queries.list_sections(plan) if s.current_measures]
    return render_template(
        "plans/plan.html",
        plan=plan,
        sections=sections,
        measure_count=sum(len(s.current_measures) for s in sections),
        other_plans=queries.list_other_plans(plan),
    )


@cached_page
def show_section(section_id: int):
    section = queries.get_section(section_id) or abort(404)
    return render_template("plans/section.html", section=section, plan=section.plan)
