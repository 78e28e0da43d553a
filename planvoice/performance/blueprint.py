"""The public scorecard of bureaus and streets, and its method."""

from flask import Blueprint

from planvoice.performance import models  # noqa: F401  (the tables, for the migrations)

bp = Blueprint("performance", __name__, template_folder="templates")
