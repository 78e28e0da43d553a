from flask import abort, current_app, render_template

from planvoice.core import signals
from planvoice.core.caching import cached_page
from planvoice.plans import queries


@cached_page
def show_home():
    # Residents come first (what they can do, what bureaus answered), then the plan.
    plan = queries.get_default_plan()
    # What other domains put above the plan (``home_page_opened``).
    panels = signals.draw_panels(signals.home_page_opened, current_app._get_current_object())
    if plan is None:
        return render_template("plans/empty.html", panels=panels)
    return _render_plan(plan, template="plans/home.html", panels=panels)


@cached_page
def show_plan(slug: str):
    plan = queries.get_plan(slug) or abort(404)
    return _render_plan(plan)


def _render_plan(plan, *, template="plans/plan.html", **context):
    # Sections left with only retired measures are history, not part of the plan's outline.
    sections = [s for s in queries.list_sections(plan) if s.current_measures]
    # Headings whose text was an image in the source have nothing to read: listed after the
    # sections residents can read, not first.
    readable = [s for s in sections if any(m.has_text for m in s.current_measures)]
    return render_template(
        template,
        plan=plan,
        sections=readable,
        image_sections=[s for s in sections if s not in readable],
        section_count=len(sections),
        measure_count=sum(len(s.current_measures) for s in sections),
        other_plans=queries.list_other_plans(plan),
        **context,
    )


@cached_page
def show_section(section_id: int):
    section = queries.get_section(section_id) or abort(404)
    return render_template("plans/section.html", section=section, plan=section.plan)
