"""A community worker removes personal data from a report's text and photos; administrators
alone can still read and see what the resident sent."""

import io

import pytest
from PIL import Image
from sqlalchemy import select

from planvoice.core.audit import AuditEvent
from planvoice.core.extensions import db
from planvoice.reports import photos as photo_files
from planvoice.reports.areas import Category
from planvoice.reports.models import Report, ReportPhoto
from tests.conftest import BOTH_PHOTO_STORAGES, csrf_from
from tests.factories import ReportFactory
from tests.moderation.conftest import category
from tests.reports.conftest import jpeg_bytes, stored_files

PHONE = "13912345678"


@pytest.fixture
def dust(areas) -> Category:
    return category("dust")


@pytest.fixture
def report(areas, dust) -> Report:
    return ReportFactory(category=dust, area=areas["dongsheng"], published=True,
                         description=f"门口堆满垃圾,请联系王先生 {PHONE}。")  # fmt: skip


@pytest.fixture
def photo(report, photo_storage) -> ReportPhoto:
    processed = photo_files.process_photo(jpeg_bytes((400, 300), "white"), "door.jpg")
    path, thumbnail = photo_files.store_photo(processed, photo_storage)
    added = ReportPhoto(report_id=report.id, position=1, path=path, thumbnail_path=thumbnail,
                        width=processed.width, height=processed.height)  # fmt: skip
    db.session.add(added)
    db.session.commit()
    return added


def _post(client, url, **data):
    return client.post(url, data={"csrf_token": csrf_from(client, "/moderation"), **data})


def _reload(model):
    db.session.expire_all()
    return db.session.get(type(model), model.id)


def _pixel(client, path, xy):
    with client.get(f"/reports/photos/{path}") as response:
        assert response.status_code == 200
        return Image.open(io.BytesIO(response.data)).convert("RGB").getpixel(xy)


def test_redacting_the_text_keeps_the_first_original_for_administrators(
    app, client, dongsheng_worker, report, admin, sign_in
):
    url = f"/moderation/reports/{report.code}/redact"
    first = _post(client, url, description="门口堆满垃圾,请联系王先生 ***。")
    _post(client, url, description="门口堆满垃圾。")

    assert first.headers["Location"].endswith(f"/reports/{report.code}#case")
    stored = _reload(report)
    assert stored.description == "门口堆满垃圾。"
    assert PHONE in stored.original_description  # the resident's text, never overwritten
    worker_page = client.get(f"/reports/{report.code}").text
    assert PHONE not in worker_page
    assert "Personal data was removed by a moderator." in worker_page
    public = app.test_client()
    public.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    public_page = public.get(f"/reports/{report.code}").text
    assert PHONE not in public_page and "Personal data was removed" in public_page
    assert PHONE not in public.get(f"/api/v1/reports/{report.code}").text

    client.post("/logout", data={"csrf_token": csrf_from(client, "/moderation")})
    sign_in(admin)
    assert PHONE in client.get(f"/reports/{report.code}").text
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "report.redact_text"))
    assert [e.after["description"] for e in events] == [
        "门口堆满垃圾,请联系王先生 ***。",
        "门口堆满垃圾。",
    ]


@pytest.mark.parametrize("text", ["", "   "])
def test_an_empty_redaction_changes_nothing(client, dongsheng_worker, report, text):
    response = _post(client, f"/moderation/reports/{report.code}/redact", description=text)
    assert "The description cannot be empty." in client.get(response.headers["Location"]).text
    assert _reload(report).original_description is None


def test_the_report_page_offers_the_tools_to_its_moderator_only(
    app, client, dongsheng_worker, report, photo
):
    page = client.get(f"/reports/{report.code}").text
    assert f'action="/moderation/reports/{report.code}/redact"' in page
    assert f"/moderation/reports/{report.code}/photos/{photo.id}/redact" in page
    assert PHONE in page  # prefilled in the textarea, to edit
    public = app.test_client().get(f"/reports/{report.code}").text
    assert "/redact" not in public and "/notes" not in public


