"""Ids in URLs that no row can have (past 64 bits, or not written as a number) are a 400 in
the API, and the unfiltered page or a 404 for people: never a server error, on either
database."""

import pytest
from sqlalchemy import select

from planvoice.core.extensions import db
from planvoice.feedback.services import rate_measure
from planvoice.plans.models import Section

HUGE = "9999999999999999999999"
PAST_64_BITS = "65553432920359436288"
PAST_32_BITS = "2147483648"  # PostgreSQL's INTEGER ids end one below
NOT_IDS = [HUGE, PAST_32_BITS, "null", "", " 1", "+1", "1.0", "-3"]


@pytest.mark.parametrize("value", NOT_IDS)
@pytest.mark.parametrize(
    "url", ["/api/v1/measures?section=", "/api/v1/ranking?section=", "/api/v1/reports?before="]
)
def test_the_api_refuses_a_query_id_that_is_not_one(client, plan, url, value):
    response = client.get(url + value, headers={"Accept-Language": "en"})
    assert response.status_code == 400 and response.is_json
    error = response.json["error"]
    assert error["code"] == 400 and "whole number" in error["message"]


def test_the_api_refuses_a_report_filter_by_a_measure_no_id_can_be(client, plan):
    response = client.get(f"/api/v1/reports?measure={HUGE}", headers={"Accept-Language": "en"})
    assert response.status_code == 400
    assert response.json["error"]["message"].startswith("measure must be a whole number")


def test_the_api_still_filters_by_a_real_section(client, plan):
    section = db.session.scalars(select(Section).order_by(Section.id)).first()
    body = client.get(f"/api/v1/measures?section={section.id}").json
    assert body["measures"] and {m["section"]["id"] for m in body["measures"]} == {section.id}


@pytest.mark.parametrize("number", [PAST_64_BITS, PAST_32_BITS])
@pytest.mark.parametrize("path", ["sections", "measures"])
def test_a_path_id_no_row_can_have_is_a_json_404(client, plan, path, number):
    response = client.get(f"/api/v1/{path}/{number}")
    assert response.status_code == 404 and response.is_json


def test_a_page_path_id_past_64_bits_is_not_found(client, plan):
    assert client.get(f"/sections/{PAST_64_BITS}").status_code == 404
    assert client.get(f"/measures/{PAST_64_BITS}").status_code == 404


def test_the_ranking_page_ignores_a_section_no_id_can_be(client, plan):
    measure = plan.sections[0].current_measures[0]
    rate_measure(measure, voter_key="guest:one", value=5)
    db.session.commit()
    response = client.get(f"/ranking?section={HUGE}")
    assert response.status_code == 200 and measure.title in response.text


def test_a_measure_page_ignores_a_reply_to_no_id_can_be(client, plan):
    measure_id = plan.sections[0].current_measures[0].id
    assert client.get(f"/measures/{measure_id}?reply_to={HUGE}").status_code == 200


@pytest.mark.parametrize(
    "query", [f"subject={HUGE}", f"before={HUGE}", f"report={HUGE}", "subject=²"]
)
def test_the_audit_log_reads_an_impossible_subject_as_matching_nothing(
    client, sign_in, admin, query
):
    sign_in(admin)
    response = client.get(f"/admin/audit?{query}", headers={"Accept-Language": "en"})
    assert response.status_code == 200


def test_the_users_page_ignores_an_impossible_cursor(client, sign_in, admin):
    sign_in(admin)
    assert client.get(f"/admin/users?after={HUGE}").status_code == 200
