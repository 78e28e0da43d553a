"""Sign-up, sign-in, sign-out, and a resident's own activity and data."""

from flask import Blueprint

from planvoice.accounts import code_views, views

bp = Blueprint("accounts", __name__, template_folder="templates")
# Every request of a signed-in person keeps the language they use (users.language).
bp.before_app_request(views.remember_language)

bp.add_url_rule("/login", "login", views.login, methods=["GET", "POST"])
bp.add_url_rule("/register", "register", views.register, methods=["GET", "POST"])
bp.add_url_rule("/logout", "logout", views.logout, methods=["GET", "POST"])
bp.add_url_rule("/me", "show_activity", views.show_activity)
change = "/me/password"
bp.add_url_rule(change, "change_password", views.change_password, methods=["GET", "POST"])
reset = "/password/reset"
bp.add_url_rule(
    reset, "request_password_reset", views.request_password_reset, methods=["GET", "POST"]
)
bp.add_url_rule(f"{reset}/<token>", "reset_password", views.reset_password, methods=["GET", "POST"])
bp.add_url_rule("/me/data.json", "download_data", views.download_data)
bp.add_url_rule("/me/delete", "delete_account", views.delete_account, methods=["GET", "POST"])
me_email = "/me/email"
bp.add_url_rule(me_email, "change_email", views.change_email, methods=["GET", "POST"])
bp.add_url_rule(
    f"{me_email}/again", "resend_confirmation", views.resend_confirmation, methods=["POST"]
)
bp.add_url_rule("/email/confirm/<token>", "confirm_email", views.confirm_email)
bp.add_url_rule("/me/phone", "change_phone", views.change_phone, methods=["GET", "POST"])
code = "/login/code"
bp.add_url_rule(
    code, "request_sign_in_code", code_views.request_sign_in_code, methods=["GET", "POST"]
)
bp.add_url_rule(
    f"{code}/check", "check_sign_in_code", code_views.check_sign_in_code, methods=["GET", "POST"]
)