@BOTH_PHOTO_STORAGES
def test_blacking_out_a_rectangle_changes_the_served_pixels(
    app, client, dongsheng_worker, report, photo, photo_storage, admin, sign_in
):
    old_path, old_thumbnail = photo.path, photo.thumbnail_path
    url = f"/moderation/reports/{report.code}/photos/{photo.id}/redact"
    _post(client, url, left="10", top="10", right="50", bottom="50")

    redacted = _reload(photo)
    assert redacted.path != old_path and redacted.original_path == old_path
    assert _pixel(client, redacted.path, (100, 100)) < (10, 10, 10)  # inside: black
    assert _pixel(client, redacted.path, (300, 250)) > (240, 240, 240)  # outside: untouched
    # The old files are not served any more; the old thumbnail is gone from the store.
    assert client.get(f"/reports/photos/{old_path}").status_code == 404
    assert client.get(f"/reports/photos/{old_thumbnail}").status_code == 404
    assert not photo_storage.exists(old_thumbnail)
    original_url = f"/reports/{report.code}/photos/{photo.id}/original"
    assert client.get(original_url).status_code == 404  # a moderator does not see it
    assert app.test_client().get(original_url).status_code == 404
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "report.redact_photo"))
    assert event.after == {"photo": 1, "rectangle": [10.0, 10.0, 50.0, 50.0]}

    client.post("/logout", data={"csrf_token": csrf_from(client, "/moderation")})
    sign_in(admin)
    assert original_url in client.get(f"/reports/{report.code}").text
    with client.get(original_url) as response:
        assert response.status_code == 200 and "no-store" in response.headers["Cache-Control"]
        original = Image.open(io.BytesIO(response.data)).convert("RGB")
    assert original.getpixel((100, 100)) > (240, 240, 240)


@BOTH_PHOTO_STORAGES
def test_a_second_redaction_keeps_the_first_original_and_drops_the_middle_one(
    client, dongsheng_worker, report, photo, photo_storage
):
    first = photo.path
    url = f"/moderation/reports/{report.code}/photos/{photo.id}/redact"
    _post(client, url, left="0", top="0", right="10", bottom="10")
    middle = _reload(photo).path
    _post(client, url, whole="y")

    final = _reload(photo)
    assert final.original_path == first
    assert photo_storage.exists(first)
    assert not photo_storage.exists(middle)
    assert _pixel(client, final.path, (300, 250)) < (10, 10, 10)
    assert set(stored_files(photo_storage)) == {first, final.path, final.thumbnail_path}


@pytest.mark.parametrize(
    ("edges", "message"),
    [
        ({"left": "50", "top": "0", "right": "40", "bottom": "10"}, "left edge must be less"),
        ({"left": "0", "top": "0", "right": "120", "bottom": "10"}, "from 0 to 100"),
        ({"left": "-5", "top": "0", "right": "10", "bottom": "10"}, "from 0 to 100"),
        ({"left": "0", "top": "0", "right": "10"}, "Give all four edges"),
        ({"left": "abc", "top": "0", "right": "10", "bottom": "10"}, "Not a valid decimal"),
    ],
)
def test_a_bad_rectangle_changes_nothing(
    client, dongsheng_worker, report, photo, photo_storage, edges, message
):
    before = stored_files(photo_storage)
    response = _post(client, f"/moderation/reports/{report.code}/photos/{photo.id}/redact",
                     **edges)  # fmt: skip
    assert response.status_code == 302
    assert message in client.get(response.headers["Location"]).text
    assert _reload(photo).original_path is None
    assert stored_files(photo_storage) == before


def test_a_worker_of_another_area_cannot_redact(client, dongsheng_worker, areas, dust):
    elsewhere = ReportFactory(category=dust, area=areas["jilin"], published=True)
    response = _post(client, f"/moderation/reports/{elsewhere.code}/redact", description="x")
    assert response.status_code == 403
    assert _reload(elsewhere).original_description is None


LINK = "https://photos.example.com/app/IMG_0042.jpg"


def test_a_worker_removes_the_link_to_a_photo_a_client_app_holds(client, dongsheng_worker, report):
    report.media_url = LINK
    db.session.commit()
    assert f'href="{LINK}"' in client.get(f"/reports/{report.code}").text

    response = _post(client, f"/moderation/reports/{report.code}/media-link/remove")

    assert response.status_code == 302
    page = client.get(f"/reports/{report.code}").text
    assert "The link to the photo is removed" in page and LINK not in page
    assert _reload(report).media_url is None
    (found,) = client.get(f"/open311/v2/requests/{report.code}.json").json
    assert found["media_url"] is None
    event = db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "report.remove_media_link")
    )
    assert event.before == {"media_url": LINK} and event.actor_id == dongsheng_worker.id


def test_a_report_without_a_link_has_none_to_remove(client, dongsheng_worker, report):
    response = _post(client, f"/moderation/reports/{report.code}/media-link/remove")

    assert response.status_code == 302
    assert "This report has no linked photo." in client.get(f"/reports/{report.code}").text
    assert db.session.scalar(select(AuditEvent.id).where(
        AuditEvent.action == "report.remove_media_link")) is None  # fmt: skip
