"""Error pages: JSON for the API, HTML for people; the session is rolled back on a 500.

A lost database connection (a restart, a failover) is a 503 "please try again", not a crash;
a form that was being sent comes back filled in, ready to be sent again (``retry_fields``).
"""

from collections.abc import Callable

from flask import Flask, flash, g, render_template, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError, generate_csrf
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError, ServiceUnavailable

from planvoice.core.extensions import db, login_manager
from planvoice.core.i18n import _

# Parts of the site whose clients expect errors in another shape (Open311): path prefix → a
# function of the error that returns the response.
_RENDERERS: dict[str, Callable] = {}


def render_errors_under(prefix: str, renderer: Callable) -> None:
    """Let ``renderer`` answer every error under ``prefix``, unknown URLs and crashes too."""
    _RENDERERS[prefix] = renderer


def wants_json() -> bool:
    return request.path.startswith(("/api/", "/healthz")) or (
        request.accept_mimetypes.best == "application/json"
    )


def error_message(error: HTTPException) -> str:
    if isinstance(error, CSRFError):
        return _("This form has expired. Please go back, reload the page and send it again.")
    messages = {
        400: _("The request could not be understood. Please check what you entered."),
        403: _("You are not allowed to do this."),
        404: _("This page does not exist, or it has been removed."),
        405: _("This action is not available here."),
        413: _("What you sent is too large."),
        429: _("Too many requests. Please wait a moment and try again."),
        500: _("Something went wrong on our side. Please try again in a moment."),
    }
    return messages.get(error.code, error.name)


def flash_form_errors(form) -> None:
    """Show a form's errors as one message on the page the action redirects to."""
    messages = [str(error) for errors in form.errors.values() for error in errors]
    flash(" ".join(messages) or _("This form has expired. Please send it again."), "error")


def handle_http_error(error: HTTPException):
    if isinstance(error, InternalServerError) or error.code >= 500:
        db.session.rollback()
    for prefix, renderer in _RENDERERS.items():
        if request.path.startswith(prefix):
            return renderer(error)
    message = error_message(error)
    if wants_json():
        return {"error": {"code": error.code, "message": message}}, error.code
    return render_template("error.html", error=error, message=message), error.code


# Fields never written back into a page: secrets, and the old CSRF token (a fresh one is used).
_NOT_RETRIED = ("password", "csrf_token")


def is_lost_connection(error: Exception) -> bool:
    """Whether a database error means the connection is gone (not a bad statement)."""
    if isinstance(error, OperationalError | InterfaceError):
        return True
    return isinstance(error, DBAPIError) and error.connection_invalidated


def handle_database_error(error: DBAPIError):
    if not is_lost_connection(error):
        raise error
    try:
        db.session.rollback()
    except DBAPIError:
        pass  # the connection is gone already; the session is reset for the next request
    message = _("The database is not reachable just now. Please try again in a moment.")
    if request.path.startswith(("/api/", "/open311/")) or wants_json():
        return {"error": {"code": 503, "message": message}}, 503, {"Retry-After": "5"}
    _forget_unloadable_user()
    retry_fields = None
    if request.method == "POST":
        retry_fields = [
            (name, value)
            for name, values in request.form.lists()
            if not any(part in name for part in _NOT_RETRIED)
            for value in values
        ] + [("csrf_token", generate_csrf())]
    page = render_template(
        "error.html",
        error=ServiceUnavailable(),
        message=message,
        retry_fields=retry_fields,
    )
    return page, 503, {"Retry-After": "5"}


def _forget_unloadable_user() -> None:
    # The page's header asks who is signed in, which needs the database: show a guest's.
    try:
        current_user._get_current_object()
    except DBAPIError:
        db.session.rollback()
        g._login_user = login_manager.anonymous_user()


def init_app(app: Flask) -> None:
    # Flask hands unhandled exceptions to the 500 handler (after logging them), so this one
    # registration covers both HTTP errors and crashes.
    app.register_error_handler(HTTPException, handle_http_error)
    app.register_error_handler(DBAPIError, handle_database_error)
