"""What a person hears: their paces, one-click unsubscribing, and the STOP page for texts."""

from flask import Blueprint

from planvoice.notifications import sms_views, views
from planvoice.notifications.panels import connect_panels

bp = Blueprint("notifications", __name__, template_folder="templates")

bp.add_url_rule("/me/pace", "save_pace", views.save_pace, methods=["POST"])
unsubscribe = "/unsubscribe/<token>"
bp.add_url_rule(unsubscribe, "unsubscribe", views.unsubscribe, methods=["GET", "POST"])
bp.add_url_rule("/digests/<token>", "show_digest", views.show_digest)
bp.add_url_rule("/sms/stop", "stop_texts", sms_views.stop_texts, methods=["GET", "POST"])
bp.add_url_rule("/sms/inbound", "receive_text", sms_views.receive_text, methods=["POST"])

# The pace panel on the page of what a person follows, and the stopped-address notice on /me.
bp.record_once(lambda state: connect_panels())
