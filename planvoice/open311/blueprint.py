"""Open311 GeoReport v2 at /open311/v2/, each resource in .json and .xml."""

from flask import Blueprint

from planvoice.core.errors import render_errors_under
from planvoice.core.extensions import limiter
from planvoice.core.ratelimits import OPEN311_READS_PER_CLIENT
from planvoice.open311 import views

bp = Blueprint("open311", __name__, url_prefix="/open311/v2")
bp.before_request(views.choose_locale)
limiter.limit(OPEN311_READS_PER_CLIENT, key_func=views.client_key)(bp)
render_errors_under("/open311/", views.render_http_error)

FMT = "<any(json, xml):fmt>"
bp.add_url_rule(f"/discovery.{FMT}", "discovery", views.discovery)
bp.add_url_rule(f"/services.{FMT}", "list_services", views.list_services)
bp.add_url_rule(f"/services/<service_code>.{FMT}", "show_service", views.show_service)
bp.add_url_rule(f"/requests.{FMT}", "list_requests", views.list_requests)
bp.add_url_rule(f"/requests.{FMT}", "create_request", views.create_request, methods=["POST"])
bp.add_url_rule(f"/requests/<request_id>.{FMT}", "show_request", views.show_request)
bp.add_url_rule(f"/tokens/<token>.{FMT}", "show_token", views.show_token)
bp.add_url_rule("/openapi.json", "openapi_document", views.openapi_document)
