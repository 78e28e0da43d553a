"""Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2): client apps discover the
services (report categories), file reports and read them back, in JSON or XML.

Reading is open to everyone and shows public fields only, as the public pages do; filing
needs an api_key, which stands in for the CSRF token (this is the one exempt POST).
"""

from datetime import datetime
from urllib.parse import quote

from flask import current_app, g, request, url_for
from flask_babel import get_locale
from flask_limiter.util import get_remote_address

from planvoice.bureaus.queries import resolve_due
from planvoice.core.errors import error_message
from planvoice.core.extensions import csrf, limiter
from planvoice.core.i18n import _
from planvoice.core.identity import hash_ip
from planvoice.core.ratelimits import OPEN311_POSTS_PER_ADDRESS
from planvoice.open311 import queries, services
from planvoice.open311.formats import respond
from planvoice.open311.forms import AREA_ATTRIBUTE, ServiceRequestForm, read_request_filters
from planvoice.open311.openapi import build_openapi_document
from planvoice.reports import queries as reports
from planvoice.reports.areas import Category
from planvoice.reports.models import OPEN_STATUSES, ReportStatus, public_point, status_label
from planvoice.reports.places import normalise_code
from planvoice.reports.services import ReportError

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
# When this document (the endpoint list and its meaning) last changed.
CHANGESET = "2026-11-30T00:00:00Z"


def client_key() -> str:
    """Limits count per api_key (its hash: keys never reach the limiter's storage), else per
    address."""
    key = request.form.get("api_key") or request.args.get("api_key")
    return "open311:" + (services.hash_key(key) if key else get_remote_address())


def choose_locale() -> None:
    """The specification's ``locale`` parameter (``zh_CN``, ``en-US``…) picks the language
    before Accept-Language does."""
    tag = (request.args.get("locale") or "").lower().replace("_", "-")
    if tag.startswith("zh"):
        g.locale_choice = "zh_Hans"
    elif tag.startswith("en"):
        g.locale_choice = "en"


def error_response(status: int, *descriptions: str):
    """Errors as the specification shapes them: ``[{"code": 400, "description": "…"}]``."""
    fmt = "xml" if request.path.endswith(".xml") else "json"
    errors = [{"code": status, "description": text} for text in descriptions]
    return respond(errors, fmt, root="errors", status=status)


def render_http_error(error) -> tuple:
    return error_response(error.code, error_message(error))


# Discovery and services


def discovery(fmt: str):
    url = url_for("open311.discovery", fmt=fmt, _external=True).rsplit("/", 1)[0]
    contact = current_app.config["OPEN311_CONTACT"]
    return respond(
        {
            "changeset": CHANGESET,
            "contact": contact,
            "key_service": _(
                "Write to %(contact)s: administrators issue one key per client app.",
                contact=contact,
            ),
            "endpoints": [
                {
                    "specification": SPECIFICATION,
                    "url": url,
                    "changeset": CHANGESET,
                    "type": "production",
                    "formats": ["text/xml", "application/json"],
                }
            ],
        },
        fmt,
        root="discovery",
    )


def list_services(fmt: str):
    return respond(
        [_service(c) for c in reports.list_categories(active_only=True)], fmt, root="services"
    )


def show_service(service_code: str, fmt: str):
    category = reports.get_category(service_code)
    if category is None or not category.is_active:
        return error_response(404, _("There is no service with this service_code."))
    areas = []
    for street in reports.list_areas():
        areas.append({"key": street.code, "name": street.name})
        areas += [{"key": c.code, "name": f"{street.name} {c.name}"} for c in street.children]
    attribute = {
        "variable": True,
        "code": AREA_ATTRIBUTE,
        "datatype": "singlevaluelist",
        "required": False,
        "datatype_description": _(
            "The code of a street, town or community. Not needed with "
            "lat and long; address_id takes the same codes."
        ),
        "order": 1,
        "description": _("Street or town, community"),
        "values": areas,
    }
    return respond(
        {"service_code": category.code, "attributes": [attribute]},
        fmt,
        root="service_definition",
    )


def _service(category: Category) -> dict:
    bureau = category.default_bureau
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": category.hint,
        "metadata": True,  # every service has the area attribute
        "type": "realtime",
        "keywords": ", ".join(dict.fromkeys((category.name_zh, category.name_en))),
        "group": bureau.display_name if bureau else _("Other"),
    }


# Filing a request


