"""Language and large-text preferences, chosen without JavaScript."""


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
