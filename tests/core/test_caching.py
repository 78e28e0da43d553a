"""Micro-caching of public pages: fast for anonymous readers, never wrong or personal."""

import re

from sqlalchemy import select

from planvoice.core.extensions import db
from planvoice.plans.models import Measure

TOKEN_RE = re.compile(r'(name="(?:csrf_token|submission_token)" value=")[^"]+"')


def _without_tokens(page: str) -> str:
    return TOKEN_RE.sub(r'\1"', page)


def _measure_url() -> str:
    measure = db.session.scalar(select(Measure).where(Measure.title == "“绣花功夫”管理城市"))
    return f"/measures/{measure.id}"


def test_a_repeated_page_is_served_without_touching_the_database(client, plan, count_queries):
    url = _measure_url()
    first = client.get(url).text
    with count_queries as counter:
        second = client.get(url)
    assert counter.count == 0
    # The same page, but for the per-response form tokens.
    assert _without_tokens(second.text) == _without_tokens(first)
    assert {"Accept-Language", "Cookie"} <= set(second.vary)


def test_each_language_and_display_mode_gets_its_own_page(client, plan):
    url = _measure_url()
    chinese = client.get(url, headers={"Accept-Language": "zh-CN"}).text
    english = client.get(url, headers={"Accept-Language": "en"}).text
    elder = client.get(url + "?elder=on", headers={"Accept-Language": "en"}).text
    assert '<html lang="zh-Hans">' in chinese
    assert '<html lang="en">' in english and 'class="elder"' not in english
    assert '<html lang="en" class="elder">' in elder


def test_guests_who_took_part_always_get_a_fresh_page(client, plan, count_queries):
    url = _measure_url()
    client.get(url)
    with client.session_transaction() as session:
        session["guest"] = "guest:took-part"
    with count_queries as counter:
        assert client.get(url).status_code == 200
    assert counter.count > 0


def test_signed_in_people_always_get_a_fresh_page(client, plan, resident, sign_in, count_queries):
    url = _measure_url()
    client.get(url)
    sign_in(resident)
    with count_queries as counter:
        page = client.get(url, headers={"Accept-Language": "en"}).text
    assert counter.count > 0 and "My activity" in page


def test_forms_on_cached_pages_carry_each_visitors_own_tokens(app, plan):
    url = _measure_url()
    first, second = app.test_client(), app.test_client()
    first_page = first.get(url).text
    second_page = second.get(url).text
    tokens = [re.findall(r'name="(?:csrf_token|submission_token)" value="([^"]+)"', page)
              for page in (first_page, second_page)]  # fmt: skip
    assert tokens[0] and tokens[1]
    assert not set(tokens[0]) & set(tokens[1])
    assert "@@" not in first_page + second_page


def test_missing_pages_are_not_cached(client, plan, count_queries):
    client.get("/measures/999999")
    with count_queries as counter:
        assert client.get("/measures/999999").status_code == 404
    assert counter.count > 0


def test_once_per_request_reads_once_in_a_request_and_every_time_outside(app):
    from planvoice.core.caching import once_per_request

    calls = []

    def read():
        calls.append(1)
        return len(calls)

    with app.test_request_context("/performance"):
        assert once_per_request("test", "a", read) == 1
        assert once_per_request("test", "a", read) == 1  # the same request: kept
        assert once_per_request("test", "b", read) == 2  # another key: read
    with app.test_request_context("/performance"):
        assert once_per_request("test", "a", read) == 3  # a new request reads again
    # Outside a request (a command), nothing is kept, so nothing goes stale.
    assert once_per_request("test", "a", read) == 4
    assert once_per_request("test", "a", read) == 5
