"""The report page is the case page: above the public part, each signed-in staff member finds
the panel of what they may do now, and nothing else."""

import io
import re

import pytest
from sqlalchemy import select

from planvoice.bureaus.queries import get_bureau
from planvoice.core.db import utcnow
from planvoice.core.extensions import db
from planvoice.reports.areas import Area
from planvoice.reports.models import Report
from tests.conftest import csrf_from
from tests.factories import ReportFactory, UserFactory
from tests.reports.conftest import jpeg_bytes


@pytest.fixture
def street(categories) -> Area:
    return db.session.scalar(select(Area).where(Area.code == "dongsheng"))


@pytest.fixture
def routed(categories, street):
    return ReportFactory(category=categories["bare_ground"], status="routed", area=street,
                         bureau=get_bureau("urban_management"), routed_at=utcnow(),
                         contact="13800138000", published=True)  # fmt: skip


@pytest.fixture
def clerk(client, sign_in, categories):
    user = UserFactory(bureau_staff=True, bureau=get_bureau("urban_management"))
    sign_in(user)
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return user


@pytest.fixture
def worker(client, sign_in, street):
    user = UserFactory(moderator=True, areas=[street])
    sign_in(user)
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return user


def _reload(report) -> Report:
    db.session.expire_all()
    return db.session.get(Report, report.id)


def _panel(page: str) -> str:
    """The staff panel of the case page, which comes before the public description."""
    start = page.index('id="case"')
    return page[start : page.index("</section>", start)]


def _step(client, report, step, **data):
    data = {"csrf_token": csrf_from(client, f"/reports/{report.code}"), "back": "case", **data}
    return client.post(f"/bureau/reports/{report.code}/{step}", data=data,
                       content_type="multipart/form-data")  # fmt: skip


def _steps(page: str) -> list[str]:
    return re.findall(r'id="case-step-([a-z]+)"', page)


def test_the_clerk_does_every_step_on_the_case_page(client, clerk, routed):
    page = client.get(f"/reports/{routed.code}").text
    assert page.index('id="case"') < page.index('class="description"')
    panel = _panel(page)
    assert "13800138000" in panel and "Accept by" in panel
    # Routed: accept, or return it (set apart); nothing else yet.
    assert _steps(panel) == ["accept", "return"]
    assert 'class="case-step apart" id="case-step-return"' in panel
    assert "Me too" not in page and 'name="satisfaction"' not in page

    response = _step(client, routed, "accept")
    assert response.headers["Location"].endswith(f"/reports/{routed.code}#case")
    assert _reload(routed).status == "accepted"
    assert _steps(_panel(client.get(f"/reports/{routed.code}").text)) == [
        "reply", "progress", "resolve", "return",
    ]  # fmt: skip

    _step(client, routed, "reply", body="已安排人员现场查看。")
    _step(client, routed, "progress", body="正在平整土地。")
    panel = _panel(client.get(f"/reports/{routed.code}").text)
    assert _steps(panel) == ["reply", "resolve"]
    photo = (io.BytesIO(jpeg_bytes()), "after.jpg")
    _step(client, routed, "resolve", body="已种植草坪。", after_photo=photo)
    report = _reload(routed)
    assert report.status == "resolved" and len(report.after_photos) == 1
    page = client.get(f"/reports/{routed.code}").text
    assert _steps(_panel(page)) == [] and "Nothing to do now" in _panel(page)
    assert "已安排人员现场查看。" in page and "已种植草坪。" in page


def test_a_step_refused_on_the_case_page_says_why_and_changes_nothing(client, clerk, routed):
    response = _step(client, routed, "return", body="")
    assert response.headers["Location"].endswith(f"/reports/{routed.code}#case")
    assert _reload(routed).status == "routed"
    assert "Say why the report is returned." in client.get(f"/reports/{routed.code}").text


def test_another_bureau_gets_no_panel(client, sign_in, routed):
    sign_in(UserFactory(bureau_staff=True, bureau=get_bureau("ecology")))
    page = client.get(f"/reports/{routed.code}").text
    assert 'id="case"' not in page and "13800138000" not in page


@pytest.fixture
def submitted(categories, street):
    return ReportFactory(category=categories["dust"], status="submitted", area=street,
                         lat=43.8712, lng=125.3520, contact="li@example.org")  # fmt: skip


