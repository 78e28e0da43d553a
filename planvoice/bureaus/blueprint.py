"""The bureau inbox: reports routed to a bureau, with what its staff do about them."""

from flask import Blueprint

from planvoice.bureaus import views
from planvoice.core import signals

bp = Blueprint("bureaus", __name__, url_prefix="/bureau", template_folder="templates")

bp.add_url_rule("", "show_inbox", views.show_inbox)
bp.add_url_rule("/export.<any(csv, xlsx):fmt>", "export_inbox", views.export_inbox)
report = "/reports/<code>"
bp.add_url_rule(f"{report}/accept", "accept_report", views.accept_report, methods=["POST"])
bp.add_url_rule(f"{report}/return", "return_report", views.return_report, methods=["POST"])
bp.add_url_rule(f"{report}/reply", "reply_report", views.reply_report, methods=["POST"])
bp.add_url_rule(f"{report}/progress", "progress_report", views.progress_report, methods=["POST"])
bp.add_url_rule(f"{report}/resolve", "resolve_report", views.resolve_report, methods=["POST"])
bp.add_url_rule(f"{report}/notes", "add_report_note", views.add_report_note, methods=["POST"])
# The bureau's panel on the case page, connected when the app registers the blueprint.
bp.record_once(lambda state: signals.case_page_opened.connect(views.case_panel))
