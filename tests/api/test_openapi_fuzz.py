"""The API keeps to its OpenAPI document: Schemathesis sends generated requests, valid and not,
and checks every answer (status, headers, body) against what the document promises."""

import pytest
import schemathesis
from hypothesis import settings
from hypothesis import strategies as st
from schemathesis.checks import (
    content_type_conformance,
    negative_data_rejection,
    not_a_server_error,
    positive_data_acceptance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
)
from sqlalchemy import select

from planvoice.core.extensions import db
from planvoice.core.params import MAX_ID
from planvoice.demo import load_reference_data
from planvoice.reports.areas import Category
from tests.factories import ReportFactory


def _is_id(value) -> bool:
    return type(value) is int and 1 <= value <= MAX_ID


@pytest.fixture
def api_schema(app, plan, no_rate_limits):
    """The served document, loaded by Schemathesis. Generated path ids and codes are sometimes
    swapped for real ones, so that cases reach past the 404s."""
    load_reference_data()
    db.session.commit()
    bare = db.session.scalar(select(Category).where(Category.code == "bare_ground"))
    report = ReportFactory(category=bare, published=True, address="东盛大街")
    section = report.measure.section
    real = {"section_id": section.id, "measure_id": report.measure_id, "code": report.code}
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)

    # Only a valid value is swapped, so that a negative case stays negative.
    @schema.hook
    def flatmap_path_parameters(context, path_parameters):
        if not isinstance(path_parameters, dict):
            return st.just(path_parameters)
        swaps = [
            path_parameters | {name: real[name]}
            for name, value in path_parameters.items()
            if name in real and (name == "code" or _is_id(value))
        ]
        return st.sampled_from([path_parameters, *swaps])

    @schema.hook
    def flatmap_query(context, query):
        if not isinstance(query, dict) or not _is_id(query.get("section")):
            return st.just(query)
        return st.sampled_from([query, query | {"section": section.id}])

    return schema


api = schemathesis.pytest.from_fixture("api_schema")
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
    negative_data_rejection,
    positive_data_acceptance,
    unsupported_method,
]


@pytest.fixture
def node_id_for_schemathesis(request):
    """Schemathesis 4.32's lazy loader reads ``Node._nodeid``, which pytest 9.2 no longer has."""
    request.node._nodeid = request.node.nodeid


@pytest.mark.usefixtures("node_id_for_schemathesis")
@settings(max_examples=30, deadline=None)
@api.parametrize()
def test_the_endpoints_keep_to_the_document(case, client):
    case.call_and_validate(session=client, checks=CHECKS)


def test_a_method_the_api_does_not_offer_names_the_ones_it_does(client):
    response = client.delete("/api/v1/measures")
    assert response.status_code == 405 and response.is_json
    assert set(response.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS"}