@csrf.exempt
@limiter.limit(OPEN311_POSTS_PER_ADDRESS)
@limiter.limit(lambda: current_app.config["OPEN311_POSTS_PER_KEY"], key_func=client_key)
def create_request(fmt: str):
    api_key = services.authenticate(request.form.get("api_key"))
    if api_key is None:
        return error_response(403, _("Give a valid api_key. Administrators issue them."))
    form = ServiceRequestForm().read_attributes(request.form)
    if not form.validate():
        return error_response(
            400, *(f"{name}: {text}" for name, text in form.errors_by_parameter())
        )
    try:
        filed = services.file_request(
            api_key=api_key,
            category=form.category,
            description=form.description.data,
            area=form.area,
            address=form.address_string.data,
            point=form.point,
            media_url=form.media_url.data or None,
            reporter=form.reporter(),
            language=str(get_locale()),
            ip_hash=hash_ip(request.remote_addr),
        )
    except ReportError as error:
        return error_response(400, str(error))
    notice = _(
        "A community worker reviews the report before it is published. Follow the token "
        "to its service_request_id."
    )
    return respond(
        [{"token": filed.token, "service_notice": notice, "account_id": filed.account_id}],
        fmt,
        root="service_requests",
    )


def show_token(token: str, fmt: str):
    filed = queries.find_request_by_token(token)
    if filed is None:
        return error_response(404, _("There is no request with this token."))
    report = filed.report
    if report.status == ReportStatus.REJECTED:
        return error_response(
            404, _("This request was not published: a community worker refused it.")
        )
    request_id = report.code if report.is_public else None
    return respond(
        [{"service_request_id": request_id, "token": token}], fmt, root="service_requests"
    )


# Reading requests


def list_requests(fmt: str):
    filters, problems = read_request_filters(request.args)
    if problems:
        return error_response(400, *problems)
    found = queries.list_requests(filters)
    return respond(_requests(found), fmt, root="service_requests")


def show_request(request_id: str, fmt: str):
    code = normalise_code(request_id)
    found = queries.list_requests(queries.RequestFilters(codes=(code,))) if code else []
    if not found:
        return error_response(404, _("There is no public request with this service_request_id."))
    return respond(_requests(found), fmt, root="service_requests")


def _requests(found: list[queries.RequestRow]) -> list[dict]:
    write = _RequestWriter(found)
    activity = queries.activity_of(found)
    return [write(row, activity[row.id]) for row in found]


class _RequestWriter:
    """Writes one report row as a GeoReport request. A listing holds up to a thousand: what
    rows share (labels, names in the reader's language, the photos' address) is made once
    per distinct value, and the categories, areas and bureaus are read whole beforehand."""

    def __init__(self, rows: list[queries.RequestRow]):
        self.refs = queries.load_references()
        self.photos = queries.first_photos(rows)
        self.labels: dict[str, str] = {}
        self.names: dict[tuple[str, int], str] = {}
        # The photo route is /reports/photos/<path>: built once, each photo's path appended.
        self.photo_base = url_for("reports.serve_photo", path="x", _external=True)[:-1]

    def _name(self, kind: str, key: int | None, name_of) -> str | None:
        if key is None:
            return None
        if (kind, key) not in self.names:
            self.names[kind, key] = name_of()
        return self.names[kind, key]

    def __call__(self, row: queries.RequestRow, activity: queries.Activity) -> dict:
        refs = self.refs
        category, area = refs.categories[row.category_id], refs.areas.get(row.area_id)
        bureau = refs.bureaus.get(row.bureau_id)
        point = public_point(row.lat, row.lng)
        if row.status not in self.labels:
            self.labels[row.status] = status_label(row.status)
        # When the fix is due: only while a bureau holds the report (not once it is returned).
        held = row.bureau_id is not None and row.routed_at is not None
        expected = resolve_due(row.routed_at) if held and row.status in OPEN_STATUSES else None
        area_name = self._name("area", row.area_id, lambda: area.full_name)
        photo = self.photos.get(row.id)
        return {
            "service_request_id": row.code,
            "status": queries.open311_status(row),
            "status_notes": activity.latest_answer,
            "service_name": self._name("category", row.category_id, lambda: category.name),
            "service_code": category.code,
            "description": row.description,
            "agency_responsible": self._name("bureau", row.bureau_id, lambda: bureau.display_name),
            "service_notice": self.labels[row.status],
            "requested_datetime": _w3c(row.created_at),
            "updated_datetime": _w3c(activity.updated_at),
            "expected_datetime": _w3c(expected),
            "address": row.address or area_name,
            "address_id": area.code if area else None,
            "zipcode": None,
            "lat": point[0] if point else None,
            "long": point[1] if point else None,
            "media_url": self.photo_base + quote(photo) if photo else row.media_url,
        }


def _w3c(moment: datetime | None) -> str | None:
    return moment.isoformat(timespec="seconds") if moment else None


def openapi_document():
    return build_openapi_document()
