"""A measure's page, with its comments, flags and priority ratings; the ranking of measures."""

from flask import Blueprint
from flask_wtf.csrf import CSRFError

from planvoice.feedback import views

bp = Blueprint("feedback", __name__, template_folder="templates")

bp.add_url_rule("/measures/<int:measure_id>", "show_measure", views.show_measure)
comments = "/measures/<int:measure_id>/comments"
bp.add_url_rule(comments, "create_comment", views.create_comment, methods=["POST"])
flag = f"{comments}/<int:comment_id>/flag"
bp.add_url_rule(flag, "flag_comment", views.flag_comment, methods=["POST"])
bp.add_url_rule(
    "/measures/<int:measure_id>/rating", "rate_measure", views.rate_measure, methods=["POST"]
)
withdraw = "/measures/<int:measure_id>/rating/withdraw"
bp.add_url_rule(withdraw, "withdraw_rating", views.withdraw_rating, methods=["POST"])
bp.add_url_rule("/ranking", "show_ranking", views.show_ranking)

bp.register_error_handler(429, views.show_limit_reached)
bp.register_error_handler(CSRFError, views.show_expired_form)
bp.add_app_template_filter(views.linkify, "linkify")
