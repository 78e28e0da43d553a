"""Browser fixtures: one headless Debian Chromium per session, a live server per test.

Playwright cannot download its own browsers here, so the system Chromium is launched with the
flags that keep it off the network (no Google services, no updates, no sync). Without Chromium
the browser tests are skipped locally and fail on CI (``CI=true``), where it must be installed.
"""

import os
from pathlib import Path

import pytest
from PIL import Image

from tests.factories import PASSWORD

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 360, "height": 740}


def pytest_collection_modifyitems(config, items):
    """Browser tests run on SQLite only: they check what people see and do in the browser, and
    every database path they take is tested on PostgreSQL by the other tests. Driving Chromium
    again on PostgreSQL would cost about a minute and a half of the suite and prove nothing
    new."""
    kept, on_postgresql = [], []
    for item in items:
        callspec = getattr(item, "callspec", None)
        on_pg = callspec is not None and callspec.params.get("database_template") == "postgresql"
        (on_postgresql if on_pg and item.get_closest_marker("browser") else kept).append(item)
    if on_postgresql:
        config.hook.pytest_deselected(items=on_postgresql)
        items[:] = kept


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} not found: install Debian's chromium to run the browser tests"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        print(reason)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, live_server):
    """Open pages in fresh phone-sized, Chinese-locale contexts: ``new_page(javascript=False)``.

    Depends on ``live_server`` so every context (and its keep-alive connections) is closed
    before the server shuts down.
    """
    contexts = []

    def open_page(*, javascript: bool = True):
        context = browser.new_context(
            viewport=PHONE, locale="zh-CN", java_script_enabled=javascript
        )
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture
def no_js_page(new_page):
    return new_page(javascript=False)


@pytest.fixture
def gps_photo(tmp_path):
    """A phone photo that gives away where it was taken (GPS in its EXIF)."""
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif.get_ifd(0x8825).update({1: "N", 2: (43.0, 52.0, 16.0), 3: "E", 4: (125.0, 21.0, 7.0)})
    path = tmp_path / "bare-ground.jpg"
    Image.new("RGB", (1200, 900), "peru").save(path, "JPEG", exif=exif.tobytes())
    with Image.open(path) as written:
        assert written.getexif().get_ifd(0x8825)  # the photo really carries GPS data
    return path


def sign_in_through_form(page, base: str, login: str, language: str, password: str = PASSWORD):
    """Sign in through the real form, reading the site in ``language``."""
    page.goto(f"{base}/login?lang={language}")
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", password)
    page.locator("form[action='/login'] [type=submit]").click()
    page.wait_for_load_state("load")
