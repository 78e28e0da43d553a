"""A resident reports bare ground from a 360 px phone, the community worker of the area
publishes it, and a neighbour supports it instead of reporting it twice, in both languages.
Every page touched stays axe-core clean."""

import io
import re

import pytest
from PIL import Image
from sqlalchemy import func, select

from planvoice.bureaus.models import Bureau
from planvoice.core.extensions import db
from planvoice.demo import load_reference_data
from planvoice.reports.areas import Area
from planvoice.reports.models import Report
from tests.browser.test_plan_pages import assert_accessible, assert_fits_phone
from tests.browser.test_resident_voice import sign_in_page
from tests.factories import UserFactory

pytestmark = pytest.mark.browser
CODE = re.compile(r"EDQ-[2-9A-Z]{4}-[2-9A-Z]{2}")
WORDS = {
    "zh_Hans": {"received": "问题已收到", "nearby": "可能已有人反映过这个问题",
                "one": "有 1 位居民", "publish": "发布", "route": "转交", "accept": "受理",
                "reply": "回复", "resolve": "办结", "bureau": "区城市管理执法局"},
    "en": {"received": "report received", "nearby": "Someone may already",
           "one": "1 resident has", "publish": "Publish", "route": "Route", "accept": "Accept",
           "reply": "Reply", "resolve": "Resolve",
           "bureau": "Urban Management and Law Enforcement Bureau"},
}  # fmt: skip


@pytest.fixture
def reference_data(plan):
    load_reference_data()
    dongsheng = db.session.scalar(select(Area).where(Area.code == "dongsheng"))
    city = db.session.scalar(select(Bureau).where(Bureau.code == "urban_management"))
    logins = {
        "worker": UserFactory(moderator=True, areas=[dongsheng]).login,
        "clerk": UserFactory(bureau_staff=True, bureau=city).login,
    }
    db.session.commit()
    db.session.rollback()  # no open transaction in the test thread while the server works
    return logins


def _check(page):
    assert_fits_phone(page)
    assert_accessible(page)


def _submit(page, selector):
    page.locator(selector).click()
    page.wait_for_load_state("load")