def test_the_community_worker_publishes_and_routes_with_the_suggested_bureau(
    client, worker, submitted
):
    panel = _panel(client.get(f"/reports/{submitted.code}").text)
    assert _steps(panel) == ["publish", "duplicate", "redact", "reject"]
    assert 'class="button danger"' in panel[panel.index('id="case-step-reject"') :]
    csrf = csrf_from(client, f"/reports/{submitted.code}")
    response = client.post(f"/moderation/reports/{submitted.code}/publish",
                           data={"csrf_token": csrf, "back": "case"})  # fmt: skip
    assert response.headers["Location"].endswith(f"/reports/{submitted.code}#case")
    assert _reload(submitted).status == "published"

    panel = _panel(client.get(f"/reports/{submitted.code}").text)
    assert _steps(panel) == ["route", "duplicate", "redact"]
    suggested = submitted.category.default_bureau
    assert re.search(rf'<option selected value="{suggested.code}">', panel)
    client.post(f"/moderation/reports/{submitted.code}/route",
                data={"csrf_token": csrf, "back": "case", "bureau": suggested.code})  # fmt: skip
    assert _reload(submitted).status == "routed" and _reload(submitted).bureau_id == suggested.id


def test_duplicates_are_suggested_and_marked_with_one_press(client, worker, categories, street):
    # 30 m apart, same category: the same dust.
    original = ReportFactory(category=categories["dust"], published=True, area=street,
                             lat=43.8712, lng=125.3520, address="东盛大街 100 号")  # fmt: skip
    same_street = ReportFactory(category=categories["dust"], published=True, area=street,
                                lat=None, lng=None)  # fmt: skip
    other_kind = ReportFactory(category=categories["bare_ground"], published=True, area=street,
                               lat=43.8712, lng=125.3520)  # fmt: skip
    new = ReportFactory(category=categories["dust"], status="submitted", area=street,
                        lat=43.87147, lng=125.3520)  # fmt: skip
    panel = _panel(client.get(f"/reports/{new.code}").text)
    assert original.code in panel and "30 m away" in panel and "东盛大街 100 号" in panel
    assert same_street.code in panel and "same community or street" in panel
    assert other_kind.code not in panel

    csrf = csrf_from(client, f"/reports/{new.code}")
    client.post(f"/moderation/reports/{new.code}/duplicate",
                data={"csrf_token": csrf, "back": "case", "original": original.code})  # fmt: skip
    assert _reload(new).status == "duplicate" and _reload(new).duplicate_of_id == original.id


def test_a_report_without_a_point_is_matched_by_its_street(client, worker, categories, street):
    earlier = ReportFactory(category=categories["dust"], published=True, area=street)
    new = ReportFactory(category=categories["dust"], status="submitted", area=street,
                        lat=None, lng=None)  # fmt: skip
    panel = _panel(client.get(f"/reports/{new.code}").text)
    assert earlier.code in panel and "same community or street" in panel


def test_a_resident_and_a_guest_get_no_panel(client, sign_in, routed):
    assert 'id="case"' not in client.get(f"/reports/{routed.code}").text
    sign_in(UserFactory())
    page = client.get(f"/reports/{routed.code}").text
    assert 'id="case"' not in page and "13800138000" not in page


def test_a_staff_case_page_is_never_stored_by_a_cache(app, client, clerk, routed):
    assert "no-store" in client.get(f"/reports/{routed.code}").headers["Cache-Control"]
    public = app.test_client().get(f"/reports/{routed.code}")
    assert "no-store" not in public.headers.get("Cache-Control", "")


def test_the_queue_suggests_duplicates_with_one_press(client, worker, categories, street):
    original = ReportFactory(category=categories["dust"], published=True, area=street,
                             lat=43.8712, lng=125.3520, address="东盛大街 100 号")  # fmt: skip
    new = ReportFactory(category=categories["dust"], status="submitted", area=street,
                        lat=43.87147, lng=125.3520)  # fmt: skip
    page = client.get("/moderation").text
    start = page.index(f'id="report-{new.code}"')
    row = page[start : page.index("</ol>", start)]
    assert "1 similar open report nearby" in row and original.code in row and "30 m away" in row
    csrf = csrf_from(client, "/moderation")
    data = {"csrf_token": csrf, "back": "queue", "original": original.code}
    response = client.post(f"/moderation/reports/{new.code}/duplicate", data=data)
    assert "/moderation" in response.headers["Location"]
    assert _reload(new).status == "duplicate" and _reload(new).duplicate_of_id == original.id
