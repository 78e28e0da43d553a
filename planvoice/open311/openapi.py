"""The OpenAPI 3.1 description of ``/open311/v2/`` (served at ``/open311/v2/openapi.json``).

Every resource comes in both formats of GeoReport v2, chosen by the ``{format}`` path
parameter: JSON as the schemas below describe it, or XML with the specification's element
names (a string here: OpenAPI has no way to describe it usefully).
"""

from flask import url_for

from planvoice.api.schemas import nullable, ref

STRING = {"type": "string"}
DATE_TIME = {"type": "string", "format": "date-time"}
URI = {"type": "string", "format": "uri"}


def _object(**properties: dict) -> dict:
    """An object with exactly these keys, all present (None shows as null)."""
    return {
        "type": "object",
        "required": list(properties),
        "properties": properties,
        "additionalProperties": False,
    }


def _array_of(name: str) -> dict:
    return {"type": "array", "items": ref(name)}


def _one(name: str) -> dict:
    """The specification wraps single objects in a list too."""
    return _array_of(name) | {"minItems": 1, "maxItems": 1}


SCHEMAS = {
    "Error": _array_of("ErrorItem")
    | {"minItems": 1, "description": "One item per problem, e.g. one per invalid parameter"},
    "ErrorItem": _object(code={"type": "integer"}, description=STRING),
    "Discovery": _object(
        changeset=DATE_TIME | {"description": "When the endpoint list last changed"},
        contact=STRING,
        key_service=STRING | {"description": "How to get an api_key"},
        endpoints={
            "type": "array",
            "items": _object(
                specification=URI,
                url=URI,
                changeset=DATE_TIME,
                type={"enum": ["production", "test"]},
                formats={
                    "type": "array",
                    "items": {"enum": ["text/xml", "application/json"]},
                },
            ),
        },
    ),
    "Service": _object(
        service_code=STRING,
        service_name=STRING,
        description=STRING,
        metadata={"type": "boolean", "description": "Whether it has a service definition"},
        type={"enum": ["realtime", "batch", "blackbox"]},
        keywords=STRING | {"description": "Comma-separated"},
        group=STRING | {"description": "The bureau that usually handles it"},
    ),
    "ServiceDefinition": _object(service_code=STRING, attributes=_array_of("Attribute")),
    "Attribute": _object(
        variable={"type": "boolean"},
        code=STRING | {"description": "Send its value as attribute[code]"},
        datatype={
            "enum": ["string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"]
        },
        required={"type": "boolean"},
        datatype_description=nullable("string"),
        order={"type": "integer"},
        description=STRING,
        values={
            "type": "array",
            "items": _object(key=STRING, name=STRING),
        },
    ),
    "ServiceRequest": _object(
        service_request_id=STRING | {"description": "The tracking code, e.g. EDQ-7K3M-2P"},
        status={"enum": ["open", "closed"]},
        status_notes=nullable("string") | {"description": "The latest public answer"},
        service_name=STRING,
        service_code=STRING,
        description=STRING,
        agency_responsible=nullable("string"),
        service_notice=STRING | {"description": "The report's status in words"},
        requested_datetime=DATE_TIME,
        updated_datetime=DATE_TIME,
        expected_datetime=nullable("string") | {"format": "date-time"},
        address=nullable("string"),
        address_id=nullable("string") | {"description": "Area code (see attribute area)"},
        zipcode={"type": "null"},
        lat=nullable("number"),
        long=nullable("number"),
        media_url=nullable("string") | {"description": "A photo: ours, or as the client sent it"},
    ),
    "FiledRequest": _object(
        token=STRING | {"description": "Follow it at tokens/{token} to the service_request_id"},
        service_notice=STRING,
        account_id=nullable("string"),
    ),
    "Token": _object(
        service_request_id=nullable("string") | {"description": "Null until published"},
        token=STRING,
    ),
}


def _json(description: str, schema: dict) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _response(description: str, schema: dict) -> dict:
    """JSON as ``schema`` says, or XML (``.xml`` URLs)."""
    response = _json(description, schema)
    response["content"]["text/xml"] = {"schema": STRING}
    return response


ERRORS = {
    "400": "Invalid parameters, each error naming the parameter",
    "403": "Missing, wrong or revoked api_key",
    "404": "No such object, or a format other than json and xml",
    "429": "Too many requests: wait a moment",
}


