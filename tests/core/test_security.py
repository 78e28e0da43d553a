"""Security headers on every response."""

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
