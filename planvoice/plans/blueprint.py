"""Public pages of a plan: the plan and its sections (a measure's page is feedback's); and
the administrators' plan desk."""

from flask import Blueprint

from planvoice.plans import correction_views, desk_views, views

bp = Blueprint("plans", __name__, template_folder="templates")

bp.add_url_rule("/", "show_home", views.show_home)
bp.add_url_rule("/plans/<slug>", "show_plan", views.show_plan)
bp.add_url_rule("/sections/<int:section_id>", "show_section", views.show_section)
# Administrators: the plan desk (upload a draft, preview it, publish or discard it)
bp.add_url_rule("/admin/plans", "show_desk", desk_views.show_desk)
bp.add_url_rule("/admin/plans/drafts", "create_draft", desk_views.create_draft, methods=["POST"])
draft = "/admin/plans/drafts/<int:draft_id>"
bp.add_url_rule(draft, "show_draft", desk_views.show_draft)
bp.add_url_rule(f"{draft}/publish", "publish_draft", desk_views.publish_draft, methods=["POST"])
bp.add_url_rule(f"{draft}/discard", "discard_draft", desk_views.discard_draft, methods=["POST"])
# Administrators: corrections of a draft's plan, kept for every later import of it
measure = f"{draft}/measures/<key>"
corrections = correction_views
both = ["GET", "POST"]
bp.add_url_rule(measure, "correct_measure", corrections.correct_measure, methods=both)
bp.add_url_rule(f"{measure}/targets/new", "add_target", corrections.add_target, methods=both)
bp.add_url_rule(
    f"{measure}/targets/<int:index>", "correct_target", corrections.correct_target, methods=both
)
bp.add_url_rule(
    f"{draft}/corrections/<int:correction_id>/withdraw",
    "withdraw_correction",
    corrections.withdraw_correction,
    methods=["POST"],
)
