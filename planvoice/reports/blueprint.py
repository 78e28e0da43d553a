"""Reports of local problems: the form, the public pages, tracking codes, photos, and what
residents say of a report afterwards (``answer_views``)."""

from flask import Blueprint
from flask_wtf.csrf import CSRFError

from planvoice.core import signals
from planvoice.reports import answer_views, views

bp = Blueprint("reports", __name__, template_folder="templates")

bp.add_url_rule("/reports/new", "new_report", views.new_report)
bp.add_url_rule("/reports/new", "create_report", views.create_report, methods=["POST"])
bp.add_url_rule("/reports/nearby", "show_nearby", views.show_nearby)
draft_photo = "/reports/new/photos/<int:photo_id>"
bp.add_url_rule(draft_photo, "serve_draft_photo", views.serve_draft_photo)
bp.add_url_rule("/reports", "list_reports", views.list_reports)
bp.add_url_rule("/reports/<code>", "show_report", views.show_report)
bp.add_url_rule(
    "/reports/<code>/support", "support_report", answer_views.support_report, methods=["POST"]
)
satisfaction = "/reports/<code>/satisfaction"
bp.add_url_rule(
    satisfaction, "answer_satisfaction", answer_views.answer_satisfaction, methods=["POST"]
)
answer_link = "/reports/<code>/answer/<token>"
bp.add_url_rule(answer_link, "answer_by_link", answer_views.answer_by_link, methods=["GET", "POST"])
stop_emails = "/reports/<code>/stop-emails/<token>"
bp.add_url_rule(stop_emails, "stop_emails", answer_views.stop_emails, methods=["GET", "POST"])
bp.add_url_rule("/reports/photos/<path:path>", "serve_photo", views.serve_photo)
original = "/reports/<code>/photos/<int:photo_id>/original"
bp.add_url_rule(original, "serve_original_photo", views.serve_original_photo)
bp.add_url_rule("/track", "track_report", views.track_report)

bp.register_error_handler(429, views.show_limit_reached)
bp.register_error_handler(CSRFError, views.show_expired_form)
bp.register_error_handler(413, views.show_too_large)

# Residents' part of the home page, above the plan (``core.signals.home_page_opened``).
bp.record_once(lambda state: signals.home_page_opened.connect(views.home_panel))
