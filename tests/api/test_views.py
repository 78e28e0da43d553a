"""The read-only JSON API and its OpenAPI description."""

import re

import pytest
from jsonschema import Draft202012Validator
from sqlalchemy import select

from planvoice.core.extensions import db
from planvoice.plans.models import Measure


@pytest.fixture
def openapi(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json


def _assert_matches(openapi, path: str, status: str, body) -> None:
    """Validate a response body against the schema the OpenAPI document promises."""
    operation = openapi["paths"][path]["get"]
    schema = operation["responses"][status]["content"]["application/json"]["schema"]
    # The document's "#/components/..." references resolve against this root.
    validator = Draft202012Validator({**schema, "components": openapi["components"]})
    errors = [error.message for error in validator.iter_errors(body)]
    assert not errors


def _park() -> Measure:
    return db.session.scalar(select(Measure).where(Measure.title == "“绣花功夫”管理城市"))


def test_plans_lists_the_plan_with_its_sections(client, plan, openapi):
    body = client.get("/api/v1/plans").json
    _assert_matches(openapi, "/plans", "200", body)
    (only,) = body["plans"]
    assert only["slug"] == "erdao-2021" and only["published"] == "2021-09-30"
    assert [s["measure_count"] for s in only["sections"]] == [1, 1, 3, 9, 3, 3, 3, 3, 4]


def test_measures_lists_every_current_measure_with_its_targets(client, plan, openapi):
    body = client.get("/api/v1/measures").json
    _assert_matches(openapi, "/measures", "200", body)
    measures = body["measures"]
    assert len(measures) == 30
    assert set(measures[0]) >= {"id", "key", "title", "section", "group", "url", "targets"}
    park = next(m for m in measures if m["title"] == "“绣花功夫”管理城市")
    assert park["url"].endswith(f"/measures/{park['id']}")
    assert park["section"]["number"] == "(四)"
    assert [(t["subject"], t["value"], t["unit"], t["comparator"]) for t in park["targets"]] == [
        ("高品质街路", 5, "条", "reach"),
        ("口袋公园", 10, "个", "reach"),
    ]


def test_measures_can_be_filtered_by_plan_and_section(client, plan):
    section_id = _park().section_id
    body = client.get(f"/api/v1/measures?plan=erdao-2021&section={section_id}").json
    assert [m["title"] for m in body["measures"]] == [
        "“大师手笔”规划城市",
        "“工匠精神”建设城市",
        "“绣花功夫”管理城市",
    ]
    assert client.get("/api/v1/measures?plan=nope").status_code == 404


def test_one_measure_has_its_text_and_neighbours(client, plan, openapi):
    park = _park()
    body = client.get(f"/api/v1/measures/{park.id}").json
    _assert_matches(openapi, "/measures/{measure_id}", "200", body)
    assert "全面消除建成区裸露地面" in body["text"] and body["has_text"] is True
    assert body["previous"] == park.id - 1 and body["next"] == park.id + 1
    assert body["plan"]["slug"] == "erdao-2021"


def test_one_section_has_its_measures(client, plan, openapi):
    body = client.get(f"/api/v1/sections/{_park().section_id}").json
    _assert_matches(openapi, "/sections/{section_id}", "200", body)
    assert body["title"] == "协调发展的现代化城乡体系" and len(body["measures"]) == 3


@pytest.mark.parametrize("url", ["/api/v1/measures/999999", "/api/v1/sections/999999"])
def test_unknown_objects_are_a_json_404(client, plan, openapi, url):
    response = client.get(url)
    assert response.status_code == 404 and response.is_json
    _assert_matches(openapi, "/measures/{measure_id}", "404", response.json)


def test_the_api_is_read_only(client, plan):
    response = client.post("/api/v1/measures", json={"title": "x"})
    assert response.status_code == 405 and response.is_json


def test_openapi_document_describes_every_route(app, openapi):
    routes = {
        re.sub(r"<(?:int:)?(\w+)>", r"{\1}", rule.rule.removeprefix("/api/v1"))
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("api.") and rule.endpoint != "api.openapi_document"
    }
    assert routes == set(openapi["paths"])
    assert openapi["openapi"].startswith("3.1")


def test_api_responses_use_a_fixed_number_of_queries(client, plan, count_queries):
    park = _park()
    expected = {
        "/api/v1/plans": 3,
        "/api/v1/measures": 2,
        # The measure, its targets, neighbours (2), rating summary, comments, replies, count,
        # and its report count.
        f"/api/v1/measures/{park.id}": 9,
        f"/api/v1/sections/{park.section_id}": 3,
    }
    for url, queries in expected.items():
        with count_queries as counter:
            assert client.get(url).status_code == 200
        assert counter.count == queries, (url, counter.statements)


@pytest.fixture
def reports(plan):
    from planvoice.demo import load_reference_data
    from planvoice.reports.areas import Category
    from tests.factories import ReportFactory

    load_reference_data()
    db.session.commit()
    bare = db.session.scalar(select(Category).where(Category.code == "bare_ground"))
    public = ReportFactory(category=bare, published=True, reporter_name="王阿姨",
                           contact="13800138000", address="东盛大街",
                           media_url="https://photos.example.com/1.jpg")  # fmt: skip
    waiting = ReportFactory(category=bare)
    return public, waiting


def test_reports_list_public_reports_only_with_public_fields(client, reports, openapi):
    public, waiting = reports
    body = client.get("/api/v1/reports").json
    _assert_matches(openapi, "/reports", "200", body)
    assert [r["code"] for r in body["reports"]] == [public.code]
    (item,) = body["reports"]
    assert item["category"]["code"] == "bare_ground" and item["status"] == "published"
    assert (item["lat"], item["lng"]) == (43.871, 125.352)  # rounded to about 100 m
    assert item["media_url"] == "https://photos.example.com/1.jpg"
    assert "13800138000" not in str(body) and "王阿姨" not in str(body)
    assert client.get("/api/v1/reports?category=dust").json["reports"] == []


def test_a_report_by_code_has_its_timeline_and_hides_unpublished_ones(client, reports, openapi):
    public, waiting = reports
    body = client.get(f"/api/v1/reports/{public.code.lower()}").json
    _assert_matches(openapi, "/reports/{code}", "200", body)
    assert body["code"] == public.code and body["measure"] == public.measure_id
    assert "contact" not in body and "13800138000" not in str(body)
    response = client.get(f"/api/v1/reports/{waiting.code}")
    assert response.status_code == 404
    _assert_matches(openapi, "/reports/{code}", "404", response.json)


def test_a_measure_counts_its_public_reports(client, reports):
    public, _waiting = reports
    body = client.get(f"/api/v1/measures/{public.measure_id}").json
    assert body["report_count"] == 1
