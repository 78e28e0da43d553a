"""Language and large-text preferences, chosen without JavaScript."""

from datetime import UTC, datetime

import pytest


def test_chinese_is_the_default(client, plan):
    page = client.get("/").text
    assert '<html lang="zh-Hans">' in page and "规划民声" in page


def test_accept_language_picks_english(client, plan):
    page = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"}).text
    assert '<html lang="en">' in page and "Skip to content" in page


def test_accept_language_for_chinese_variants_picks_simplified_chinese(client, plan):
    page = client.get("/", headers={"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5"}).text
    assert '<html lang="zh-Hans">' in page


def test_lang_parameter_switches_and_is_remembered(client, plan):
    response = client.get("/?lang=en", headers={"Accept-Language": "zh-CN"})
    assert '<html lang="en">' in response.text
    assert "lang=en" in response.headers["Set-Cookie"]

    later = client.get("/", headers={"Accept-Language": "zh-CN"})
    assert '<html lang="en">' in later.text

    back = client.get("/?lang=zh_Hans")
    assert '<html lang="zh-Hans">' in back.text
    assert '<html lang="zh-Hans">' in client.get("/").text


def test_an_unknown_language_is_ignored(client, plan):
    page = client.get("/?lang=xx", headers={"Accept-Language": "en"}).text
    assert '<html lang="en">' in page


def test_the_switch_link_keeps_the_page(client, plan):
    page = client.get("/sections/3?lang=en").text
    assert 'href="/sections/3?lang=zh_Hans"' in page


def test_elder_mode_is_switched_by_a_link_and_remembered(client, plan):
    page = client.get("/?elder=on").text
    assert '<html lang="zh-Hans" class="elder">' in page
    assert 'class="elder"' in client.get("/").text
    assert 'class="elder"' not in client.get("/?elder=off").text
    assert 'class="elder"' not in client.get("/").text


@pytest.mark.parametrize("lang", ["zh_Hans", "en"])
def test_short_dates_read_exactly_as_babel_writes_them(app, lang):
    import flask_babel

    from planvoice.core.i18n import datetime_filter

    # Morning and afternoon, single and double digits, the turn of a year, a naive UTC value.
    moments = [
        datetime(2026, 1, 2, 3, 4, tzinfo=UTC),
        datetime(2026, 12, 31, 16, 5, tzinfo=UTC),
        datetime(2026, 6, 15, 4, 30, tzinfo=UTC),
        datetime(2009, 10, 10, 23, 59),
    ]
    with app.test_request_context(f"/?lang={lang}"):
        flask_babel.refresh()  # the test's app context may hold another request's language
        assert str(flask_babel.get_locale()) == lang
        for moment in moments:
            assert datetime_filter(moment, "short") == flask_babel.format_datetime(moment, "short")
        assert datetime_filter(moments[0], "medium") == flask_babel.format_datetime(
            moments[0], "medium"
        )
        assert datetime_filter(None, "short") == ""
    with app.test_request_context("/?lang=zh_Hans"):
        flask_babel.refresh()
        # Changchun is 8 hours ahead: 16:05 UTC on New Year's Eve is already the next year.
        assert datetime_filter(moments[1], "short") == "2027/1/1 00:05"
