"""Public pages of a plan: the plan and its sections (a measure's page is feedback's)."""

from flask import Blueprint

from planvoice.plans import views

bp = Blueprint("plans", __name__, template_folder="templates")

bp.add_url_rule("/", "show_home", views.show_home)
bp.add_url_rule("/plans/<slug>", "show_plan", views.show_plan)
bp.add_url_rule("/sections/<int:section_id>", "show_section", views.show_section)
