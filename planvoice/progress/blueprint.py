"""Progress on the plan's targets: the public pages, the bureaus' entries and uploads."""

from flask import Blueprint

from planvoice.progress import upload_views, views
from planvoice.progress.bars import demand_line, progress_list, target_bar
from planvoice.progress.state import plain_number

bp = Blueprint("progress", __name__, template_folder="templates")

# Public
bp.add_url_rule("/progress", "show_progress", views.show_progress)
bp.add_url_rule("/targets/<int:target_id>", "show_target", views.show_target)
# Owner bureau's staff and administrators: one entry, through a form
entry = "/targets/<int:target_id>/progress"
bp.add_url_rule(entry, "new_entry", views.new_entry)
bp.add_url_rule(entry, "record_entry", views.record_entry, methods=["POST"])
bp.add_url_rule("/progress/photos/<path:path>", "serve_photo", views.serve_photo)
# Administrators: owner bureau, baseline, weight
tracking = "/admin/targets/<int:target_id>"
bp.add_url_rule(tracking, "edit_tracking", views.edit_tracking)
bp.add_url_rule(tracking, "save_tracking", views.save_tracking, methods=["POST"])
bp.add_url_rule("/admin/targets", "list_tracking", views.list_tracking)
# Bureaus: their targets as a sheet, filled in and uploaded back
bp.add_url_rule("/bureau/targets", "bureau_targets", upload_views.bureau_targets)
bp.add_url_rule("/bureau/targets.csv", "download_csv", upload_views.download_csv)
bp.add_url_rule("/bureau/targets.xlsx", "download_xlsx", upload_views.download_xlsx)
upload = "/bureau/targets/upload"
bp.add_url_rule(upload, "preview_upload", upload_views.preview_upload, methods=["POST"])
confirm = "/bureau/targets/upload/confirm"
bp.add_url_rule(confirm, "apply_upload", upload_views.apply_upload, methods=["POST"])
bp.add_app_template_filter(plain_number, "plain_number")
bp.add_app_template_global(target_bar, "target_bar")
bp.add_app_template_global(demand_line, "demand_line")
bp.add_app_template_global(progress_list, "progress_list")
