"""The public scorecard of bureaus and streets, its method, and a bureau's own page."""

from flask import Blueprint

from planvoice.performance import cells, views

bp = Blueprint("performance", __name__, template_folder="templates")

bp.add_url_rule("/performance", "show_scorecard", views.show_scorecard)
bp.add_url_rule("/performance/method", "show_method", views.show_method)
bp.add_url_rule("/performance/bureaus/<code>", "show_bureau", views.show_bureau)
bp.add_url_rule("/performance/areas/<code>", "show_area", views.show_area)
bp.add_url_rule("/bureau/performance", "show_own_bureau", views.show_own_bureau)
for cell in (
    cells.rate_cell,
    cells.short_rate,
    cells.days_cell,
    cells.rank_text,
    cells.scorecard_rows,
):
    bp.add_app_template_global(cell, cell.__name__)