def _operation(operation_id: str, summary: str, ok: dict, *errors: str, parameters=()) -> dict:
    """An operation answering 200 with ``ok`` (a schema) or one of ``errors``; any of them
    answers 400 to a NUL byte in its URL, 404 to an unknown format and 429 when rate-limited."""
    responses = {"200": _response(summary, ok)}
    for status in sorted({*errors, "400", "404", "429"}):
        responses[status] = _response(ERRORS[status], ref("Error"))
    parameters = [_path("format", {"enum": ["json", "xml"]}), *parameters]
    return {
        "operationId": operation_id,
        "summary": summary,
        "parameters": parameters,
        "responses": responses,
    }


def _path(name: str, schema: dict) -> dict:
    return {"name": name, "in": "path", "required": True, "schema": schema}


def _query(name: str, description: str, schema: dict = STRING) -> dict:
    return {"name": name, "in": "query", "schema": schema, "description": description}


def _form(**fields: str) -> dict:
    """A form-encoded body of string fields (lat and long too, as decimal degrees)."""
    return {
        "required": True,
        "content": {
            "application/x-www-form-urlencoded": {
                "schema": {
                    "type": "object",
                    "required": ["api_key"],
                    "properties": {name: STRING | {"description": d} for name, d in fields.items()},
                }
            }
        },
    }


CODES = "Comma-separated list"
PATHS = {
    "/discovery.{format}": {
        "get": _operation("discovery", "Where and how to use this endpoint", ref("Discovery"))
    },
    "/services.{format}": {
        "get": _operation(
            "listServices",
            "The services (report categories)",
            _array_of("Service"),
            parameters=[_query("locale", "Language of names, e.g. en or zh_CN")],
        )
    },
    "/services/{service_code}.{format}": {
        "get": _operation(
            "showService",
            "A service's definition: its attributes",
            ref("ServiceDefinition"),
            parameters=[_path("service_code", STRING)],
        )
    },
    "/requests.{format}": {
        "get": _operation(
            "listRequests",
            "Public requests, newest first: by default of the last 90 days, at most 1000",
            _array_of("ServiceRequest"),
            parameters=[
                _query("service_request_id", f"{CODES} of tracking codes; other filters ignored"),
                _query("service_code", f"{CODES} of service codes"),
                _query("start_date", "With its time zone", DATE_TIME),
                _query(
                    "end_date", "With its time zone; at most 90 days after start_date", DATE_TIME
                ),
                _query(
                    "status", "open, closed or both", {"enum": ["open", "closed", "open,closed"]}
                ),
            ],
        ),
        "post": _operation(
            "createRequest",
            "File a request: a community worker reviews it before it is published",
            _one("FiledRequest"),
            "403",
        )
        | {
            "requestBody": _form(
                api_key="Issued by the administrators",
                service_code="See services",
                description="10 to 2000 characters",
                lat="Decimal degrees, with long",
                long="Decimal degrees, with lat",
                address_string="Street address; may name the area instead of a point",
                address_id="Area code, as attribute[area]",
                **{"attribute[area]": "Area code from the service definition"},
                email="Reporter's e-mail address",
                phone="Reporter's 11-digit mobile number",
                first_name="Reporter's given name",
                last_name="Reporter's family name",
                device_id="Id of the reporting device",
                account_id="Reporter's account in the client app",
                media_url="http or https address of a photo",
                jurisdiction_id="Accepted and ignored: one jurisdiction is served",
            )
        },
    },
    "/requests/{request_id}.{format}": {
        "get": _operation(
            "showRequest",
            "One public request",
            _one("ServiceRequest"),
            parameters=[_path("request_id", STRING | {"description": "The tracking code"})],
        )
    },
    "/tokens/{token}.{format}": {
        "get": _operation(
            "showToken",
            "The request filed with this token, once it has a service_request_id",
            _one("Token"),
            parameters=[_path("token", STRING)],
        )
    },
    "/openapi.json": {
        "get": {
            "operationId": "openapiDocument",
            "summary": "This document",
            "responses": {
                "200": _json("This document", {"type": "object"}),
                "429": _json(ERRORS["429"], ref("Error")),
            },
        }
    },
}


def build_openapi_document() -> dict:
    server = url_for("open311.discovery", fmt="json", _external=True).rsplit("/", 1)[0]
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "PlanVoice Open311",
            "version": "2",
            "description": (
                "Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2): the services "
                "residents can report problems about, filing a report, and reading public "
                "reports back. Every resource is served as .json and .xml."
            ),
        },
        "servers": [{"url": server}],
        "paths": PATHS,
        "components": {"schemas": SCHEMAS},
    }
