"""Security headers on every response; URLs no database can look up are refused."""

import pytest


@pytest.mark.parametrize("url", ["/", "/api/v1/measures", "/healthz", "/nowhere"])
def test_every_response_carries_a_strict_content_security_policy(client, url):
    headers = client.get(url).headers
    policy = headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"


def test_pages_contain_no_inline_script_or_style(client, plan):
    for url in ("/", "/sections/4", "/measures/20", "/nowhere"):
        page = client.get(url).text
        assert "<script>" not in page and "<style" not in page and "style=" not in page


@pytest.mark.parametrize(
    "url", ["/api/v1/reports?category=bare%00ground", "/reports/EDQ%00", "/measures?x=%00"]
)
def test_a_nul_byte_in_the_url_is_a_bad_request_on_every_database(client, plan, url):
    assert client.get(url).status_code == 400


def test_open311_answers_a_nul_byte_in_its_own_error_shape(client):
    response = client.get("/open311/v2/services/bare%00ground.json")

    assert response.status_code == 400
    assert response.json[0]["code"] == 400