@pytest.mark.parametrize("language", ["zh_Hans", "en"])
def test_a_resident_reports_bare_ground_and_a_neighbour_supports_it(
    new_page, live_server, reference_data, gps_photo, language
):
    words = WORDS[language]
    description = f"东盛大街路口的空地一直是黄土,刮风就起尘 ({language})"

    # The resident fills the form on a phone, JavaScript on, and attaches a photo with GPS.
    resident = new_page()
    resident.goto(f"{live_server}/reports/new?lang={language}")
    _check(resident)
    resident.check("input[name=category][value=bare_ground]")
    resident.select_option("select[name=area]", "dongsheng")
    resident.fill("input[name=lat]", "43.8712")
    resident.fill("input[name=lng]", "125.3520")
    resident.fill("textarea[name=description]", description)
    resident.set_input_files("input[name=photos]", gps_photo)
    resident.fill("input[name=contact]", "13800138000")
    resident.wait_for_selector("#send-report:enabled")
    _submit(resident, "#send-report")

    # The tracking code and the report's own page, with its timeline.
    code = CODE.search(resident.locator("p.flash").inner_text())[0]
    assert resident.url.endswith(f"/reports/{code}")
    assert description in resident.content() and words["received"] in resident.content()
    _check(resident)

    # The photo served back carries no EXIF at all, GPS least of all.
    href = resident.locator("ul.photos a").first.get_attribute("href")
    served = resident.request.get(f"{live_server}{href}")
    assert served.ok and served.headers["content-type"] == "image/jpeg"
    image = Image.open(io.BytesIO(served.body()))
    assert image.size == (1200, 900) and not image.getexif()
    assert b"PhoneMaker" not in served.body()

    # The community worker of Dongsheng opens it from the moderation queue and publishes it.
    worker = new_page()
    worker.goto(f"{live_server}/login?lang={language}")
    sign_in_page(worker, live_server, reference_data["worker"], language)
    worker.goto(f"{live_server}/moderation")
    _check(worker)
    worker.locator(f"li#report-{code} a.case-link").click()
    worker.wait_for_load_state("load")
    assert description in worker.content() and "13800138000" in worker.content()
    _check(worker)
    worker.locator("#case-step-publish").get_by_role(
        "button", name=words["publish"], exact=True
    ).click()
    worker.wait_for_load_state("load")
    _check(worker)
    # … and sends it to the bureau its category suggests.
    routing = worker.locator("#case-step-route")
    assert routing.locator("select[name=bureau]").input_value() == "urban_management"
    routing.get_by_role("button", name=words["route"], exact=True).click()
    worker.wait_for_load_state("load")
    _check(worker)

    # The bureau's clerk opens it from the inbox, accepts it and answers in public.
    clerk = new_page()
    sign_in_page(clerk, live_server, reference_data["clerk"], language)
    clerk.goto(f"{live_server}/bureau")
    _check(clerk)
    clerk.locator(f"li#report-{code} a.case-link").click()
    clerk.wait_for_load_state("load")
    clerk.locator("#case-step-accept").get_by_role(
        "button", name=words["accept"], exact=True
    ).click()
    clerk.wait_for_load_state("load")
    clerk.locator("#case-step-reply textarea[name=body]").fill("已安排人员现场核查。")
    clerk.locator("#case-step-reply").get_by_role("button", name=words["reply"], exact=True).click()
    clerk.wait_for_load_state("load")
    _check(clerk)

    # A neighbour, JavaScript off, starts a report of the same thing a few metres away …
    neighbour = new_page(javascript=False)
    neighbour.goto(f"{live_server}/reports/new?lang={language}")
    neighbour.check("input[name=category][value=bare_ground]")
    neighbour.fill("input[name=lat]", "43.8715")
    neighbour.fill("input[name=lng]", "125.3522")
    neighbour.fill("textarea[name=description]", "我家楼下也是这块黄土地")
    _submit(neighbour, "button[name=action][value=check]")

    # … is told it is already reported, and supports it instead. (axe-core needs JavaScript:
    # the same pages are checked below with it on.)
    assert words["nearby"] in neighbour.content() and code in neighbour.content()
    assert "我家楼下也是这块黄土地</textarea>" in neighbour.content()  # nothing to retype
    _submit(neighbour, f"button[formaction$='/reports/{code}/support']")
    assert neighbour.url.endswith(f"/reports/{code}#support")
    assert words["one"] in neighbour.content()

    # With JavaScript on, the hint appears as soon as the kind and the place are known.
    third = new_page()
    third.goto(f"{live_server}/reports/new?lang={language}")
    third.check("input[name=category][value=bare_ground]")
    third.fill("input[name=lat]", "43.8710")
    third.fill("input[name=lng]", "125.3519")
    third.press("input[name=lng]", "Tab")
    third.wait_for_selector(f"#nearby >> text={code}")
    _check(third)
    third.goto(f"{live_server}/reports/{code}?lang={language}")
    assert words["one"] in third.content() and words["bureau"] in third.content()
    assert "已安排人员现场核查。" in third.content()
    _check(third)

    # The listing, and tracking by code (also a mistyped one), are phone-sized and accessible.
    third.goto(f"{live_server}/reports?lang={language}&category=bare_ground")
    assert code in third.content()
    _check(third)
    third.goto(f"{live_server}/track?lang={language}")
    third.fill("input[name=code]", code.lower())
    _submit(third, "form[action='/track'] button")
    assert third.url.endswith(f"/reports/{code}")
    third.goto(f"{live_server}/track?lang={language}&code=EDQ-0000")
    _check(third)

    # The clerk resolves it with a photo of the fix; the resident is not satisfied: it reopens.
    clerk.goto(f"{live_server}/reports/{code}")
    step = clerk.locator("#case-step-resolve")
    step.locator("textarea[name=body]").fill("已覆盖绿网。")
    step.locator("input[name=after_photo]").set_input_files(gps_photo)
    step.get_by_role("button", name=words["resolve"], exact=True).click()
    clerk.wait_for_load_state("load")
    resident.goto(f"{live_server}/reports/{code}?lang={language}")
    _check(resident)
    resident.check("input[name=satisfaction][value=not_satisfied]")
    resident.check("input[name=solved][value=no]")
    resident.fill("textarea[name=comment]", "绿网被风吹走了,还是黄土。")
    _submit(resident, "#satisfaction button[type=submit]")
    assert "绿网被风吹走了,还是黄土。" in resident.content()
    _check(resident)

    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Report)) == 1
    assert db.session.scalar(select(Report.support_count)) == 1
    assert db.session.scalar(select(Report.status)) == "reopened"


def test_photos_are_made_smaller_in_the_browser_before_upload(page, live_server, reference_data):
    big = io.BytesIO()
    Image.new("RGB", (3200, 2400), "olive").save(big, "PNG")
    page.goto(f"{live_server}/reports/new")
    page.set_input_files(
        "input[name=photos]",
        files=[{"name": "big.png", "mimeType": "image/png", "buffer": big.getvalue()}],
    )
    page.wait_for_selector("#send-report:enabled")
    chosen = page.evaluate(
        """async () => {
            const file = document.querySelector('#photos').files[0];
            const bitmap = await createImageBitmap(file);
            return [file.name, file.type, bitmap.width, bitmap.height];
        }"""
    )
    assert chosen == ["big.jpg", "image/jpeg", 1600, 1200]
