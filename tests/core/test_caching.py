"""Micro-caching of public pages: fast for anonymous readers, never wrong or personal."""

from sqlalchemy import select

from planvoice.core.extensions import db
from planvoice.plans.models import Measure


def _measure_url() -> str:
    measure = db.session.scalar(select(Measure).where(Measure.title == "“绣花功夫”管理城市"))
    return f"/measures/{measure.id}"


def test_a_repeated_page_is_served_without_touching_the_database(client, plan, count_queries):
    url = _measure_url()
    first = client.get(url).text
    with count_queries as counter:
        second = client.get(url)
    assert counter.count == 0
    assert second.text == first
    assert {"Accept-Language", "Cookie"} <= set(second.vary)


def test_each_language_and_display_mode_gets_its_own_page(client, plan):
    url = _measure_url()
    chinese = client.get(url, headers={"Accept-Language": "zh-CN"}).text
    english = client.get(url, headers={"Accept-Language": "en"}).text
    elder = client.get(url + "?elder=on", headers={"Accept-Language": "en"}).text
    assert '<html lang="zh-Hans">' in chinese
    assert '<html lang="en">' in english and 'class="elder"' not in english
    assert '<html lang="en" class="elder">' in elder


def test_visitors_with_a_session_always_get_a_fresh_page(client, plan, count_queries):
    url = _measure_url()
    client.get(url)
    client.set_cookie("session", "anything")
    with count_queries as counter:
        assert client.get(url).status_code == 200
    assert counter.count > 0


def test_missing_pages_are_not_cached(client, plan, count_queries):
    client.get("/measures/999999")
    with count_queries as counter:
        assert client.get("/measures/999999").status_code == 404
    assert counter.count > 0
