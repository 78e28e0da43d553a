"""The bureau inbox: reports routed to a bureau, with what its staff do about them, and the
bureau's prepared replies."""

from flask import Blueprint

from planvoice.bureaus import measure_views, views
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
GET_POST = ["GET", "POST"]
bp.add_url_rule("/replies", "list_replies", views.list_replies, methods=GET_POST)
reply = "/replies/<int:template_id>"
bp.add_url_rule(reply, "edit_reply", views.edit_reply, methods=GET_POST)
bp.add_url_rule(f"{reply}/delete", "delete_reply", views.delete_reply, methods=["POST"])
answer = "/measures/<int:measure_id>/answer"
bp.add_url_rule(answer, "answer_measure", measure_views.answer_measure, methods=GET_POST)
# The bureau's panel on the case page, connected when the app registers the blueprint.
bp.record_once(lambda state: signals.case_page_opened.connect(views.case_panel))
# The bureaus' answers on a measure's page.
bp.record_once(lambda state: signals.measure_page_opened.connect(measure_views.measure_panel))
