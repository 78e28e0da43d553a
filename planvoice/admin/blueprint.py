"""Administration: bureaus, categories, areas, routing rules, users, time limits, Open311 keys,
e-mails, audit."""

from flask import Blueprint

from planvoice.admin import views

bp = Blueprint("admin", __name__, url_prefix="/admin", template_folder="templates")

GET_POST = ["GET", "POST"]
bp.add_url_rule("", "show_index", views.show_index)
bp.add_url_rule("/bureaus", "list_bureaus", views.list_bureaus_page, methods=GET_POST)
bp.add_url_rule("/bureaus/<int:bureau_id>", "edit_bureau", views.edit_bureau, methods=GET_POST)
bp.add_url_rule("/categories", "list_categories", views.list_categories, methods=GET_POST)
bp.add_url_rule(
    "/categories/<int:category_id>", "edit_category", views.edit_category, methods=GET_POST
)
bp.add_url_rule("/areas", "list_areas", views.list_areas_page, methods=GET_POST)
bp.add_url_rule("/areas/<int:area_id>", "edit_area", views.edit_area, methods=GET_POST)
bp.add_url_rule("/rules", "list_routing_rules", views.list_routing_rules, methods=GET_POST)
bp.add_url_rule(
    "/rules/<int:rule_id>/delete",
    "delete_routing_rule",
    views.delete_routing_rule,
    methods=["POST"],
)
bp.add_url_rule("/users", "list_users", views.list_users)
bp.add_url_rule("/users/<int:user_id>", "edit_user", views.edit_user, methods=GET_POST)
bp.add_url_rule("/time-limits", "edit_time_limits", views.edit_time_limits, methods=GET_POST)
bp.add_url_rule("/calendar", "add_calendar_day", views.add_calendar_day, methods=["POST"])
bp.add_url_rule(
    "/calendar/<day>/delete", "delete_calendar_day", views.delete_calendar_day, methods=["POST"]
)
bp.add_url_rule("/open311-keys", "list_api_keys", views.list_api_keys, methods=GET_POST)
bp.add_url_rule(
    "/open311-keys/<int:key_id>/revoke",
    "revoke_api_key",
    views.revoke_api_key,
    methods=["POST"],
)
bp.add_url_rule("/emails", "list_failed_emails", views.list_failed_emails)
bp.add_url_rule(
    "/emails/<int:message_id>/send-again",
    "send_email_again",
    views.send_email_again,
    methods=["POST"],
)
bp.add_url_rule("/audit", "show_audit_log", views.show_audit_log)
