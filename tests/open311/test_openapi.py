"""The OpenAPI document of Open311 describes every endpoint, and the endpoints keep to it:
Schemathesis sends them generated requests and checks every answer against the document."""

import re

import pytest
import schemathesis
from hypothesis import settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from referencing import Registry
from referencing.jsonschema import DRAFT202012
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy import select

from planvoice.core.extensions import db
from planvoice.moderation.services import publish_report
from planvoice.open311 import services
from planvoice.open311.models import Open311Request
from planvoice.reports.areas import Area, Category

FLASK_VARIABLE_RE = re.compile(r"<(?:[^>]*:)?(\w+)>")  # <any(json, xml):fmt> and <token>


def _refs(node):
    if isinstance(node, dict):
        if "$ref" in node:
            yield node["$ref"]
        for value in node.values():
            yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


@pytest.fixture
def document(client):
    response = client.get("/open311/v2/openapi.json")
    assert response.status_code == 200 and response.is_json
    return response.json


def test_the_document_is_valid_openapi_3_1_and_every_reference_resolves(document):
    loaded = schemathesis.openapi.from_dict(document)
    loaded.validate()  # against the OpenAPI 3.1 meta-schema
    assert document["servers"] == [{"url": "http://localhost/open311/v2"}]
    resolver = Registry().with_resource("", DRAFT202012.create_resource(document)).resolver()
    for reference in set(_refs(document)):
        resolver.lookup(reference)  # raises Unresolvable
    for schema in document["components"]["schemas"].values():
        Draft202012Validator.check_schema(schema)
    assert all(result.ok() for result in loaded.get_all_operations())


def test_every_open311_url_is_documented(app, document):
    documented = {
        (path.replace("{format}", "{fmt}"), method.upper())
        for path, operations in document["paths"].items()
        for method in operations
    }
    served = {
        (FLASK_VARIABLE_RE.sub(r"{\1}", rule.rule.removeprefix("/open311/v2")), method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("open311.")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert served == documented


@pytest.fixture
def published(api_key, moderator) -> Open311Request:
    """A request filed through Open311 and published."""
    filed = services.file_request(
        api_key=services.authenticate(api_key),
        category=db.session.scalars(select(Category).where(Category.is_active)).first(),
        description="小区门口的空地一直是黄土,下雨就是泥。",
        area=db.session.scalars(select(Area)).first(),
        point=(43.8712, 125.3520),
    )
    publish_report(filed.report, moderator=moderator)
    db.session.commit()
    return filed


@pytest.fixture
def open311_schema(app, api_key, published, no_rate_limits):
    """The served document, loaded by Schemathesis. Generated path parameters are sometimes
    swapped for real objects, and generated bodies for a valid filing (whole, or under the
    other generated fields), so that cases reach past the 404s and the 400s."""
    report = published.report
    real = {
        "service_code": report.category.code,
        "request_id": report.code,
        "token": published.token,
    }
    valid = {
        "api_key": api_key,
        "service_code": report.category.code,
        "description": "人行道上的井盖松动了,踩上去会响。",
        "address_id": report.area.code,
    }
    schema = schemathesis.openapi.from_wsgi("/open311/v2/openapi.json", app)

    @schema.hook
    def flatmap_path_parameters(context, path_parameters):
        swaps = [path_parameters | {name: real[name]} for name in path_parameters if name in real]
        return st.sampled_from([path_parameters, *swaps])

    @schema.hook
    def flatmap_body(context, body):
        if not isinstance(body, dict):
            return st.just(body)
        return st.sampled_from([body, body | valid, valid])

    return schema


open311 = schemathesis.pytest.from_fixture("open311_schema")
MEDIA_TYPES = {"json": "application/json", "xml": "text/xml"}
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def node_id_for_schemathesis(request):
    """Schemathesis 4.32's lazy loader reads ``Node._nodeid``, which pytest 9.2 no longer has."""
    request.node._nodeid = request.node.nodeid


@pytest.mark.usefixtures("node_id_for_schemathesis")
@settings(max_examples=30, deadline=None)
@open311.parametrize()
def test_the_endpoints_keep_to_the_document(case, client, api_key):
    positive = case.meta.generation.mode is GenerationMode.POSITIVE
    if positive and isinstance(case.body, dict):
        case.body["api_key"] = api_key  # any other key is a 403; negative cases may keep theirs
    response = case.call_and_validate(session=client, checks=CHECKS)
    # Both formats' content types are documented for each response: each URL gives its own.
    if positive and case.method == case.operation.method.upper():
        media_type = MEDIA_TYPES[case.path_parameters["format"]]
        assert response.headers["content-type"] == [f"{media_type}; charset=utf-8"]
