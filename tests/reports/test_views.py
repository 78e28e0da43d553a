"""A resident reports a local problem from a phone, and everyone follows it by its code."""

import io
import re

import pytest
from PIL import Image
from sqlalchemy import func, select

from planvoice.core.extensions import cache, db, limiter
from planvoice.moderation import services as moderation
from planvoice.reports.models import Report
from tests import factories
from tests.conftest import BOTH_PHOTO_STORAGES
from tests.reports.conftest import form_tokens, jpeg_bytes, post_report, stored_files

CODE_PATTERN = r"EDQ-[2-9A-Z]{4}-[2-9A-Z]{2}"


def _report_count() -> int:
    db.session.remove()
    return db.session.scalar(select(func.count()).select_from(Report))


def _only_report() -> Report:
    db.session.remove()
    return db.session.scalars(select(Report)).one()


def _gps_exif() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (43.0, 52.0, 16.0), 3: "E", 4: (125.0, 21.0, 7.0)})
    return exif.tobytes()


@BOTH_PHOTO_STORAGES
def test_resident_files_a_report_with_a_photo_and_gets_a_tracking_code(
    client, categories, photo_storage
):
    response = post_report(client, photos=[(jpeg_bytes((2400, 1800), exif=_gps_exif()), "a.jpg")])

    assert response.status_code == 302
    report = _only_report()
    assert response.headers["Location"] == f"/reports/{report.code}"
    page = client.get(response.headers["Location"]).text
    assert report.code in page
    assert "小区东门外的空地一直是黄土" in page
    assert report.status == "submitted" and report.category.code == "bare_ground"
    # The category brings the plan measure it concerns.
    assert report.measure.title == "“绣花功夫”管理城市"
    (photo,) = report.photos
    served = client.get(f"/reports/photos/{photo.path}")
    data = served.data
    served.close()  # the file it streamed from
    assert served.status_code == 200 and served.mimetype == "image/jpeg"
    assert "immutable" not in served.headers["Cache-Control"]  # not public yet
    image = Image.open(io.BytesIO(data))
    assert max(image.size) == 1600 and not image.getexif()
    assert b"PhoneMaker" not in data
    assert stored_files(photo_storage) == sorted([photo.path, photo.thumbnail_path])
    assert photo_storage.read(photo.path) == data


@BOTH_PHOTO_STORAGES
def test_a_public_photo_is_cached_for_good_and_revalidates(
    client, other_guest, categories, photo_storage
):
    post_report(client, photos=[(jpeg_bytes(), "a.jpg")])
    report = _only_report()
    (photo,) = report.photos
    url = f"/reports/photos/{photo.thumbnail_path}"
    assert other_guest.get(url).status_code == 404  # not public yet
    moderation.publish_report(report, moderator=factories.UserFactory(moderator=True))
    db.session.commit()

    with other_guest.get(url) as served:
        assert served.status_code == 200 and served.mimetype == "image/jpeg"
        assert served.data == photo_storage.read(photo.thumbnail_path)
        assert served.content_length == len(served.data)
        cache_control = {part.strip() for part in served.headers["Cache-Control"].split(",")}
        assert cache_control == {"public", "max-age=31536000", "immutable"}
        etag = served.headers["ETag"]
    with other_guest.get(url, headers={"If-None-Match": etag}) as again:
        assert again.status_code == 304 and again.data == b""


def test_a_new_report_is_visible_only_to_its_author_until_published(
    client, other_guest, categories
):
    post_report(client)
    report = _only_report()

    stranger_view = other_guest.get(f"/reports/{report.code}").text
    assert "awaits review" in stranger_view or "received on" in stranger_view
    assert "小区东门外的空地" not in stranger_view
    assert report.code not in other_guest.get("/reports").text
    assert other_guest.get(f"/api/v1/reports/{report.code}").status_code == 404

    moderation.publish_report(report, moderator=factories.UserFactory(moderator=True))
    db.session.commit()
    cache.clear()  # public pages are micro-cached for anonymous readers (core/caching.py)
    assert "小区东门外的空地" in other_guest.get(f"/reports/{report.code}").text
    assert report.code in other_guest.get("/reports").text


def test_contact_details_never_appear_on_public_pages_or_in_the_api(
    client, other_guest, categories
):
    post_report(client, name="王阿姨", contact="13800138000")
    report = _only_report()
    moderation.publish_report(report, moderator=factories.UserFactory(moderator=True))
    db.session.commit()

    for url in (f"/reports/{report.code}", "/reports", f"/api/v1/reports/{report.code}",
                "/api/v1/reports", f"/measures/{report.measure_id}"):  # fmt: skip
        body = other_guest.get(url).text
        assert "13800138000" not in body and "王阿姨" not in body, url
    # The author sees the point rounded too: about 100 m.
    assert "43.871, 125.352" in other_guest.get(f"/reports/{report.code}").text
    assert "43.8712" not in other_guest.get(f"/reports/{report.code}").text


@BOTH_PHOTO_STORAGES
def test_a_resubmitted_form_creates_one_report_and_stores_its_photos_once(
    client, categories, photo_storage
):
    tokens = form_tokens(client)
    photo = [(jpeg_bytes(), "a.jpg")]
    first = post_report(client, tokens=tokens, photos=photo)
    second = post_report(client, tokens=tokens, photos=photo)

    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"]
    assert _report_count() == 1
    assert len(stored_files(photo_storage)) == 2


def _png(size, mode="RGB") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size).save(buffer, "PNG")
    return buffer.getvalue()


