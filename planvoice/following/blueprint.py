"""Following: the /follow form, /me/following, and the links in messages that confirm or end
a follow."""

from flask import Blueprint

from planvoice.following import (
    models,  # noqa: F401  (the tables, for the app and migrations)
    views,
)

bp = Blueprint("following", __name__, template_folder="templates")

bp.add_url_rule("/follow", "show_follow_form", views.show_follow_form)
bp.add_url_rule("/follow", "create_follow", views.create_follow, methods=["POST"])
bp.add_url_rule("/me/following", "show_following", views.show_following)
own_stop = "/me/following/<int:follow_id>/stop"
bp.add_url_rule(own_stop, "stop_own_follow", views.stop_own_follow, methods=["POST"])
manage = "/following/manage/<token>"
bp.add_url_rule(manage, "show_managed_following", views.show_managed_following)
managed_stop = f"{manage}/<int:follow_id>/stop"
bp.add_url_rule(managed_stop, "stop_managed_follow", views.stop_managed_follow, methods=["POST"])
confirm = "/following/confirm/<token>"
bp.add_url_rule(confirm, "confirm_follow", views.confirm_follow, methods=["GET", "POST"])
stop = "/following/stop/<token>"
bp.add_url_rule(stop, "stop_following", views.stop_following, methods=["GET", "POST"])
