from flask import abort, render_template

from planvoice.core.caching import cached_page
from planvoice.feedback.views import render_measure_page
from planvoice.plans import services


@cached_page
def show_home():
    plan = services.get_default_plan()
    if plan is None:
        return render_template("plans/empty.html")
    return _render_plan(plan)


@cached_page
def show_plan(slug: str):
    plan = services.get_plan(slug) or abort(404)
    return _render_plan(plan)


def _render_plan(plan):
    # Sections left with only retired measures are history, not part of the plan's outline.
    sections = [s for s in services.list_sections(plan) if s.current_measures]
    return render_template(
        "plans/plan.html",
        plan=plan,
        sections=sections,
        measure_count=sum(len(s.current_measures) for s in sections),
        other_plans=services.list_other_plans(plan),
    )


@cached_page
def show_section(section_id: int):
    section = services.get_section(section_id) or abort(404)
    return render_template("plans/section.html", section=section, plan=section.plan)


@cached_page
def show_measure(measure_id: int):
    measure = services.get_measure(measure_id) or abort(404)
    # The page carries the measure's comments and ratings, and their forms.
    return render_measure_page(measure)
