"""Progress on the plan's targets: the public pages and the bureaus' entries."""

from flask import Blueprint

from planvoice.progress import models  # noqa: F401  (the tables, for the migrations)

bp = Blueprint("progress", __name__, template_folder="templates")