TEXT = b"just some text\n" * 50
HUGE = jpeg_bytes() + b"\0" * 12_000_000
BAD_INPUT = {
    "no category": ({"category": None}, (), "Choose what kind of problem this is."),
    "unknown category": ({"category": "volcano"}, (), "Choose one of the listed kinds"),
    "description too short": ({"description": "太脏"}, (), "between 10 and 2000 characters"),
    "point outside the district": ({"lat": "39.90", "lng": "116.40"}, (), "outside the district"),
    "latitude not a number": ({"lat": "north"}, (), "Enter the latitude as a number"),
    "neither area nor point": ({"area": "", "lat": "", "lng": ""}, (), "Tell us where the"),
    "unknown area": ({"area": "atlantis"}, (), "Choose an area from the list."),
    "text file renamed .jpg": ({}, [(TEXT, "photo.jpg")], "“photo.jpg” is not a photo"),
    "12 MB photo": ({}, [(HUGE, "big.jpg")], "“big.jpg” is larger than 10 MB"),
    "four photos": ({}, [(jpeg_bytes(), f"p{i}.jpg") for i in range(4)], "at most 3 photos"),
    "truncated JPEG": ({}, [(jpeg_bytes((1600, 1200))[:4000], "cut.jpg")], "“cut.jpg” is damaged"),
    "contact neither e-mail nor mobile": ({"contact": "call me"}, (), "11-digit mobile"),
}


@pytest.mark.parametrize("fields, photos, message", BAD_INPUT.values(), ids=BAD_INPUT.keys())
def test_bad_input_gets_a_clear_message_and_stores_nothing(
    english, categories, upload_folder, fields, photos, message
):
    response = post_report(english, photos=photos, **fields)

    assert response.status_code == 400
    assert message in response.text
    assert _report_count() == 0
    assert stored_files(upload_folder) == []
    # What the resident typed is kept, so nothing needs retyping.
    if "description" not in fields:
        assert "小区东门外的空地一直是黄土" in response.text


def test_a_huge_png_is_refused_without_decoding_it(english, categories, upload_folder):
    # A 20000×20000 one-bit PNG is small on disk but 400 million pixels once decoded.
    response = post_report(english, photos=[(_png((20000, 20000), "1"), "bomb.png")])

    assert response.status_code == 400
    assert "“bomb.png” has too many pixels" in response.text
    assert _report_count() == 0 and stored_files(upload_folder) == []


def test_errors_are_in_chinese_by_default(client, categories):
    response = post_report(client, description="太脏")
    assert response.status_code == 400
    assert "请写 10 到 2000 个字。" in response.text


@BOTH_PHOTO_STORAGES
def test_a_bad_photo_is_refused_and_the_good_one_beside_it_waits_with_the_form(
    english, categories, photo_storage
):
    photos = [(jpeg_bytes(), "good.jpg"), (b"not an image", "bad.png")]
    response = post_report(english, photos=photos)

    assert response.status_code == 400 and "“bad.png” is not a photo" in response.text
    # Only the good one is stored (re-encoded, with its thumbnail), kept for the form.
    assert len(stored_files(photo_storage)) == 2
    assert response.text.count('name="remove_photo"') == 1
    assert db.session.scalar(select(Report.id)) is None


def test_the_form_preselects_the_category_and_measure_from_a_measure_page(client, categories):
    park = categories["pocket_park"].measure
    measure_page = client.get(f"/measures/{park.id}").text
    assert f"/reports/new?measure={park.id}&amp;category=bare_ground" in measure_page

    form = client.get(f"/reports/new?measure={park.id}&category=pocket_park").text
    assert re.search(r'<input [^>]*checked [^>]*value="pocket_park"', form)
    assert park.title in form
    assert f'name="measure" value="{park.id}"' in form


def test_a_report_filed_from_a_measure_page_concerns_that_measure(client, categories):
    other = categories["dust"].measure
    tokens = form_tokens(client, f"/reports/new?measure={other.id}")
    post_report(client, tokens=tokens, measure=str(other.id))
    assert _only_report().measure_id == other.id


def test_a_point_alone_or_an_area_alone_is_enough(client, categories):
    assert post_report(client, area="").status_code == 302
    assert post_report(client, lat="", lng="").status_code == 302
    assert _report_count() == 2


def test_measure_page_counts_the_public_reports_about_it(client, categories):
    bare = categories["bare_ground"]
    factories.ReportFactory.create_batch(2, category=bare, published=True)
    factories.ReportFactory(category=bare)  # awaiting review: not counted

    page = client.get(f"/measures/{bare.measure_id}?lang=en").text
    assert "2 resident reports concern this measure." in page
    assert f"/reports?measure={bare.measure_id}" in page


def test_too_many_reports_too_quickly_are_refused_with_the_text_kept(english, categories):
    limiter.enabled = True
    statuses = [post_report(english).status_code for _ in range(5)]
    assert statuses == [302, 302, 302, 302, 429]
    refused = post_report(english, description="第五次反映同一个问题,请尽快处理。")
    assert "too much too quickly" in refused.text
    assert "第五次反映同一个问题" in refused.text
    assert _report_count() == 4


def test_an_expired_form_keeps_what_was_typed(english, categories):
    tokens = form_tokens(english) | {"csrf_token": "stale"}
    response = post_report(english, tokens=tokens)
    assert response.status_code == 400
    assert "This form has expired" in response.text
    assert "小区东门外的空地一直是黄土" in response.text
    assert _report_count() == 0


def test_a_body_over_the_request_limit_gets_the_form_back_with_a_message(app, english, categories):
    app.config["MAX_CONTENT_LENGTH"] = 1024 * 1024
    response = post_report(english, photos=[(jpeg_bytes() + b"\0" * 2_000_000, "big.jpg")])
    assert response.status_code == 413
    assert "Your photos are too large together" in response.text
    assert 'id="report-form"' in response.text
