"""Following: the /follow form, /me/following, and the links in messages that confirm or end
a follow."""

from flask import Blueprint

from planvoice.following import models  # noqa: F401  (the tables, for the app and migrations)

bp = Blueprint("following", __name__, template_folder="templates")
