"""Read-only JSON API, version 1."""

from flask import Blueprint

from planvoice.api import views
from planvoice.core.errors import render_errors_under

bp = Blueprint("api", __name__, url_prefix="/api/v1")

bp.add_url_rule("/plans", "list_plans", views.list_plans)
bp.add_url_rule("/sections/<int:section_id>", "show_section", views.show_section)
bp.add_url_rule("/measures", "list_measures", views.list_measures)
bp.add_url_rule("/measures/<int:measure_id>", "show_measure", views.show_measure)
bp.add_url_rule("/ranking", "show_ranking", views.show_ranking)
bp.add_url_rule("/reports", "list_reports", views.list_reports)
bp.add_url_rule("/reports/<code>", "show_report", views.show_report)
bp.add_url_rule("/performance", "show_performance", views.show_performance)
bp.add_url_rule("/performance.csv", "performance_csv", views.performance_csv)
bp.add_url_rule("/targets", "list_targets", views.list_targets)
bp.add_url_rule("/targets/<int:target_id>", "show_target", views.show_target)
bp.add_url_rule("/openapi.json", "openapi_document", views.openapi_document)

# Every answer under /api/ is JSON, unknown URLs and crashes too.
render_errors_under("/api/", views.render_http_error)
