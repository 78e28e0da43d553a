"""The community workers' moderation queue."""

from flask import Blueprint

from planvoice.core import signals
from planvoice.moderation import views
from planvoice.moderation.models import comment_status_label

POST = ["POST"]
bp = Blueprint("moderation", __name__, url_prefix="/moderation", template_folder="templates")

bp.add_app_template_global(comment_status_label)
bp.app_context_processor(views.queue_counts_for_header)

bp.add_url_rule("", "show_queue", views.show_queue)
comment = "/comments/<int:comment_id>"
bp.add_url_rule(f"{comment}/publish", "publish_comment", views.publish_comment, methods=POST)
bp.add_url_rule(f"{comment}/reject", "reject_comment", views.reject_comment, methods=POST)
bp.add_url_rule(f"{comment}/hide", "hide_comment", views.hide_comment, methods=POST)
bp.add_url_rule(f"{comment}/keep", "keep_comment", views.keep_comment, methods=POST)
report = "/reports/<code>"
bp.add_url_rule(f"{report}/publish", "publish_report", views.publish_report, methods=POST)
bp.add_url_rule(f"{report}/reject", "reject_report", views.reject_report, methods=POST)
bp.add_url_rule(f"{report}/route", "route_report", views.route_report, methods=POST)
bp.add_url_rule(f"{report}/duplicate", "mark_duplicate", views.mark_duplicate, methods=POST)
bp.add_url_rule(f"{report}/redact", "redact_text", views.redact_text, methods=POST)
photo = f"{report}/photos/<int:photo_id>"
bp.add_url_rule(f"{photo}/redact", "redact_photo", views.redact_photo, methods=POST)
media_link = f"{report}/media-link/remove"
bp.add_url_rule(media_link, "remove_media_link", views.remove_media_link, methods=POST)
bp.add_url_rule(f"{report}/notes", "add_note", views.add_note, methods=POST)
answer = f"{report}/satisfaction"
bp.add_url_rule(answer, "record_phone_answer", views.record_phone_answer, methods=POST)
# The audit log lived here until it moved to /admin/audit; pages linked here, so it redirects.
bp.add_url_rule("/audit", "show_audit_log", views.show_audit_log)
bp.add_url_rule("/reasons", "list_reasons", views.list_reasons, methods=["GET", "POST"])
bp.add_url_rule(
    "/reasons/<int:template_id>", "edit_reason", views.edit_reason, methods=["GET", "POST"]
)
# The community worker's panel on the case page, connected when the app registers the blueprint.
bp.record_once(lambda state: signals.case_page_opened.connect(views.case_panel))
