from flask import abort, request, url_for

from planvoice.api.openapi import build_openapi_document
from planvoice.plans import services
from planvoice.plans.models import Measure, Plan, Section, Target


def list_plans():
    return {"plans": [_plan(plan) for plan in services.list_plans_with_sections()]}


def show_section(section_id: int):
    section = services.get_section(section_id) or abort(404)
    return _section(section) | {
        "plan": _plan_ref(section.plan),
        "measures": [_measure(m) for m in section.current_measures],
    }


def list_measures():
    plan = None
    if slug := request.args.get("plan"):
        plan = services.get_plan(slug) or abort(404)
    section_id = request.args.get("section", type=int)
    return {
        "measures": [_measure(m) for m in services.list_measures(plan=plan, section_id=section_id)]
    }


def show_measure(measure_id: int):
    measure = services.get_measure(measure_id) or abort(404)
    previous, following = services.neighbours(measure)
    return _measure(measure) | {
        "text": measure.text,
        "has_text": measure.has_text,
        "is_retired": measure.is_retired,
        "plan": _plan_ref(measure.section.plan),
        "previous": previous.id if previous else None,
        "next": following.id if following else None,
    }


def openapi_document():
    return build_openapi_document()


def _plan_ref(plan: Plan) -> dict:
    return {
        "id": plan.id,
        "slug": plan.slug,
        "title": plan.title,
        "url": url_for("plans.show_plan", slug=plan.slug, _external=True),
    }


def _plan(plan: Plan) -> dict:
    return _plan_ref(plan) | {
        "published": plan.published.isoformat() if plan.published else None,
        "source": plan.source,
        "intro": plan.intro_paragraphs,
        "sections": [
            _section(s) | {"measure_count": len(s.current_measures)}
            for s in plan.sections
            if s.current_measures
        ],
    }


def _section(section: Section) -> dict:
    return {
        "id": section.id,
        "number": section.number,
        "title": section.title,
        "url": url_for("plans.show_section", section_id=section.id, _external=True),
        "api_url": url_for("api.show_section", section_id=section.id, _external=True),
    }


def _measure(measure: Measure) -> dict:
    section = measure.section
    return {
        "id": measure.id,
        "key": measure.key,
        "title": measure.title,
        "section": {"id": section.id, "number": section.number, "title": section.title},
        "group": measure.group,
        "url": url_for("plans.show_measure", measure_id=measure.id, _external=True),
        "targets": [_target(t) for t in measure.targets],
    }


def _target(target: Target) -> dict:
    value = target.value.normalize()
    return {
        "id": target.id,
        "text": target.text,
        "value": int(value) if value == value.to_integral_value() else float(value),
        "unit": target.unit,
        "subject": target.subject,
        "comparator": target.comparator,
        "deadline": target.deadline,
    }
