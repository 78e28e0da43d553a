"""The bureau inbox: reports routed to a bureau, with what its staff do about them."""

from flask import Blueprint

from planvoice.bureaus import views

bp = Blueprint("bureaus", __name__, url_prefix="/bureau", template_folder="templates")

bp.add_url_rule("", "show_inbox", views.show_inbox)
bp.add_url_rule("/export.<any(csv, xlsx):fmt>", "export_inbox", views.export_inbox)
for action in ("accept", "return", "reply", "progress", "resolve"):
    bp.add_url_rule(
        f"/reports/<code>/{action}",
        f"{action}_report",
        views.act_on_report,
        methods=["POST"],
        defaults={"action": action},
    )
bp.add_url_rule("/reports/<code>/notes", "add_report_note", views.add_report_note, methods=["POST"])
