"""The community workers' moderation queue."""

from flask import Blueprint

from planvoice.moderation import views
from planvoice.moderation.models import comment_status_label

bp = Blueprint("moderation", __name__, url_prefix="/moderation", template_folder="templates")

bp.add_app_template_global(comment_status_label)
bp.app_context_processor(views.queue_counts_for_header)

bp.add_url_rule("", "show_queue", views.show_queue)
for action in ("publish", "reject", "hide", "keep"):
    bp.add_url_rule(
        f"/comments/<int:comment_id>/{action}",
        f"{action}_comment",
        views.decide_comment,
        methods=["POST"],
        defaults={"action": action},
    )
for action in ("publish", "reject"):
    bp.add_url_rule(
        f"/reports/<code>/{action}",
        f"{action}_report",
        views.decide_report,
        methods=["POST"],
        defaults={"action": action},
    )
bp.add_url_rule("/reports/<code>/route", "route_report", views.route_report, methods=["POST"])
bp.add_url_rule(
    "/reports/<code>/duplicate", "mark_duplicate", views.mark_duplicate, methods=["POST"]
)
bp.add_url_rule("/reports/<code>/redact", "redact_text", views.redact_text, methods=["POST"])
bp.add_url_rule(
    "/reports/<code>/photos/<int:photo_id>/redact",
    "redact_photo",
    views.redact_photo,
    methods=["POST"],
)
bp.add_url_rule(
    "/reports/<code>/media-link/remove", "remove_media_link", views.remove_media_link,
    methods=["POST"],
)  # fmt: skip
bp.add_url_rule("/reports/<code>/notes", "add_note", views.add_note, methods=["POST"])
bp.add_url_rule("/audit", "show_audit_log", views.show_audit_log)
bp.add_url_rule("/reasons", "list_reasons", views.list_reasons, methods=["GET", "POST"])
bp.add_url_rule(
    "/reasons/<int:template_id>", "edit_reason", views.edit_reason, methods=["GET", "POST"]
)
