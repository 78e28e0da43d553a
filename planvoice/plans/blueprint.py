"""Public pages of a plan."""

from flask import Blueprint

from planvoice.plans import views

bp = Blueprint("plans", __name__, template_folder="templates")

bp.add_url_rule("/", "show_home", views.show_home)
bp.add_url_rule("/plans/<slug>", "show_plan", views.show_plan)
bp.add_url_rule("/sections/<int:section_id>", "show_section", views.show_section)
bp.add_url_rule("/measures/<int:measure_id>", "show_measure", views.show_measure)
